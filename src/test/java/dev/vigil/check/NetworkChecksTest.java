package dev.vigil.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.shell.LocalShell;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TCP and HTTP checks against real sockets and a real HTTP server on 127.0.0.1. */
class NetworkChecksTest {
    /** Generous: the first request of a JVM loads the whole HTTP client. */
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static final Duration SHORT = Duration.ofMillis(500);
    private static final CheckTarget TARGET = CheckTarget.withoutProcess("web");

    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(handlers);
        server.createContext("/ok", e -> reply(e, 200, "status: ok"));
        server.createContext("/fail", e -> reply(e, 500, "database unreachable"));
        server.createContext("/moved", e -> {
            e.getResponseHeaders().add("Location", "/fail");
            reply(e, 302, "");
        });
        server.createContext("/big", e -> reply(e, 200, "x".repeat(HttpCheck.BODY_LIMIT) + "needle"));
        server.createContext("/hang", e -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            reply(e, 200, "too late");
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        handlers.close();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static CheckSpec.Common common(String name) {
        return CheckSpec.Common.defaults(name).every(Duration.ofSeconds(10), TIMEOUT);
    }

    private static CheckSpec.Common common(String name, Duration timeout) {
        return CheckSpec.Common.defaults(name).every(Duration.ofSeconds(10), timeout);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static CheckResult run(CheckSpec spec) {
        return Checks.of(spec, new LocalShell()).run(TARGET);
    }

    private CheckResult http(String path, Optional<Pattern> body, boolean follow) {
        return run(new CheckSpec.Http(common("page"), url(path), CheckSpec.DEFAULT_OK_STATUSES, body, true, follow));
    }

    @Test
    void tcp_openPort_isHealthy_closedPort_isRefused() throws IOException {
        int port;
        try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = listening.getLocalPort();
            CheckResult open = run(new CheckSpec.Tcp(common("port"), "127.0.0.1", port));
            assertThat(open.message()).matches("connected to 127\\.0\\.0\\.1:" + port + " in \\d+(\\.\\d+)?m?s");
            assertThat(open.healthy()).isTrue();
        }

        CheckResult closed = run(new CheckSpec.Tcp(common("port"), "127.0.0.1", port));

        assertThat(closed).isEqualTo(new CheckResult.Unhealthy("connect to 127.0.0.1:" + port + " refused"));
    }

    @Test
    void tcp_unknownHost_saysSo() {
        CheckResult result = run(new CheckSpec.Tcp(common("port"), "no-such-host.invalid", 80));

        assertThat(result)
                .isEqualTo(new CheckResult.Unhealthy(
                        "connect to no-such-host.invalid:80: cannot resolve host no-such-host.invalid"));
    }

    @Test
    void http_200WithMatchingBody_isHealthy() {
        CheckResult result = http("/ok", Optional.of(Pattern.compile("status: ok")), false);

        assertThat(result.healthy()).as(result.message()).isTrue();
        assertThat(result.message()).matches("GET " + Pattern.quote(url("/ok").toString()) + " returned 200 in .+");
    }

    @Test
    void http_200WithOtherBody_isUnhealthy_withExcerpt() {
        CheckResult result = http("/ok", Optional.of(Pattern.compile("status: (green|fine)")), false);

        assertThat(result)
                .isEqualTo(new CheckResult.Unhealthy("GET " + url("/ok") + " returned 200 but the body (10 bytes read)"
                        + " does not match /status: (green|fine)/: 'status: ok'"));
    }

    @Test
    void http_500_isUnhealthy_withStatusExpectationAndBody() {
        CheckResult result = http("/fail", Optional.empty(), false);

        assertThat(result)
                .isEqualTo(new CheckResult.Unhealthy(
                        "GET " + url("/fail") + " returned 500, expected 200-399: 'database unreachable'"));
    }

    @Test
    void http_redirect_isNotFollowedByDefault_butCanBe() {
        assertThat(http("/moved", Optional.empty(), false).message()).contains("returned 302 in");

        assertThat(http("/moved", Optional.empty(), true).message())
                .startsWith("GET " + url("/moved") + " returned 500, expected 200-399");
    }

    @Test
    void http_okStatuses_canBeNarrowed() {
        CheckResult result =
                run(new CheckSpec.Http(common("page"), url("/moved"), Set.of(200, 204), Optional.empty(), true, false));

        assertThat(result)
                .isEqualTo(new CheckResult.Unhealthy("GET " + url("/moved") + " returned 302, expected 200, 204"));
    }

    @Test
    void http_bodyIsReadOnlyUpTo64KiB() {
        CheckResult result = http("/big", Optional.of(Pattern.compile("needle")), false);

        assertThat(result.message())
                .startsWith(
                        "GET " + url("/big") + " returned 200 but the body (65536 bytes read) does not match /needle/");
    }

    @Test
    void http_handlerHangingLongerThanTheTimeout_isUnhealthy_timedOut() {
        long began = System.nanoTime();

        CheckResult result = run(new CheckSpec.Http(common("page", SHORT), url("/hang")));

        assertThat(result).isEqualTo(new CheckResult.Unhealthy("GET " + url("/hang") + " timed out after 500ms"));
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(SHORT.plusSeconds(1));
    }

    @Test
    void http_nothingListening_isUnhealthy_withTheReason() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port + "/");

        CheckResult result = run(new CheckSpec.Http(common("page"), nowhere));

        assertThat(result.message()).startsWith("GET " + nowhere + " failed: ");
        assertThat(result.healthy()).isFalse();
    }
}
