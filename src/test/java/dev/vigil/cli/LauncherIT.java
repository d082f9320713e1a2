package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Black-box tests of the packaged launcher: what a new user types, and what they see. */
class LauncherIT {
    @TempDir
    Path home;

    @Test
    void readmeQuickstart_startsBothExampleServices_andStatusShowsThem() throws Exception {
        String readme = Files.readString(Launcher.PROJECT.resolve("README.md"));
        Matcher first =
                Pattern.compile("(?m)^\\./mvnw -q -DskipTests package && (.+)$").matcher(readme);
        assertThat(first.find()).as("README's first command").isTrue();
        String afterBuild = first.group(1);
        try {
            Launcher.Result run = Launcher.run(home, Map.of(), List.of("bash", "-c", afterBuild));
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out())
                    .containsPattern("ticker: started, pid \\d+")
                    .containsPattern("heartbeat: started, pid \\d+")
                    .containsPattern("(?m)^ticker +running +\\d+")
                    .containsPattern("(?m)^heartbeat +running +\\d+");
            // root keeps its state system-wide, everyone else under their home (docs/configuration.md)
            Path state = isRoot() ? Path.of("/var/lib/vigil") : home.resolve(".local/state/vigil");
            assertThat(state.resolve("pids/ticker.pid")).exists();
        } finally {
            Launcher.Result stop = Launcher.vigil(home, "-c", "examples/quickstart.toml", "stop", "all");
            assertThat(stop.exitCode()).as(stop.toString()).isZero();
        }
    }

    private static boolean isRoot() throws java.io.IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    @Test
    void serviceStartedByVigilWithSigtermIgnored_stillHonoursSigterm() throws Exception {
        // usrsvc's bug: a launcher started with SIGTERM ignored (nohup-like wrappers, some CI runners) handed the
        // ignored disposition to every service, so they could not be stopped politely.
        Path config = home.resolve("vigil.toml");
        Files.writeString(config, """
                state_dir = "%s"
                [service.stubborn]
                command = ["/bin/sleep", "31337"]
                success_seconds = "0.3s"
                """.formatted(home.resolve("state")));
        Launcher.Result start = Launcher.run(
                home,
                Map.of(),
                List.of(
                        "env",
                        "--ignore-signal=TERM",
                        Launcher.VIGIL.toString(),
                        "-c",
                        config.toString(),
                        "start",
                        "stubborn"));
        assertThat(start.exitCode()).as(start.toString()).isZero();
        long pid = Long.parseLong(
                Files.readString(home.resolve("state/pids/stubborn.pid")).strip());
        String status = Files.readString(Path.of("/proc/" + pid + "/status"));
        Matcher ignored = Pattern.compile("(?m)^SigIgn:\\s*([0-9a-f]+)$").matcher(status);
        assertThat(ignored.find()).isTrue();
        long mask = Long.parseUnsignedLong(ignored.group(1), 16);
        assertThat(mask & (1L << (15 - 1)))
                .as("SIGTERM ignored in SigIgn=%s", ignored.group(1))
                .isZero();

        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        assertThat(process.destroy()).isTrue(); // SIGTERM
        // an orphan that exited stays a zombie until init reaps it (some containers' init never does): gone = not
        // running
        await().atMost(Duration.ofSeconds(5)).until(() -> dev.vigil.process.linux.ProcFs.read(pid)
                .map(p -> p.isZombie())
                .orElse(true));
    }

    @Test
    void checkConfig_onBadFile_exits6AndNamesFileLineKey() throws Exception {
        Path config = home.resolve("bad.toml");
        Files.writeString(config, """
                [service.web]
                command = ["/bin/true"]
                success_seconds = "soon"
                """);
        Launcher.Result check = Launcher.vigil(home, "-c", config.toString(), "check-config");
        assertThat(check.exitCode()).isEqualTo(6);
        assertThat(check.err()).contains(config + ":3").contains("service.web.success_seconds");
        Launcher.Result start = Launcher.vigil(home, "-c", config.toString(), "start", "all");
        assertThat(start.exitCode()).isEqualTo(6);
        assertThat(start.err()).contains("nothing was done");
    }

    @Test
    void version_runsOnJava25() throws Exception {
        Launcher.Result version = Launcher.vigil(home, "version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.out()).startsWith("vigil 0.").contains("java 25");
    }
}
