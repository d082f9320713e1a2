package dev.vigil.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.check.FailureWindow.Verdict;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The tolerance window on a fake clock: no real time passes in these tests. */
class FailureWindowTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private FailureWindow window(int failures, Duration within) {
        return new FailureWindow(new CheckSpec.Tolerance(failures, within), nanos::get);
    }

    private static CheckResult refused() {
        return new CheckResult.Unhealthy("connect to 127.0.0.1:8080 refused");
    }

    @Test
    void threeFailuresWithinAMinute_trip_withCountWindowAndLastReason() {
        FailureWindow window = window(3, Duration.ofMinutes(1));

        assertThat(window.record(refused())).isEqualTo(new Verdict.Failing(1, 3, "connect to 127.0.0.1:8080 refused"));
        advance(Duration.ofSeconds(20));
        assertThat(window.record(refused())).isEqualTo(new Verdict.Failing(2, 3, "connect to 127.0.0.1:8080 refused"));
        advance(Duration.ofSeconds(20));

        assertThat(window.record(refused()))
                .isEqualTo(new Verdict.Tripped("3 failures within 1m: last: connect to 127.0.0.1:8080 refused"));
    }

    @Test
    void failuresOlderThanTheWindow_expire() {
        FailureWindow window = window(3, Duration.ofMinutes(1));
        window.record(refused());
        advance(Duration.ofSeconds(40));
        window.record(refused());
        advance(Duration.ofSeconds(21)); // the first is now 61s old

        assertThat(window.record(refused())).isEqualTo(new Verdict.Failing(2, 3, "connect to 127.0.0.1:8080 refused"));
        assertThat(window.failures()).isEqualTo(2);
        advance(Duration.ofMinutes(2));
        assertThat(window.failures()).isZero();
    }

    @Test
    void failureExactlyWithinOld_stillCounts() {
        FailureWindow window = window(2, Duration.ofSeconds(30));
        window.record(refused());
        advance(Duration.ofSeconds(30));

        assertThat(window.record(refused())).isInstanceOf(Verdict.Tripped.class);
    }

    @Test
    void success_resetsTheCount_andRecoveryIsReportedOnlyAfterATrip() {
        FailureWindow window = window(2, Duration.ofMinutes(1));
        window.record(refused());

        assertThat(window.record(new CheckResult.Healthy("connected"))).isEqualTo(new Verdict.Passing("connected"));
        assertThat(window.record(refused())).isInstanceOf(Verdict.Failing.class);
        assertThat(window.record(refused())).isInstanceOf(Verdict.Tripped.class);
        assertThat(window.record(refused()))
                .as("stays tripped while failures go on")
                .isEqualTo(new Verdict.Tripped("3 failures within 1m: last: connect to 127.0.0.1:8080 refused"));
        assertThat(window.record(new CheckResult.Healthy("connected"))).isEqualTo(new Verdict.Recovered("connected"));
        assertThat(window.failures()).isZero();
        assertThat(window.record(new CheckResult.Healthy("connected"))).isEqualTo(new Verdict.Passing("connected"));
    }

    @Test
    void defaultTolerance_tripsAtFirstFailure_withTheBareReason() {
        FailureWindow window = new FailureWindow(CheckSpec.Tolerance.firstFailure(Duration.ofSeconds(30)), nanos::get);

        assertThat(window.record(refused())).isEqualTo(new Verdict.Tripped("connect to 127.0.0.1:8080 refused"));
    }

    @Test
    void reset_forgetsFailures_asAfterARestart() {
        FailureWindow window = window(2, Duration.ofMinutes(1));
        window.record(refused());
        window.reset();

        assertThat(window.record(refused())).isInstanceOf(Verdict.Failing.class);
    }
}
