package dev.vigil.rollout;

import dev.vigil.config.VigilConfig;
import dev.vigil.control.Alerting;
import dev.vigil.fleet.OpenFleet;
import dev.vigil.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a command needs to work on one rollout, open until closed: the store, the fleet's SSH connections, the alert
 * sinks and the engine on them.
 */
public final class RolloutSession implements AutoCloseable {
    private static final Duration ALERT_DRAIN = Duration.ofSeconds(5);

    private final Store store;
    private final OpenFleet fleet;
    private final Optional<Alerting> alerting;
    private final List<String> sinks;
    private final RolloutEngine engine;
    private final RolloutAlerts alerts;

    private RolloutSession(VigilConfig config, RolloutSpec spec, boolean sendAlerts, Consumer<String> log) {
        Path stateDir = config.settings().stateDir();
        // a read-only command creates neither the state directory nor the database: with none, nothing ever ran
        this.store = sendAlerts
                ? Store.open(stateDir.resolve("state.db"))
                : Store.openIfExists(stateDir.resolve("state.db"));
        this.fleet = OpenFleet.overSsh(config);
        InstantSource clock = InstantSource.system();
        this.alerting = sendAlerts
                ? Optional.of(new Alerting(
                        config.settings().alerts(), store, clock, dev.vigil.metrics.Pusher.localHostname()))
                : Optional.empty();
        this.sinks = List.copyOf(config.settings().alerts().sinks().keySet());
        this.alerts = new RolloutAlerts(spec.name(), store, alerting, clock);
        RolloutMetrics metrics = new RolloutMetrics(
                spec.name(),
                store,
                sendAlerts ? Optional.of(RolloutMetrics.file(stateDir, spec.name())) : Optional.empty());
        this.engine = new RolloutEngine(
                spec,
                config.inventory(),
                fleet.shells(),
                store,
                alerts,
                clock,
                ZoneId.systemDefault(),
                Sleeper.REAL,
                log,
                metrics);
    }

    /**
     * @param sendAlerts false for read-only commands (a dry run, a status): they fire nothing, write no metrics and
     *     create no state (without a state database they read an empty one)
     */
    public static RolloutSession open(VigilConfig config, RolloutSpec spec, boolean sendAlerts, Consumer<String> log) {
        return new RolloutSession(config, spec, sendAlerts, log);
    }

    public RolloutEngine engine() {
        return engine;
    }

    public Store store() {
        return store;
    }

    public RolloutAlerts alerts() {
        return alerts;
    }

    @Override
    public void close() {
        alerting.ifPresent(a -> {
            a.drain(ALERT_DRAIN, sinks);
            a.close();
        });
        fleet.close();
        store.close();
    }
}
