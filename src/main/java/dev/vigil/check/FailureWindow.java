package dev.vigil.check;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;

/**
 * The recent failures of one check of one service, against its {@link CheckSpec.Tolerance}: it trips at the N-th
 * failure within M, counting only failures since the last success (a success resets it). A failure exactly M old still
 * counts. Time comes from {@code nanoTime}, a monotonic clock, so tests move a fake one.
 *
 * <p>Not thread-safe: owned by the supervisor of the service, like the rest of its state.
 */
public final class FailureWindow {

    /** What the latest result means for the service. */
    public sealed interface Verdict {
        /** Healthy, and it had not tripped. */
        record Passing(String detail) implements Verdict {}

        /** Failed, but fewer than {@code needed} failures within the window: tolerated for now. */
        record Failing(int failures, int needed, String why) implements Verdict {}

        /** The tolerance is exceeded: restart or alert. Stays tripped while failures go on. */
        record Tripped(String message) implements Verdict {}

        /** Healthy again after having tripped: an alert can resolve. */
        record Recovered(String detail) implements Verdict {}
    }

    private final CheckSpec.Tolerance tolerance;
    private final LongSupplier nanoTime;
    private final Deque<Long> failures = new ArrayDeque<>();
    private boolean tripped;

    public FailureWindow(CheckSpec.Tolerance tolerance, LongSupplier nanoTime) {
        this.tolerance = tolerance;
        this.nanoTime = nanoTime;
    }

    /** Records one result, now. */
    public Verdict record(CheckResult result) {
        return switch (result) {
            case CheckResult.Healthy(String detail) -> {
                boolean wasTripped = tripped;
                reset();
                yield wasTripped ? new Verdict.Recovered(detail) : new Verdict.Passing(detail);
            }
            case CheckResult.Unhealthy(String why) -> failed(why);
        };
    }

    /** Forgets every failure, as after a restart of the service. */
    public void reset() {
        failures.clear();
        tripped = false;
    }

    /** Failures within the window now. */
    public int failures() {
        expire(nanoTime.getAsLong());
        return failures.size();
    }

    private Verdict failed(String why) {
        long now = nanoTime.getAsLong();
        failures.addLast(now);
        expire(now);
        int count = failures.size();
        if (count < tolerance.failures()) {
            return new Verdict.Failing(count, tolerance.failures(), why);
        }
        tripped = true;
        if (tolerance.failures() == 1) {
            return new Verdict.Tripped(why);
        }
        return new Verdict.Tripped(
                count + " failures within " + Describe.duration(tolerance.within()) + ": last: " + why);
    }

    private void expire(long now) {
        long within = tolerance.within().toNanos();
        while (!failures.isEmpty() && now - failures.peekFirst() > within) {
            failures.removeFirst();
        }
    }

    /** The window's length, for messages of callers. */
    public Duration within() {
        return tolerance.within();
    }
}
