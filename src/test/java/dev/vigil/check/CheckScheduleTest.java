package dev.vigil.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which checks are due, on a fake clock. */
class CheckScheduleTest {
    private final AtomicLong nanos = new AtomicLong(42);
    private final CheckSpec port = new CheckSpec.Tcp(common("port", 10), "127.0.0.1", 8080);
    private final CheckSpec page = new CheckSpec.Http(common("page", 30), URI.create("http://127.0.0.1:8080/"));

    private static CheckSpec.Common common(String name, int intervalSeconds) {
        return CheckSpec.Common.defaults(name).every(Duration.ofSeconds(intervalSeconds), Duration.ofSeconds(1));
    }

    private void advance(int seconds) {
        nanos.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }

    private CheckSchedule schedule(Duration monitorAfter) {
        return new CheckSchedule(List.of(port, page), monitorAfter, nanos::get);
    }

    @Test
    void nothingIsDue_untilTheProcessHasRunMonitorAfter() {
        CheckSchedule schedule = schedule(Duration.ofSeconds(30));

        assertThat(schedule.takeDue(Duration.ofSeconds(29))).isEmpty();
        assertThat(schedule.nextDue(Duration.ofSeconds(29))).contains(Duration.ofSeconds(1));
        assertThat(schedule.takeDue(Duration.ofSeconds(30))).containsExactly(port, page);
    }

    @Test
    void eachCheck_isDueAgainAfterItsOwnInterval() {
        CheckSchedule schedule = schedule(Duration.ZERO);
        Duration age = Duration.ofHours(1);
        assertThat(schedule.takeDue(age)).containsExactly(port, page);
        assertThat(schedule.takeDue(age)).isEmpty();
        assertThat(schedule.nextDue(age)).contains(Duration.ofSeconds(10));

        advance(10);
        assertThat(schedule.takeDue(age)).containsExactly(port);
        advance(10);
        assertThat(schedule.takeDue(age)).containsExactly(port);
        advance(10);
        assertThat(schedule.takeDue(age)).containsExactly(port, page);
    }

    @Test
    void aLateSweep_runsEachCheckOnce_andCountsTheNextIntervalFromThen() {
        CheckSchedule schedule = schedule(Duration.ZERO);
        schedule.takeDue(Duration.ZERO);
        advance(95);

        assertThat(schedule.takeDue(Duration.ofSeconds(95))).containsExactly(port, page);
        assertThat(schedule.takeDue(Duration.ofSeconds(95))).isEmpty();
        advance(10);
        assertThat(schedule.takeDue(Duration.ofSeconds(105))).containsExactly(port);
    }

    @Test
    void reset_makesEveryCheckDueAgain_afterMonitorAfter() {
        CheckSchedule schedule = schedule(Duration.ofSeconds(5));
        schedule.takeDue(Duration.ofMinutes(10));
        schedule.reset();

        assertThat(schedule.takeDue(Duration.ofSeconds(1)))
                .as("the restarted process is young")
                .isEmpty();
        assertThat(schedule.takeDue(Duration.ofSeconds(5))).containsExactly(port, page);
    }

    @Test
    void noChecks_meansNothingIsEverDue() {
        CheckSchedule schedule = new CheckSchedule(List.of(), Duration.ZERO, nanos::get);

        assertThat(schedule.nextDue(Duration.ZERO)).isEmpty();
        assertThat(schedule.takeDue(Duration.ZERO)).isEmpty();
    }

    @Test
    void duplicateNames_areRejected() {
        CheckSpec again = new CheckSpec.Tcp(common("port", 5), "127.0.0.1", 9090);

        assertThatThrownBy(() -> new CheckSchedule(List.of(port, again), Duration.ZERO, nanos::get))
                .hasMessage("check names must be unique within a service: 'port' appears twice");
    }
}
