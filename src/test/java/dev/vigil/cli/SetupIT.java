package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testfleet.TestFleet;
import dev.vigil.testfleet.TestFleetExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vigil setup hosts} through bin/vigil on the test fleet, logging in as root with the fleet's admin key and
 * provisioning a service user of its own ({@code vigilops}: the fleet's fixture user {@code vigil} has a broad sudo
 * rule, which is what setup must not need). The tests build on each other, in order: a dry run, the first run, the
 * second, the rule's limits, a changed host key, a rollout as vigilops, and the removal, which must leave the hosts as
 * they were. The removal runs again after all as clean-up, since later ITs use the same hosts.
 */
@Tag("fleet")
@ExtendWith(TestFleetExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SetupIT {
    private static final String USER = "vigilops";
    private static final Duration BOUND = Duration.ofMinutes(5);
    private static final String SUDOERS = "/etc/sudoers.d/vigil-vigilops";

    /** Static: shared by the ordered tests (an instance field gets a new directory for each test). */
    @TempDir
    static Path home;

    private final TestFleet fleet;
    private Path config;
    private Map<String, String> before;
    private boolean removed;

    SetupIT(TestFleet fleet) {
        this.fleet = fleet;
    }

    private Path config() throws Exception {
        if (config != null) {
            return config;
        }
        StringBuilder toml =
                new StringBuilder("""
                state_dir = "%s"

                [ssh]
                known_hosts = "%s"
                user = "%s"
                keys = ["%s"]
                use_agent = false
                sudo = true
                connect_timeout = "3s"

                """.formatted(home.resolve("state"), home.resolve("known_hosts"), USER, key()));
        for (TestFleet.Host host : fleet.hosts()) {
            toml.append("[host.%s]\naddress = \"%s\"\nclasses = [\"xrootd\", \"%s\"]\n\n"
                    .formatted(host.name(), host.address(), host.isManager() ? "redirector" : "data"));
        }
        toml.append("""
                [rollout.xrd]
                preset = "xrootd"
                hosts = "data"
                manager = "redirector"
                cmsd_wait = "2s"
                stay_healthy = "3s"
                health_deadline = "90s"
                min_ok = 2
                """);
        config = Files.writeString(home.resolve("vigil.toml"), toml);
        return config;
    }

    private Path key() {
        return home.resolve("vigil_ed25519");
    }

    private Launcher.Result vigil(String... args) throws Exception {
        return Launcher.vigil(home, BOUND, config(), args);
    }

    private Launcher.Result setupHosts(String... more) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("setup", "hosts", "--admin-key", fleet.adminKey().toString()));
        args.addAll(List.of(more));
        return vigil(args.toArray(String[]::new));
    }

    /** What setup may touch on every host, read through the back door. */
    private Map<String, String> snapshot() {
        Map<String, String> state = new LinkedHashMap<>();
        for (TestFleet.Host host : fleet.hosts()) {
            state.put(
                    host.name(),
                    fleet.exec(
                                    host.name(),
                                    "sh",
                                    "-c",
                                    "cat /etc/passwd /etc/group /etc/shadow; ls -A /etc/sudoers.d /var/lib;"
                                            + " cat /root/.ssh/authorized_keys /home/vigil/.ssh/authorized_keys")
                            .output());
        }
        return state;
    }

    /** OpenSSH as the service user with Vigil's key, strictly checking the host keys setup recorded. */
    private TestFleet.Result asService(TestFleet.Host host, String remote) {
        return TestFleet.run(
                List.of(
                        "ssh",
                        "-o",
                        "StrictHostKeyChecking=yes",
                        "-o",
                        "UserKnownHostsFile=" + home.resolve("known_hosts"),
                        "-o",
                        "GlobalKnownHostsFile=/dev/null",
                        "-o",
                        "BatchMode=yes",
                        "-o",
                        "IdentitiesOnly=yes",
                        "-o",
                        "ConnectTimeout=3",
                        "-o",
                        "LogLevel=ERROR",
                        "-i",
                        key().toString(),
                        USER + "@" + host.address(),
                        remote),
                Duration.ofSeconds(30));
    }

    /** A report line's start: the step's name padded as the report pads it, then the outcome. */
    private static String step(String name, String outcome) {
        return String.format("%-16s %s:", name, outcome);
    }

    private static long lines(String text, String containing) {
        return text.lines().filter(l -> l.contains(containing)).count();
    }

    @Test
    @Order(1)
    void aDryRun_showsEveryStep_andChangesNothing() throws Exception {
        before = snapshot();

        Launcher.Result run = setupHosts("--dry-run");
        System.err.println("SetupIT: dry run:\n" + run.out());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains("key pair", "would: generate an ed25519 key pair " + key())
                .contains("would: create system user vigilops")
                .contains("would: install " + SUDOERS)
                .contains("vigilops ALL=(root) NOPASSWD: /usr/bin/systemctl stop -- cmsd@cluster.service")
                .contains("nothing was changed");
        assertThat(lines(run.out(), step("host key", "would") + " record ssh-ed25519 SHA256:"))
                .isEqualTo(fleet.hosts().size());
        assertThat(snapshot()).isEqualTo(before);
        assertThat(home.resolve("known_hosts")).doesNotExist();
        assertThat(key()).doesNotExist();
    }

    @Test
    @Order(2)
    void onFreshHosts_setupSucceeds_stepByStep() throws Exception {
        long start = System.nanoTime();
        Launcher.Result run = setupHosts("--accept-new");
        System.err.printf(
                "SetupIT: first run on %d hosts in %.1f s%n%s",
                fleet.hosts().size(), (System.nanoTime() - start) / 1e9, run.out());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        int hosts = fleet.hosts().size();
        assertThat(lines(run.out(), step("host key", "done") + " recorded ssh-ed25519"))
                .isEqualTo(hosts);
        assertThat(lines(run.out(), step("service user", "done") + " created system user vigilops"))
                .isEqualTo(hosts);
        assertThat(lines(run.out(), step("sudo rule", "done") + " installed " + SUDOERS))
                .isEqualTo(hosts - 1);
        assertThat(run.out()).contains(step("sudo rule", "already so") + " none needed");
        assertThat(lines(run.out(), step("authorized key", "done") + " installed Vigil's key"))
                .isEqualTo(hosts);
        assertThat(lines(run.out(), step("login as vigilops", "already so") + " logged in with Vigil's key"))
                .isEqualTo(hosts);
        assertThat(lines(run.out(), "from=\"10.231.0.1\"")).isEqualTo(hosts);
        assertThat(run.out()).contains(step("key pair", "done") + " generated ed25519 key pair " + key());

        TestFleet.Host xrd01 = fleet.host("xrd01");
        assertThat(fleet.exec("xrd01", "stat", "-c", "%a %U %G", SUDOERS)
                        .output()
                        .strip())
                .isEqualTo("440 root root");
        assertThat(fleet.exec("xrd01", "cat", SUDOERS).output())
                .doesNotContain("ALL ALL", "NOPASSWD: ALL", "systemctl\n", "*")
                .contains("vigilops ALL=(root) NOPASSWD: /usr/bin/systemctl restart -- xrootd@cluster.service");
        assertThat(fleet.exec("xrd01", "getent", "shadow", USER).output())
                .as("no password can match '*', and sshd without PAM does not take it for locked, as it does '!'")
                .startsWith(USER + ":*:");
        assertThat(fleet.exec("xrd01", "ls", "-A", "/etc/sudoers.d").output())
                .as("no temporary file left behind")
                .doesNotContain(".vigil-setup");
        assertThat(asService(xrd01, "id -un").output().strip()).isEqualTo(USER);
    }

    @Test
    @Order(3)
    void aSecondRun_changesNothing_andSaysSo() throws Exception {
        String stamps = "stat -c '%n %Z' " + SUDOERS + " /var/lib/vigilops/.ssh/authorized_keys";
        String first = fleet.exec("xrd01", "sh", "-c", stamps).output();
        byte[] knownHosts = Files.readAllBytes(home.resolve("known_hosts"));

        Launcher.Result run = setupHosts("--accept-new");
        System.err.println("SetupIT: second run:\n" + run.out());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).doesNotContain(" done: ").contains("0 done, ", " already so, 0 failed");
        assertThat(fleet.exec("xrd01", "sh", "-c", stamps).output()).isEqualTo(first);
        assertThat(Files.readAllBytes(home.resolve("known_hosts"))).isEqualTo(knownHosts);
    }

    @Test
    @Order(4)
    void theRule_allowsOnlyTheListedVerbs_onTheListedUnits() {
        TestFleet.Host xrd01 = fleet.host("xrd01");

        assertThat(asService(xrd01, "sudo -n -l /usr/bin/systemctl stop -- cmsd@cluster.service")
                        .exitCode())
                .isZero();
        for (String forbidden : List.of(
                "sudo -n systemctl stop ssh",
                "sudo -n /usr/bin/systemctl stop -- ssh.service",
                "sudo -n systemctl edit xrootd@cluster",
                "sudo -n /usr/bin/systemctl edit -- xrootd@cluster.service",
                "sudo -n /usr/bin/systemctl stop -- 'cmsd@cluster.service;id'",
                "sudo -n /usr/bin/systemctl stop -- 'cmsd@cluster.service $(id)'",
                "sudo -n /usr/bin/systemctl stop -- cmsd@cluster.service extra.service",
                "sudo -n /usr/bin/systemctl",
                "sudo -n id")) {
            TestFleet.Result r = asService(xrd01, forbidden);
            assertThat(r.exitCode()).as(forbidden + ": " + r.output()).isNotZero();
            assertThat(r.output()).as(forbidden).contains("sudo: a password is required");
        }
        assertThat(fleet.exec("xrd01", "systemctl", "is-active", "ssh", "xrootd@cluster", "cmsd@cluster")
                        .output())
                .isEqualTo("active\nactive\nactive\n");
        TestFleet.Result manager = asService(fleet.manager(), "sudo -n -l");
        assertThat(manager.exitCode())
                .as("the redirector needs no rule: " + manager.output())
                .isNotZero();
    }

    @Test
    @Order(5)
    void aHostWithAChangedKey_isRefused_namingBothFingerprints() throws Exception {
        byte[] knownHosts = Files.readAllBytes(home.resolve("known_hosts"));
        fleet.fault("xrd02", TestFleet.Fault.REKEY);

        Launcher.Result run = setupHosts("--class", "xrd02", "--accept-new");
        System.err.println("SetupIT: changed key:\n" + run.out());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        String refusal = run.out()
                .lines()
                .filter(l -> l.startsWith("xrd02") && l.contains("host key"))
                .findFirst()
                .orElseThrow();
        assertThat(refusal).contains("failed: WARNING: the ssh-ed25519 host key of xrd02", "HAS CHANGED");
        assertThat(refusal.split("SHA256:", -1))
                .as("two fingerprints in: " + refusal)
                .hasSize(3);
        assertThat(run.out()).contains("To fix:").doesNotContain("service user");
        assertThat(Files.readAllBytes(home.resolve("known_hosts"))).isEqualTo(knownHosts);
    }

    @Test
    @Order(6)
    void aRollout_runsAsTheServiceUser_withNoRootLogin() throws Exception {
        TestFleet.Host xrd01 = fleet.host("xrd01");
        String since = fleet.exec("xrd01", "date", "+%s").output().strip();

        Launcher.Result run = vigil("rollout", "run", "xrd", "--host", "xrd01");
        System.err.println("SetupIT: rollout as vigilops:\n" + run.out());

        try {
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("done: restarted xrd01");
            for (TestFleet.Host host : List.of(xrd01, fleet.manager())) {
                String sshd = fleet.exec(host.name(), "journalctl", "--no-pager", "-u", "ssh", "--since", "@" + since)
                        .output();
                assertThat(sshd).as(host.name()).contains("Accepted publickey for vigilops from 10.231.0.1");
                assertThat(sshd).as(host.name()).doesNotContain("for root", "for vigil from");
            }
        } finally {
            fleet.exec("xrd01", "systemctl", "start", "xrootd@cluster", "cmsd@cluster");
        }
    }

    @Test
    @Order(7)
    void remove_leavesTheHostsAsTheyWere() throws Exception {
        Launcher.Result run = setupHosts("--remove");
        removed = run.exitCode() == 0;
        System.err.println("SetupIT: remove:\n" + run.out());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        int hosts = fleet.hosts().size();
        assertThat(lines(run.out(), step("service user", "done") + " deleted vigilops"))
                .isEqualTo(hosts);
        assertThat(lines(run.out(), step("sudo rule", "done") + " removed " + SUDOERS))
                .isEqualTo(hosts - 1);
        assertThat(snapshot()).isEqualTo(before);

        Launcher.Result again = setupHosts("--remove");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).doesNotContain(" done: ");
    }

    @AfterAll
    void removeWhatSetupAdded() throws Exception {
        if (!removed && config != null) {
            Launcher.Result r = setupHosts("--remove");
            System.err.println("SetupIT: clean-up --remove: " + r);
        }
    }
}
