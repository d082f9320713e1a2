package dev.vigil.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runner's bound: the caller gets an answer in time, whatever the check does. */
class CheckRunnerTest {
    private final CheckRunner runner = new CheckRunner();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CheckTarget target = CheckTarget.withoutProcess("web");

    @AfterEach
    void releaseBlockedChecks() {
        release.countDown();
    }

    /** Blocks until the test ends, swallowing every interrupt: the worst a check can do. */
    private CheckResult blockForever(CheckTarget ignored) {
        while (true) {
            try {
                release.await();
                return new CheckResult.Healthy("released");
            } catch (InterruptedException e) {
                // ignores interruption on purpose
            }
        }
    }

    @Test
    void checkThatBlocksForeverAndIgnoresInterrupts_isUnhealthyAfterTimeoutPlusGrace_andCountedAsRunaway() {
        Duration timeout = Duration.ofMillis(200);
        long began = System.nanoTime();

        CheckResult result = runner.run("stuck", this::blockForever, target, timeout);

        Duration waited = Duration.ofNanos(System.nanoTime() - began);
        assertThat(result).isEqualTo(new CheckResult.Unhealthy("timed out after 200ms"));
        assertThat(waited)
                .isGreaterThanOrEqualTo(timeout)
                .isLessThan(timeout.plus(CheckRunner.GRACE).plusSeconds(1));
        assertThat(runner.runaways()).isEqualTo(1);

        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> runner.runaways() == 0);
    }

    @Test
    void checkThatThrows_isUnhealthyWithTheException() {
        CheckResult result = runner.run(
                "broken",
                t -> {
                    throw new IllegalStateException("no such thing");
                },
                target,
                Duration.ofSeconds(1));

        assertThat(result).isEqualTo(new CheckResult.Unhealthy("check failed: IllegalStateException: no such thing"));
    }

    @Test
    void checkResult_isPassedThrough_onANamedVirtualThread() {
        CheckResult result = runner.run(
                "thread",
                t -> new CheckResult.Healthy(Thread.currentThread().getName() + " virtual="
                        + Thread.currentThread().isVirtual()),
                target,
                Duration.ofSeconds(1));

        assertThat(result).isEqualTo(new CheckResult.Healthy("check-web-thread virtual=true"));
        assertThat(runner.runaways()).isZero();
    }

    @Test
    void specTimeout_isUsed() {
        CheckSpec spec = new CheckSpec.Tcp(
                CheckSpec.Common.defaults("port").every(Duration.ofSeconds(1), Duration.ofMillis(100)), "127.0.0.1", 1);

        assertThat(runner.run(spec, this::blockForever, target))
                .isEqualTo(new CheckResult.Unhealthy("timed out after 100ms"));
    }
}
