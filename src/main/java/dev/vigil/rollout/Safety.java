package dev.vigil.rollout;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The safety rule, decided on health observed on every host right before a step takes one down: the hosts that stay
 * healthy (healthy now, not the one about to go down, not one already being restarted) must be at least
 * {@code min_ok}. Nothing is inferred or remembered: a host down for any reason counts as down.
 */
public final class Safety {
    private Safety() {}

    /** Empty when {@code target} may go down; else why not, in words for the alert. */
    public static Optional<String> refusal(
            List<HostHealth> observed, String target, Collection<String> inProgress, int minOk) {
        long remaining = observed.stream()
                .filter(HostHealth::healthy)
                .filter(h -> !h.host().equals(target) && !inProgress.contains(h.host()))
                .count();
        if (remaining >= minOk) {
            return Optional.empty();
        }
        List<String> down = observed.stream()
                .filter(h -> !h.healthy())
                .map(h -> h.host() + " (" + h.detail() + ")")
                .toList();
        return Optional.of("taking " + target + " down would leave " + remaining + " healthy host"
                + (remaining == 1 ? "" : "s") + " of " + observed.size() + ", fewer than min_ok = " + minOk
                + (down.isEmpty() ? "" : "; not healthy: " + String.join(", ", down)));
    }
}
