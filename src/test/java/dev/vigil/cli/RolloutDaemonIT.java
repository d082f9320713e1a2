package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.fleet.ssh.TestKeys;
import dev.vigil.fleet.ssh.TestSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code vigil daemon} schedules a rollout on its own and serves {@code vigil_rollout_*} on /metrics. The two
 * hosts are SSH servers on loopback in this JVM that run real commands on this machine, with a {@code systemctl}
 * that keeps each host's unit states in files (this machine stands in for each host; no test fleet).
 */
class RolloutDaemonIT {
    /** A systemctl for the commands a rollout runs: state per host in $UNITS/$VIGIL_HOST/UNIT (absent: active). */
    private static final String SYSTEMCTL = """
            #!/bin/sh
            dir="$UNITS/$VIGIL_HOST"; mkdir -p "$dir"
            verb=$1; shift
            while [ "$1" != "--" ]; do shift; done; shift
            case $verb in
              is-active) rc=0
                for u; do s=$(cat "$dir/$u" 2>/dev/null || echo active); echo "$s"; [ "$s" = active ] || rc=3; done
                exit $rc;;
              stop|kill) echo inactive > "$dir/$1";;
              start|restart) echo active > "$dir/$1"; echo "$verb" >> "$dir/$1.done";;
              show) echo success;;
            esac
            """;

    @TempDir
    Path home;

    private final LocalServers servers = new LocalServers();
    private final List<TestSshServer> hosts = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        servers.stopAll();
        for (TestSshServer h : hosts) {
            h.close();
        }
    }

    @Test
    void theDaemon_restartsEachHostOnItsSchedule_andServesTheRolloutMetrics() throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.writeString(bin.resolve("systemctl"), SYSTEMCTL);
        Files.setPosixFilePermissions(bin.resolve("systemctl"), PosixFilePermissions.fromString("rwx------"));
        Path units = home.resolve("units");
        KeyPair client = TestKeys.ed25519();
        Path key = TestKeys.write(client, home.resolve("id_ed25519"), Optional.empty());
        StringBuilder known = new StringBuilder();
        StringBuilder inventory = new StringBuilder();
        for (String name : List.of("h1", "h2")) {
            TestSshServer host = new TestSshServer(
                    TestKeys.ed25519(),
                    List.of(client.getPublic()),
                    TestSshServer.shellWith(List.of(
                            "PATH=" + bin + ":" + System.getenv("PATH"), "VIGIL_HOST=" + name, "UNITS=" + units)));
            hosts.add(host);
            known.append(host.knownHostsLine()).append('\n');
            inventory.append("""
                    [host.%s]
                    address = "127.0.0.1"
                    port = %d
                    classes = ["web"]
                    """.formatted(name, host.port()));
        }
        Files.writeString(home.resolve("known_hosts"), known);
        int metricsPort = LocalServers.freePort();
        Path config = home.resolve("vigil.toml");
        // period 20s: h1 is due at once, h2 ten seconds later
        Files.writeString(config, """
                state_dir = "%s"
                metrics_listen = "127.0.0.1:%d"
                [ssh]
                known_hosts = "%s"
                keys = ["%s"]
                user = "%s"
                %s
                [rollout.web]
                hosts = "web"
                period = "20s"
                min_ok = 1
                stay_healthy = "0s"
                [[rollout.web.step]]
                action = "restart"
                unit = "app.service"
                """.formatted(
                        home.resolve("state"),
                        metricsPort,
                        home.resolve("known_hosts"),
                        key,
                        System.getProperty("user.name"),
                        inventory));
        Path log = home.resolve("daemon.log");
        Process daemon = servers.start(log, Launcher.VIGIL.toString(), "-c", config.toString(), "daemon");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("vigil daemon started"));

        Path h1 = units.resolve("h1/app.service.done");
        Path h2 = units.resolve("h2/app.service.done");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(h1));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("h1 not restarted; the daemon's log:\n" + Files.readString(log), e);
        }
        assertThat(h2).as("h2 is not due yet").doesNotExist();
        await().atMost(Duration.ofSeconds(40)).until(() -> Files.exists(h2));
        assertThat(Files.readAllLines(h1)).as("each host once per period").containsExactly("restart");

        String url = "http://127.0.0.1:" + metricsPort + "/metrics";
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(LocalServers.get(url))
                .contains("vigil_rollout_heartbeat{rollout=\"web\"}")
                .contains("vigil_rollout_restart_active{node=\"h1\",rollout=\"web\"} 0.0")
                .contains("vigil_rollout_last_success_timestamp{node=\"h2\",rollout=\"web\"}")
                .contains("vigil_rollout_next_due_timestamp{node=\"h1\",rollout=\"web\"}")
                .contains("vigil_rollout_restart_duration_seconds_count{rollout=\"web\"} 2"));

        Launcher.Result status = Launcher.vigil(home, "-c", config.toString(), "rollout", "status", "web");
        assertThat(status.out()).as(status.toString()).doesNotContain(RolloutCommand.NEVER_RUN);

        daemon.destroy(); // SIGTERM: nothing under way, so it stops at once
        assertThat(daemon.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(log)).contains("rollout web: ");
    }
}
