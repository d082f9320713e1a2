package dev.vigil.rollout;

import dev.vigil.fleet.ClassExpression;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code [rollout.NAME]} table (docs/rollouts.md): which hosts are restarted, the steps done on each, the health
 * gate after them, the safety rule and what happens on failure. A preset's steps are already expanded here.
 *
 * @param period each host once per period, staggered over it
 * @param windows allowed time windows (local time); empty = any time
 * @param healthy the units that must all be active for a host to count healthy
 * @param manager redirector host(s) where the host's re-subscription is verified after its restart
 * @param retries tries again, with back-off, a step whose host could not be reached
 * @param scheduled whether the daemon runs it on its schedule ({@code schedule}); false: only {@code vigil rollout
 *     run} does
 */
public record RolloutSpec(
        String name,
        Optional<String> preset,
        ClassExpression hosts,
        Duration period,
        List<Window> windows,
        int maxParallel,
        int minOk,
        List<String> healthy,
        OnFailure onFailure,
        Duration stayHealthy,
        Duration healthDeadline,
        int retries,
        NotStopping notStopping,
        List<Step> steps,
        Optional<ClassExpression> manager,
        boolean scheduled) {

    /** XRootDRestart's cmsd_period. */
    public static final Duration PERIOD = Duration.ofDays(3);

    public static final Duration STAY_HEALTHY = Duration.ofSeconds(30);
    public static final Duration HEALTH_DEADLINE = Duration.ofMinutes(5);
    public static final int RETRIES = 3;

    /** After a failed step: wait for a person, or go on at the next allowed window. */
    public enum OnFailure {
        PAUSE,
        NEXT_WINDOW
    }

    /** A unit that does not stop within its timeout: alert NeedsReboot and stop, or kill it and go on. */
    public enum NotStopping {
        ALERT,
        KILL
    }

    public RolloutSpec {
        Objects.requireNonNull(name, "name");
        windows = List.copyOf(windows);
        healthy = List.copyOf(healthy);
        steps = List.copyOf(steps);
    }

    /** Whether the rollout may work at {@code at}. */
    public boolean allowed(java.time.ZonedDateTime at) {
        return windows.isEmpty() || windows.stream().anyMatch(w -> w.contains(at));
    }
}
