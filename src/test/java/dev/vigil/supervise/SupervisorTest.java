package dev.vigil.supervise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.ServiceConfig;
import dev.vigil.driver.ActionResult;
import dev.vigil.driver.Driver;
import dev.vigil.driver.ExecDriver;
import dev.vigil.process.IdentityStore;
import dev.vigil.process.linux.ProcFs;
import dev.vigil.store.DesiredState;
import dev.vigil.store.EventQuery;
import dev.vigil.store.Store;
import dev.vigil.testing.ExecServices;
import dev.vigil.testing.TestPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine with real processes, real signals and a real store. */
class SupervisorTest {
    @TempDir
    Path dir;

    private Path state;
    private Store store;
    private TestPrograms programs;
    private Supervisor supervisor;
    private List<ServiceConfig> services;

    @BeforeEach
    void setUp() {
        state = dir.resolve("state");
        store = Store.open(state.resolve("state.db"));
        programs = new TestPrograms(dir);
    }

    @AfterEach
    void tearDown() {
        if (supervisor != null) {
            supervisor.close();
        }
        IdentityStore identities = new IdentityStore(state);
        services.forEach(s -> new ExecDriver(s, identities).stop());
        store.close();
        programs.close();
    }

    private Supervisor supervise(List<ServiceConfig> configs) {
        services = configs;
        IdentityStore identities = new IdentityStore(state);
        Function<ServiceConfig, Driver> drivers = s -> new ExecDriver(s, identities);
        supervisor = new Supervisor(
                configs,
                drivers,
                RestartPolicy::of,
                new StoreJournal(store, InstantSource.system()),
                InstantSource.system(),
                state,
                Duration.ofSeconds(30));
        supervisor.start();
        return supervisor;
    }

    private ServiceConfig sleeper(String name, long marker) {
        return new ExecServices(state)
                .name(name)
                .command(TestPrograms.sleeper(marker))
                .successWait(Duration.ofMillis(100))
                .build();
    }

    private Optional<Long> pidOf(String name) {
        return supervisor.snapshots().stream()
                .filter(s -> s.name().equals(name) && s.phase() == Phase.UP)
                .findFirst()
                .flatMap(ServiceMachine.Snapshot::pid);
    }

    private List<String> eventKinds(String service) {
        return store.events(new EventQuery(Optional.of(service), Optional.empty(), Optional.empty(), 100)).stream()
                .map(e -> e.kind())
                .toList();
    }

    @Test
    void kill9OfAProcessThatIsNotVigilsChild_isRestartedAtOnce() throws Exception {
        long marker = TestPrograms.unique();
        // started outside Vigil, by a setsid that forks: the service is nobody's child we know
        programs.decoy(List.of("setsid", "-f", "/bin/sleep", Long.toString(marker)))
                .waitFor();
        // setsid -f has forked, but its child may not have exec'd sleep yet: adopt only what is there
        await().atMost(Duration.ofSeconds(10)).until(() -> !ProcFs.withCommandLine(("/bin/sleep " + marker)::equals)
                .isEmpty());
        supervise(List.of(sleeper("web", marker)));
        await().atMost(Duration.ofSeconds(10)).until(() -> pidOf("web").isPresent());
        long adopted = pidOf("web").orElseThrow();
        assertThat(ProcFs.read(adopted).orElseThrow().ppid())
                .isNotEqualTo(ProcessHandle.current().pid());
        assertThat(eventKinds("web")).containsExactly("adopted");

        ProcessHandle.of(adopted).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> pidOf("web").filter(p -> p != adopted).isPresent());
        assertThat(eventKinds("web")).containsExactly("adopted", "died", "restarted");
        assertThat(ProcFs.read(pidOf("web").orElseThrow())
                        .orElseThrow()
                        .identity()
                        .commandLine())
                .isEqualTo("/bin/sleep " + marker);
    }

    @Test
    void downAtDaemonStart_isAutostarted_runningIsAdoptedUntouched() throws Exception {
        long runningMarker = TestPrograms.unique();
        Process running = programs.decoy(TestPrograms.sleeper(runningMarker));
        await().atMost(Duration.ofSeconds(5)).until(() -> ProcFs.read(running.pid())
                .map(p -> p.identity().commandLine().equals("/bin/sleep " + runningMarker))
                .orElse(false));
        supervise(List.of(sleeper("up", runningMarker), sleeper("down", TestPrograms.unique())));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> pidOf("up").isPresent() && pidOf("down").isPresent());
        assertThat(pidOf("up")).contains(running.pid());
        assertThat(eventKinds("down")).containsExactly("started");
    }

    @Test
    void stopThroughTheDaemon_isRememberedAcrossDaemonRestarts() throws Exception {
        ServiceConfig web = sleeper("web", TestPrograms.unique());
        supervise(List.of(web));
        await().atMost(Duration.ofSeconds(10)).until(() -> pidOf("web").isPresent());

        ActionResult stopped =
                supervisor.request("web", Input.Request.STOP, "cli:test").get();
        assertThat(stopped.ok()).as(stopped.message()).isTrue();
        assertThat(store.desired("web").orElseThrow().state()).isEqualTo(DesiredState.STOPPED);
        supervisor.close();

        supervise(List.of(web));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> supervisor.snapshots().getFirst().phase() == Phase.DOWN);
        assertThat(supervisor.snapshots().getFirst().desired()).isEqualTo(DesiredState.STOPPED);
        assertThat(eventKinds("web")).doesNotContainSequence("stopped", "started");

        ActionResult started =
                supervisor.request("web", Input.Request.START, "cli:test").get();
        assertThat(started.ok()).as(started.message()).isTrue();
        assertThat(pidOf("web")).isPresent();
    }

    @Test
    void reconfigure_leavesUnchangedServicesAlone_andAddsNewOnes() throws Exception {
        ServiceConfig steady = sleeper("steady", TestPrograms.unique());
        supervise(List.of(steady));
        await().atMost(Duration.ofSeconds(10)).until(() -> pidOf("steady").isPresent());
        long before = pidOf("steady").orElseThrow();

        List<String> changes = supervisor
                .reconfigure(List.of(steady, sleeper("fresh", TestPrograms.unique())))
                .get();

        assertThat(changes).containsExactly("fresh: added");
        await().atMost(Duration.ofSeconds(10)).until(() -> pidOf("fresh").isPresent());
        assertThat(pidOf("steady")).contains(before);
    }

    @Test
    void crashLoop_backsOffAndGivesUp_recordingEachStep() throws Exception {
        Path crasher = programs.exitWith(1, "0");
        ServiceConfig flappy = new ExecServices(state)
                .name("flappy")
                .command(crasher)
                .successWait(Duration.ofMillis(50))
                .maxRestarts(2)
                .build();
        supervise(List.of(flappy));

        await().atMost(Duration.ofSeconds(15))
                .until(() -> supervisor.snapshots().getFirst().phase() == Phase.GIVEN_UP);
        assertThat(eventKinds("flappy"))
                .containsSubsequence("restart_failed", "backing_off", "restart_failed", "gave_up");
        assertThat(store.restart("flappy").orElseThrow().givenUpUntil()).isPresent();
        assertThat(Files.exists(state.resolve("pids/flappy.pid"))).isFalse();
    }

    @Test
    void staleActivityFile_restartsTheService_alertOnlyCheckOnlyRecords() throws Exception {
        Path heartbeat = Files.writeString(dir.resolve("heartbeat"), "");
        Files.setLastModifiedTime(
                heartbeat,
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(3600)));
        var restartCommon = dev.vigil.check.CheckSpec.Common.defaults("heartbeat")
                .every(Duration.ofMillis(200), Duration.ofMillis(100))
                .onFailure(dev.vigil.check.CheckSpec.OnFailure.RESTART);
        ServiceConfig stale = new ExecServices(state)
                .name("stale")
                .command(TestPrograms.sleeper(TestPrograms.unique()))
                .successWait(Duration.ofMillis(100))
                .monitor(
                        Duration.ZERO,
                        List.of(new dev.vigil.check.CheckSpec.ActivityFile(
                                restartCommon, heartbeat, Duration.ofSeconds(60))))
                .build();
        var alertCommon = dev.vigil.check.CheckSpec.Common.defaults("port")
                .every(Duration.ofMillis(200), Duration.ofMillis(100))
                .onFailure(dev.vigil.check.CheckSpec.OnFailure.ALERT);
        int closedPort;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        ServiceConfig noisy = new ExecServices(state)
                .name("noisy")
                .command(TestPrograms.sleeper(TestPrograms.unique()))
                .successWait(Duration.ofMillis(100))
                .monitor(
                        Duration.ZERO, List.of(new dev.vigil.check.CheckSpec.Tcp(alertCommon, "127.0.0.1", closedPort)))
                .build();
        supervise(List.of(stale, noisy));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pidOf("stale").isPresent() && pidOf("noisy").isPresent());
        long first = pidOf("stale").orElseThrow();
        long noisyPid = pidOf("noisy").orElseThrow();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> pidOf("stale").filter(p -> p != first).isPresent());
        assertThat(eventKinds("stale")).containsSubsequence("check_failed", "restarted");

        await().atMost(Duration.ofSeconds(15)).until(() -> eventKinds("noisy").contains("check_failed"));
        assertThat(pidOf("noisy")).contains(noisyPid);
        assertThat(eventKinds("noisy")).doesNotContain("restarted");
    }

    @Test
    void successExitCode_isNotRestarted_otherCodesAre() throws Exception {
        Path notMaster = programs.script("not-master.sh", "sleep 1\nexit 11");
        ServiceConfig ganeti = new ExecServices(state)
                .name("confd")
                .command(notMaster)
                .successWait(Duration.ofMillis(300))
                .successExitCodes(java.util.Set.of(11))
                .build();
        supervise(List.of(ganeti));

        await().atMost(Duration.ofSeconds(15)).until(() -> eventKinds("confd").contains("exited_success"));
        assertThat(supervisor.snapshots().getFirst().phase()).isEqualTo(Phase.DOWN);
        assertThat(eventKinds("confd")).doesNotContain("restarted");
    }

    @Test
    void dependencies_startInOrder_andARestartedServiceRestartsItsDependents() throws Exception {
        ServiceConfig db = new ExecServices(state)
                .name("db")
                .command(TestPrograms.sleeper(TestPrograms.unique()))
                .successWait(Duration.ofMillis(300))
                .build();
        ServiceConfig web = new ExecServices(state)
                .name("web")
                .command(TestPrograms.sleeper(TestPrograms.unique()))
                .successWait(Duration.ofMillis(100))
                .requires("db")
                .build();
        supervise(List.of(web, db));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> pidOf("db").isPresent() && pidOf("web").isPresent());
        var started = store.events(new EventQuery(Optional.empty(), Optional.empty(), Optional.of("started"), 10));
        assertThat(started).extracting(e -> e.service()).containsExactly("db", "web");

        long dbPid = pidOf("db").orElseThrow();
        long webPid = pidOf("web").orElseThrow();
        ProcessHandle.of(dbPid).orElseThrow().destroyForcibly();

        await().atMost(Duration.ofSeconds(15))
                .until(() -> pidOf("db").filter(p -> p != dbPid).isPresent()
                        && pidOf("web").filter(p -> p != webPid).isPresent());
        assertThat(eventKinds("web")).contains("restarted");
    }
}
