package dev.vigil.rollout;

import java.time.Duration;

/** One thing done on a host during its restart, in order. */
public sealed interface Step {

    /** A phrase for plans, events and messages: "stop cmsd@cluster.service (timeout 120s)". */
    String describe();

    /** Whether the step takes the host out of service: the safety rule is checked right before it. */
    default boolean takesDown() {
        return false;
    }

    /** {@code systemctl stop UNIT}, bounded by {@code timeout}. */
    record Stop(String unit, Duration timeout) implements Step {
        @Override
        public String describe() {
            return "stop " + unit + " (timeout " + Steps.shown(timeout) + ")";
        }

        @Override
        public boolean takesDown() {
            return true;
        }
    }

    /** {@code systemctl start UNIT}. */
    record Start(String unit, Duration timeout) implements Step {
        @Override
        public String describe() {
            return "start " + unit + " (timeout " + Steps.shown(timeout) + ")";
        }
    }

    /** {@code systemctl restart UNIT}. */
    record Restart(String unit, Duration timeout) implements Step {
        @Override
        public String describe() {
            return "restart " + unit + " (timeout " + Steps.shown(timeout) + ")";
        }

        @Override
        public boolean takesDown() {
            return true;
        }
    }

    /** A fixed wait. */
    record Wait(Duration duration) implements Step {
        @Override
        public String describe() {
            return "wait " + Steps.shown(duration);
        }
    }

    /**
     * Waits until no established TCP connection uses local {@code port} (transfers drained), at most {@code timeout};
     * then goes on either way: draining is bounded, as XRootDRestart's fixed wait was.
     */
    record UntilNoConnections(int port, Duration timeout, Duration interval) implements Step {
        @Override
        public String describe() {
            return "wait until no established connections on port " + port + " (at most " + Steps.shown(timeout) + ")";
        }
    }

    /** Waits until {@code command} exits 0 on the host; fails when it has not within {@code timeout}. */
    record UntilCommand(String command, Duration timeout, Duration interval) implements Step {
        @Override
        public String describe() {
            return "wait until '" + command + "' succeeds (at most " + Steps.shown(timeout) + ")";
        }
    }
}
