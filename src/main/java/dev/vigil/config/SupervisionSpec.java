package dev.vigil.config;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the daemon supervises a service beyond start and restart: when a down is believed, how restarts back off, when
 * it gives up, and how the service relates to others. docs/configuration.md ("How the daemon decides") explains them.
 *
 * @param confirm sweep observations in a row that must see the service down before the daemon acts (CloudStack: 5);
 *     an exit the daemon sees itself needs no confirmation
 * @param confirmInterval time between those observations
 * @param backoffFactor each restart after the first waits this many times longer than the one before
 * @param backoffMax no restart waits longer than this
 * @param stableAfter up this long, the service is healthy again: the back-off starts over
 * @param restartWindow the window {@link ServiceConfig#maxRestarts()} is counted in
 * @param giveUpFor how long a given-up service is left alone before the daemon tries again; empty = until
 *     {@code vigil reset}
 * @param successExitCodes exits with these codes are not restarted (Ganeti's EXIT_NOTMASTER); sorted
 * @param requires services that must run for this one to be started
 * @param after services started before this one when both are started together
 * @param groups groups the service belongs to ({@code group:NAME} on the command line)
 */
public record SupervisionSpec(
        int confirm,
        Duration confirmInterval,
        double backoffFactor,
        Duration backoffMax,
        Duration stableAfter,
        Duration restartWindow,
        Optional<Duration> giveUpFor,
        Set<Integer> successExitCodes,
        List<String> requires,
        List<String> after,
        List<String> groups) {

    /** Named defaults, each with its unit (STYLE.md #8). */
    static final Duration CONFIRM_INTERVAL = Duration.ofSeconds(1);

    static final double BACKOFF_FACTOR = 2.0;
    static final Duration BACKOFF_MAX = Duration.ofMinutes(5);
    static final Duration STABLE_AFTER = Duration.ofMinutes(1);
    static final Duration RESTART_WINDOW = Duration.ofMinutes(10);
    static final Duration GIVE_UP_FOR = Duration.ofMinutes(30);

    /** What a service that sets none of these keys gets. */
    public static final SupervisionSpec DEFAULTS = new SupervisionSpec(
            1,
            CONFIRM_INTERVAL,
            BACKOFF_FACTOR,
            BACKOFF_MAX,
            STABLE_AFTER,
            RESTART_WINDOW,
            Optional.of(GIVE_UP_FOR),
            Set.of(),
            List.of(),
            List.of(),
            List.of());

    public SupervisionSpec {
        if (confirm < 1) {
            throw new IllegalArgumentException("confirm must be at least 1, got " + confirm);
        }
        if (!(backoffFactor >= 1.0)) {
            throw new IllegalArgumentException("backoff_factor must be at least 1.0, got " + backoffFactor);
        }
        Objects.requireNonNull(confirmInterval, "confirmInterval");
        Objects.requireNonNull(backoffMax, "backoffMax");
        Objects.requireNonNull(stableAfter, "stableAfter");
        Objects.requireNonNull(restartWindow, "restartWindow");
        Objects.requireNonNull(giveUpFor, "giveUpFor");
        successExitCodes = Collections.unmodifiableSortedSet(new TreeSet<>(successExitCodes));
        requires = List.copyOf(requires);
        after = List.copyOf(after);
        groups = List.copyOf(groups);
    }

    /** Every service this one names in {@code requires} or {@code after}, each once, in that order. */
    public List<String> dependencies() {
        return java.util.stream.Stream.concat(requires.stream(), after.stream())
                .distinct()
                .toList();
    }
}
