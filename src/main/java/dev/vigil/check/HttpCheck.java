package dev.vigil.check;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A GET with one deadline for connect, headers and body together: {@link HttpRequest#timeout} alone covers only the
 * headers, so a server that sends headers and then stalls would hang a blocking body read. The body is read into
 * memory up to {@link #BODY_LIMIT} bytes and the rest is discarded unread.
 */
final class HttpCheck implements Check {
    /** Bytes of the body kept for {@code body_match}. */
    static final int BODY_LIMIT = 64 * 1024;

    private static final int EXCERPT = 120;

    private final CheckSpec.Http spec;
    private final HttpClient client;

    HttpCheck(CheckSpec.Http spec) {
        this.spec = spec;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(spec.common().timeout())
                .followRedirects(spec.followRedirects() ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
        if (!spec.tlsVerify()) {
            builder.sslContext(trustingEverything());
        }
        this.client = builder.build();
    }

    @Override
    public CheckResult run(CheckTarget target) {
        Duration timeout = spec.common().timeout();
        String request = "GET " + spec.url();
        HttpRequest get =
                HttpRequest.newBuilder(spec.url()).timeout(timeout).GET().build();
        long began = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(get, info -> new BoundedBody(BODY_LIMIT));
        HttpResponse<byte[]> response;
        try {
            response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new CheckResult.Unhealthy(request + " timed out after " + Describe.duration(timeout));
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            return new CheckResult.Unhealthy(request + " was interrupted");
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                return new CheckResult.Unhealthy(request + " timed out after " + Describe.duration(timeout));
            }
            return new CheckResult.Unhealthy(request + " failed: " + Describe.failure(cause));
        }
        return judge(request, response, Duration.ofNanos(System.nanoTime() - began));
    }

    private CheckResult judge(String request, HttpResponse<byte[]> response, Duration took) {
        int status = response.statusCode();
        if (!spec.okStatuses().contains(status)) {
            return new CheckResult.Unhealthy(request + " returned " + status + ", expected "
                    + Describe.ranges(spec.okStatuses()) + excerpt(response.body()));
        }
        if (spec.bodyMatch().isPresent()) {
            Pattern pattern = spec.bodyMatch().get();
            String body = new String(response.body(), StandardCharsets.UTF_8);
            if (!pattern.matcher(body).find()) {
                return new CheckResult.Unhealthy(request + " returned " + status + " but the body ("
                        + response.body().length + " bytes read) does not match /" + pattern.pattern() + "/"
                        + excerpt(response.body()));
            }
        }
        return new CheckResult.Healthy(request + " returned " + status + " in " + Describe.duration(took));
    }

    private static String excerpt(byte[] body) {
        String text = Describe.excerpt(new String(body, StandardCharsets.UTF_8), EXCERPT);
        return text.isEmpty() ? "" : ": '" + text + "'";
    }

    /**
     * Collects at most {@code limit} bytes, then cancels the stream: a health endpoint that answers with megabytes
     * costs no more than 64 KiB, and the connection is not read to its end.
     */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int n = Math.min(buffer.remaining(), limit - bytes.size());
                byte[] chunk = new byte[n];
                buffer.get(chunk);
                bytes.write(chunk, 0, n);
            }
            if (bytes.size() >= limit) {
                subscription.cancel();
                body.complete(bytes.toByteArray());
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            body.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }

    /** For {@code tls_verify = false}: a trust manager that accepts any chain and any host name. */
    private static SSLContext trustingEverything() {
        TrustManager trustAll = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context for tls_verify = false", e);
        }
    }
}
