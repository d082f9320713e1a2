package dev.vigil.testfleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.testfleet.TestFleet.Fault;
import dev.vigil.testfleet.TestFleet.Host;
import dev.vigil.testfleet.TestFleet.Result;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Smoke test of the test fleet: real hosts, strict SSH, an XRootD cluster, and every fault doing what it says. */
@Tag("fleet")
@ExtendWith(TestFleetExtension.class)
class TestFleetIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @Test
    void fiveHosts_aRedirectorAndFourDataServers(TestFleet fleet) throws Exception {
        assertThat(fleet.hosts()).extracting(Host::name).containsExactly("xrd-rdr", "xrd01", "xrd02", "xrd03", "xrd04");
        assertThat(fleet.manager().name()).isEqualTo("xrd-rdr");
        assertThat(fleet.manager().address()).isEqualTo("10.231.0.11");
        assertThat(fleet.dataServers()).hasSize(4);
        // Each host its own host keys: three per host, none shared.
        List<String> keys = Files.readAllLines(fleet.knownHosts()).stream()
                .map(l -> l.split(" ")[2])
                .toList();
        assertThat(keys).hasSize(3 * 5).doesNotHaveDuplicates();
        for (Host h : fleet.hosts()) {
            Result hostname = fleet.exec(h.name(), "hostname");
            assertThat(hostname.output().strip()).isEqualTo(h.name());
            // The kernel's settings are the machine's: read-only inside the hosts.
            assertThat(fleet.exec(h.name(), "sh", "-c", "echo 1 > /proc/sys/kernel/printk_ratelimit")
                            .ok())
                    .isFalse();
        }
    }

    @Test
    void everyHost_answersActiveTwice_overStrictSsh(TestFleet fleet) {
        for (Host h : fleet.hosts()) {
            for (int i = 0; i < 2; i++) {
                Result r = fleet.ssh(h, "systemctl", "is-active", "xrootd@cluster", "cmsd@cluster");
                assertThat(r.output()).as(h.name()).isEqualTo("active\nactive\n");
                assertThat(r.exitCode()).as(h.name()).isZero();
            }
        }
    }

    @Test
    void everyDataServer_logsInAtTheRedirector(TestFleet fleet) {
        String manager = fleet.manager().name();
        await().atMost(BOUND).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            String log = fleet.exec(manager, "cat", "/var/log/xrootd/cluster/cmsd.log")
                    .output();
            for (Host server : fleet.dataServers()) {
                assertThat(log).containsPattern("@" + server.name() + ":1094 logged in\\.");
            }
        });
        assertThat(fleet.journal(manager, "cmsd@cluster")).contains("Started cmsd@cluster.service");
    }

    @Test
    void cut_makesConnectsFail_andRestore_bringsThemBack(TestFleet fleet) {
        assertSshBrokenUntilUndone(fleet, fleet.host("xrd01"), Fault.CUT, "timed out", Fault.RESTORE);
    }

    @Test
    void sshdStop_refusesConnects_untilSshdStart(TestFleet fleet) {
        assertSshBrokenUntilUndone(fleet, fleet.host("xrd02"), Fault.SSHD_STOP, "refused", Fault.SSHD_START);
    }

    /** FAULT makes an SSH connect fail with ERROR; UNDO makes it work again, within the bound. */
    private static void assertSshBrokenUntilUndone(TestFleet fleet, Host h, Fault fault, String error, Fault undo) {
        fleet.fault(h.name(), fault);
        Result broken = fleet.ssh(h, "true");
        assertThat(broken.exitCode()).isEqualTo(255);
        assertThat(broken.output()).contains(error);
        fleet.fault(h.name(), undo);
        await().atMost(BOUND).until(() -> fleet.ssh(h, "true").ok());
    }

    @Test
    void rekey_isRefusedByStrictHostKeyChecking(TestFleet fleet) {
        Host h = fleet.host("xrd03");
        assertThat(fleet.ssh(h, "true").ok()).isTrue();
        fleet.fault(h.name(), Fault.REKEY);
        Result r = fleet.ssh(h, "true");
        assertThat(r.exitCode()).isEqualTo(255);
        assertThat(r.output()).contains("Host key verification failed");
        fleet.fault(h.name(), Fault.RESET);
        assertThat(fleet.ssh(h, "true").ok()).isTrue();
    }

    @Test
    void xrootdIgnoringTerm_makesAStopTakeTimeoutStopSec(TestFleet fleet) {
        String h = "xrd04";
        fleet.fault(h, Fault.XROOTD_IGNORE_TERM);
        long start = System.nanoTime();
        fleet.exec(h, "systemctl", "stop", "xrootd@cluster");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(20));
        assertThat(fleet.exec(h, "systemctl", "is-active", "xrootd@cluster")
                        .output()
                        .strip())
                .isNotEqualTo("active");
        assertThat(fleet.exec(h, "pgrep", "-x", "xrootd").ok())
                .as("SIGKILL after the timeout")
                .isFalse();
    }

    @Test
    void vigil_mayRunSystemctlWithSudo(TestFleet fleet) {
        Result r = fleet.ssh(fleet.host("xrd01"), "sudo", "-n", "systemctl", "status", "ssh");
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertThat(r.output()).contains("active (running)");
        Result notAllowed = fleet.ssh(fleet.host("xrd01"), "sudo", "-n", "id");
        assertThat(notAllowed.ok()).as("only systemctl").isFalse();
    }

    @Test
    void latencyProxy_delaysAnSshSession(TestFleet fleet) throws Exception {
        Host h = fleet.manager();
        long direct = timeMillis(fleet.sshCommand(h, "true"));
        try (LatencyProxy proxy = LatencyProxy.toSsh(h, Duration.ofMillis(100))) {
            long delayed = timeMillis(fleet.sshCommand(h, proxy.address(), "true"));
            // An SSH session is several round trips, each 200 ms longer through the proxy.
            assertThat(delayed - direct).isGreaterThan(800L);
        }
    }

    private static long timeMillis(List<String> command) {
        long start = System.nanoTime();
        Result r = TestFleet.run(command, Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.output()).isZero();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
