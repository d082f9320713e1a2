package dev.vigil.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestartPolicyTest {
    @TempDir
    Path dir;

    @Test
    void of_takesEveryRestartKey_fromTheConfiguration() throws Exception {
        Path file = dir.resolve("vigil.toml");
        Files.writeString(file, """
                [service.web]
                command = "/bin/web"
                autostart = false
                max_restarts = 3
                restart_delay = "2s"
                confirm = 5
                confirm_interval = "500ms"
                backoff_factor = 3
                backoff_max = "1m"
                stable_after = "30s"
                restart_window = "1h"
                give_up_for = "forever"
                success_exit_codes = [11]
                """);
        ServiceConfig web =
                ConfigLoader.load(file, Map.of(), false, dir).services().getFirst();

        assertThat(RestartPolicy.of(web))
                .isEqualTo(new RestartPolicy(
                        false,
                        true,
                        5,
                        Duration.ofMillis(500),
                        Duration.ofSeconds(2),
                        3.0,
                        Duration.ofMinutes(1),
                        Duration.ofSeconds(30),
                        3,
                        Duration.ofHours(1),
                        Optional.empty(),
                        Set.of(11)));
    }

    @Test
    void of_aServiceWithoutTheKeys_isTheDefaults_butItsOwnMaxRestarts() throws Exception {
        Path file = dir.resolve("min.toml");
        Files.writeString(file, "[service.a]\ncommand = \"/bin/a\"\n");
        ServiceConfig a =
                ConfigLoader.load(file, Map.of(), false, dir).services().getFirst();

        RestartPolicy policy = RestartPolicy.of(a);

        assertThat(policy.confirmations()).isEqualTo(RestartPolicy.DEFAULTS.confirmations());
        assertThat(policy.backoffCap()).isEqualTo(RestartPolicy.DEFAULTS.backoffCap());
        assertThat(policy.giveUpFor()).isEqualTo(RestartPolicy.DEFAULTS.giveUpFor());
        assertThat(policy.restartWindow()).isEqualTo(RestartPolicy.DEFAULTS.restartWindow());
        assertThat(policy.maxRestarts())
                .as("max_restarts defaults to 0, unlimited")
                .isZero();
    }
}
