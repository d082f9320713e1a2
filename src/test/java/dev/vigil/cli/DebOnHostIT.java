package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.testfleet.TestFleet;
import dev.vigil.testfleet.TestFleetExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Debian package on a real Debian host of the test fleet (its own systemd as PID 1): {@code dpkg -i} installs it
 * and starts nothing, {@code vigil version} runs from /usr/bin, {@code vigil install systemd} writes a unit that
 * systemd enables and starts, and {@code systemctl restart vigil} leaves the services it watches alone. The host has
 * no JDK 25 (Debian 12 packages none): this machine's is bind-mounted where a site's package would put it.
 */
@Tag("fleet")
@ExtendWith(TestFleetExtension.class)
class DebOnHostIT {
    private static final Path DEB = Launcher.PROJECT.resolve("target/dist/vigil_"
            + System.getProperty("vigil.version", "0.1.0-SNAPSHOT").replace('-', '~') + "_all.deb");
    private static final Path JDK = Path.of(System.getProperty("java.home"));

    private final TestFleet fleet;
    private final TestFleet.Host host;

    DebOnHostIT(TestFleet fleet) {
        assumeTrue(Boolean.getBoolean("vigil.dist"), "the dist profile is off (./mvnw -Pdist verify)");
        assertThat(DEB).as("./mvnw -Pdist package makes it").isRegularFile();
        this.fleet = fleet;
        this.host = fleet.dataServers().getLast();
    }

    private Path root() {
        return fleet.dir().resolve("hosts").resolve(host.name()).resolve("root");
    }

    /** Runs CMD on the host as root; fails the test unless it exits 0 (fleet exec does not pass the status on). */
    private String onHost(String cmd) {
        TestFleet.Result r = fleet.exec(host.name(), "sh", "-c", cmd + "; echo \"exit=$?\"");
        assertThat(r.output()).as(cmd).endsWith("exit=0\n");
        return r.output().substring(0, r.output().lastIndexOf("exit=0\n"));
    }

    private void mountJdk() throws Exception {
        Path target = root().resolve("usr/lib/jvm").resolve(JDK.getFileName());
        Files.createDirectories(target);
        // into the host's own mount namespace: the fleet's hosts do not see mounts made out here after they booted
        TestFleet.Result r = TestFleet.run(
                List.of(
                        "nsenter",
                        "-t",
                        Long.toString(host.systemdPid()),
                        "-m",
                        "--",
                        "mount",
                        "--bind",
                        JDK.toString(),
                        target.toString()),
                Duration.ofSeconds(30));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    private void awaitXrootdRunningPerVigil() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> fleet.exec(host.name(), "vigil", "status", "xrootd")
                        .output()
                        .contains("running"));
    }

    @AfterEach
    void removeVigil() {
        fleet.exec(host.name(), "sh", "-c", "systemctl disable --now vigil; dpkg --purge vigil; rm -rf /etc/vigil");
        fleet.exec(host.name(), "sh", "-c", "umount /usr/lib/jvm/" + JDK.getFileName());
    }

    @Test
    void theDeb_installsStartingNothing_runs_andItsSystemdUnitSurvivesARestartWithoutTouchingServices()
            throws Exception {
        mountJdk();
        Files.copy(DEB, root().resolve("root/vigil.deb"));

        String install = onHost("dpkg -i /root/vigil.deb 2>&1");
        assertThat(install).contains("Setting up vigil");
        assertThat(onHost("systemctl is-enabled vigil.service || true")).contains("disabled");
        assertThat(onHost("systemctl is-active vigil.service || true")).startsWith("inactive");
        assertThat(onHost("stat -c '%a %U' /var/lib/vigil")).isEqualTo("750 root\n");
        assertThat(onHost("vigil version")).startsWith("vigil ");

        Files.createDirectories(root().resolve("etc/vigil"));
        Files.writeString(root().resolve("etc/vigil/vigil.toml"), """
                [service.xrootd]
                driver = "systemd"
                unit = "xrootd@cluster"
                """);
        assertThat(onHost("vigil check-config")).contains("OK: /etc/vigil/vigil.toml", "1 service");
        String unit = onHost("vigil install systemd");
        System.err.println("DebOnHostIT: vigil install systemd on " + host.name() + ":\n" + unit);
        assertThat(unit).contains("/etc/systemd/system/vigil.service");
        onHost("systemctl daemon-reload && systemctl enable --now vigil");
        assertThat(onHost("systemctl is-enabled vigil")).isEqualTo("enabled\n");
        awaitXrootdRunningPerVigil();
        assertThat(onHost("systemctl is-active vigil")).isEqualTo("active\n");
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> fleet.exec(host.name(), "stat", "-c", "%a %F", "/run/vigil/control.sock")
                        .output()
                        .equals("600 socket\n"));
        String xrootd = onHost("systemctl show -p MainPID --value xrootd@cluster");
        String daemon = onHost("systemctl show -p MainPID --value vigil");

        onHost("systemctl restart vigil");

        awaitXrootdRunningPerVigil();
        assertThat(onHost("systemctl show -p MainPID --value vigil")).isNotEqualTo(daemon);
        assertThat(onHost("systemctl show -p MainPID --value xrootd@cluster"))
                .as("the restart of Vigil left xrootd alone")
                .isEqualTo(xrootd);
        assertThat(onHost("journalctl -u vigil --no-pager -o cat"))
                .doesNotContain("ERROR")
                .doesNotContain("restarting xrootd");
    }
}
