package dev.vigil.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Runs one piece of work per item on virtual threads, at most {@code parallel} at once, and returns the results in
 * the items' order. A slow item holds one permit, never the others: an unreachable host costs its own connect
 * timeout and nothing more.
 */
public final class Fanout {
    private Fanout() {}

    /**
     * @param work must not throw for an expected failure (report it in its result); an exception it throws anyway is
     *     rethrown here after every other item has finished
     */
    public static <T, R> List<R> map(List<T> items, int parallel, Function<T, R> work) {
        Semaphore permits = new Semaphore(Math.max(1, parallel));
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<R>> futures = new ArrayList<>(items.size());
            for (T item : items) {
                futures.add(executor.submit(() -> {
                    permits.acquire();
                    try {
                        return work.apply(item);
                    } finally {
                        permits.release();
                    }
                }));
            }
            List<R> results = new ArrayList<>(items.size());
            for (Future<R> future : futures) {
                results.add(join(future));
            }
            return results;
        }
    }

    private static <R> R join(Future<R> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the fleet", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
