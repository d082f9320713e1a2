package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.store.RolloutHostRecord;
import dev.vigil.store.Store;
import dev.vigil.testfleet.TestFleet;
import dev.vigil.testfleet.TestFleetExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil rollout} through bin/vigil on the test fleet: real xrootd and cmsd on data servers xrd01.. subscribed
 * to the redirector xrd-rdr, reached over SSH as "vigil" with sudo for systemctl. What happened is read from the
 * hosts themselves: each data server's journal (what systemd did, in order) and the redirector's cmsd log (when each
 * server logged out and in again).
 */
@Tag("fleet")
@ExtendWith(TestFleetExtension.class)
class RolloutIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration ROLLOUT_BOUND = Duration.ofMinutes(8);
    private static final String CMSD_LOG = "/var/log/xrootd/cluster/cmsd.log";

    @TempDir
    Path home;

    private final TestFleet fleet;

    RolloutIT(TestFleet fleet) {
        this.fleet = fleet;
    }

    @AfterEach
    void everyUnitRunsAgain() {
        for (TestFleet.Host host : fleet.dataServers()) {
            fleet.exec(host.name(), "systemctl", "start", "xrootd@cluster", "cmsd@cluster");
        }
    }

    private Path config(String rollout) throws Exception {
        return config("2s", rollout);
    }

    private Path config(String cmsdWait, String rollout) throws Exception {
        StringBuilder toml = new StringBuilder(fleet.vigilToml(home.resolve("state"), true, Duration.ofSeconds(3)));
        toml.append("""
                [rollout.xrd]
                preset = "xrootd"
                hosts = "data"
                manager = "redirector"
                cmsd_wait = "%s"
                stay_healthy = "3s"
                health_deadline = "90s"
                """.formatted(cmsdWait)).append(rollout);
        Path file = home.resolve("vigil.toml");
        Files.writeString(file, toml);
        return file;
    }

    private Launcher.Result vigil(Path config, String... args) throws Exception {
        return Launcher.vigil(home, ROLLOUT_BOUND, config, args);
    }

    /** systemd's own lines about the two units on {@code host} since {@code since} (epoch seconds), in order. */
    private List<String> systemdLines(String host, long since) {
        TestFleet.Result r = fleet.exec(
                host,
                "journalctl",
                "--no-pager",
                "-o",
                "short-unix",
                "-u",
                "cmsd@cluster",
                "-u",
                "xrootd@cluster",
                "--since",
                "@" + since);
        assertThat(r.ok()).as(r.output()).isTrue();
        return r.output().lines().filter(l -> l.contains(" systemd[1]: ")).toList();
    }

    private static int index(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no line with '" + text + "' in\n" + String.join("\n", lines));
    }

    private static double time(String line) {
        return Double.parseDouble(line.substring(0, line.indexOf(' ')));
    }

    /** The redirector's cmsd log lines (from line {@code from} on) saying a data server logged in or out. */
    private List<String> subscriptions(int from) {
        TestFleet.Result r = fleet.exec(fleet.manager().name(), "tail", "-n", "+" + (from + 1), CMSD_LOG);
        return r.output()
                .lines()
                .filter(l -> l.contains(" logged in.") || l.contains(" logged out"))
                .toList();
    }

    private int managerLogLines() {
        return (int) fleet.exec(fleet.manager().name(), "cat", CMSD_LOG)
                .output()
                .lines()
                .count();
    }

    private Map<String, String> mainPids() {
        Map<String, String> pids = new LinkedHashMap<>();
        for (TestFleet.Host host : fleet.dataServers()) {
            for (String unit : List.of("xrootd@cluster", "cmsd@cluster")) {
                pids.put(
                        host.name() + "/" + unit,
                        fleet.exec(host.name(), "systemctl", "show", "-p", "MainPID", "--value", unit)
                                .output()
                                .strip());
            }
        }
        return pids;
    }

    @Test
    void aRollout_restartsEveryDataServer_oneAfterTheOther_inThePresetsOrder() throws Exception {
        Path config = config("min_ok = 2\n");
        long since = Long.parseLong(
                fleet.exec(fleet.manager().name(), "date", "+%s").output().strip());
        int logFrom = managerLogLines();
        long start = System.nanoTime();

        Launcher.Result run = vigil(config, "rollout", "run", "xrd");
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> servers =
                fleet.dataServers().stream().map(TestFleet.Host::name).toList();
        assertThat(run.out()).contains("done: restarted " + String.join(", ", servers));
        for (String host : servers) {
            List<String> lines = systemdLines(host, since);
            int cmsdStopped = index(lines, "Stopped cmsd@cluster.service");
            int xrootdStopping = index(lines, "Stopping xrootd@cluster.service");
            int xrootdStarted = index(lines, "Started xrootd@cluster.service");
            int cmsdStarted = index(lines, "Started cmsd@cluster.service");
            assertThat(List.of(cmsdStopped, xrootdStopping, xrootdStarted, cmsdStarted))
                    .as(host + ": cmsd stopped, then xrootd restarted, then cmsd started:\n" + String.join("\n", lines))
                    .isSorted()
                    .doesNotHaveDuplicates();
            assertThat(time(lines.get(xrootdStopping)) - time(lines.get(cmsdStopped)))
                    .as(host + ": cmsd_wait between stopping cmsd and restarting xrootd")
                    .isGreaterThanOrEqualTo(2.0);
        }
        // the redirector: each server logged out (cmsd stopped) and in again before the next one logged out
        List<String> subs = subscriptions(logFrom);
        List<String> expected = new ArrayList<>();
        for (String host : servers) {
            expected.add(host + " out");
            expected.add(host + " in");
        }
        List<String> seen = subs.stream()
                .map(l -> servers.stream()
                                .filter(h -> l.contains("@" + h + " ") || l.contains("@" + h + ":"))
                                .findFirst()
                                .orElse("?")
                        + (l.contains(" logged in.") ? " in" : " out"))
                .toList();
        assertThat(seen).as(String.join("\n", subs)).containsExactlyElementsOf(expected);

        Launcher.Result status = vigil(config, "rollout", "status", "xrd", "--json");
        JsonNode json = JSON.readTree(status.out());
        assertThat(json.get("paused").asBoolean()).isFalse();
        for (JsonNode h : json.get("hosts")) {
            assertThat(h.get("last_success").isNull()).as(h.toString()).isFalse();
            assertThat(h.get("healthy").asBoolean()).as(h.toString()).isTrue();
        }
        String metrics = Files.readString(home.resolve("state/metrics/vigil_rollout_xrd.prom"));
        assertThat(metrics)
                .contains("vigil_rollout_restart_duration_seconds_count{rollout=\"xrd\"} " + servers.size())
                .contains("vigil_rollout_restart_active{node=\"xrd01\",rollout=\"xrd\"} 0.0");
        System.err.printf("RolloutIT: %d data servers restarted in %.1f s%n", servers.size(), seconds);
    }

    @Test
    void aDryRun_printsThePlan_andTouchesNothing() throws Exception {
        Path config = config("min_ok = 2\n");
        Map<String, String> before = mainPids();

        Launcher.Result run = vigil(config, "rollout", "run", "xrd", "--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains(
                        "1. stop cmsd@cluster.service",
                        "2. wait 2s",
                        "3. restart xrootd@cluster.service",
                        "4. start cmsd@cluster.service",
                        "1. xrd01: healthy",
                        "dry run: nothing was changed");
        assertThat(run.out().indexOf("xrd01: healthy")).isLessThan(run.out().indexOf("xrd02: healthy"));
        assertThat(mainPids()).isEqualTo(before);
    }

    @Test
    void withOneServerDown_andMinOkAtTheEdge_noHostIsTakenDown_andTheAlertFiresThenResolves() throws Exception {
        int servers = fleet.dataServers().size();
        Path config = config("min_ok = " + (servers - 1) + "\n");
        long since = Long.parseLong(fleet.exec("xrd01", "date", "+%s").output().strip());
        fleet.exec("xrd02", "systemctl", "stop", "xrootd@cluster");

        Launcher.Result run = vigil(config, "rollout", "run", "xrd");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("refused", "fewer than min_ok = " + (servers - 1), "xrd02");
        for (TestFleet.Host host : fleet.dataServers()) {
            List<String> lines = systemdLines(host.name(), since);
            assertThat(lines).as(host.name() + ": cmsd untouched").noneMatch(l -> l.contains("Stopping cmsd"));
            // xrd02's one stop of xrootd is this test's own
            assertThat(lines.stream().filter(l -> l.contains("Stopping xrootd")))
                    .as(host.name() + ": xrootd untouched")
                    .hasSize(host.name().equals("xrd02") ? 1 : 0);
        }
        JsonNode status = JSON.readTree(
                vigil(config, "rollout", "status", "xrd", "--json").out());
        assertThat(status.get("alerts").toString()).contains("InsufficientHealthyHosts");

        fleet.exec("xrd02", "systemctl", "start", "xrootd@cluster");
        Launcher.Result again = vigil(config, "rollout", "run", "xrd", "--host", "xrd02");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        status = JSON.readTree(
                vigil(config, "rollout", "status", "xrd", "--json").out());
        assertThat(status.get("alerts").toString()).doesNotContain("InsufficientHealthyHosts");
    }

    /** How many data servers have both units active, asked through each host's back door (not over SSH). */
    private int healthyServers() {
        int n = 0;
        for (TestFleet.Host host : fleet.dataServers()) {
            // fleet exec does not pass the exit status on: read the states
            String states = fleet.exec(host.name(), "systemctl", "is-active", "xrootd@cluster", "cmsd@cluster")
                    .output();
            if (states.lines().filter("active"::equals).count() == 2) {
                n++;
            }
        }
        return n;
    }

    private Optional<RolloutHostRecord> journal(Path db, String host) {
        if (!Files.exists(db)) {
            return Optional.empty();
        }
        try (Store store = Store.open(db)) {
            return store.rolloutHosts("xrd").stream()
                    .filter(r -> r.host().equals(host))
                    .findFirst();
        }
    }

    @Test
    void killedInEveryPhase_theNextRunCompletesTheHalfDoneHost_andMinOkHoldsThroughout() throws Exception {
        int servers = fleet.dataServers().size();
        Path config = config("min_ok = " + (servers - 1) + "\n");
        Path db = home.resolve("state/state.db");
        AtomicInteger fewest = new AtomicInteger(servers);
        AtomicInteger samples = new AtomicInteger();
        AtomicBoolean sampling = new AtomicBoolean(true);
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (sampling.get()) {
                try {
                    fewest.accumulateAndGet(healthyServers(), Math::min);
                    samples.incrementAndGet();
                } catch (RuntimeException e) {
                    System.err.println("RolloutIT: sample failed: " + e);
                }
            }
        });
        List<String> killedAt = new ArrayList<>();
        try {
            for (int phase = 0; phase < 4; phase++) {
                int wanted = phase;
                Process controller = new ProcessBuilder(
                                Launcher.VIGIL.toString(),
                                "-c",
                                config.toString(),
                                "rollout",
                                "run",
                                "xrd",
                                "--host",
                                "xrd01")
                        .directory(Launcher.PROJECT.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(home.resolve("killed-" + phase + ".txt").toFile())
                        .start();
                Awaitility.await()
                        .atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> journal(db, "xrd01")
                                .filter(r -> r.inProgress() && r.step() >= wanted)
                                .isPresent());
                controller.destroyForcibly(); // SIGKILL: bin/vigil execs the JVM
                assertThat(controller.waitFor(10, TimeUnit.SECONDS)).isTrue();
                RolloutHostRecord left = journal(db, "xrd01").orElseThrow();
                assertThat(left.inProgress())
                        .as("half-done after kill -9 in phase " + phase)
                        .isTrue();
                killedAt.add("step " + (left.step() + 1));

                Launcher.Result again = vigil(config, "rollout", "run", "xrd", "--host", "xrd01");

                assertThat(again.exitCode()).as(again.toString()).isZero();
                assertThat(again.out()).contains("xrd01: found half-done", "done: restarted xrd01");
                assertThat(journal(db, "xrd01").orElseThrow().inProgress()).isFalse();
                assertThat(healthyServers()).isEqualTo(servers);
            }
        } finally {
            sampling.set(false);
            sampler.join(Duration.ofSeconds(30));
        }
        System.err.println("RolloutIT: killed the controller at " + killedAt + "; fewest healthy " + fewest.get()
                + " of " + servers + " in " + samples.get() + " samples");
        assertThat(samples.get()).as("samples taken").isGreaterThan(20);
        assertThat(fewest.get())
                .as("healthy data servers at any moment: never below min_ok, and the sampler saw xrd01 down")
                .isEqualTo(servers - 1);
    }

    private Process controller(Path config, String output, String... more) throws Exception {
        List<String> argv =
                new ArrayList<>(List.of(Launcher.VIGIL.toString(), "-c", config.toString(), "rollout", "run", "xrd"));
        argv.addAll(List.of(more));
        return new ProcessBuilder(argv)
                .directory(Launcher.PROJECT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(home.resolve(output).toFile())
                .start();
    }

    private JsonNode status(Path config) throws Exception {
        return JSON.readTree(vigil(config, "rollout", "status", "xrd", "--json").out());
    }

    @Test
    void aHostCutMidRollout_stopsTheRollout_staysHalfDone_andIsCompletedWhenItComesBack() throws Exception {
        Path config = config("8s", "min_ok = 1\nretries = 1\n");
        Path db = home.resolve("state/state.db");
        Process run = controller(config, "cut.txt");
        // cut while the controller waits after stopping cmsd: the restart of xrootd is the first step to fail
        Awaitility.await()
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> journal(db, "xrd01")
                        .filter(r -> r.inProgress() && r.step() == 1)
                        .isPresent());
        fleet.fault("xrd01", TestFleet.Fault.CUT);
        assertThat(run.waitFor(3, TimeUnit.MINUTES)).isTrue();
        String out = Files.readString(home.resolve("cut.txt"));

        assertThat(run.exitValue()).as(out).isEqualTo(7);
        assertThat(out).contains("xrd01 is unreachable", "rollout paused", "it stays half-done");
        assertThat(journal(db, "xrd01").orElseThrow().inProgress()).isTrue();
        JsonNode cut = status(config);
        assertThat(cut.get("paused").asBoolean()).isTrue();
        assertThat(cut.get("alerts").toString()).contains("RolloutConnectError", "xrd01");
        for (TestFleet.Host host : fleet.dataServers()) {
            if (!host.name().equals("xrd01")) {
                assertThat(journal(db, host.name()).orElseThrow().lastSuccess())
                        .as(host.name() + " was not started: the rollout stopped at xrd01")
                        .isEmpty();
            }
        }
        // from its own side, xrd01 kept cmsd stopped and xrootd untouched: nothing restarted behind the cut
        assertThat(fleet.exec("xrd01", "systemctl", "is-active", "cmsd@cluster")
                        .output()
                        .strip())
                .isEqualTo("inactive");

        fleet.fault("xrd01", TestFleet.Fault.RESTORE);
        assertThat(vigil(config, "rollout", "resume", "xrd").exitCode()).isZero();
        Launcher.Result again = vigil(config, "rollout", "run", "xrd", "--host", "xrd01");

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("xrd01: found half-done", "done: restarted xrd01");
        assertThat(healthyServers()).isEqualTo(fleet.dataServers().size());
        assertThat(status(config).get("alerts").toString()).doesNotContain("RolloutConnectError");
    }

    @Test
    void anXrootdThatIgnoresSigterm_isKilledBySystemd_andTheRestartGoesOn() throws Exception {
        Path config = config("min_ok = 1\n");
        fleet.fault("xrd01", TestFleet.Fault.XROOTD_IGNORE_TERM);
        long since = Long.parseLong(fleet.exec("xrd01", "date", "+%s").output().strip());

        Launcher.Result run = vigil(config, "rollout", "run", "xrd", "--host", "xrd01");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("done: restarted xrd01");
        List<String> lines = systemdLines("xrd01", since);
        assertThat(lines).anyMatch(l -> l.contains("State 'stop-sigterm' timed out. Killing."));
        assertThat(index(lines, "Started cmsd@cluster.service"))
                .as("cmsd only after xrootd was killed and started again")
                .isGreaterThan(index(lines, "Started xrootd@cluster.service"));
        assertThat(healthyServers()).isEqualTo(fleet.dataServers().size());
    }

    @Test
    void anXrootdThatCannotBeKilled_firesNeedsReboot_andLeavesCmsdDown() throws Exception {
        Path config = config("min_ok = 1\n");
        fleet.fault("xrd01", TestFleet.Fault.XROOTD_UNKILLABLE);

        Launcher.Result run = vigil(config, "rollout", "run", "xrd");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(7);
        assertThat(run.out()).contains("xrd01", "rollout paused");
        JsonNode status = status(config);
        assertThat(status.get("alerts").toString()).contains("NeedsReboot", "xrd01");
        assertThat(status.get("paused").asBoolean()).isTrue();
        // the stuck xrootd must get no clients: cmsd stays down, and no other host was started
        assertThat(fleet.exec("xrd01", "systemctl", "is-active", "cmsd@cluster")
                        .output()
                        .strip())
                .isEqualTo("inactive");
        for (TestFleet.Host host : fleet.dataServers()) {
            if (!host.name().equals("xrd01")) {
                assertThat(journal(home.resolve("state/state.db"), host.name())
                                .orElseThrow()
                                .lastSuccess())
                        .isEmpty();
            }
        }
    }
}
