package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Round trips through a real database file. */
class StoreTest extends StoreFixture {
    @Test
    void open_createsDirectoryAndFile() {
        assertThat(store.file()).isEqualTo(file().toAbsolutePath());
        assertThat(store.file()).isRegularFile();
    }

    @Test
    void desired_roundTripsAndSurvivesReopen() {
        store.setDesired("web", DesiredState.STOPPED, "cli:alice", T0);
        store.setDesired("db", DesiredState.RUNNING, "config", T0.plusSeconds(1));

        assertThat(reopen().desired("web")).contains(new DesiredRecord("web", DesiredState.STOPPED, "cli:alice", T0));
        assertThat(store.desired("nope")).isEmpty();
        assertThat(store.allDesired())
                .containsExactly(
                        Map.entry("db", new DesiredRecord("db", DesiredState.RUNNING, "config", T0.plusSeconds(1))),
                        Map.entry("web", new DesiredRecord("web", DesiredState.STOPPED, "cli:alice", T0)));
    }

    @Test
    void setDesired_replacesTheOldRecord() {
        store.setDesired("web", DesiredState.STOPPED, "cli:alice", T0);
        store.setDesired("web", DesiredState.UNMONITORED, "cli:bob", T0.plusSeconds(5));

        assertThat(store.desired("web"))
                .contains(new DesiredRecord("web", DesiredState.UNMONITORED, "cli:bob", T0.plusSeconds(5)));
        assertThat(store.allDesired()).hasSize(1);
    }

    @Test
    void clearDesired_forgetsOnlyThatService() {
        store.setDesired("web", DesiredState.STOPPED, "cli:alice", T0);
        store.setDesired("db", DesiredState.RUNNING, "config", T0);

        store.clearDesired("web");
        store.clearDesired("never-set");

        assertThat(store.desired("web")).isEmpty();
        assertThat(store.allDesired()).containsOnlyKeys("db");
    }

    @Test
    void times_areKeptToTheMillisecond() {
        store.setDesired("web", DesiredState.RUNNING, "config", T0.plusNanos(456_789));

        assertThat(store.desired("web").orElseThrow().at()).isEqualTo(T0);
    }

    @Test
    void restart_roundTripsEveryField() {
        RestartRecord full = new RestartRecord(
                "web",
                List.of(T0, T0.plusSeconds(10), T0.plusSeconds(20)),
                3,
                Optional.of(T0.plusSeconds(40)),
                Optional.of(T0.plus(Duration.ofMinutes(30))),
                7);
        store.saveRestart(full);
        store.saveRestart(RestartRecord.fresh("db"));

        assertThat(reopen().restart("web")).contains(full);
        assertThat(store.restart("db")).contains(RestartRecord.fresh("db"));
        assertThat(store.restart("nope")).isEmpty();
    }

    @Test
    void saveRestart_replacesAndClearRestartForgets() {
        store.saveRestart(new RestartRecord("web", List.of(T0), 1, Optional.of(T0), Optional.empty(), 1));
        RestartRecord later = new RestartRecord("web", List.of(), 0, Optional.empty(), Optional.of(T0), 0);
        store.saveRestart(later);
        assertThat(store.restart("web")).contains(later);

        store.clearRestart("web");

        assertThat(store.restart("web")).isEmpty();
    }

    @Test
    void keyValue_roundTripsAndReplaces() {
        assertThat(store.get("boot_id")).isEmpty();
        store.put("boot_id", "a");
        store.put("boot_id", "b");
        store.put("started_at", "2025");

        assertThat(reopen().get("boot_id")).contains("b");
        assertThat(store.get("started_at")).contains("2025");
    }

    @Test
    void closedStore_saysSo() {
        store.close();

        assertThatThrownBy(() -> store.get("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage(store.file() + ": the state database is closed; open a new Store");
    }
}
