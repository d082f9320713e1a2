package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil rollout status} and {@code run --dry-run} only read: without a state database they create none. */
class RolloutReadOnlyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;
    private Path state;

    @BeforeEach
    void writeConfig() throws Exception {
        state = dir.resolve("state");
        config = dir.resolve("vigil.toml");
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort(); // nothing listens there once closed: the hosts do not answer
        }
        Files.writeString(config, """
                state_dir = "%1$s"
                [ssh]
                connect_timeout = "1s"
                [host.h1]
                address = "127.0.0.1"
                port = %2$d
                classes = ["data"]
                [host.h2]
                address = "127.0.0.1"
                port = %2$d
                classes = ["data"]
                [rollout.xrd]
                preset = "xrootd"
                hosts = "data"
                min_ok = 0
                """.formatted(state, closed));
    }

    private CliRun vigil(String... args) {
        return CliRun.with(config, args);
    }

    @Test
    void status_withoutState_saysNeverRun_andCreatesNothing() throws Exception {
        CliRun status = vigil("rollout", "status", "xrd");

        assertThat(status.out()).as(status.toString()).contains(RolloutCommand.NEVER_RUN, "h1", "h2");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode json =
                JSON.readTree(vigil("rollout", "status", "xrd", "--json").out());
        assertThat(json.get("never_run").asBoolean()).isTrue();
        assertThat(json.get("hosts")).hasSize(2);
        assertThat(state).doesNotExist();
    }

    @Test
    void dryRun_withoutState_showsThePlan_andCreatesNothing() {
        CliRun plan = vigil("rollout", "run", "xrd", "--dry-run");

        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.out()).contains(RolloutCommand.NEVER_RUN, "1. h1", "2. h2", "dry run: nothing was changed");
        assertThat(state).doesNotExist();
    }

    @Test
    void afterAPause_statusReadsTheExistingState() {
        assertThat(vigil("rollout", "pause", "xrd").exitCode()).isZero();

        CliRun status = vigil("rollout", "status", "xrd");

        assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
        assertThat(status.out()).contains("paused since");
    }
}
