package dev.vigil.metrics;

import dev.vigil.supervise.Phase;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.core.metrics.StatefulMetric;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every metric Vigil exports, in a registry of its own (never client_java's default registry, so nothing else in
 * the JVM leaks into Vigil's output and tests can create as many as they like). Thread-safe: the engine updates it
 * while {@link MetricsServer} or {@link Pusher} reads it.
 *
 * <p>Labels stay bounded: {@code service} and {@code check} come from the config, {@code host} from the inventory,
 * {@code state} from {@link Phase} and {@code reason} from {@link RestartReason}. No pid, message or time is ever a
 * label. Series of a service that left the config are removed by {@link #update}.
 *
 * <p>{@code host} is {@link #LOCAL_HOST} (the empty string, which Prometheus treats as an absent label) for local
 * services: the scrape's {@code instance} label (or the Pushgateway grouping key) already says which machine it is,
 * and a renamed machine does not start new series. Fleet services carry the inventory host name.
 */
public final class VigilMetrics {
    /** The {@code host} label value of a local service. */
    public static final String LOCAL_HOST = "";

    /**
     * Upper bounds of vigil_detection_to_restart_seconds: from a pidfd exit event (milliseconds) to a confirmed
     * failure with back-off (tens of seconds).
     */
    static final double[] DETECTION_BUCKETS = {
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60
    };

    private static final String SERVICE = "service";
    private static final String HOST = "host";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final InstantSource clock;

    private final Gauge heartbeat;
    private final Gauge serviceUp;
    private final Gauge serviceState;
    private final Gauge desiredRunning;
    private final Gauge givenUp;
    private final Counter restarts;
    private final Counter restartFailures;
    private final Counter checksFailed;
    private final Counter replaced;
    private final Gauge lastRestart;
    private final Histogram detectionToRestart;
    private final Gauge fleetHostUp;
    private final Gauge fleetCheckDuration;
    /** Every metric with (service, host) as its first two labels. */
    private final List<StatefulMetric<?, ?>> perServiceHost;

    private final Set<ServiceKey> known = new HashSet<>();

    private record ServiceKey(String service, String host) {}

    /** Metrics of a Vigil of {@code version}, timestamps from the system clock. */
    public VigilMetrics(String version) {
        this(version, InstantSource.system());
    }

    /** Metrics of a Vigil of {@code version}; {@code clock} stamps vigil_last_restart_timestamp_seconds. */
    public VigilMetrics(String version, InstantSource clock) {
        Objects.requireNonNull(version, "version");
        this.clock = Objects.requireNonNull(clock, "clock");

        Gauge.builder()
                .name("vigil_up")
                .help("1 while the Vigil process is running and serving metrics")
                .register(registry)
                .set(1);
        Info.builder()
                .name("vigil_build_info")
                .help("The running Vigil's version; the value is always 1")
                .labelNames("version")
                .register(registry)
                .setLabelValues(version);
        heartbeat = Gauge.builder()
                .name("vigil_heartbeat_timestamp_seconds")
                .help("When the engine last completed a tick, in seconds since the epoch")
                .register(registry);

        serviceUp = gauge("vigil_service_up", "1 if the service is running, 0 if not");
        serviceState = Gauge.builder()
                .name("vigil_service_state")
                .help("The engine's phase of the service: 1 for the current state, 0 for the others")
                .labelNames(SERVICE, HOST, "state")
                .register(registry);
        desiredRunning = gauge("vigil_service_desired_running", "1 if config or a person wants the service running");
        givenUp = gauge(
                "vigil_service_given_up", "1 while the daemon has given up on the service (restart limit reached)");
        restarts = Counter.builder()
                .name("vigil_restarts_total")
                .help("Restarts the daemon performed, by reason")
                .labelNames(SERVICE, HOST, "reason")
                .withoutExemplars()
                .register(registry);
        restartFailures = Counter.builder()
                .name("vigil_restart_failures_total")
                .help("Starts or restarts that did not bring the service up")
                .labelNames(SERVICE, HOST)
                .withoutExemplars()
                .register(registry);
        replaced = Counter.builder()
                .name("vigil_external_restarts_total")
                .help("Restarts Vigil saw but did not perform: a new process under the service, as systemd's"
                        + " Restart= or a person makes")
                .labelNames(SERVICE, HOST)
                .withoutExemplars()
                .register(registry);
        checksFailed = Counter.builder()
                .name("vigil_checks_failed_total")
                .help("Health check runs that failed, by check")
                .labelNames(SERVICE, HOST, "check")
                .withoutExemplars()
                .register(registry);
        lastRestart = gauge(
                "vigil_last_restart_timestamp_seconds",
                "When the daemon last restarted the service, in seconds since the epoch");
        detectionToRestart = Histogram.builder()
                .name("vigil_detection_to_restart_seconds")
                .help("Time from detecting a failure to the restarted service being up")
                .labelNames(SERVICE)
                .classicOnly()
                .classicUpperBounds(DETECTION_BUCKETS)
                .withoutExemplars()
                .register(registry);
        fleetHostUp = Gauge.builder()
                .name("vigil_fleet_host_up")
                .help("1 if the fleet host was reachable at the daemon's last fleet check, 0 if not")
                .labelNames(HOST)
                .register(registry);
        fleetCheckDuration = Gauge.builder()
                .name("vigil_fleet_check_duration_seconds")
                .help("How long the daemon's last fleet check took")
                .register(registry);
        perServiceHost = List.of(
                serviceUp,
                serviceState,
                desiredRunning,
                givenUp,
                restarts,
                restartFailures,
                replaced,
                checksFailed,
                lastRestart);
    }

    private Gauge gauge(String name, String help) {
        return Gauge.builder().name(name).help(help).labelNames(SERVICE, HOST).register(registry);
    }

    /** The registry holding every Vigil metric, for {@link MetricsServer}, {@link Pusher} or another exporter. */
    public PrometheusRegistry registry() {
        return registry;
    }

    /** The engine completed a tick at {@code now}. Call on every tick, even with nothing to do. */
    public void heartbeat(Instant now) {
        heartbeat.set(epochSeconds(now));
    }

    /**
     * The state of every service after a tick; pass every service, every time. A service missing from the list
     * loses all its series (a service removed from the config is not "down" forever); the histogram keeps a
     * service's series while any host still has that service.
     */
    public synchronized void update(List<ServiceSample> samples) {
        Set<ServiceKey> now = new HashSet<>();
        for (ServiceSample s : samples) {
            ServiceKey key = new ServiceKey(s.service(), s.host());
            now.add(key);
            if (!known.contains(key)) {
                initCounters(s.service(), s.host());
            }
            serviceUp.labelValues(s.service(), s.host()).set(s.up() ? 1 : 0);
            for (Phase p : Phase.values()) {
                serviceState.labelValues(s.service(), s.host(), p.label()).set(p == s.phase() ? 1 : 0);
            }
            desiredRunning.labelValues(s.service(), s.host()).set(s.desiredRunning() ? 1 : 0);
            givenUp.labelValues(s.service(), s.host()).set(s.givenUp() ? 1 : 0);
        }
        known.clear();
        known.addAll(now);
        removeAllBut(now);
    }

    /** Counters start at 0 so that the first restart is an increase() Prometheus can see. */
    private void initCounters(String service, String host) {
        for (RestartReason r : RestartReason.values()) {
            restarts.initLabelValues(service, host, r.label());
        }
        restartFailures.initLabelValues(service, host);
        replaced.initLabelValues(service, host);
    }

    /** Removes every series of a service not in {@code keep}, including those only restarted() etc. created. */
    private void removeAllBut(Set<ServiceKey> keep) {
        for (StatefulMetric<?, ?> metric : perServiceHost) {
            metric.removeIf(labels -> !keep.contains(new ServiceKey(labels.get(0), labels.get(1))));
        }
        Set<String> services = keep.stream().map(ServiceKey::service).collect(Collectors.toSet());
        detectionToRestart.removeIf(labels -> !services.contains(labels.get(0)));
    }

    /**
     * The daemon restarted {@code service} for {@code reason} and it came up {@code detectionToRestart} after the
     * failure was detected (zero when there was no failure, as for a person's restart).
     */
    public void restarted(String service, String host, RestartReason reason, Duration detectionToRestart) {
        restarts.labelValues(service, host, reason.label()).inc();
        lastRestart.labelValues(service, host).set(epochSeconds(clock.instant()));
        this.detectionToRestart.labelValues(service).observe(seconds(detectionToRestart));
    }

    /**
     * The daemon's fleet check finished a pass: which hosts answered (every host of the fleet, every time; a host
     * missing from {@code hostsUp} loses its series) and how long the pass took.
     */
    public synchronized void fleetChecked(java.util.Map<String, Boolean> hostsUp, Duration took) {
        hostsUp.forEach((host, up) -> fleetHostUp.labelValues(host).set(up ? 1 : 0));
        fleetHostUp.removeIf(labels -> !hostsUp.containsKey(labels.get(0)));
        fleetCheckDuration.set(seconds(took));
    }

    /** A start or restart of {@code service} did not bring it up. */
    public void restartFailed(String service, String host) {
        restartFailures.labelValues(service, host).inc();
    }

    /** Something other than Vigil restarted {@code service} (its process was replaced while it was up). */
    public void replaced(String service, String host) {
        replaced.labelValues(service, host).inc();
    }

    /** The health check named {@code check} (as in the config) of {@code service} failed. */
    public void checkFailed(String service, String host, String check) {
        checksFailed.labelValues(service, host, check).inc();
    }

    /** Everything in the Prometheus text format (0.0.4), as a scrape would see it. */
    public String text() {
        return text(registry);
    }

    /** Everything {@code registry} holds, in the Prometheus text format (0.0.4). */
    public static String text(PrometheusRegistry registry) {
        var out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape(), EscapingScheme.DEFAULT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static double epochSeconds(Instant t) {
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    private static double seconds(Duration d) {
        return d.isNegative() ? 0 : d.toNanos() / 1e9;
    }
}
