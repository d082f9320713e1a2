package dev.vigil.driver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.DriverSpec;
import dev.vigil.config.IdentitySpec;
import dev.vigil.config.Origin;
import dev.vigil.config.ServiceConfig;
import dev.vigil.config.Settings;
import dev.vigil.config.VigilConfig;
import dev.vigil.fleet.Inventory;
import dev.vigil.process.linux.ProcFs;
import dev.vigil.testing.TestPrograms;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command driver with real init-script-like commands. */
class CommandDriverTest {
    @TempDir
    Path dir;

    private Driver driver;

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.stop();
        }
    }

    private Driver driver(DriverSpec.Command spec, Optional<Path> pidfile, Optional<Pattern> proctitle) {
        ServiceConfig service = ServiceConfig.of(
                "legacy",
                new Origin(dir.resolve("vigil.toml"), 1),
                spec,
                new IdentitySpec(pidfile, false, false, proctitle));
        VigilConfig config = new VigilConfig(
                dir.resolve("vigil.toml"),
                List.of(),
                Settings.defaults(dir.resolve("state")),
                List.of(service),
                Inventory.EMPTY);
        driver = Drivers.local(config).apply(service);
        return driver;
    }

    private static DriverSpec.Command commands(String start, String stop, Optional<String> status) {
        return new DriverSpec.Command(
                start, stop, Optional.empty(), status, Duration.ofSeconds(10), Map.of(), true, Optional.empty());
    }

    @Test
    void initScriptStyle_pidfileWrittenByTheScript_identifiesTheDaemon() {
        long marker = TestPrograms.unique();
        Path pidfile = dir.resolve("legacy.pid");
        Driver legacy = driver(
                commands(
                        "/bin/sleep " + marker + " >/dev/null 2>&1 & echo $! > " + pidfile,
                        "kill $(cat " + pidfile + ") && rm -f " + pidfile,
                        Optional.empty()),
                Optional.of(pidfile),
                Optional.of(Pattern.compile("^/bin/sleep " + marker + "$")));

        assertThat(legacy.status().state()).isEqualTo(ServiceState.STOPPED);
        ActionResult started = legacy.start();
        assertThat(started.ok()).as(started.message()).isTrue();
        long pid = started.after().pid().orElseThrow();
        assertThat(ProcFs.read(pid).orElseThrow().identity().commandLine()).isEqualTo("/bin/sleep " + marker);

        ActionResult stopped = legacy.stop();
        assertThat(stopped.ok()).as(stopped.message()).isTrue();
        assertThat(legacy.status().state()).isEqualTo(ServiceState.STOPPED);
    }

    @Test
    void statusCommand_exitCodesReadTheLsbWay() {
        Path flag = dir.resolve("up");
        Driver legacy = driver(
                commands(
                        "touch " + flag,
                        "rm -f " + flag,
                        Optional.of("test -e " + flag + " && exit 0; echo 'not up' >&2; exit 3")),
                Optional.empty(),
                Optional.empty());

        ServiceStatus down = legacy.status();
        assertThat(down.state()).isEqualTo(ServiceState.STOPPED);
        assertThat(down.detail()).isEqualTo("status command exited with status 3: not up");
        assertThat(legacy.start().ok()).isTrue();
        assertThat(legacy.status().state()).isEqualTo(ServiceState.RUNNING);
        assertThat(legacy.stop().ok()).isTrue();
    }

    @Test
    void failingStartCommand_isAFailedStart_withItsOutput() {
        Driver legacy = driver(
                commands("echo 'no such daemon' >&2; exit 5", "true", Optional.of("exit 3")),
                Optional.empty(),
                Optional.empty());

        ActionResult result = legacy.start();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).isEqualTo("legacy: start command exited with status 5: no such daemon");
    }

    @Test
    void hangingCommand_isKilledAtItsTimeout() {
        DriverSpec.Command spec = new DriverSpec.Command(
                "sleep 30",
                "true",
                Optional.empty(),
                Optional.of("exit 3"),
                Duration.ofMillis(300),
                Map.of(),
                true,
                Optional.empty());
        Driver legacy = driver(spec, Optional.empty(), Optional.empty());

        ActionResult result = legacy.start();

        assertThat(result.ok()).isFalse();
        assertThat(result.message()).contains("start command timed out after 0.3s and was killed");
    }
}
