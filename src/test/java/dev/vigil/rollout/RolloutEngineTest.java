package dev.vigil.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.store.RolloutAlertRecord;
import dev.vigil.store.RolloutHostRecord;
import dev.vigil.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on fake hosts: order of steps, the safety rule, failure and repair, pause, the journal and resume. */
class RolloutEngineTest {
    private static final String CMSD = "cmsd@cluster.service";
    private static final String XROOTD = "xrootd@cluster.service";
    private static final List<String> HOSTS = List.of("h1", "h2", "h3", "h4");

    @TempDir
    Path dir;

    private final FakeHosts hosts = new FakeHosts(HOSTS, List.of(CMSD, XROOTD));
    private final List<String> lines = new ArrayList<>();
    private Store store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private RolloutEngine engine(String keys) throws Exception {
        return engine(keys, Sleeper.REAL);
    }

    private RolloutEngine engine(String keys, Sleeper sleeper) throws Exception {
        Path file = dir.resolve("vigil.toml");
        Files.writeString(file, """
                state_dir = "%s/state"
                [host."h[1-4]"]
                classes = ["data"]
                [host.rdr]
                classes = ["redirector"]

                [rollout.xrd]
                preset = "xrootd"
                hosts = "data"
                cmsd_wait = "0s"
                stay_healthy = "0s"
                health_deadline = "1s"
                %s
                """.formatted(dir, keys.contains("retries") ? keys : keys + "\nretries = 0"));
        VigilConfig config = ConfigLoader.load(file);
        if (store == null) {
            store = Store.open(dir.resolve("state.db"));
        }
        RolloutSpec spec = config.rollout("xrd").orElseThrow();
        return new RolloutEngine(
                spec,
                config.inventory(),
                hosts,
                store,
                new RolloutAlerts("xrd", store, Optional.empty(), InstantSource.system()),
                InstantSource.system(),
                ZoneId.of("UTC"),
                sleeper,
                lines::add,
                new RolloutMetrics("xrd", store, Optional.empty()));
    }

    private List<String> alerts() {
        return store.rolloutAlerts("xrd").stream()
                .map(RolloutAlertRecord::alert)
                .toList();
    }

    @Test
    void everyHost_inInventoryOrder_withThePresetsSteps() throws Exception {
        RunResult result = engine("min_ok = 3").run(Optional.empty(), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.DONE);
        assertThat(result.restarted()).containsExactlyElementsOf(HOSTS);
        for (String host : HOSTS) {
            assertThat(hosts.actions(host)).containsExactly("stop " + CMSD, "restart " + XROOTD, "start " + CMSD);
        }
        List<String> stops =
                hosts.log.stream().filter(l -> l.contains("systemctl stop")).toList();
        assertThat(stops).extracting(l -> l.substring(0, 2)).containsExactlyElementsOf(HOSTS);
        assertThat(store.rolloutHosts("xrd"))
                .allSatisfy(r -> assertThat(r.lastSuccess()).isPresent())
                .allSatisfy(r -> assertThat(r.inProgress()).isFalse());
    }

    @Test
    void theSafetyRule_takesNoHostDown_whenOneMoreWouldBreachMinOk() throws Exception {
        hosts.set("h2", XROOTD, "inactive");

        RunResult result = engine("min_ok = 3").run(Optional.empty(), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.REFUSED);
        assertThat(result.message()).contains("fewer than min_ok = 3", "h2");
        assertThat(hosts.log).noneMatch(l -> l.contains("systemctl stop") || l.contains("systemctl restart"));
        assertThat(alerts()).containsExactly("InsufficientHealthyHosts");

        hosts.set("h2", XROOTD, "active");
        assertThat(engine("min_ok = 3").run(Optional.of("h1"), false).outcome()).isEqualTo(RunResult.Outcome.DONE);
        assertThat(alerts()).as("resolved by a check that passes").isEmpty();
    }

    @Test
    void aFailedStart_bringsBackWhatWasStopped_alertsAndPauses() throws Exception {
        hosts.failingStarts.add("h1 " + XROOTD);

        RunResult result = engine("min_ok = 1").run(Optional.empty(), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
        assertThat(hosts.actions("h1")).startsWith("stop " + CMSD, "restart " + XROOTD);
        assertThat(hosts.actions("h1")).contains("start " + CMSD);
        assertThat(hosts.state("h1", CMSD)).isEqualTo("active");
        assertThat(hosts.actions("h2")).as("the rollout stopped").isEmpty();
        assertThat(alerts()).containsExactly("RolloutRestartError");
        assertThat(store.rolloutPause("xrd")).isPresent();

        hosts.failingStarts.clear();
        assertThat(engine("min_ok = 1").run(Optional.empty(), false).outcome())
                .as("paused until a person resumes")
                .isEqualTo(RunResult.Outcome.PAUSED);
        store.resumeRollout("xrd");
        assertThat(engine("min_ok = 1").run(Optional.empty(), false).outcome()).isEqualTo(RunResult.Outcome.DONE);
        assertThat(alerts()).isEmpty();
    }

    @Test
    void aUnitThatDoesNotStop_firesNeedsReboot_andStartsNothing() throws Exception {
        hosts.stuck.add("h1 " + CMSD);

        RunResult result = engine("min_ok = 1").run(Optional.empty(), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
        assertThat(alerts()).containsExactly("NeedsReboot");
        assertThat(hosts.actions("h1")).containsExactly("stop " + CMSD);
    }

    @Test
    void withKill_aUnitThatDoesNotStop_isKilled_andTheRestartGoesOn() throws Exception {
        hosts.stuck.add("h1 " + CMSD);

        RunResult result = engine("min_ok = 1\nnot_stopping = \"kill\"").run(Optional.of("h1"), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.DONE);
        assertThat(hosts.actions("h1"))
                .containsExactly("stop " + CMSD, "kill --signal=SIGKILL " + CMSD, "restart " + XROOTD, "start " + CMSD);
    }

    @Test
    void anUnreachableHost_isRetried_thenFiresRolloutConnectError() throws Exception {
        hosts.unreachable.add("h1");

        RunResult result = engine("min_ok = 0\nretries = 2").run(Optional.of("h1"), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
        assertThat(hosts.log.stream().filter(l -> l.startsWith("h1: systemctl stop")))
                .hasSize(3);
        assertThat(alerts()).containsExactly("RolloutConnectError");
    }

    @Test
    void aHostCutMidRestart_staysHalfDone_andTheNextRunCompletesItBeforeAnyOther() throws Exception {
        // the network goes during the wait after cmsd was stopped: restart xrootd and the repair both fail
        Sleeper cut = d -> hosts.unreachable.add("h1");

        RunResult result = engine("min_ok = 1", cut).run(Optional.empty(), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
        assertThat(alerts()).containsExactly("RolloutConnectError");
        assertThat(hosts.actions("h2")).as("the rollout stopped at h1").isEmpty();
        RolloutHostRecord h1 = store.rolloutHosts("xrd").getFirst();
        assertThat(h1.inProgress()).as("cmsd may still be down there: not done").isTrue();
        assertThat(hosts.state("h1", CMSD)).isEqualTo("inactive");

        hosts.unreachable.clear();
        store.resumeRollout("xrd");
        RunResult again = engine("min_ok = 1").run(Optional.of("h2"), false);

        assertThat(again.outcome()).isEqualTo(RunResult.Outcome.DONE);
        assertThat(again.restarted()).containsExactly("h1", "h2");
        assertThat(hosts.state("h1", CMSD)).isEqualTo("active");
        assertThat(alerts()).isEmpty();
    }

    @Test
    void aHalfDoneHost_isCompletedFromItsJournalledStep_beforeAnyOther() throws Exception {
        RolloutEngine engine = engine("min_ok = 1");
        List<RolloutHostRecord> records = engine.records();
        // killed after journalling step 3 (restart xrootd): cmsd is down on h3
        hosts.set("h3", CMSD, "inactive");
        store.saveRolloutHost(records.get(2).withStep(2));

        RunResult result = engine.run(Optional.of("h1"), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.DONE);
        assertThat(result.restarted()).containsExactly("h3", "h1");
        assertThat(hosts.actions("h3")).containsExactly("restart " + XROOTD, "start " + CMSD);
        assertThat(hosts.state("h3", CMSD)).isEqualTo("active");
        assertThat(store.events(dev.vigil.store.EventQuery.latest(100).withKind("rollout-half-done")))
                .hasSize(1);
    }

    @Test
    void theSchedule_isStaggeredOverThePeriod_andKeptAcrossRuns() throws Exception {
        List<RolloutHostRecord> first = engine("period = \"4d\"").records();
        List<RolloutHostRecord> again = engine("period = \"4d\"").records();

        assertThat(again).isEqualTo(first);
        for (int i = 1; i < first.size(); i++) {
            assertThat(java.time.Duration.between(
                            first.get(i - 1).nextDue(), first.get(i).nextDue()))
                    .isEqualTo(java.time.Duration.ofDays(1));
        }
        RunResult due = engine("period = \"4d\"").run(Optional.empty(), true);
        assertThat(due.restarted()).as("only the first host is due now").containsExactly("h1");
        assertThat(store.rolloutHosts("xrd").stream()
                        .filter(r -> r.host().equals("h1"))
                        .findFirst()
                        .orElseThrow()
                        .nextDue())
                .isEqualTo(first.getFirst().nextDue().plus(java.time.Duration.ofDays(4)));
    }

    @Test
    void maxParallel_neverHasMoreHostsInProgress() throws Exception {
        RunResult result = engine("min_ok = 1\nmax_parallel = 2").run(Optional.empty(), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.DONE);
        int inProgress = 0;
        int most = 0;
        for (String line : List.copyOf(hosts.log)) {
            if (line.contains("systemctl stop")) {
                most = Math.max(most, ++inProgress);
            } else if (line.contains("systemctl start")) {
                inProgress--;
            }
        }
        assertThat(most).isBetween(1, 2);
        assertThat(Map.of("restarted", result.restarted().size())).containsEntry("restarted", 4);
    }

    @Test
    void outsideItsWindows_theScheduleStartsNoHost_butCompletesAHalfDoneOne() throws Exception {
        String tomorrow = java.time.LocalDate.now(ZoneId.of("UTC"))
                .plusDays(1)
                .getDayOfWeek()
                .getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ROOT);
        String keys = "min_ok = 1\nwindows = [\"" + tomorrow + " 00:00-24:00\"]";
        RolloutEngine engine = engine(keys);
        store.saveRolloutHost(engine.records().get(1).withStep(3));
        hosts.set("h2", CMSD, "inactive");

        RunResult result = engine.run(Optional.empty(), true);

        assertThat(result.message()).contains("outside the allowed windows");
        assertThat(result.restarted()).containsExactly("h2");
        assertThat(hosts.actions("h2")).containsExactly("start " + CMSD);
        assertThat(hosts.actions("h1")).isEmpty();
    }

    @Test
    void anXrootdWhoseStopTimesOutInTheRestart_isNeedsReboot_andCmsdStaysDown() throws Exception {
        // as testfleet's xrootd-unkillable: the stop phase times out, systemctl exits 0, the unit is failed
        hosts.timedOut.add("h1 " + XROOTD);

        RunResult result = engine("min_ok = 1").run(Optional.empty(), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
        assertThat(alerts()).containsExactly("NeedsReboot");
        assertThat(hosts.actions("h1")).containsExactly("stop " + CMSD, "restart " + XROOTD);
        assertThat(hosts.state("h1", CMSD))
                .as("no clients sent to a stuck server")
                .isEqualTo("inactive");
    }

    @Test
    void anXrootdThatSurvivesSigkillInTheRestart_isNeedsReboot_andCmsdStaysDown() throws Exception {
        // as the test fleet's real systemd does it: the restart exits 1 with Result=resources, the old xrootd runs on
        hosts.leftBehind.add("h1 " + XROOTD);

        RunResult result = engine("min_ok = 1").run(Optional.empty(), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
        assertThat(alerts()).containsExactly("NeedsReboot");
        assertThat(result.message()).contains("old processes still run");
        assertThat(hosts.actions("h1")).containsExactly("stop " + CMSD, "restart " + XROOTD);
        assertThat(hosts.state("h1", CMSD)).isEqualTo("inactive");
        assertThat(hosts.actions("h2")).isEmpty();
    }

    @Test
    void aStopThatTimesOutLeavingTheUnitFailed_isNotAStop() throws Exception {
        hosts.timedOut.add("h1 " + CMSD);

        RunResult result = engine("min_ok = 1").run(Optional.empty(), false);

        assertThat(result.outcome()).isEqualTo(RunResult.Outcome.FAILED);
        assertThat(alerts()).containsExactly("NeedsReboot");
    }
}
