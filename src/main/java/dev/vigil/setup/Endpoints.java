package dev.vigil.setup;

import dev.vigil.config.AlertsSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether the places alerts and metrics go answer: each Alertmanager URL ({@code GET /-/healthy}), each Pushgateway
 * given on the command line (the same), each mail sink's SMTP server (a TCP connect and its 220 greeting). One
 * {@link StepResult} per endpoint; nothing is sent.
 */
public final class Endpoints {
    static final String HOST = "endpoints";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private Endpoints() {}

    public static List<StepResult> check(AlertsSpec alerts, List<URI> pushgateways) {
        List<StepResult> results = new ArrayList<>();
        for (Map.Entry<String, AlertsSpec.Sink> e : new java.util.TreeMap<>(alerts.sinks()).entrySet()) {
            switch (e.getValue()) {
                case AlertsSpec.Sink.Alertmanager am -> {
                    for (URI url : am.urls()) {
                        results.add(http("alertmanager " + e.getKey(), url, am.timeout()));
                    }
                }
                case AlertsSpec.Sink.Mail mail ->
                    results.add(smtp("smtp " + e.getKey(), mail.host(), mail.port(), mail.timeout()));
                default -> {}
            }
        }
        for (URI gateway : pushgateways) {
            results.add(http("pushgateway", gateway, DEFAULT_TIMEOUT));
        }
        return results;
    }

    static StepResult http(String what, URI base, Duration timeout) {
        String text = base.toString();
        URI health = URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + "/-/healthy");
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(health).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            return status == 200
                    ? new StepResult(HOST, what, Outcome.ALREADY, base + " answers (GET /-/healthy: HTTP 200)")
                    : new StepResult(
                            HOST,
                            what,
                            Outcome.FAILED,
                            base + " answered GET /-/healthy with HTTP " + status
                                    + ": is it an Alertmanager or Pushgateway, and is the URL its base URL?");
        } catch (IOException e) {
            return new StepResult(
                    HOST,
                    what,
                    Outcome.FAILED,
                    base + " does not answer (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + "): check that it runs and that this machine may reach it");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new StepResult(HOST, what, Outcome.FAILED, "interrupted while asking " + base);
        }
    }

    static StepResult smtp(String what, String host, int port, Duration timeout) {
        String where = host + ":" + port;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String greeting = in.readLine();
            if (greeting != null && greeting.startsWith("220")) {
                return new StepResult(HOST, what, Outcome.ALREADY, where + " answers: " + greeting.strip());
            }
            return new StepResult(
                    HOST,
                    what,
                    Outcome.FAILED,
                    where + " accepted the connection but greeted with '" + greeting + "', not an SMTP 220 greeting");
        } catch (IOException e) {
            return new StepResult(
                    HOST,
                    what,
                    Outcome.FAILED,
                    where + " does not answer (" + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + "): check the sink's host and port and that this machine may reach it");
        }
    }
}
