package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 100 services crash-looping at once: the daemon backs them all off and stays responsive. */
class StormIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SERVICES = 100;

    @TempDir
    Path home;

    private Process daemon;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor();
        }
    }

    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime + stime, fields 14 and 15
    }

    @Test
    void hundredCrashLoopingServices_areBackedOff_andStatusStillAnswers() throws Exception {
        Path crasher = home.resolve("crash.sh");
        Files.writeString(crasher, "#!/bin/sh\nexit 1\n");
        crasher.toFile().setExecutable(true);
        StringBuilder toml = new StringBuilder("state_dir = \"" + home.resolve("state") + "\"\n");
        toml.append("sweep_interval = \"1s\"\n");
        for (int i = 0; i < SERVICES; i++) {
            toml.append("[service.crash")
                    .append(i)
                    .append("]\n")
                    .append("command = [\"")
                    .append(crasher)
                    .append("\", \"")
                    .append(i)
                    .append("\"]\n")
                    .append("success_seconds = \"0.1s\"\n")
                    .append("backoff_max = \"8s\"\n");
        }
        Path config = home.resolve("vigil.toml");
        Files.writeString(config, toml);
        Path log = home.resolve("daemon.log");
        daemon = new ProcessBuilder(Launcher.VIGIL.toString(), "-c", config.toString(), "daemon")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("vigil daemon started"));

        // every service fails its starts and is backed off; the back-off reaches its 8 s cap
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    Launcher.Result events = Launcher.vigil(
                            home,
                            "-c",
                            config.toString(),
                            "events",
                            "--kind",
                            "backing_off",
                            "--limit",
                            "100000",
                            "--json");
                    return JSON.readTree(events.out()).findValuesAsText("message").stream()
                                    .filter(m -> m.endsWith(" in 8s"))
                                    .count()
                            >= SERVICES;
                });

        long began = System.nanoTime();
        Launcher.Result status = Launcher.vigil(home, "-c", config.toString(), "status", "crash7", "--json");
        Duration statusTook = Duration.ofNanos(System.nanoTime() - began);
        assertThat(status.exitCode()).as(status.toString()).isIn(1, 3);
        assertThat(statusTook).as("status answers during the storm").isLessThan(Duration.ofSeconds(10));
        Launcher.Result reset = Launcher.vigil(home, "-c", config.toString(), "reset", "crash7");
        assertThat(reset.exitCode()).as(reset.toString()).isZero();
        assertThat(reset.out()).contains("cleared by the daemon");

        // measure the daemon's CPU alone (after the CLI's requests, which cost it work of their own) over two full
        // back-off periods, so the window holds every service's restarts twice
        long before = cpuTicks(daemon.pid());
        long windowStart = System.nanoTime();
        await().pollDelay(Duration.ofSeconds(16)).atMost(Duration.ofSeconds(17)).until(() -> true);
        double seconds = Duration.ofNanos(System.nanoTime() - windowStart).toMillis() / 1000.0;
        double cpuShare = (cpuTicks(daemon.pid()) - before) / 100.0 / seconds;
        // 100 services restarted every 8 s is 12.5 starts a second, each a fork and /proc look-ups: about 0.4 of a
        // core here; restarts without back-off would take both cores
        assertThat(cpuShare)
                .as("daemon CPU share of one core while every service is backed off")
                .isLessThan(0.8);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).noneMatch(l -> l.contains("engine step failed"));
    }
}
