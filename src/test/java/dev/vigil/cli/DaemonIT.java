package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.process.linux.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon as a user runs it: bin/vigil daemon in the background, the CLI beside it. */
class DaemonIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;

    private Path config;
    private Path state;
    private final List<Process> daemons = new ArrayList<>();
    private final long marker = ProcessHandle.current().pid() * 100;

    @BeforeEach
    void writeConfig() throws Exception {
        state = home.resolve("state");
        config = home.resolve("vigil.toml");
        writeServices("a", "b");
    }

    private void writeServices(String... names) throws Exception {
        StringBuilder toml = new StringBuilder("state_dir = \"" + state + "\"\n");
        for (String name : names) {
            toml.append("[service.")
                    .append(name)
                    .append("]\n")
                    .append("command = [\"/bin/sleep\", \"")
                    .append(sleepArg(name))
                    .append("\"]\n")
                    .append("success_seconds = \"0.5s\"\n");
        }
        Files.writeString(config, toml);
    }

    private String sleepArg(String name) {
        return Long.toString(marker + name.charAt(0));
    }

    @AfterEach
    void stopAll() throws Exception {
        for (Process daemon : daemons) {
            daemon.destroy();
            daemon.waitFor();
        }
        vigil("stop", "all");
    }

    private Launcher.Result vigil(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("-c", config.toString()));
        argv.addAll(List.of(args));
        return Launcher.vigil(home, argv.toArray(String[]::new));
    }

    private Process startDaemon() throws Exception {
        Path log = home.resolve("daemon-" + daemons.size() + ".log");
        Process daemon = new ProcessBuilder(Launcher.VIGIL.toString(), "-c", config.toString(), "daemon")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        daemons.add(daemon);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("vigil daemon started"));
        return daemon;
    }

    private Optional<Long> pidOf(String name) throws Exception {
        JsonNode status = JSON.readTree(vigil("status", name, "--json").out()).get(0);
        return "running".equals(status.get("state").asText())
                ? Optional.of(status.get("pid").asLong())
                : Optional.empty();
    }

    private long instancesOf(String name) {
        String cmdline = "/bin/sleep " + sleepArg(name);
        return ProcFs.all().stream()
                .filter(p -> !p.isZombie() && p.identity().commandLine().equals(cmdline))
                .count();
    }

    @Test
    void killedServiceIsRestarted_stopIsRememberedAcrossDaemonRestarts_daemonStopLeavesServicesRunning()
            throws Exception {
        Process daemon = startDaemon();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pidOf("a").isPresent() && pidOf("b").isPresent());
        long first = pidOf("a").orElseThrow();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pidOf("a").filter(p -> p != first).isPresent());

        Launcher.Result stop = vigil("stop", "b");
        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        daemon.destroy(); // SIGTERM
        daemon.waitFor();
        assertThat(pidOf("a")).as("stopping the daemon never stops a service").isPresent();

        startDaemon();
        assertThat(pidOf("b")).as("b was stopped by a person: not repaired").isEmpty();
        Launcher.Result events = vigil("events", "b", "--json");
        assertThat(JSON.readTree(events.out()).findValuesAsText("kind")).contains("stopped");

        Launcher.Result start = vigil("start", "b");
        assertThat(start.exitCode()).as(start.toString()).isZero();
        assertThat(pidOf("b")).isPresent();
    }

    @Test
    void secondDaemon_isRefusedWithAClearMessage() throws Exception {
        startDaemon();

        Launcher.Result second = vigil("daemon");

        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.err()).contains("another vigil daemon is already running for this user (pid ");
    }

    @Test
    void reload_badConfigKeepsTheOldOne_goodConfigTouchesOnlyWhatChanged() throws Exception {
        startDaemon();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> pidOf("a").isPresent() && pidOf("b").isPresent());
        long a = pidOf("a").orElseThrow();
        String good = Files.readString(config);

        Files.writeString(config, good + "oops = [\n");
        Launcher.Result bad = vigil("reload");
        assertThat(bad.exitCode()).isEqualTo(6);
        assertThat(bad.err()).contains(config.toString());

        writeServices("a", "b", "c");
        Launcher.Result reloaded = vigil("reload");
        assertThat(reloaded.exitCode()).as(reloaded.toString()).isZero();
        assertThat(reloaded.out()).contains("c: added");
        await().atMost(Duration.ofSeconds(30)).until(() -> pidOf("c").isPresent());
        assertThat(pidOf("a")).contains(a);
    }

    @Test
    void reload_ofABadConfig_withItsOwnControlSocket_reachesTheDaemon_whichLogsWhy() throws Exception {
        Path socket = state.resolve("own.sock");
        Files.writeString(config, "control_socket = \"" + socket + "\"\n" + Files.readString(config));
        startDaemon();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(socket));

        Files.writeString(config, Files.readString(config) + "sweep_interval = \"1ms\"\n");
        Launcher.Result bad = vigil("reload");

        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(6);
        assertThat(bad.err()).contains("sweep_interval");
        Path log = home.resolve("daemon-0.log");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(log).contains("rejected, keeping the running configuration"));
        assertThat(Files.readString(log)).contains("sweep_interval");
    }

    @Test
    void kill9OfTheDaemonDuringARestart_startsNoSecondInstance() throws Exception {
        Files.writeString(
                config, Files.readString(config).replace("success_seconds = \"0.5s\"", "success_seconds = \"3s\""));
        Process daemon = startDaemon();
        await().atMost(Duration.ofSeconds(30)).until(() -> pidOf("a").isPresent());
        long first = pidOf("a").orElseThrow();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        // the replacement exists but has not passed success_seconds yet: the daemon is mid-restart
        await().atMost(Duration.ofSeconds(10))
                .until(() -> instancesOf("a") == 1 && ProcFs.read(first).isEmpty());
        daemon.destroyForcibly();
        daemon.waitFor();

        startDaemon();
        await().atMost(Duration.ofSeconds(30)).until(() -> pidOf("a").isPresent());
        assertThat(instancesOf("a")).isEqualTo(1);
        assertThat(instancesOf("b")).isEqualTo(1);
    }
}
