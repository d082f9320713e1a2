package dev.vigil.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.ServiceConfig;
import dev.vigil.process.IdentityStore;
import dev.vigil.process.Pidfile;
import dev.vigil.process.ProcessIdentity;
import dev.vigil.process.linux.ProcFs;
import dev.vigil.testing.ExecServices;
import dev.vigil.testing.TestPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exec driver against real processes and real signals. */
class ExecDriverTest {
    @TempDir
    Path dir;

    private Path state;
    private TestPrograms programs;
    private IdentityStore identities;
    private final List<ExecDriver> started = new ArrayList<>();

    @BeforeEach
    void setUp() {
        state = dir.resolve("state");
        programs = new TestPrograms(dir);
        identities = new IdentityStore(state);
    }

    @AfterEach
    void tearDown() {
        started.forEach(ExecDriver::stop);
        programs.close();
    }

    private ExecServices service(String name) {
        return new ExecServices(state).name(name);
    }

    private ExecDriver driver(ServiceConfig config) {
        ExecDriver driver = new ExecDriver(config, identities);
        started.add(driver);
        return driver;
    }

    private static boolean alive(long pid) {
        return ProcFs.read(pid).map(p -> !p.isZombie()).orElse(false);
    }

    @Test
    void start_runsDetachedInOwnSession_writesPidfile_statusVerifiesIdentity() throws IOException {
        long marker = TestPrograms.unique();
        ExecServices svc = service("sleeper").command(TestPrograms.sleeper(marker));
        ExecDriver driver = driver(svc.build());

        ActionResult result = driver.start();

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(result.message()).matches("sleeper: started, pid \\d+ alive after 0\\.3s");
        long pid = result.after().pid().orElseThrow();
        assertThat(Files.readString(svc.defaultPidfile())).isEqualTo(pid + "\n");
        var process = ProcFs.read(pid).orElseThrow();
        assertThat(process.pgid()).as("own process group (setsid)").isEqualTo(pid);
        assertThat(process.identity().commandLine()).isEqualTo("/bin/sleep " + marker);
        ServiceStatus status = driver.status();
        assertThat(status.state()).isEqualTo(ServiceState.RUNNING);
        assertThat(status.detail()).contains("identity verified");
        assertThat(driver.start().message()).isEqualTo("sleeper: already running, pid " + pid);
    }

    @Test
    void stop_terminatesWithSigterm_removesPidfile_thenStatusIsStopped() throws IOException {
        ExecServices svc = service("stoppable").command(TestPrograms.sleeper(TestPrograms.unique()));
        ExecDriver driver = driver(svc.build());
        long pid = driver.start().after().pid().orElseThrow();

        ActionResult stopped = driver.stop();

        assertThat(stopped.ok()).as(stopped.message()).isTrue();
        assertThat(stopped.message()).startsWith("stoppable: pid " + pid + " terminated by SIGTERM after ");
        assertThat(alive(pid)).isFalse();
        assertThat(svc.defaultPidfile()).doesNotExist();
        assertThat(driver.status().state()).isEqualTo(ServiceState.STOPPED);
        assertThat(driver.stop().message()).startsWith("stoppable: not running (no pidfile ");
    }

    @Test
    void stop_programIgnoringSigterm_isKilledAfterGrace() throws IOException {
        ExecServices svc = service("stubborn")
                .command(programs.ignoresSigterm())
                .killProcessGroup()
                .termToKill(Duration.ofMillis(500));
        ExecDriver driver = driver(svc.build());
        ActionResult start = driver.start();
        assertThat(start.ok()).as(start.message()).isTrue();
        long pid = start.after().pid().orElseThrow();

        ActionResult stopped = driver.stop();

        assertThat(stopped.ok()).as(stopped.message()).isTrue();
        assertThat(stopped.message()).contains("ignored SIGTERM for 0.5s, killed with SIGKILL");
        assertThat(alive(pid)).isFalse();
        // the group went too: no sleep child of the script is left
        assertThat(ProcFs.all().stream().filter(p -> p.pgid() == pid && !p.isZombie()))
                .isEmpty();
    }

    @Test
    void start_programExitingEarly_failsAtOnceWithItsLogLines() throws IOException {
        ExecServices svc =
                service("crasher").command(programs.exitWith(3, "0.1")).successWait(Duration.ofSeconds(5));
        ExecDriver driver = driver(svc.build());

        long began = System.nanoTime();
        ActionResult result = driver.start();

        assertThat(result.ok()).isFalse();
        assertThat(result.message())
                // detached, Vigil is not the parent and cannot know the status; the log says what happened
                .startsWith("crasher: exited within ")
                .contains("last lines of " + svc.log())
                .contains("exiting with 3");
        assertThat(Duration.ofNanos(System.nanoTime() - began))
                .as("no waiting out success_seconds")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(svc.defaultPidfile()).doesNotExist();
    }

    @Test
    void start_processDyingDuringSuccessSeconds_isNotSuccess() throws IOException {
        // exits 0 halfway through success_seconds, leaving nothing behind: a start that did not stay up
        ExecServices svc =
                service("quitter").command(programs.exitWith(0, "0.2")).successWait(Duration.ofMillis(600));

        ActionResult result = driver(svc.build()).start();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("exited within").contains("left no process matching");
    }

    @Test
    void start_forkingDaemon_findsTheForkedChildByProctitle() throws IOException {
        long marker = TestPrograms.unique();
        ExecServices svc =
                service("forker").command(programs.forksAndExits(marker)).proctitle("^/bin/sleep " + marker + "$");

        ActionResult result = driver(svc.build()).start();

        assertThat(result.ok()).as(result.message()).isTrue();
        long pid = result.after().pid().orElseThrow();
        assertThat(ProcFs.read(pid).orElseThrow().identity().commandLine()).isEqualTo("/bin/sleep " + marker);
        assertThat(Files.readString(svc.defaultPidfile()).strip()).isEqualTo(Long.toString(pid));
    }

    @Test
    void start_slowStarter_succeedsOnceItBecomesTheService() throws IOException {
        long marker = TestPrograms.unique();
        ExecServices svc = service("slow")
                .command(programs.startsSlowly("0.3", marker))
                .proctitle("^/bin/sleep " + marker)
                .successWait(Duration.ofMillis(900));

        ActionResult result = driver(svc.build()).start();

        assertThat(result.ok()).as(result.message()).isTrue();
    }

    @Test
    void start_programThatChangesItsTitle_isMatchedByProctitleRe() throws IOException {
        long marker = TestPrograms.unique();
        ExecServices svc = service("retitled")
                .command(programs.changesTitle("worker-" + marker, marker))
                .proctitle("^worker-" + marker + " ");

        ExecDriver driver = driver(svc.build());
        ActionResult result = driver.start();

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(driver.status().command()).isEqualTo("worker-" + marker + " " + marker);
    }

    @Test
    void start_processNotMatchingProctitle_failsAndIsStoppedAgain() throws IOException {
        long marker = TestPrograms.unique();
        ExecServices svc =
                service("mismatch").command(TestPrograms.sleeper(marker)).proctitle("^something-else$");

        ActionResult result = driver(svc.build()).start();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("does not match proctitle_re /^something-else$/");
        assertThat(ProcFs.all().stream()
                        .filter(p -> !p.isZombie())
                        .filter(p -> p.identity().commandLine().equals("/bin/sleep " + marker)))
                .isEmpty();
    }

    @Test
    void pidfileNamingAnUnrelatedLiveProcess_isStale_andThatProcessIsNeverSignalled() throws IOException {
        Process decoy = programs.decoy(TestPrograms.sleeper(TestPrograms.unique()));
        ExecServices svc = service("reused").command(TestPrograms.sleeper(TestPrograms.unique()));
        Pidfile.write(svc.defaultPidfile(), decoy.pid());
        ExecDriver driver = driver(svc.build());

        ServiceStatus status = driver.status();
        assertThat(status.state()).isEqualTo(ServiceState.FAILED);
        assertThat(status.detail())
                .contains("names pid " + decoy.pid() + ", which is another program")
                .contains(": stale; no process of this user matches proctitle_re");

        ActionResult stop = driver.stop();
        assertThat(stop.ok()).isTrue();
        assertThat(stop.message()).contains("not running").contains("removed its stale pidfile");
        assertThat(decoy.isAlive())
                .as("the unrelated process was not signalled")
                .isTrue();
    }

    @Test
    void pidReusedByProcessWithSameCommandLine_isDetectedByStartTime_andNotSignalled() throws IOException {
        long marker = TestPrograms.unique();
        ExecServices svc = service("twin").command(TestPrograms.sleeper(marker)).scan(false);
        // A process that looks exactly like the service, but started at another time than the one recorded.
        Process twin = programs.decoy(TestPrograms.sleeper(marker));
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcFs.read(twin.pid())
                .map(p -> p.identity().commandLine().equals("/bin/sleep " + marker))
                .orElse(false));
        long ticks = ProcFs.read(twin.pid()).orElseThrow().identity().startTicks();
        identities.write("twin", new ProcessIdentity(twin.pid(), ticks - 1, 0, List.of("/bin/sleep", "" + marker)));
        Pidfile.write(svc.defaultPidfile(), twin.pid());
        ExecDriver driver = driver(svc.build());

        ServiceStatus status = driver.status();
        assertThat(status.state()).isEqualTo(ServiceState.FAILED);
        assertThat(status.detail()).contains("was reused by another process").endsWith(": stale");

        assertThat(driver.stop().ok()).isTrue();
        assertThat(twin.isAlive()).isTrue();
        ActionResult start = driver.start();
        assertThat(start.ok()).as(start.message()).isTrue();
        assertThat(start.after().pid().orElseThrow()).isNotEqualTo(twin.pid());
    }

    @Test
    void runningInstanceStartedElsewhere_isAdoptedByScan_andPidfileRewritten() throws IOException {
        long marker = TestPrograms.unique();
        Process outsider = programs.decoy(TestPrograms.sleeper(marker));
        ExecServices svc = service("adoptee").command(TestPrograms.sleeper(marker));
        ExecDriver driver = driver(svc.build());

        await().atMost(Duration.ofSeconds(5)).until(() -> driver.status().state() == ServiceState.RUNNING);
        ServiceStatus status = driver.status();

        assertThat(status.pid()).contains(outsider.pid());
        assertThat(Files.readString(svc.defaultPidfile()).strip()).isEqualTo(Long.toString(outsider.pid()));
        assertThat(driver.start().message()).contains("already running");
        assertThat(driver.stop().ok()).isTrue();
        await().atMost(Duration.ofSeconds(5)).until(() -> !outsider.isAlive());
    }

    @Test
    void withoutScan_aRunningInstanceWithoutPidfileIsNotAdopted() throws IOException {
        long marker = TestPrograms.unique();
        programs.decoy(TestPrograms.sleeper(marker));
        ExecDriver driver = driver(service("noscan")
                .command(TestPrograms.sleeper(marker))
                .scan(false)
                .build());

        ServiceStatus status = driver.status();

        assertThat(status.state()).isEqualTo(ServiceState.STOPPED);
        assertThat(status.detail()).startsWith("no pidfile ");
    }

    @Test
    void start_appliesEnvironmentWorkingDirectoryAndShell() throws IOException {
        Path work = Files.createDirectories(dir.resolve("work"));
        long marker = TestPrograms.unique();
        ExecServices svc = service("envy")
                .shell("echo \"GREETING=$GREETING HOME=${HOME:-unset} PWD=$(pwd)\"; exec /bin/sleep " + marker)
                .env(Map.of("GREETING", "hello world"), false)
                .workingDirectory(work)
                .proctitle("^/bin/sleep " + marker);

        ActionResult result = driver(svc.build()).start();

        assertThat(result.ok()).as(result.message()).isTrue();
        assertThat(Files.readString(svc.log())).contains("GREETING=hello world HOME=unset PWD=" + work);
    }

    @Test
    void start_missingWorkingDirectory_failsWithClearMessage() {
        ExecServices svc = service("nowhere")
                .command(TestPrograms.sleeper(TestPrograms.unique()))
                .workingDirectory(dir.resolve("missing"));

        ActionResult result = driver(svc.build()).start();

        assertThat(result.ok()).isFalse();
        assertThat(result.message())
                .isEqualTo("nowhere: could not be started: working_directory " + dir.resolve("missing")
                        + " is not a directory");
    }

    @Test
    void restart_replacesTheProcess() throws IOException {
        ExecDriver driver = driver(service("again")
                .command(TestPrograms.sleeper(TestPrograms.unique()))
                .build());
        long first = driver.start().after().pid().orElseThrow();

        ActionResult restarted = driver.restart();

        assertThat(restarted.ok()).as(restarted.message()).isTrue();
        assertThat(restarted.after().pid().orElseThrow()).isNotEqualTo(first);
        assertThat(alive(first)).isFalse();
    }

    @Test
    void pidfileWithGarbage_isReportedUnusable_andStartReplacesIt() throws IOException {
        ExecServices svc = service("garbled")
                .command(TestPrograms.sleeper(TestPrograms.unique()))
                .scan(false);
        Files.createDirectories(svc.defaultPidfile().getParent());
        Files.writeString(svc.defaultPidfile(), "not a pid\n");
        ExecDriver driver = driver(svc.build());

        ServiceStatus status = driver.status();
        assertThat(status.state()).isEqualTo(ServiceState.FAILED);
        assertThat(status.detail())
                .isEqualTo("pidfile " + svc.defaultPidfile() + " is unusable: it holds \"not a pid\", not a pid");

        ActionResult start = driver.start();
        assertThat(start.ok()).as(start.message()).isTrue();
        assertThat(Files.readString(svc.defaultPidfile()).strip())
                .isEqualTo(Long.toString(start.after().pid().orElseThrow()));
    }
}
