package dev.vigil.rollout;

import java.util.List;

/**
 * How a run of a rollout ended.
 *
 * @param outcome what happened, for the exit status
 * @param restarted the hosts restarted (and found healthy) in this run, in order
 */
public record RunResult(Outcome outcome, List<String> restarted, String message) {
    public enum Outcome {
        /** Every host asked for was restarted, or none was due. */
        DONE,
        /** Paused (now or before): a person must resume it, or it waits for the next window. */
        PAUSED,
        /** The safety rule kept a host from going down; nothing is paused, a later run tries again. */
        REFUSED,
        /** A step or the health gate failed; the rollout is now paused. */
        FAILED,
        /**
         * Stopped at a step boundary because the controller is stopping (the daemon's SIGTERM): a host may be left
         * half-done, journalled, and the next run completes it first.
         */
        HALTED
    }

    public RunResult {
        restarted = List.copyOf(restarted);
    }
}
