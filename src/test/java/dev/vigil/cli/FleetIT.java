package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.testfleet.LatencyProxy;
import dev.vigil.testfleet.TestFleet;
import dev.vigil.testfleet.TestFleetExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil fleet status|check} through bin/vigil against the test fleet: real hosts with their own systemd,
 * OpenSSH and XRootD (testfleet/), reached over SSH as the unprivileged user "vigil" with sudo for systemctl.
 */
@Tag("fleet")
@ExtendWith(TestFleetExtension.class)
class FleetIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path home;

    private final TestFleet fleet;

    FleetIT(TestFleet fleet) {
        this.fleet = fleet;
    }

    /** The fleet's inventory, the two XRootD units on every host, and {@code extra} TOML after them. */
    private Path config(String extra) throws Exception {
        return config("", extra, true);
    }

    private Path config(String extra, boolean sudo) throws Exception {
        return config("", extra, sudo);
    }

    /**
     * @param top top-level keys (TOML wants them before the first table)
     * @param sudo whether remote commands that change something go through sudo (the fleet allows systemctl)
     */
    private Path config(String top, String extra, boolean sudo) throws Exception {
        StringBuilder toml = new StringBuilder(top);
        toml.append(fleet.vigilToml(home.resolve("state"), sudo, CONNECT_TIMEOUT));
        toml.append("""
                [service.xrootd]
                driver = "systemd"
                unit = "xrootd@cluster"
                hosts = "xrootd"

                [service.cmsd]
                driver = "systemd"
                unit = "cmsd@cluster"
                hosts = "xrootd"

                """).append(extra);
        Path file = home.resolve("vigil.toml");
        Files.writeString(file, toml);
        return file;
    }

    private Launcher.Result vigil(Path config, String... args) throws Exception {
        return Launcher.vigil(home, java.time.Duration.ofMinutes(1), config, args);
    }

    /** host/service → state, from {@code fleet ... --json}; unreachable hosts as host/* → "unreachable". */
    private static Map<String, String> states(Launcher.Result run) throws Exception {
        Map<String, String> states = new TreeMap<>();
        for (JsonNode host : JSON.readTree(run.out())) {
            if (!host.get("reachable").asBoolean()) {
                states.put(host.get("host").asText() + "/*", "unreachable");
                continue;
            }
            for (JsonNode s : host.get("services")) {
                states.put(
                        host.get("host").asText() + "/" + s.get("name").asText(),
                        s.get("state").asText());
            }
        }
        return states;
    }

    private static JsonNode hostNode(Launcher.Result run, String name) throws Exception {
        for (JsonNode host : JSON.readTree(run.out())) {
            if (host.get("host").asText().equals(name)) {
                return host;
            }
        }
        throw new AssertionError("no host " + name + " in " + run);
    }

    @Test
    void status_showsBothUnitsOnEveryHost_inOneTable() throws Exception {
        Path config = config("");

        Launcher.Result json = vigil(config, "fleet", "status", "--json");
        Launcher.Result table = vigil(config, "fleet", "status");

        assertThat(json.exitCode()).as(json.toString()).isZero();
        Map<String, String> states = states(json);
        assertThat(states)
                .hasSize(fleet.hosts().size() * 2)
                .containsOnlyKeys(fleet.hosts().stream()
                        .flatMap(h -> java.util.stream.Stream.of(h.name() + "/xrootd", h.name() + "/cmsd"))
                        .toList());
        assertThat(states.values()).containsOnly("running");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        for (TestFleet.Host host : fleet.hosts()) {
            assertThat(table.out()).contains(host.name());
        }
        assertThat(table.out())
                .contains(fleet.hosts().size() + " hosts: " + fleet.hosts().size() + " fine");

        Launcher.Result data = vigil(config, "fleet", "status", "--class", "data", "cmsd", "--json");
        assertThat(states(data)).hasSize(fleet.dataServers().size()).allSatisfy((k, v) -> assertThat(k)
                .endsWith("/cmsd"));
    }

    @Test
    void checkRepair_startsTheStoppedCmsd_onThatHostOnly() throws Exception {
        Path config = config("");
        String victim = fleet.dataServers().getFirst().name();
        assertThat(fleet.exec(victim, "systemctl", "stop", "cmsd@cluster").ok()).isTrue();
        try {
            stoppedCmsdIsRepaired(config, victim);
        } finally {
            fleet.exec(victim, "systemctl", "start", "cmsd@cluster"); // whatever happened, the next test needs it
        }
    }

    private void stoppedCmsdIsRepaired(Path config, String victim) throws Exception {

        Launcher.Result status = vigil(config, "fleet", "status", "--json");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.NOT_RUNNING);
        assertThat(states(status)).containsEntry(victim + "/cmsd", "stopped");

        Launcher.Result look = vigil(config, "fleet", "check");
        assertThat(look.exitCode()).as(look.toString()).isEqualTo(ExitCodes.NOT_RUNNING_OR_FAILED_TO_START);
        assertThat(fleet.exec(victim, "systemctl", "is-active", "cmsd@cluster")
                        .output()
                        .strip())
                .isEqualTo("inactive");

        Launcher.Result repair = vigil(config, "fleet", "check", "--repair", "--json");
        assertThat(repair.exitCode())
                .as("1: repaired, as vigil check; " + repair)
                .isEqualTo(1);
        List<String> repaired = new ArrayList<>();
        for (JsonNode host : JSON.readTree(repair.out())) {
            for (JsonNode s : host.get("services")) {
                if (s.get("outcome").asText().equals("repaired")) {
                    repaired.add(host.get("host").asText() + "/" + s.get("name").asText());
                }
            }
        }
        assertThat(repaired).containsExactly(victim + "/cmsd");
        // The host's own systemd confirms it, not only Vigil's report.
        assertThat(fleet.exec(victim, "systemctl", "is-active", "cmsd@cluster")
                        .output()
                        .strip())
                .isEqualTo("active");
        assertThat(fleet.journal(victim, "cmsd@cluster")).contains("Started");
        Launcher.Result again = vigil(config, "fleet", "check", "--repair");
        assertThat(again.exitCode()).as("nothing left to repair: " + again).isZero();
    }

    @Test
    void anUnreachableHost_isReportedWithinTheConnectTimeout_whileTheOthersComplete() throws Exception {
        Path config = config("");
        String cut = fleet.dataServers().get(1).name();
        fleet.fault(cut, TestFleet.Fault.CUT);

        long t0 = System.nanoTime();
        Launcher.Result status = vigil(config, "fleet", "status", "--json");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.STATUS_UNKNOWN);
        Map<String, String> states = states(status);
        assertThat(states).containsEntry(cut + "/*", "unreachable");
        assertThat(states).hasSize(1 + (fleet.hosts().size() - 1) * 2);
        assertThat(states.entrySet())
                .filteredOn(e -> !e.getKey().startsWith(cut + "/"))
                .allSatisfy(e -> assertThat(e.getValue()).isEqualTo("running"));
        assertThat(hostNode(status, cut).get("error").asText()).contains(cut).containsIgnoringCase("connect");
        // The bound: one connect timeout for the cut host (hosts are asked in parallel), plus the JVM and the others.
        assertThat(took).isLessThan(CONNECT_TIMEOUT.plusSeconds(10));
    }

    @Test
    void aChangedHostKey_isRefused_withBothFingerprints() throws Exception {
        Path config = config("");
        String rekeyed = fleet.dataServers().getLast().name();
        fleet.fault(rekeyed, TestFleet.Fault.REKEY);

        Launcher.Result status = vigil(config, "fleet", "status", "--json");

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.STATUS_UNKNOWN);
        String error = hostNode(status, rekeyed).get("error").asText();
        assertThat(error).containsIgnoringCase("changed");
        assertThat(error.split("SHA256:", -1)).as(error).hasSizeGreaterThanOrEqualTo(3);
        assertThat(states(status).entrySet())
                .filteredOn(e -> !e.getKey().startsWith(rekeyed + "/"))
                .allSatisfy(e -> assertThat(e.getValue()).isEqualTo("running"));
    }

    @Test
    void hostileUnitNames_areRejectedBeforeAnythingRuns() throws Exception {
        List<String> hostile = List.of(
                "cmsd@cluster; touch /tmp/vigil-pwned",
                "$(touch /tmp/vigil-pwned)",
                "`touch /tmp/vigil-pwned`",
                "x' ; touch /tmp/vigil-pwned '",
                "--help",
                "a\ntouch /tmp/vigil-pwned");
        for (String unit : hostile) {
            Path config = config("""
                    [service.evil]
                    driver = "systemd"
                    unit = %s
                    hosts = "any"
                    """.formatted(JSON.writeValueAsString(unit)));

            Launcher.Result check = vigil(config, "check-config");
            Launcher.Result status = vigil(config, "fleet", "status");
            Launcher.Result repair = vigil(config, "fleet", "check", "--repair");

            assertThat(check.exitCode()).as(check.toString()).isEqualTo(ExitCodes.NOT_CONFIGURED);
            assertThat(check.err()).contains("service.evil.unit").contains("a systemd unit name");
            assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.NOT_CONFIGURED);
            assertThat(repair.exitCode()).as(repair.toString()).isEqualTo(ExitCodes.NOT_CONFIGURED);
        }
        for (TestFleet.Host host : fleet.hosts()) {
            assertThat(fleet.exec(host.name(), "test", "-e", "/tmp/vigil-pwned").exitCode())
                    .as("marker on " + host.name())
                    .isNotZero();
        }
    }

    @Test
    void exitStatusDecides_notWhatACommandPrints() throws Exception {
        String host = fleet.dataServers().getFirst().name();
        Path config = config("""
                [service.liar]
                driver = "command"
                start = "echo started; echo active"
                stop = "true"
                status = "echo active; echo running fine; exit 3"
                hosts = "%1$s"

                [service.quiet]
                driver = "command"
                start = "true"
                stop = "true"
                status = "echo 'ERROR: this text means nothing' >&2; exit 0"
                hosts = "%1$s"
                """.formatted(host), false);

        Launcher.Result status = vigil(config, "fleet", "status", "liar", "quiet", "--json");
        assertThat(states(status)).containsEntry(host + "/liar", "stopped").containsEntry(host + "/quiet", "running");
        assertThat(status.exitCode()).as(status.toString()).isEqualTo(ExitCodes.NOT_RUNNING);

        // A start that prints success but leaves the status at 3 is a failed repair.
        Launcher.Result repair = vigil(config, "fleet", "check", "--repair", "liar", "--json");
        assertThat(repair.exitCode()).as(repair.toString()).isEqualTo(ExitCodes.NOT_RUNNING_OR_FAILED_TO_START);
        assertThat(hostNode(repair, host).get("services").get(0).get("outcome").asText())
                .isEqualTo("repair-failed");
    }

    @Test
    void theDaemon_repairsFleetServicesOnATimer_withHostLabelledMetricsEventsAndAlerts() throws Exception {
        int metricsPort = LocalServers.freePort();
        Path config = config("""
                fleet_check_interval = "1s"
                metrics_listen = "127.0.0.1:%d"
                control_socket = "%s"
                """.formatted(metricsPort, home.resolve("control.sock")), "", true);
        String victim = fleet.dataServers().getFirst().name();
        String cut = fleet.dataServers().getLast().name();
        String metrics = "http://127.0.0.1:" + metricsPort + "/metrics";
        Path log = home.resolve("daemon.log");
        LocalServers servers = new LocalServers();
        try {
            servers.start(log, Launcher.VIGIL.toString(), "-c", config.toString(), "daemon");
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Files.readString(log).contains("fleet check done"));

            assertThat(fleet.exec(victim, "systemctl", "stop", "cmsd@cluster").ok())
                    .isTrue();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> LocalServers.get(metrics)
                    .contains("vigil_restarts_total{host=\"" + victim + "\",reason=\"died\",service=\"cmsd\"} 1.0"));
            assertThat(fleet.exec(victim, "systemctl", "is-active", "cmsd@cluster")
                            .output()
                            .strip())
                    .isEqualTo("active");
            assertThat(Files.readString(log)).contains("alert ServiceDown firing: cmsd on " + victim);
            Launcher.Result events = vigil(config, "events", "cmsd@" + victim);
            assertThat(events.out()).as(events.toString()).contains("died").contains("restarted");

            // systemd restarting a unit by itself (Restart=, a person's systemctl restart) is observed, not fought
            String restarted = fleet.dataServers().get(1).name();
            assertThat(fleet.exec(restarted, "systemctl", "restart", "xrootd@cluster")
                            .ok())
                    .isTrue();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> LocalServers.get(metrics)
                    .contains("vigil_external_restarts_total{host=\"" + restarted + "\",service=\"xrootd\"} 1.0"));
            assertThat(Files.readString(log)).contains("xrootd on " + restarted + " was restarted by something else");
            assertThat(LocalServers.get(metrics))
                    .contains(
                            "vigil_restarts_total{host=\"" + restarted + "\",reason=\"died\",service=\"xrootd\"} 0.0");

            fleet.fault(cut, TestFleet.Fault.CUT);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> LocalServers.get(metrics)
                    .contains("vigil_fleet_host_up{host=\"" + cut + "\"} 0.0"));
            assertThat(Files.readString(log)).contains("alert HostUnreachable firing");
            // nothing is started on a host that cannot be seen
            assertThat(LocalServers.get(metrics))
                    .doesNotContain("vigil_restarts_total{host=\"" + cut + "\",reason=\"died\",service=\"cmsd\"} 1.0");
            fleet.fault(cut, TestFleet.Fault.RESTORE);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> LocalServers.get(metrics)
                    .contains("vigil_fleet_host_up{host=\"" + cut + "\"} 1.0"));
        } finally {
            servers.stopAll();
            fleet.exec(victim, "systemctl", "start", "cmsd@cluster");
        }
    }

    @Test
    void aSlowLink_isWaitedFor_butAHostSlowerThanTheConnectTimeout_isUnreachableWithinIt() throws Exception {
        TestFleet.Host far = fleet.dataServers().getFirst();
        try (LatencyProxy slow = LatencyProxy.toSsh(far, Duration.ofMillis(150));
                LatencyProxy stalled = LatencyProxy.toSsh(far, Duration.ofSeconds(30))) {
            // the hosts' real keys, recorded for the proxies' loopback ports as well
            String key = Files.readAllLines(fleet.knownHosts()).stream()
                    .filter(l -> l.startsWith(far.address() + " ") && l.contains("ssh-ed25519"))
                    .findFirst()
                    .orElseThrow()
                    .substring(far.address().length());
            Path known = Files.writeString(
                    home.resolve("known_hosts"),
                    "[127.0.0.1]:" + slow.port() + key + "\n[127.0.0.1]:" + stalled.port() + key + "\n");
            Path config = config("", """
                    [host.slow]
                    address = "127.0.0.1"
                    port = %d
                    [host.stalled]
                    address = "127.0.0.1"
                    port = %d

                    [service.cmsd-far]
                    driver = "systemd"
                    unit = "cmsd@cluster"
                    hosts = "slow|stalled"
                    """.formatted(slow.port(), stalled.port()), true);
            Files.writeString(
                    config,
                    Files.readString(config)
                            .replace(
                                    "known_hosts = \"" + fleet.knownHosts() + "\"",
                                    "known_hosts = [\"" + fleet.knownHosts() + "\", \"" + known + "\"]"));

            long t0 = System.nanoTime();
            Launcher.Result status = vigil(config, "fleet", "status", "cmsd-far", "--json");
            Duration took = Duration.ofNanos(System.nanoTime() - t0);

            Map<String, String> states = states(status);
            assertThat(states).as(status.toString()).containsEntry("slow/cmsd-far", "running");
            assertThat(states).containsEntry("stalled/*", "unreachable");
            assertThat(took).isLessThan(CONNECT_TIMEOUT.plusSeconds(10));
        }
    }
}
