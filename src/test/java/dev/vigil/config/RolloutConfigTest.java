package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rollout.RolloutSpec;
import dev.vigil.rollout.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutConfigTest {
    @TempDir
    Path dir;

    private RolloutSpec load(String rollout) throws Exception {
        Path file = dir.resolve("vigil.toml");
        Files.writeString(file, """
                [host."xrd[01-04]"]
                classes = ["data"]
                [host.rdr]
                classes = ["redirector"]

                [rollout.xrd]
                """ + rollout);
        return ConfigLoader.load(file, Map.of(), false, dir).rollout("xrd").orElseThrow();
    }

    @Test
    void thePreset_standsForXRootDRestartsStepsAndDefaults() throws Exception {
        RolloutSpec spec = load("preset = \"xrootd\"\nhosts = \"data\"\n");

        assertThat(spec.steps())
                .containsExactly(
                        new Step.Stop("cmsd@cluster.service", Duration.ofSeconds(120)),
                        new Step.Wait(Duration.ofSeconds(300)),
                        new Step.Restart("xrootd@cluster.service", Duration.ofSeconds(120)),
                        new Step.Start("cmsd@cluster.service", Duration.ofSeconds(120)));
        assertThat(spec.healthy()).containsExactly("xrootd@cluster.service", "cmsd@cluster.service");
        assertThat(spec.period()).isEqualTo(Duration.ofDays(3));
        assertThat(spec.minOk()).isEqualTo(1);
        assertThat(spec.maxParallel()).isEqualTo(1);
        assertThat(spec.onFailure()).isEqualTo(RolloutSpec.OnFailure.PAUSE);
        assertThat(spec.notStopping()).isEqualTo(RolloutSpec.NotStopping.ALERT);
        assertThat(spec.windows()).isEmpty();
        assertThat(spec.manager()).isEmpty();
        assertThat(spec.scheduled())
                .as("the daemon schedules it unless told not to")
                .isTrue();
    }

    @Test
    void scheduleFalse_leavesTheRolloutToTheCommand() throws Exception {
        RolloutSpec spec = load("preset = \"xrootd\"\nhosts = \"data\"\nschedule = false\n");

        assertThat(spec.scheduled()).isFalse();
    }

    @Test
    void drainPort_replacesTheFixedWait_boundedByCmsdWait() throws Exception {
        RolloutSpec spec = load("""
                preset = "xrootd"
                hosts = "data"
                cmsd_unit = "cmsd@atlas"
                xrootd_unit = "xrootd@atlas"
                cmsd_wait = "10m"
                drain_port = 1094
                service_timeout = "60s"
                manager = "redirector"
                """);

        assertThat(spec.steps().get(1))
                .isEqualTo(new Step.UntilNoConnections(1094, Duration.ofMinutes(10), Duration.ofSeconds(2)));
        assertThat(spec.steps().getFirst()).isEqualTo(new Step.Stop("cmsd@atlas.service", Duration.ofSeconds(60)));
        assertThat(spec.manager()).isPresent();
    }

    @Test
    void explicitSteps_inOrder_andHealthyDefaultsToTheUnitsTheyStart() throws Exception {
        RolloutSpec spec = load("""
                hosts = "data"
                max_parallel = 2
                min_ok = 3
                on_failure = "next-window"
                not_stopping = "kill"
                windows = ["Mon-Fri 06:00-18:00", "Sat,Sun 22:00-04:00"]

                [[rollout.xrd.step]]
                action = "stop"
                unit = "nginx"
                timeout = "10s"
                [[rollout.xrd.step]]
                action = "wait-until"
                until = "command"
                command = "test -e /run/drained"
                timeout = "1m"
                interval = "1s"
                [[rollout.xrd.step]]
                action = "start"
                unit = "nginx"
                """);

        assertThat(spec.steps())
                .containsExactly(
                        new Step.Stop("nginx.service", Duration.ofSeconds(10)),
                        new Step.UntilCommand("test -e /run/drained", Duration.ofMinutes(1), Duration.ofSeconds(1)),
                        new Step.Start("nginx.service", Duration.ofSeconds(120)));
        assertThat(spec.healthy()).containsExactly("nginx.service");
        assertThat(spec.preset()).isEqualTo(Optional.empty());
        ZoneId utc = ZoneId.of("UTC");
        assertThat(spec.allowed(ZonedDateTime.of(2026, 12, 2, 12, 0, 0, 0, utc)))
                .isTrue(); // Wednesday noon
        assertThat(spec.allowed(ZonedDateTime.of(2026, 12, 2, 19, 0, 0, 0, utc)))
                .isFalse();
        assertThat(spec.allowed(ZonedDateTime.of(2026, 12, 6, 23, 0, 0, 0, utc)))
                .isTrue(); // Sunday night
        assertThat(spec.allowed(ZonedDateTime.of(2026, 12, 7, 3, 0, 0, 0, utc))).isTrue(); // Sunday's window, Monday
        assertThat(spec.allowed(ZonedDateTime.of(2026, 12, 8, 3, 0, 0, 0, utc))).isFalse(); // Tuesday 03:00
        assertThat(List.of(spec.maxParallel(), spec.minOk())).containsExactly(2, 3);
    }
}
