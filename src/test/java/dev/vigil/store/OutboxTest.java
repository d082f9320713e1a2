package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The alert outbox: what is due when, failed attempts, delivery, pruning. */
class OutboxTest extends StoreFixture {
    private static List<Long> ids(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::id).toList();
    }

    @Test
    void enqueue_isDueAtOnceWithEveryField() {
        long id = store.enqueue("alertmanager", "web-down", "{\"alert\":\"web\"}", T0);

        assertThat(store.due("alertmanager", T0, 10))
                .containsExactly(new OutboxEntry(
                        id, "alertmanager", "web-down", "{\"alert\":\"web\"}", T0, 0, Optional.empty()));
        assertThat(store.due("alertmanager", T0.minusMillis(1), 10)).isEmpty();
        assertThat(store.due("mail", T0, 10)).isEmpty();
        assertThat(store.pendingCount("alertmanager")).isEqualTo(1);
        assertThat(store.pendingCount("mail")).isZero();
    }

    @Test
    void due_isOldestFirstAndLimited() {
        long a = store.enqueue("mail", "a", "{}", T0);
        long b = store.enqueue("mail", "b", "{}", T0.plusSeconds(1));
        long c = store.enqueue("mail", "c", "{}", T0.plusSeconds(2));

        assertThat(ids(store.due("mail", T0.plusSeconds(5), 10))).containsExactly(a, b, c);
        assertThat(ids(store.due("mail", T0.plusSeconds(5), 2))).containsExactly(a, b);
        assertThat(ids(store.due("mail", T0.plusSeconds(1), 10))).containsExactly(a, b);
        assertThatThrownBy(() -> store.due("mail", T0, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("outbox limit must be at least 1: -1");
    }

    @Test
    void markFailed_countsTheAttemptAndPostponesIt() {
        long a = store.enqueue("webhook", "a", "{}", T0);
        long b = store.enqueue("webhook", "b", "{}", T0);

        store.markFailed(a, "connection refused", T0.plusSeconds(30));
        store.markFailed(a, "503 Service Unavailable", T0.plusSeconds(60));

        assertThat(ids(store.due("webhook", T0.plusSeconds(59), 10))).containsExactly(b);
        assertThat(store.due("webhook", T0.plusSeconds(60), 10))
                .containsExactly(
                        new OutboxEntry(a, "webhook", "a", "{}", T0, 2, Optional.of("503 Service Unavailable")),
                        new OutboxEntry(b, "webhook", "b", "{}", T0, 0, Optional.empty()));
        assertThat(store.pendingCount("webhook")).isEqualTo(2);
    }

    @Test
    void markDelivered_isNeverDueAgain() {
        long a = store.enqueue("mail", "a", "{}", T0);
        long b = store.enqueue("mail", "b", "{}", T0);

        store.markDelivered(a, T0.plusSeconds(1));

        assertThat(ids(store.due("mail", T0.plusSeconds(3600), 10))).containsExactly(b);
        assertThat(store.pendingCount("mail")).isEqualTo(1);
    }

    @Test
    void pruneDelivered_deletesOnlyDeliveredEntriesBeforeTheCutoff() {
        long old = store.enqueue("mail", "old", "{}", T0);
        long recent = store.enqueue("mail", "recent", "{}", T0);
        long pending = store.enqueue("mail", "pending", "{}", T0);
        store.markDelivered(old, T0.plusSeconds(1));
        store.markDelivered(recent, T0.plusSeconds(100));

        assertThat(store.pruneDelivered(T0.plusSeconds(100))).isEqualTo(1);

        assertThat(ids(store.due("mail", T0.plusSeconds(200), 10))).containsExactly(pending);
        assertThatThrownBy(() -> store.markFailed(old, "x", T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no outbox entry " + old + " (never enqueued, or delivered and pruned)");
        store.markFailed(recent, "still there", T0); // delivered but not pruned: still an entry
    }

    @Test
    void unknownEntry_isRefused() {
        assertThatThrownBy(() -> store.markDelivered(99, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no outbox entry 99 (never enqueued, or delivered and pruned)");
    }

    @Test
    void enqueue_refusesAPayloadThatIsNotJson() {
        assertThatThrownBy(() -> store.enqueue("mail", "k", "{not json", T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("outbox entry for mail (k): payload is not JSON: ");
        assertThat(store.pendingCount("mail")).isZero();
    }
}
