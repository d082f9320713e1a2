package dev.vigil.store;

import java.time.Instant;
import java.util.Optional;

/**
 * One host of a rollout: when it is next due, and whether a restart of it is under way (and at which step).
 *
 * @param step with {@code inProgress}, the index of the step about to run or running when this was written
 * @param startedAt when its current (or last) restart began
 * @param lastError why its last restart failed; empty when it did not
 */
public record RolloutHostRecord(
        String rollout,
        String host,
        Instant nextDue,
        boolean inProgress,
        int step,
        Optional<Instant> startedAt,
        Optional<Instant> lastSuccess,
        String lastError) {

    public RolloutHostRecord withStep(int step) {
        return new RolloutHostRecord(rollout, host, nextDue, true, step, startedAt, lastSuccess, lastError);
    }
}
