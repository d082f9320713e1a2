package dev.vigil.config;

import dev.vigil.fleet.ClassExpression;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One service as configured: how to control it ({@link DriverSpec}), how to recognise its process ({@link
 * IdentitySpec}), and what the daemon should do about it. Immutable; built only by the config loader, which has
 * already validated every value.
 *
 * @param name unique service name (letters, digits, {@code . _ -}; at most 64 characters)
 * @param origin where the service's table starts, for messages
 * @param enabled false: listed by {@code vigil list} but never started, stopped or repaired by Vigil
 * @param driver how the service is started, stopped and asked for its state
 * @param identity how Vigil recognises the service's process (pidfile, regex, scan)
 * @param autostart the daemon starts the service when it starts and finds it down
 * @param autorestart the daemon restarts the service when it dies
 * @param maxRestarts restarts allowed within the restart window before the daemon gives up for a while; 0 = unlimited
 * @param restartDelay minimum time between a failed start and the next attempt
 * @param successWait the started process must still be alive (and match) after this long for a start to succeed
 * @param termToKill grace between SIGTERM and SIGKILL when stopping
 * @param emailAlerts addresses that receive mail when the daemon starts or restarts the service
 * @param monitor health checks beyond "alive"
 * @param supervision confirmation, back-off, giving up, success exit codes, dependencies and groups
 * @param hosts the hosts of the inventory the service must run on (docs/fleet.md); empty: this host only
 */
public record ServiceConfig(
        String name,
        Origin origin,
        boolean enabled,
        DriverSpec driver,
        IdentitySpec identity,
        boolean autostart,
        boolean autorestart,
        int maxRestarts,
        Duration restartDelay,
        Duration successWait,
        Duration termToKill,
        List<String> emailAlerts,
        MonitorSpec monitor,
        SupervisionSpec supervision,
        Optional<ClassExpression> hosts) {

    public ServiceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(restartDelay, "restartDelay");
        Objects.requireNonNull(successWait, "successWait");
        Objects.requireNonNull(termToKill, "termToKill");
        Objects.requireNonNull(monitor, "monitor");
        Objects.requireNonNull(supervision, "supervision");
        Objects.requireNonNull(hosts, "hosts");
        emailAlerts = List.copyOf(emailAlerts);
    }

    /**
     * A service with every other setting at its documented default, as a loader would give for a table that sets
     * only the driver's keys (and the identity).
     */
    public static ServiceConfig of(String name, Origin origin, DriverSpec driver, IdentitySpec identity) {
        return new ServiceConfig(
                name,
                origin,
                true,
                driver,
                identity,
                true,
                true,
                0,
                Duration.ZERO,
                ServiceBuilder.SUCCESS_WAIT,
                ServiceBuilder.TERM_TO_KILL,
                List.of(),
                MonitorSpec.DEFAULTS,
                SupervisionSpec.DEFAULTS,
                Optional.empty());
    }

    /** The same service defined at another place: what a reload that only moved the table produces. */
    public ServiceConfig withOrigin(Origin newOrigin) {
        return new ServiceConfig(
                name,
                newOrigin,
                enabled,
                driver,
                identity,
                autostart,
                autorestart,
                maxRestarts,
                restartDelay,
                successWait,
                termToKill,
                emailAlerts,
                monitor,
                supervision,
                hosts);
    }

    /**
     * Whether this service runs here: one with a {@code hosts} expression runs on the fleet's hosts it selects, and
     * local commands and the local daemon leave it alone.
     */
    public boolean isLocal() {
        return hosts.isEmpty();
    }

    /** Why {@code all} and the daemon leave this service out, when they do; empty when it is acted on here. */
    public Optional<String> notHere() {
        if (!enabled) {
            return Optional.of("disabled (enabled = false at " + origin + ")");
        }
        return hosts.map(h -> "runs on the fleet hosts matching '" + h + "' (hosts at " + origin
                + "), not here; use vigil fleet status|check");
    }

    /** The driver's name as users write it in {@code driver = "..."}. */
    public String driverName() {
        return driver.name();
    }
}
