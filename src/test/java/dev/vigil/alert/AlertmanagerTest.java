package dev.vigil.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.store.Store;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real Alertmanager: re-sends keep a lasting problem active, resolves end it, the outbox rides outages. */
class AlertmanagerTest {
    private static final Dispatcher.Options FAST = new Dispatcher.Options(
            Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofMillis(200), 100);

    @TempDir
    Path dir;

    private int port;
    private AlertmanagerProcess am;
    private Store store;
    private Dispatcher dispatcher;
    private final AlertBook book = new AlertBook(InstantSource.system(), Duration.ofSeconds(1), Duration.ofMinutes(5));

    @BeforeAll
    static void needsAlertmanager() {
        AlertmanagerProcess.assumeInstalled();
    }

    @BeforeEach
    void setUp() throws IOException {
        port = AlertmanagerProcess.freePort();
        store = Store.open(dir.resolve("state.db"));
    }

    @AfterEach
    void tearDown() {
        if (dispatcher != null) {
            dispatcher.close();
        }
        store.close();
        if (am != null) {
            am.close();
        }
    }

    /** An HA pair whose first member is never up: delivery succeeds through the second. */
    private Dispatcher dispatcher(Store on) throws IOException {
        URI deadPeer = URI.create("http://127.0.0.1:" + AlertmanagerProcess.freePort());
        URI live = URI.create("http://127.0.0.1:" + port + "/");
        Sink sink = new AlertmanagerSink(List.of(deadPeer, live), Duration.ofSeconds(2));
        return new Dispatcher(on, Map.of("am", sink), Routes.all(List.of("am")), InstantSource.system(), FAST);
    }

    private void fire(String service) {
        book.fire(Alert.firing(AlertName.SERVICE_DOWN, service, "host1", "down", "pid 4242 exited", Instant.now()))
                .forEach(dispatcher::notify);
    }

    private void resolve(String service) {
        book.resolve("ServiceDown/" + service + "@host1").forEach(dispatcher::notify);
    }

    @Test
    void firing_staysActivePastResolveTimeoutWhileResent_andResolveEndsIt() throws Exception {
        am = AlertmanagerProcess.start(dir, port);
        dispatcher = dispatcher(store).start();
        dispatcher.followResends(book, Duration.ofMillis(200));

        fire("web");
        await().atMost(Duration.ofSeconds(10)).until(() -> am.isActive("ServiceDown", "web"));
        assertThat(am.alert("ServiceDown", "web")
                        .orElseThrow()
                        .path("annotations")
                        .path("summary")
                        .asText())
                .isEqualTo("down");

        // endsAt is 4 s ahead and resolve_timeout is 5 s: only re-sends keep it active for 8 s
        await().during(Duration.ofSeconds(8))
                .atMost(Duration.ofSeconds(12))
                .until(() -> am.isActive("ServiceDown", "web"));

        resolve("web");
        await().atMost(Duration.ofSeconds(10)).until(() -> am.isResolved("ServiceDown", "web"));
        await().atMost(Duration.ofSeconds(5)).until(() -> store.pendingCount("am") == 0);
    }

    @Test
    void outage_everyAlertArrivesOnceAlertmanagerIsBack() throws Exception {
        am = AlertmanagerProcess.start(dir, port);
        dispatcher = dispatcher(store).start();
        fire("before");
        await().atMost(Duration.ofSeconds(10)).until(() -> am.isActive("ServiceDown", "before"));

        am.close();
        fire("web");
        fire("db");
        fire("cache");
        resolve("web");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.due("am", Instant.now().plusSeconds(3600), 10).stream()
                        .anyMatch(e ->
                                e.attempts() > 0 && e.lastError().orElse("").contains(":" + port)));
        assertThat(store.pendingCount("am")).isEqualTo(4);

        am = AlertmanagerProcess.start(dir, port);
        await().atMost(Duration.ofSeconds(30)).until(() -> store.pendingCount("am") == 0);
        assertThat(am.isActive("ServiceDown", "db")).isTrue();
        assertThat(am.isActive("ServiceDown", "cache")).isTrue();
        assertThat(am.isResolved("ServiceDown", "web")).isTrue();
    }

    @Test
    void killedDaemon_aNewDispatcherOnTheSameFileDeliversWhatWasPending() throws Exception {
        dispatcher = dispatcher(store).start();
        fire("web");
        fire("db");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.due("am", Instant.now().plusSeconds(3600), 10).stream()
                        .anyMatch(e -> e.attempts() > 0));
        // the daemon dies: nothing more is delivered or marked
        dispatcher.close();
        store.close();

        am = AlertmanagerProcess.start(dir, port);
        store = Store.open(dir.resolve("state.db"));
        assertThat(store.pendingCount("am")).isEqualTo(2);
        dispatcher = dispatcher(store).start();

        await().atMost(Duration.ofSeconds(20)).until(() -> store.pendingCount("am") == 0);
        assertThat(am.isActive("ServiceDown", "web")).isTrue();
        assertThat(am.isActive("ServiceDown", "db")).isTrue();
    }
}
