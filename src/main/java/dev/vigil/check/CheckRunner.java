package dev.vigil.check;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one check on its own virtual thread and waits a bounded time for it.
 *
 * <p>Concurrency: each {@link #run} starts one virtual thread named {@code check-SERVICE-NAME} and blocks the caller
 * for at most {@code timeout + }{@link #GRACE}. The grace lets a check that honours its timeout report its own, more
 * precise, reason ("connect to host:port timed out after 2s"). Past it the thread is interrupted and abandoned: the
 * caller gets "timed out after 2s" at once, and the thread is counted in {@link #runaways()} until it ends, so a check
 * that ignores interruption shows up in metrics instead of piling up unseen. Thread-safe.
 */
public final class CheckRunner {
    /** How long past the timeout the runner waits for a check's own answer. */
    public static final Duration GRACE = Duration.ofMillis(250);

    private final AtomicInteger runaways = new AtomicInteger();

    /** Runs {@code check} with the timeout of {@code spec}; never throws, never waits longer than timeout + grace. */
    public CheckResult run(CheckSpec spec, Check check, CheckTarget target) {
        return run(spec.name(), check, target, spec.common().timeout());
    }

    /** Runs {@code check}, named {@code name} in its thread and messages, for at most {@code timeout} + grace. */
    public CheckResult run(String name, Check check, CheckTarget target, Duration timeout) {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual()
                .name("check-" + target.service() + "-" + name)
                .start(() -> result.complete(runCatching(check, target)));
        try {
            return result.get(timeout.plus(GRACE).toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(thread, result);
            return new CheckResult.Unhealthy("timed out after " + Describe.duration(timeout));
        } catch (InterruptedException e) {
            abandon(thread, result);
            Thread.currentThread().interrupt();
            return new CheckResult.Unhealthy("interrupted while waiting for the check");
        } catch (ExecutionException e) {
            // runCatching completes normally; kept for the compiler
            return new CheckResult.Unhealthy("check failed: " + Describe.failure(e.getCause()));
        }
    }

    /** Checks that were abandoned after their timeout and are still running. */
    public int runaways() {
        return runaways.get();
    }

    private void abandon(Thread thread, CompletableFuture<CheckResult> result) {
        runaways.incrementAndGet();
        result.whenComplete((r, t) -> runaways.decrementAndGet());
        thread.interrupt();
    }

    private static CheckResult runCatching(Check check, CheckTarget target) {
        try {
            CheckResult result = check.run(target);
            return result != null ? result : new CheckResult.Unhealthy("check returned no result");
        } catch (Throwable t) {
            return new CheckResult.Unhealthy(
                    "check failed: " + t.getClass().getSimpleName() + ": " + Describe.failure(t));
        }
    }
}
