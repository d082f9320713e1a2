package dev.vigil.supervise;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * How the daemon reacts when a service is down. Defaults are in {@link #DEFAULTS} and documented in
 * docs/configuration.md.
 *
 * @param autostart start the service when the daemon finds it down without a reason to leave it down
 * @param autorestart restart it when it dies while the daemon watches
 * @param confirmations how many observations in a row must see it down before acting on a down seen by the sweep
 *     (CloudStack: 5); an exit seen through its pidfd is certain and acted on at once
 * @param confirmInterval time between those observations (CloudStack: 1 s)
 * @param restartDelay the first restart's delay, and the base of the back-off
 * @param backoffFactor each further restart waits this much longer than the one before
 * @param backoffCap no restart waits longer than this
 * @param stableAfter a service up this long is healthy again: the back-off starts over
 * @param maxRestarts restarts allowed within {@code restartWindow} before giving up; 0 = unlimited
 * @param restartWindow the window {@code maxRestarts} is counted in
 * @param giveUpFor how long to leave a given-up service alone before trying again; empty = until a person acts
 * @param successExitCodes exit codes that mean "do not restart me" (Ganeti's EXIT_NOTMASTER), known only for
 *     processes the daemon itself started
 */
public record RestartPolicy(
        boolean autostart,
        boolean autorestart,
        int confirmations,
        Duration confirmInterval,
        Duration restartDelay,
        double backoffFactor,
        Duration backoffCap,
        Duration stableAfter,
        int maxRestarts,
        Duration restartWindow,
        Optional<Duration> giveUpFor,
        Set<Integer> successExitCodes) {

    public static final RestartPolicy DEFAULTS = new RestartPolicy(
            true,
            true,
            1,
            Duration.ofSeconds(1),
            Duration.ZERO,
            2.0,
            Duration.ofMinutes(5),
            Duration.ofMinutes(1),
            5,
            Duration.ofMinutes(10),
            Optional.of(Duration.ofMinutes(30)),
            Set.of());

    /** The policy a service's configuration asks for (its keys and their defaults: docs/configuration.md). */
    public static RestartPolicy of(dev.vigil.config.ServiceConfig service) {
        dev.vigil.config.SupervisionSpec s = service.supervision();
        return new RestartPolicy(
                service.autostart(),
                service.autorestart(),
                s.confirm(),
                s.confirmInterval(),
                service.restartDelay(),
                s.backoffFactor(),
                s.backoffMax(),
                s.stableAfter(),
                service.maxRestarts(),
                s.restartWindow(),
                s.giveUpFor(),
                s.successExitCodes());
    }

    public RestartPolicy {
        if (confirmations < 1) {
            throw new IllegalArgumentException("confirmations must be at least 1: " + confirmations);
        }
        if (backoffFactor < 1.0) {
            throw new IllegalArgumentException("backoff factor must be at least 1: " + backoffFactor);
        }
        successExitCodes = Set.copyOf(successExitCodes);
    }

    /**
     * The wait before restart number {@code step} (0-based since the service was last stable): restart_delay for
     * the first, then growing by the factor from at least one second, never above the cap.
     */
    public Duration delayBefore(int step) {
        if (step == 0) {
            return restartDelay;
        }
        long baseMillis = Math.max(restartDelay.toMillis(), 1000);
        double millis = baseMillis * Math.pow(backoffFactor, step - 1);
        return millis >= backoffCap.toMillis() ? backoffCap : Duration.ofMillis((long) millis);
    }
}
