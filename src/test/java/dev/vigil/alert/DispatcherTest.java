package dev.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.vigil.store.OutboxEntry;
import dev.vigil.store.Store;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DispatcherTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private static OutboxEntry entry(long id, String dedupKey, Instant at) {
        return new OutboxEntry(id, "am", dedupKey, "{}", at, 0, Optional.empty());
    }

    @Test
    void summarising_resendsOfOneStateCollapse_stateChangesKeptUnlessStale() {
        Instant stale = T0.minus(Duration.ofHours(2));
        List<OutboxEntry> pending = List.of(
                entry(1, "A#FIRING", T0),
                entry(2, "A#FIRING", T0),
                entry(3, "B#FIRING", T0),
                entry(4, "A#RESOLVED", T0),
                entry(5, "C#FIRING", stale),
                entry(6, "C#RESOLVED", stale.plusSeconds(1)),
                entry(7, "C#FIRING", T0));

        assertThat(Dispatcher.supersededBy(pending, T0.minus(Duration.ofHours(1))))
                .containsExactlyInAnyOrderEntriesOf(Map.of(1L, 2L, 5L, 7L, 6L, 7L));
    }

    private static Alert testAlert() {
        return Alert.firing(AlertName.TEST, "", "host1", "test alert", "", T0);
    }

    private static Dispatcher logDispatcher(Store store) {
        return new Dispatcher(
                store,
                Map.of("log", new LogSink()),
                Routes.all(List.of("log")),
                InstantSource.system(),
                Dispatcher.Options.DEFAULTS);
    }

    @Test
    void backoff_doublesFromOneSecondToFiveMinutes() {
        try (Store store = Store.open(dir.resolve("state.db"))) {
            Dispatcher d = logDispatcher(store);
            assertThat(List.of(d.backoff(0), d.backoff(1), d.backoff(2), d.backoff(8), d.backoff(9), d.backoff(500)))
                    .containsExactly(
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(2),
                            Duration.ofSeconds(4),
                            Duration.ofSeconds(256),
                            Duration.ofMinutes(5),
                            Duration.ofMinutes(5));
        }
    }

    @Test
    void notify_writesTheOutboxBeforeDelivering_andTheLoopEmptiesIt() {
        try (Store store = Store.open(dir.resolve("state.db"))) {
            Dispatcher d = logDispatcher(store);
            Alert alert = testAlert();
            d.notify(alert);
            assertThat(store.due("log", Instant.now().plusSeconds(3600), 10))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.dedupKey()).isEqualTo("VigilTestAlert/@host1#FIRING");
                        assertThat(AlertJson.fromJson(e.payload())).isEqualTo(alert);
                    });
            try (d) {
                d.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> d.pending("log") == 0);
            }
        }
    }

    @Test
    void unknownSinks_areRefused() {
        try (Store store = Store.open(dir.resolve("state.db"))) {
            assertThatThrownBy(() -> new Dispatcher(
                            store,
                            Map.of(),
                            Routes.all(List.of("mail")),
                            InstantSource.system(),
                            Dispatcher.Options.DEFAULTS))
                    .hasMessageContaining("'mail'");
            Dispatcher d = logDispatcher(store);
            Alert alert = testAlert();
            assertThatThrownBy(() -> d.notify(alert, List.of("log", "nope"))).hasMessageContaining("'nope'");
            assertThat(store.pendingCount("log")).isZero();
        }
    }
}
