package dev.vigil.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    private final VigilMetrics metrics = new VigilMetrics("test");

    @Test
    void the_default_is_loopback_on_9839() {
        assertThat(MetricsServer.defaultAddress())
                .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9839));
    }

    @Test
    void a_non_loopback_bind_is_refused_unless_allowed() throws Exception {
        var wildcard = new InetSocketAddress(0);
        assertThatThrownBy(() -> MetricsServer.start(metrics, wildcard, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a loopback address");
        try (var server = MetricsServer.start(metrics, wildcard, true)) {
            assertThat(server.address().getPort()).isPositive();
            assertThat(Tools.get(java.net.URI.create(
                                    "http://127.0.0.1:" + server.address().getPort() + "/metrics"))
                            .body())
                    .contains("vigil_up 1");
        }
    }

    @Test
    void stop_frees_the_port_and_a_taken_port_is_an_error_naming_it() throws Exception {
        var server = MetricsServer.start(metrics, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false);
        InetSocketAddress taken = server.address();
        assertThatThrownBy(() -> MetricsServer.start(metrics, taken, false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("127.0.0.1:" + taken.getPort());
        server.stop();
        try (var again = MetricsServer.start(metrics, taken, false)) {
            assertThat(Tools.get(again.metricsUri()).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void addresses_parse_as_written_in_the_config() {
        assertThat(MetricsServer.parseAddress("127.0.0.1:9839")).isEqualTo(new InetSocketAddress("127.0.0.1", 9839));
        assertThat(MetricsServer.parseAddress("[::1]:9839").getAddress().isLoopbackAddress())
                .isTrue();
        assertThat(MetricsServer.parseAddress("localhost:1").getPort()).isEqualTo(1);
        assertThatThrownBy(() -> MetricsServer.parseAddress("::1:9839")).hasMessageContaining("brackets");
        assertThatThrownBy(() -> MetricsServer.parseAddress("host")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> MetricsServer.parseAddress("host:http")).hasMessageContaining("port");
        assertThatThrownBy(() -> MetricsServer.parseAddress("host:70000")).hasMessageContaining("range");
    }
}
