package dev.vigil.metrics;

import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Pushes a registry to a Prometheus Pushgateway, grouped by {@code job} and {@code instance}: for a one-shot run
 * such as {@code vigil check} from cron, which lives too briefly to be scraped. The daemon should be scraped instead
 * (see docs/metrics.md): a pushed group stays on the gateway after its pusher died.
 *
 * <p>{@link #push()} replaces the whole group (HTTP PUT), so a run never leaves a previous run's services behind;
 * {@link #delete()} removes the group, for a host that no longer runs the cron job.
 */
public final class Pusher {
    public static final String DEFAULT_JOB = "vigil";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final PushGateway gateway;
    private final String url;

    /**
     * @param gateway the Pushgateway's base URL, e.g. http://pushgw.example.org:9091 (http or https, no path)
     * @param job the {@code job} grouping label, normally {@link #DEFAULT_JOB}
     * @param instance the {@code instance} grouping label, normally {@link #localHostname()}
     * @param timeout for connecting and for reading the answer, each
     */
    public Pusher(PrometheusRegistry registry, URI gateway, String job, String instance, Duration timeout) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(timeout, "timeout");
        requireLabel("job", job);
        requireLabel("instance", instance);
        String schemeName = String.valueOf(gateway.getScheme()).toLowerCase(Locale.ROOT);
        Scheme scheme =
                switch (schemeName) {
                    case "http" -> Scheme.HTTP;
                    case "https" -> Scheme.HTTPS;
                    default -> throw new IllegalArgumentException("Pushgateway URL must be http or https: " + gateway);
                };
        if (gateway.getHost() == null || gateway.getPort() < 0) {
            throw new IllegalArgumentException("Pushgateway URL needs a host and a port: " + gateway);
        }
        String path = gateway.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("Pushgateway URL must not have a path: " + gateway);
        }
        String hostPort = gateway.getRawAuthority();
        this.url = schemeName + "://" + hostPort + "/metrics/job/" + encode(job) + "/instance/" + encode(instance);
        this.gateway = PushGateway.builder()
                .scheme(scheme)
                .address(hostPort)
                .job(job)
                .groupingKey("instance", instance)
                .registry(registry)
                .connectionTimeout(timeout)
                .readTimeout(timeout)
                .build();
    }

    /** Job {@value #DEFAULT_JOB}, instance the local host name, {@link #DEFAULT_TIMEOUT}. */
    public static Pusher of(VigilMetrics metrics, URI gateway) {
        return new Pusher(metrics.registry(), gateway, DEFAULT_JOB, localHostname(), DEFAULT_TIMEOUT);
    }

    /** Replaces this job/instance group on the gateway with the registry's current metrics. */
    public void push() throws IOException {
        try {
            gateway.push();
        } catch (IOException | RuntimeException e) {
            throw new IOException("push to " + url + " failed: " + e.getMessage(), e);
        }
    }

    /** Removes this job/instance group from the gateway. */
    public void delete() throws IOException {
        try {
            gateway.delete();
        } catch (IOException | RuntimeException e) {
            throw new IOException("delete of " + url + " failed: " + e.getMessage(), e);
        }
    }

    /** The group's URL on the gateway, as used in error messages. */
    public String url() {
        return url;
    }

    /** The kernel's host name (what {@code hostname} prints), or the JVM's idea of it off Linux. */
    public static String localHostname() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException e) {
            // not Linux: ask the JVM
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void requireLabel(String what, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("the Pushgateway " + what + " must not be empty");
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
