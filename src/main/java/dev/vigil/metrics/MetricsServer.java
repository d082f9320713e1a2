package dev.vigil.metrics;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;

/**
 * Serves a registry on {@code /metrics} for Prometheus to scrape (pull), with client_java's HTTPServer.
 *
 * <p>Binds to loopback unless the caller explicitly allows otherwise: the metrics name every service and host,
 * which is not something to publish to a network by accident. To let a remote Prometheus scrape, either allow a
 * non-loopback address or put a TLS/auth reverse proxy in front.
 */
public final class MetricsServer implements AutoCloseable {
    /**
     * 9839: inside the range Prometheus uses for exporters (9100-9999), and none of the well-known ones (Prometheus
     * 9090, Pushgateway 9091, Alertmanager 9093, node_exporter 9100, blackbox 9115...); not in /etc/services.
     */
    public static final int DEFAULT_PORT = 9839;

    private final HTTPServer server;
    private final InetSocketAddress address;

    private MetricsServer(HTTPServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    /** 127.0.0.1:9839. */
    public static InetSocketAddress defaultAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);
    }

    /**
     * Starts serving {@code registry} on {@code address} (port 0: any free port, see {@link #address()}).
     *
     * @param allowNonLoopback whether an address other than loopback (including the wildcard 0.0.0.0 or ::) is
     *     acceptable; when false, such an address is refused with an IllegalArgumentException
     * @throws IOException when the address cannot be bound (in use, not local); the message names it
     */
    public static MetricsServer start(PrometheusRegistry registry, InetSocketAddress address, boolean allowNonLoopback)
            throws IOException {
        Objects.requireNonNull(registry, "registry");
        InetAddress ip = resolve(address);
        if (!ip.isLoopbackAddress() && !allowNonLoopback) {
            throw new IllegalArgumentException("refusing to serve metrics on " + display(address)
                    + ": not a loopback address; allow non-loopback binds explicitly to do this");
        }
        HTTPServer server;
        try {
            server = HTTPServer.builder()
                    .inetAddress(ip)
                    .port(address.getPort())
                    .registry(registry)
                    .buildAndStart();
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + display(address) + ": " + e.getMessage(), e);
        }
        return new MetricsServer(server, new InetSocketAddress(ip, server.getPort()));
    }

    /** Starts serving {@code metrics} on {@code address}; see {@link #start(PrometheusRegistry, InetSocketAddress, boolean)}. */
    public static MetricsServer start(VigilMetrics metrics, InetSocketAddress address, boolean allowNonLoopback)
            throws IOException {
        return start(metrics.registry(), address, allowNonLoopback);
    }

    private static InetAddress resolve(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        InetSocketAddress resolved =
                address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort()) : address;
        if (resolved.isUnresolved()) {
            throw new IllegalArgumentException("cannot serve metrics on " + display(address) + ": unknown host");
        }
        return resolved.getAddress();
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}, as written in the config; the host is resolved.
     *
     * @throws IllegalArgumentException naming the text when it is not of that form
     */
    public static InetSocketAddress parseAddress(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("not host:port: '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("an IPv6 address needs brackets ([::1]:port): '" + text + "'");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number in '" + text + "'", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in '" + text + "'");
        }
        return new InetSocketAddress(host, port);
    }

    /** Where it listens, with the real port when started on port 0. */
    public InetSocketAddress address() {
        return address;
    }

    /** The URL Prometheus scrapes, e.g. http://127.0.0.1:9839/metrics. */
    public URI metricsUri() {
        String host = address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + address.getPort() + "/metrics");
    }

    /** Stops serving; idempotent. */
    public void stop() {
        server.stop();
    }

    @Override
    public void close() {
        stop();
    }

    private static String display(InetSocketAddress address) {
        String host = address.isUnresolved()
                ? address.getHostString()
                : address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
