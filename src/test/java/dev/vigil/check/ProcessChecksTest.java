package dev.vigil.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.process.ProcessInfo;
import dev.vigil.process.linux.ProcFs;
import dev.vigil.shell.LocalShell;
import dev.vigil.testing.TestPrograms;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RSS and CPU checks against real processes that the tests start and kill. */
class ProcessChecksTest {
    private static final long GIB = 1024L * 1024 * 1024;
    private static final List<String> SPIN = List.of("/bin/sh", "-c", "while :; do :; done");

    @TempDir
    Path dir;

    private TestPrograms programs;

    @BeforeEach
    void setUp() {
        programs = new TestPrograms(dir);
    }

    @AfterEach
    void tearDown() {
        programs.close();
    }

    private static CheckSpec.Common common(String name) {
        return CheckSpec.Common.defaults(name);
    }

    /** Starts {@code argv} and waits until the kernel shows it with that command line (after exec). */
    private CheckTarget started(List<String> argv) throws IOException {
        return targetOf(programs.decoy(argv), argv);
    }

    private static CheckTarget targetOf(Process process, List<String> argv) {
        long pid = process.pid();
        ProcessInfo info = await().atMost(Duration.ofSeconds(5))
                .until(
                        () -> ProcFs.read(pid),
                        p -> p.isPresent() && p.get().identity().cmdline().equals(argv))
                .orElseThrow();
        return CheckTarget.of("svc", info);
    }

    private static CheckResult run(CheckSpec spec, CheckTarget target) {
        return Checks.of(spec, new LocalShell()).run(target);
    }

    @Test
    void rss_belowTheLimit_isHealthy() throws IOException {
        CheckTarget sleeper = started(TestPrograms.sleeper(TestPrograms.unique()));
        long pid = sleeper.process().orElseThrow().pid();

        CheckResult result = run(new CheckSpec.Rss(common("mem"), GIB, false), sleeper);

        assertThat(result.healthy()).as(result.message()).isTrue();
        assertThat(result.message())
                .matches("rss \\d+\\.\\d [KM]iB \\(\\d+ bytes\\) of pid " + pid
                        + ", limit 1\\.0 GiB \\(1073741824 bytes\\)");
    }

    @Test
    void rss_overATinyLimit_isUnhealthy_withBothNumbers() throws IOException {
        CheckTarget sleeper = started(TestPrograms.sleeper(TestPrograms.unique()));
        long pid = sleeper.process().orElseThrow().pid();

        CheckResult result = run(new CheckSpec.Rss(common("mem"), 1024, false), sleeper);

        assertThat(result.healthy()).isFalse();
        assertThat(result.message())
                .matches("rss \\d+\\.\\d [KM]iB \\(\\d+ bytes\\) of pid " + pid
                        + " exceeds the limit of 1\\.0 KiB \\(1024 bytes\\)");
    }

    @Test
    void rss_includeChildren_addsTheDescendants() throws IOException {
        long marker = TestPrograms.unique();
        CheckTarget family =
                started(List.of("/bin/sh", programs.withChild(marker).toString()));
        long pid = family.process().orElseThrow().pid();
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcFs.all().stream().anyMatch(p -> p.ppid() == pid));

        CheckResult alone = run(new CheckSpec.Rss(common("mem"), GIB, false), family);
        CheckResult withChildren = run(new CheckSpec.Rss(common("mem"), GIB, true), family);

        assertThat(withChildren.message()).contains("of pid " + pid + " and its 1 descendants, limit");
        assertThat(bytesIn(withChildren)).isGreaterThan(bytesIn(alone));
    }

    private static long bytesIn(CheckResult result) {
        String m = result.message();
        return Long.parseLong(m.substring(m.indexOf('(') + 1, m.indexOf(" bytes)")));
    }

    @Test
    void processChecks_withoutAProcess_orAfterItExited_sayWhy() throws Exception {
        CheckSpec rss = new CheckSpec.Rss(common("mem"), GIB, false);
        assertThat(run(rss, CheckTarget.withoutProcess("svc")))
                .isEqualTo(new CheckResult.Unhealthy("svc: no process to measure rss of"));

        long marker = TestPrograms.unique();
        Process sleeper = programs.decoy(TestPrograms.sleeper(marker));
        CheckTarget target = targetOf(sleeper, TestPrograms.sleeper(marker));
        sleeper.destroyForcibly().waitFor();

        assertThat(run(new CheckSpec.CpuTime(common("cpu"), Duration.ofSeconds(1), Optional.empty()), target))
                .isEqualTo(new CheckResult.Unhealthy(
                        "pid " + sleeper.pid() + " (/bin/sleep " + marker + ") has exited; no cpu time to measure"));
    }

    @Test
    void cpu_idleProcess_isUnderItsTotalLimit() throws IOException {
        CheckTarget sleeper = started(TestPrograms.sleeper(TestPrograms.unique()));

        CheckResult result =
                run(new CheckSpec.CpuTime(common("cpu"), Duration.ofSeconds(10), Optional.empty()), sleeper);

        assertThat(result.healthy()).as(result.message()).isTrue();
        assertThat(result.message()).endsWith(", limit 10s");
    }

    @Test
    void cpu_busyProcess_exceedsASmallTotalLimit() throws IOException {
        CheckTarget spinner = started(SPIN);
        long pid = spinner.process().orElseThrow().pid();
        Check check = Checks.of(
                new CheckSpec.CpuTime(common("cpu"), Duration.ofMillis(200), Optional.empty()), new LocalShell());

        CheckResult result = await().atMost(Duration.ofSeconds(10)).until(() -> check.run(spinner), r -> !r.healthy());

        assertThat(result.message()).matches("cpu time [\\d.]+m?s of pid " + pid + " exceeds the limit of 200ms");
    }

    @Test
    void cpu_rate_firstRunTakesABaseline_thenABusyProcessIsOverTheRate() throws IOException {
        CheckTarget spinner = started(SPIN);
        long pid = spinner.process().orElseThrow().pid();
        Check check = Checks.of(
                new CheckSpec.CpuTime(common("spin"), Duration.ofMillis(100), Optional.of(Duration.ofSeconds(1))),
                new LocalShell());

        assertThat(check.run(spinner).message()).endsWith(": baseline taken, the rate is measured from the next run");
        CheckResult result = await().atMost(Duration.ofSeconds(10)).until(() -> check.run(spinner), r -> !r.healthy());

        assertThat(result.message())
                .matches("pid " + pid + " used [\\d.]+m?s of cpu in [\\d.]+m?s \\(\\d+% of a core\\),"
                        + " over the limit of 100ms per 1s \\(10%\\)");
    }

    @Test
    void cpu_rate_idleProcess_isWithinTheRate_onAFakeClock() throws IOException {
        CheckTarget sleeper = started(TestPrograms.sleeper(TestPrograms.unique()));
        AtomicLong nanos = new AtomicLong();
        Check check = Checks.of(
                new CheckSpec.CpuTime(common("spin"), Duration.ofMillis(500), Optional.of(Duration.ofSeconds(1))),
                new LocalShell(),
                nanos::get);
        check.run(sleeper);

        nanos.addAndGet(Duration.ofMillis(10).toNanos());
        assertThat(check.run(sleeper).message()).contains("only 10ms since the previous sample");
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        CheckResult result = check.run(sleeper);

        assertThat(result.healthy()).as(result.message()).isTrue();
        assertThat(result.message()).endsWith("within the limit of 500ms per 1s (50%)");
    }
}
