package dev.vigil.alert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** JSON POSTs with connect and request timeouts, for the HTTP sinks. */
final class Http {
    private final HttpClient client;
    private final Duration timeout;

    Http(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Duration timeout() {
        return timeout;
    }

    /** 2xx: delivered; 408, 429, 5xx, I/O errors and timeouts: retryable; other statuses: rejected. */
    Delivery postJson(URI uri, String json, Optional<String> bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "vigil")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) {
                return Delivery.delivered();
            }
            String why = "POST " + uri + ": HTTP " + status + " " + abbreviate(response.body());
            return status == 408 || status == 429 || status >= 500 ? Delivery.retry(why) : Delivery.reject(why);
        } catch (HttpTimeoutException e) {
            return Delivery.retry("POST " + uri + ": no answer within " + timeout + " (" + e.getMessage() + ")");
        } catch (IOException e) {
            return Delivery.retry("POST " + uri + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Delivery.retry("POST " + uri + ": interrupted");
        } catch (RuntimeException e) {
            return Delivery.reject("POST " + uri + ": " + describe(e));
        }
    }

    static String describe(Throwable e) {
        StringBuilder why = new StringBuilder();
        String last = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException && t.getMessage() == null) {
                return why + (why.isEmpty() ? "" : ": ") + "cannot connect (nothing listening, or unreachable)";
            }
            String part = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (!part.equals(last) && !last.endsWith(part)) {
                why.append(why.isEmpty() ? "" : ": ").append(part);
            }
            last = part;
        }
        return why.toString();
    }

    private static String abbreviate(String body) {
        String line = body.strip().replaceAll("\\s+", " ");
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
