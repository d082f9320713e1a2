package dev.vigil.rollout;

import dev.vigil.metrics.VigilMetrics;
import dev.vigil.process.AtomicFiles;
import dev.vigil.store.Store;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The textfile of a command-line rollout run: {@link RolloutCollector}'s metrics in Prometheus' text format, written
 * (atomically) where node_exporter's textfile collector reads them, since a short-lived {@code vigil rollout run}
 * has no port to be scraped on. (The daemon serves the same collector on {@code /metrics}.)
 */
public final class RolloutMetrics {
    private final String rollout;
    private final Store store;
    private final Optional<Path> file;

    /** @param file where to write; empty = nowhere (tests that do not look) */
    public RolloutMetrics(String rollout, Store store, Optional<Path> file) {
        this.rollout = rollout;
        this.store = store;
        this.file = file;
    }

    /** The file of {@code rollout} in {@code stateDir}. */
    public static Path file(Path stateDir, String rollout) {
        return stateDir.resolve("metrics").resolve("vigil_rollout_" + rollout + ".prom");
    }

    void heartbeat(Instant now) {
        write(now);
    }

    void started(String host, Instant now) {
        write(now);
    }

    void finished(String host, Instant now, Duration took, boolean ok) {
        write(now);
    }

    private void write(Instant now) {
        if (file.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(file.get().getParent());
            AtomicFiles.write(file.get(), render(now));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write rollout metrics to " + file.get(), e);
        }
    }

    /** The exposition text: {@link RolloutCollector}'s, for this rollout, with {@code now} as its heartbeat. */
    public String render(Instant now) {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new RolloutCollector(store, () -> List.of(rollout), r -> Optional.of(now)));
        return VigilMetrics.text(registry);
    }
}
