package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a method returned is on disk: under kill -9, and with many threads writing at once. */
class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void kill9_losesNoAcknowledgedAppend() throws Exception {
        Path db = dir.resolve("state.db");
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(
                        java,
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        AppendForever.class.getName(),
                        db.toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .failFast("the appending JVM died; see " + err, () -> !child.isAlive())
                    .until(() -> acknowledged(out).size() >= 50);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        List<Long> acknowledged = acknowledged(out);

        try (Store store = Store.open(db)) {
            Set<Long> stored = new HashSet<>(ids(store.events(EventQuery.latest(Integer.MAX_VALUE))));
            assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(50);
            assertThat(stored).containsAll(acknowledged);
        }
    }

    /** The ids on complete lines: a line the kill cut short was never acknowledged. */
    private static List<Long> acknowledged(Path out) throws IOException {
        String text = Files.readString(out, StandardCharsets.UTF_8);
        String complete = text.substring(0, text.lastIndexOf('\n') + 1);
        return complete.isEmpty()
                ? List.of()
                : Arrays.stream(complete.split("\n")).map(Long::parseLong).toList();
    }

    @Test
    void concurrentAppends_fromSixteenVirtualThreads_allStoredWithUniqueIds() throws Exception {
        int threads = 16;
        int each = 25;
        List<Long> returned = new ArrayList<>();
        try (Store store = Store.open(dir.resolve("state.db"))) {
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<List<Long>>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String service = "svc" + t;
                    futures.add(executor.submit(() -> {
                        List<Long> ids = new ArrayList<>();
                        for (int i = 0; i < each; i++) {
                            ids.add(store.append(service, "", "tick", "tick " + i, Map.of(), Instant.now()));
                        }
                        return ids;
                    }));
                }
                for (Future<List<Long>> future : futures) {
                    returned.addAll(future.get(60, TimeUnit.SECONDS));
                }
            }

            assertThat(new HashSet<>(returned)).hasSize(threads * each);
            assertThat(ids(store.events(EventQuery.latest(threads * each * 2))))
                    .containsExactlyInAnyOrderElementsOf(returned);
            assertThat(store.events(EventQuery.latest(1000).withService("svc3")))
                    .hasSize(each);
        }
    }

    private static List<Long> ids(List<Event> events) {
        return events.stream().map(Event::id).toList();
    }
}
