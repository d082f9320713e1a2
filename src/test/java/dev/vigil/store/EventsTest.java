package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The event history: append, the four query filters, pruning. */
class EventsTest extends StoreFixture {
    private long append(String service, String kind, int secondsAfterT0) {
        return store.append(service, "", kind, service + " " + kind, Map.of(), T0.plusSeconds(secondsAfterT0));
    }

    private static List<Long> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }

    @Test
    void append_roundTripsEveryField() {
        long id = store.append(
                "web", "node7", "exited", "web exited with status 3", Map.of("status", "3", "pid", "4242"), T0);

        assertThat(store.events(EventQuery.latest(10)))
                .containsExactly(new Event(
                        id,
                        T0,
                        "web",
                        "node7",
                        "exited",
                        "web exited with status 3",
                        Map.of("status", "3", "pid", "4242")));
    }

    @Test
    void append_returnsGrowingIds_evenAfterPruningEverything() {
        long first = append("web", "started", 0);
        long second = append("web", "started", 1);
        store.pruneEventsKeepingAtMost(0);

        long third = append("web", "started", 2);

        assertThat(second).isGreaterThan(first);
        assertThat(third).isGreaterThan(second);
    }

    @Test
    void events_areNewestLimitOldestFirst() {
        long a = append("web", "started", 0);
        long b = append("db", "started", 1);
        long c = append("web", "exited", 2);

        assertThat(ids(store.events(EventQuery.latest(10)))).containsExactly(a, b, c);
        assertThat(ids(store.events(EventQuery.latest(2)))).containsExactly(b, c);
    }

    @Test
    void events_filterByServiceSinceAndKind() {
        long webStarted = append("web", "started", 0);
        long dbStarted = append("db", "started", 10);
        long daemon = append("", "daemon_started", 20);
        long webExited = append("web", "exited", 30);
        long webStartedAgain = append("web", "started", 40);

        assertThat(ids(store.events(EventQuery.latest(10).withService("web"))))
                .containsExactly(webStarted, webExited, webStartedAgain);
        assertThat(ids(store.events(EventQuery.latest(10).withService("")))).containsExactly(daemon);
        assertThat(ids(store.events(EventQuery.latest(10).withSince(T0.plusSeconds(20)))))
                .containsExactly(daemon, webExited, webStartedAgain);
        assertThat(ids(store.events(EventQuery.latest(10).withKind("started"))))
                .containsExactly(webStarted, dbStarted, webStartedAgain);
        assertThat(ids(store.events(EventQuery.latest(1).withService("web").withKind("started"))))
                .containsExactly(webStartedAgain);
        assertThat(ids(store.events(new EventQuery(
                        Optional.of("web"), Optional.of(T0.plusSeconds(1)), Optional.of("started"), 10))))
                .containsExactly(webStartedAgain);
        assertThat(store.events(EventQuery.latest(10).withService("nope"))).isEmpty();
    }

    @Test
    void eventQuery_rejectsANonPositiveLimit() {
        assertThatThrownBy(() -> EventQuery.latest(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event query limit must be at least 1: 0");
    }

    @Test
    void pruneEventsBefore_deletesOnlyOlderEvents() {
        append("web", "started", 0);
        append("web", "exited", 10);
        long kept = append("web", "started", 20);
        long alsoKept = append("db", "started", 30);

        assertThat(store.pruneEventsBefore(T0.plusSeconds(20))).isEqualTo(2);

        assertThat(ids(store.events(EventQuery.latest(10)))).containsExactly(kept, alsoKept);
        assertThat(store.pruneEventsBefore(T0)).isZero();
    }

    @Test
    void pruneEventsKeepingAtMost_keepsTheNewest() {
        for (int i = 0; i < 5; i++) {
            append("web", "tick", i);
        }
        List<Long> all = ids(store.events(EventQuery.latest(10)));

        assertThat(store.pruneEventsKeepingAtMost(10)).isZero();
        assertThat(store.pruneEventsKeepingAtMost(2)).isEqualTo(3);

        assertThat(ids(store.events(EventQuery.latest(10)))).isEqualTo(all.subList(3, 5));
        assertThatThrownBy(() -> store.pruneEventsKeepingAtMost(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("events to keep cannot be negative: -1");
    }
}
