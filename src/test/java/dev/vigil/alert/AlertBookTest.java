package dev.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AlertBookTest {
    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private final InstantSource clock = () -> now;
    private final AlertBook book = new AlertBook(clock, INTERVAL, Duration.ofMinutes(5));

    private Alert down() {
        return Alert.firing(AlertName.SERVICE_DOWN, "web", "host1", "down (died: pid 4242 exited)", "", now);
    }

    private void advance(Duration d) {
        now = now.plus(d);
    }

    @Test
    void firing_isSentWithEndsAtAheadAndResentEveryInterval() {
        List<Alert> first = book.fire(down());
        assertThat(first).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(Alert.Status.FIRING);
            assertThat(a.endsAt()).contains(now.plus(INTERVAL.multipliedBy(4)));
        });
        Instant started = now;

        advance(Duration.ofSeconds(59));
        assertThat(book.due(now)).isEmpty();

        advance(Duration.ofSeconds(1));
        assertThat(book.due(now)).singleElement().satisfies(a -> {
            assertThat(a.endsAt()).contains(now.plus(INTERVAL.multipliedBy(4)));
            assertThat(a.startsAt()).isEqualTo(started);
            assertThat(a.fingerprint()).isEqualTo("ServiceDown/web@host1");
        });
        assertThat(book.due(now)).isEmpty();

        for (int i = 0; i < 10; i++) {
            advance(INTERVAL);
            assertThat(book.due(now)).hasSize(1);
        }
    }

    @Test
    void firingAgain_updatesWithoutANewNotification() {
        Instant started = now;
        book.fire(down());
        advance(Duration.ofSeconds(10));

        assertThat(book.fire(Alert.firing(AlertName.SERVICE_DOWN, "web", "host1", "still down", "", now)))
                .isEmpty();
        advance(INTERVAL);
        assertThat(book.due(now)).singleElement().satisfies(a -> {
            assertThat(a.summary()).isEqualTo("still down");
            assertThat(a.startsAt()).isEqualTo(started);
        });
    }

    @Test
    void resolve_sendsEndsAtNowAndStopsResends() {
        Alert fired = book.fire(down()).getFirst();
        advance(Duration.ofSeconds(90));

        assertThat(book.resolve(fired.fingerprint())).singleElement().satisfies(a -> {
            assertThat(a.status()).isEqualTo(Alert.Status.RESOLVED);
            assertThat(a.endsAt()).contains(now);
            assertThat(a.dedupKey()).isEqualTo("ServiceDown/web@host1#RESOLVED");
        });
        assertThat(book.firing()).isEmpty();
        assertThat(book.resolve(fired.fingerprint())).isEmpty();

        advance(INTERVAL.multipliedBy(3));
        assertThat(book.due(now)).isEmpty();
    }

    @Test
    void events_areSentOnceWithAShortEndsAtAndNotKept() {
        Alert restarted =
                Alert.firing(AlertName.SERVICE_RESTARTED, "web", "host1", "restarted (died: pid 4242 exited)", "", now);

        assertThat(book.fire(restarted)).singleElement().satisfies(a -> assertThat(a.endsAt())
                .contains(now.plus(Duration.ofMinutes(5))));
        assertThat(book.fire(restarted)).hasSize(1);
        assertThat(book.firing()).isEmpty();
        advance(INTERVAL.multipliedBy(2));
        assertThat(book.due(now)).isEmpty();
    }

    @Test
    void alerts_areIndependentByFingerprint() {
        book.fire(down());
        book.fire(Alert.firing(AlertName.SERVICE_DOWN, "db", "host1", "down", "", now));
        book.fire(Alert.firing(AlertName.SERVICE_DOWN, "web", "host2", "down", "", now));

        book.resolve("ServiceDown/web@host1");
        advance(INTERVAL);
        assertThat(book.due(now))
                .extracting(Alert::fingerprint)
                .containsExactly("ServiceDown/db@host1", "ServiceDown/web@host2");
    }

    @Test
    void json_roundTrips() {
        Alert alert = down().withLabel("action", "restarting").withEndsAt(now.plusSeconds(5));
        assertThat(AlertJson.fromJson(AlertJson.toJson(alert))).isEqualTo(alert);
        Alert noEnd = new Alert(
                "X",
                "",
                "h",
                Severity.INFO,
                "s",
                "d",
                Alert.Status.RESOLVED,
                now,
                Optional.empty(),
                java.util.Map.of());
        assertThat(AlertJson.fromJson(AlertJson.toJson(noEnd))).isEqualTo(noEnd);
    }

    @Test
    void routes_unionMatchingRoutesElseDefault() {
        Routes routes = new Routes(
                List.of(
                        Routes.Route.forService("web", List.of("log", "mail-web")),
                        new Routes.Route(Optional.of("ServiceGaveUp"), Optional.empty(), List.of("am", "log"))),
                List.of("am", "log"));

        assertThat(routes.sinksFor(down())).containsExactly("log", "mail-web");
        assertThat(routes.sinksFor(Alert.firing(AlertName.SERVICE_DOWN, "db", "host1", "down", "", now)))
                .containsExactly("am", "log");
        assertThat(routes.sinksFor(Alert.firing(AlertName.SERVICE_GAVE_UP, "web", "host1", "gave up", "", now)))
                .containsExactly("log", "mail-web", "am");
        assertThat(routes.sinkNames()).containsExactlyInAnyOrder("am", "log", "mail-web");
    }
}
