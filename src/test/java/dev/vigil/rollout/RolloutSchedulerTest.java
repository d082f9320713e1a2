package dev.vigil.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.driver.ServiceLock;
import dev.vigil.rollout.RolloutScheduler.Attempt;
import dev.vigil.store.EventQuery;
import dev.vigil.store.RolloutHostRecord;
import dev.vigil.store.RolloutPause;
import dev.vigil.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's schedule on fake hosts with a clock the test moves: {@link RolloutScheduler#tick} runs each due
 * rollout on the test's thread (a direct executor), so every assertion follows a finished run.
 */
class RolloutSchedulerTest {
    private static final String CMSD = "cmsd@cluster.service";
    private static final String XROOTD = "xrootd@cluster.service";
    private static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4");
    /** A Saturday, noon (UTC). */
    private static final Instant SATURDAY = Instant.parse("2026-03-07T12:00:00Z");

    private static final Executor HERE = Runnable::run;

    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(SATURDAY);
    private final InstantSource clock = () -> now.get();
    private final FakeHosts hosts = new FakeHosts(HOSTS, List.of(CMSD, XROOTD));
    private Store store;
    private RolloutScheduler scheduler;

    @BeforeEach
    void open() {
        store = Store.open(dir.resolve("state/state.db"));
        scheduler = new RolloutScheduler(store, this::engine, clock, ZoneId.of("UTC"), Duration.ofSeconds(60));
    }

    @AfterEach
    void close() {
        scheduler.close(Duration.ofSeconds(10));
        store.close();
    }

    private RolloutScheduler.Opened engine(VigilConfig config, RolloutSpec spec, Sleeper sleeper) {
        RolloutEngine engine = new RolloutEngine(
                spec,
                config.inventory(),
                hosts,
                store,
                new RolloutAlerts(spec.name(), store, Optional.empty(), clock),
                clock,
                ZoneId.of("UTC"),
                sleeper,
                line -> {},
                new RolloutMetrics(spec.name(), store, Optional.empty()));
        return new RolloutScheduler.Opened(engine, () -> {});
    }

    /** Rollout xrd on h1..h4, period 4h (one host an hour), with {@code keys} added; more tables after it. */
    private VigilConfig config(String keys, String more) throws Exception {
        Path file = dir.resolve("vigil.toml");
        Files.writeString(
                file, """
                state_dir = "%s/state"
                [host."h[1-4]"]
                classes = ["data"]

                [rollout.xrd]
                preset = "xrootd"
                hosts = "data"
                period = "4h"
                stay_healthy = "0s"
                health_deadline = "1s"
                retries = 0
                %s
                %s
                """.formatted(dir, keys.contains("cmsd_wait") ? keys : keys + "\ncmsd_wait = \"0s\"", more));
        return ConfigLoader.load(file);
    }

    private List<String> restarted() {
        return HOSTS.stream().filter(h -> !hosts.actions(h).isEmpty()).toList();
    }

    private void advance(Duration d) {
        now.set(now.get().plus(d));
    }

    @Test
    void dueHostsRun_oneAfterTheOtherOverThePeriod_andNotDueOnesDoNot() throws Exception {
        scheduler.reconfigure(config("", ""));

        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.STARTED);
        assertThat(restarted())
                .as("h1 is due at once, the others spread over the period")
                .containsExactly("h1");
        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.WAITING);

        advance(Duration.ofMinutes(59));
        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.WAITING);
        assertThat(restarted()).containsExactly("h1");

        advance(Duration.ofMinutes(1));
        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.STARTED);
        assertThat(restarted()).containsExactly("h1", "h2");
        assertThat(scheduler.heartbeat("xrd")).contains(now.get());
    }

    @Test
    void outsideItsWindows_nothingNewStarts_untilTheNextWindowBegins() throws Exception {
        scheduler.reconfigure(config("windows = [\"Mon-Fri 06:00-18:00\"]", ""));

        scheduler.tick(HERE); // places the hosts; Saturday is outside the windows
        assertThat(restarted()).isEmpty();

        now.set(Instant.parse("2026-03-09T05:59:00Z")); // Monday
        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.WAITING);
        assertThat(restarted()).isEmpty();

        now.set(Instant.parse("2026-03-09T06:00:00Z"));
        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.STARTED);
        assertThat(restarted()).contains("h1");
    }

    @Test
    void aPauseWrittenByTheCommand_isRespected_andItsResumeSeenAtTheNextRecheck() throws Exception {
        scheduler.reconfigure(config("", ""));
        store.pauseRollout("xrd", new RolloutPause("paused by someone", now.get(), Optional.empty()));

        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.WAITING);
        advance(Duration.ofMinutes(10));
        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.WAITING);
        assertThat(restarted()).isEmpty();

        store.resumeRollout("xrd");
        advance(Duration.ofSeconds(60));
        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.STARTED);
        assertThat(restarted()).containsExactly("h1");
    }

    @Test
    void whileAnotherControllerHoldsTheLock_theDaemonSkips_andTriesAgainLater() throws Exception {
        VigilConfig config = config("", "");
        scheduler.reconfigure(config);
        Attempt first;
        try (ServiceLock _ = RolloutLock.acquire(config.settings().stateDir(), "xrd")) {
            first = scheduler.tick(HERE).get("xrd");
            assertThat(scheduler.tick(HERE)).as("not retried at once").containsEntry("xrd", Attempt.WAITING);
        }
        assertThat(first).isEqualTo(Attempt.LOCKED);
        assertThat(restarted()).isEmpty();

        advance(Duration.ofSeconds(60));
        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.STARTED);
        assertThat(restarted()).containsExactly("h1");
    }

    @Test
    void aReload_addsAndRemovesRollouts_andScheduleFalseIsLeftToTheCommand() throws Exception {
        String web = """
                [rollout.web]
                hosts = "h4"
                min_ok = 0
                stay_healthy = "0s"
                [[rollout.web.step]]
                action = "restart"
                unit = "%s"
                """.formatted(XROOTD);
        scheduler.reconfigure(config("schedule = false", ""));
        assertThat(scheduler.tick(HERE)).isEmpty();

        List<String> changes = scheduler.reconfigure(config("", web));
        assertThat(changes).containsExactly("rollout xrd: scheduled", "rollout web: scheduled");
        assertThat(scheduler.tick(HERE)).containsOnlyKeys("xrd", "web");
        assertThat(hosts.actions("h4")).containsExactly("restart " + XROOTD);

        assertThat(scheduler.reconfigure(config("", ""))).containsExactly("rollout web: no longer scheduled");
        assertThat(scheduler.tick(HERE)).containsOnlyKeys("xrd");
    }

    @Test
    void onStop_aRunHaltsAtAStepBoundary_andTheNextStartCompletesTheHalfDoneHost() throws Exception {
        VigilConfig config = config("cmsd_wait = \"1h\"", "");
        scheduler.reconfigure(config);
        assertThat(scheduler.tick(task -> Thread.ofVirtual().start(task))).containsEntry("xrd", Attempt.STARTED);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.rolloutHosts("xrd").stream()
                .anyMatch(r -> r.host().equals("h1") && r.inProgress() && r.step() == 1));

        scheduler.close(Duration.ofSeconds(10)); // the daemon's SIGTERM

        RolloutHostRecord h1 = store.rolloutHosts("xrd").getFirst();
        assertThat(h1.inProgress()).as("left half-done, journalled").isTrue();
        assertThat(hosts.state("h1", CMSD)).isEqualTo("inactive");
        assertThat(store.rolloutPause("xrd")).as("a halt is no failure").isEmpty();
        assertThat(store.rolloutAlerts("xrd")).isEmpty();
        assertThat(store.events(EventQuery.latest(50).withKind("rollout-halted")))
                .singleElement()
                .satisfies(e -> assertThat(e.host()).isEqualTo("h1"));

        scheduler = new RolloutScheduler(store, this::engine, clock, ZoneId.of("UTC"), Duration.ofSeconds(60));
        scheduler.reconfigure(config("", ""));
        assertThat(scheduler.tick(HERE)).containsEntry("xrd", Attempt.STARTED);
        assertThat(hosts.state("h1", CMSD)).isEqualTo("active");
        assertThat(store.rolloutHosts("xrd").getFirst().lastSuccess()).isPresent();
        assertThat(hosts.actions("h1")).containsExactly("stop " + CMSD, "restart " + XROOTD, "start " + CMSD);
    }

    @Test
    void theDueTime_isTheEarliestHostInsideAWindow() throws Exception {
        RolloutSpec spec =
                config("windows = [\"Mon-Fri 06:00-18:00\"]", "").rollout("xrd").orElseThrow();
        List<RolloutHostRecord> records = List.of(
                new RolloutHostRecord(
                        "xrd", "h1", SATURDAY.plusSeconds(3600), false, 0, Optional.empty(), Optional.empty(), ""),
                new RolloutHostRecord(
                        "xrd", "h2", SATURDAY.plusSeconds(60), false, 0, Optional.empty(), Optional.empty(), ""));

        assertThat(DueTime.next(spec, List.of("h1", "h2"), records, Optional.empty(), SATURDAY, ZoneId.of("UTC")))
                .isEqualTo(Instant.parse("2026-03-09T06:00:00Z"));
        assertThat(DueTime.next(spec, List.of("h1", "h2", "h3"), records, Optional.empty(), SATURDAY, ZoneId.of("UTC")))
                .as("a host without a record is placed at once")
                .isEqualTo(SATURDAY);
        assertThat(DueTime.next(
                        spec,
                        List.of("h1", "h2"),
                        records,
                        Optional.of(new RolloutPause("x", SATURDAY, Optional.empty())),
                        SATURDAY,
                        ZoneId.of("UTC")))
                .isEqualTo(Instant.MAX);
    }
}
