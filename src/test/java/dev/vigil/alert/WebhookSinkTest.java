package dev.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookSinkTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private HttpServer server;
    private final CompletableFuture<String> body = new CompletableFuture<>();
    private final CompletableFuture<String> authorization = new CompletableFuture<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile int status = 200;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/hook", exchange -> {
            authorization.complete(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            body.complete(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.createContext("/slow", exchange -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    static Alert restarted() {
        return Alert.firing(
                        AlertName.SERVICE_RESTARTED,
                        "web",
                        "host1",
                        "restarted (died: pid 4242 exited)",
                        "exit status 1",
                        T0)
                .withEndsAt(T0.plusSeconds(300));
    }

    @Test
    void postsTheAlertAsJsonWithTheBearerToken() throws Exception {
        WebhookSink sink = new WebhookSink(uri("/hook"), Optional.of("s3cret"), Duration.ofSeconds(5));

        assertThat(sink.deliver(restarted())).isEqualTo(new Delivery.Delivered());

        assertThat(authorization.get(5, TimeUnit.SECONDS)).isEqualTo("Bearer s3cret");
        JsonNode json = AlertJson.MAPPER.readTree(body.get(5, TimeUnit.SECONDS));
        assertThat(json.path("name").asText()).isEqualTo("ServiceRestarted");
        assertThat(json.path("fingerprint").asText()).isEqualTo("ServiceRestarted/web@host1");
        assertThat(json.path("service").asText()).isEqualTo("web");
        assertThat(json.path("host").asText()).isEqualTo("host1");
        assertThat(json.path("severity").asText()).isEqualTo("warning");
        assertThat(json.path("status").asText()).isEqualTo("firing");
        assertThat(json.path("summary").asText()).isEqualTo("restarted (died: pid 4242 exited)");
        assertThat(json.path("startsAt").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(json.path("endsAt").asText()).isEqualTo("2026-12-01T10:05:00Z");
    }

    @Test
    void noToken_noAuthorizationHeader() throws Exception {
        new WebhookSink(uri("/hook"), Optional.empty(), Duration.ofSeconds(5)).deliver(restarted());
        assertThat(authorization.get(5, TimeUnit.SECONDS)).isEqualTo("null");
    }

    @Test
    void slowServer_failsRetryableAfterTheTimeout() {
        WebhookSink sink = new WebhookSink(uri("/slow"), Optional.empty(), Duration.ofMillis(300));

        long start = System.nanoTime();
        Delivery result = sink.deliver(restarted());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(result).isInstanceOfSatisfying(Delivery.Failed.class, f -> {
            assertThat(f.retryable()).isTrue();
            assertThat(f.why()).contains("/slow").contains("no answer within");
        });
    }

    @Test
    void serverErrorIsRetryable_clientErrorIsNot() {
        WebhookSink sink = new WebhookSink(uri("/hook"), Optional.empty(), Duration.ofSeconds(5));
        status = 503;
        assertThat(sink.deliver(restarted()))
                .isEqualTo(new Delivery.Failed(true, "POST " + uri("/hook") + ": HTTP 503 "));
    }

    @Test
    void clientError_isNotRetryable() {
        status = 400;
        Delivery result = new WebhookSink(uri("/hook"), Optional.empty(), Duration.ofSeconds(5)).deliver(restarted());
        assertThat(result).isInstanceOfSatisfying(Delivery.Failed.class, f -> assertThat(f.retryable())
                .isFalse());
    }

    @Test
    void nobodyListening_isRetryable() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Delivery result = new WebhookSink(
                        URI.create("http://127.0.0.1:" + port + "/x"), Optional.empty(), Duration.ofSeconds(2))
                .deliver(restarted());
        assertThat(result).isInstanceOfSatisfying(Delivery.Failed.class, f -> assertThat(f.retryable())
                .isTrue());
    }
}
