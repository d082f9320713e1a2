package dev.vigil.setup;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The endpoint checks against real listeners on loopback: one that answers, one that is wrong, one that is closed. */
class SetupEndpointsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void anHttpEndpoint_answersOnItsHealthPath_orTheLineSaysWhatItGot() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/-/healthy", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());

            StepResult ok = Endpoints.http("alertmanager am", base, TIMEOUT);
            StepResult wrong = Endpoints.http("pushgateway", URI.create(base + "/sub"), TIMEOUT);

            assertThat(ok.outcome()).isEqualTo(Outcome.ALREADY);
            assertThat(ok.detail()).isEqualTo(base + " answers (GET /-/healthy: HTTP 200)");
            assertThat(wrong.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(wrong.detail()).contains("HTTP 404");
        } finally {
            server.stop(0);
        }
        URI closed = URI.create("http://127.0.0.1:" + closedPort());
        StepResult down = Endpoints.http("alertmanager am", closed, TIMEOUT);
        assertThat(down.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(down.detail()).startsWith(closed + " does not answer (ConnectException");
    }

    @Test
    void anSmtpEndpoint_mustGreetWith220() throws Exception {
        try (ServerSocket smtp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread greeter = Thread.ofVirtual().start(() -> {
                try (Socket client = smtp.accept();
                        OutputStream out = client.getOutputStream()) {
                    out.write("220 mail.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (Exception e) {
                    // the test fails on the result
                }
            });

            StepResult ok = Endpoints.smtp("smtp oncall", "127.0.0.1", smtp.getLocalPort(), TIMEOUT);

            greeter.join(TIMEOUT);
            assertThat(ok.outcome()).isEqualTo(Outcome.ALREADY);
            assertThat(ok.detail()).isEqualTo("127.0.0.1:" + smtp.getLocalPort() + " answers: 220 mail.test ESMTP");
        }
        int closed = closedPort();
        StepResult down = Endpoints.smtp("smtp oncall", "127.0.0.1", closed, TIMEOUT);
        assertThat(down.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(down.detail()).startsWith("127.0.0.1:" + closed + " does not answer");
    }
}
