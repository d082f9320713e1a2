package dev.vigil.alert;

import dev.vigil.store.OutboxEntry;
import dev.vigil.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts through the store's outbox, so that none is lost while a sink is down or Vigil restarts.
 *
 * <p>{@link #notify(Alert, List)} writes one outbox entry per sink (payload: the alert as JSON; dedup key:
 * fingerprint and status) and only then wakes that sink's delivery loop, a virtual thread per sink that also wakes on
 * a timer. The loop takes the sink's pending entries in the order they were written and delivers them one by one; a
 * retryable failure stops the loop for that sink (so a later state never overtakes an earlier one) and backs off
 * exponentially ({@link Options#firstRetry} doubling up to {@link Options#maxRetry}); a rejected entry (the sink said
 * the alert itself is wrong) is dropped: marked delivered, with {@code dropped: why} as its last error, and logged.
 *
 * <p>Summarising: when several entries for one fingerprint are pending, an entry directly followed by one with the
 * same dedup key (a re-send of the same state) is superseded, and so is any entry older than {@link
 * Options#staleAfter} that has a newer one; superseded entries are marked delivered with {@code superseded by entry N}
 * as their last error. After a long outage each alert's newest state is sent instead of a flood of old ones.
 *
 * <p>At-least-once: an entry is marked delivered after the sink took it, so a crash in between sends it again on the
 * next start. Alertmanager and the webhook's receivers should treat the alert's fingerprint as its identity; a mail
 * may, rarely, arrive twice.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final Duration ALL_PENDING = Duration.ofDays(36_500);

    /**
     * @param firstRetry back-off after the first failure, doubled after each further one
     * @param maxRetry the back-off's cap
     * @param staleAfter how old a pending entry must be to be summarised into a newer one for its fingerprint
     * @param poll how often a sink's loop looks at the outbox when nothing wakes it
     * @param batch how many entries a loop reads at a time
     */
    public record Options(Duration firstRetry, Duration maxRetry, Duration staleAfter, Duration poll, int batch) {
        public static final Options DEFAULTS = new Options(
                Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofSeconds(5), 100);

        public Options {
            if (!firstRetry.isPositive() || maxRetry.compareTo(firstRetry) < 0 || !poll.isPositive() || batch < 2) {
                throw new IllegalArgumentException(
                        "bad dispatcher options: " + firstRetry + ", " + maxRetry + ", " + poll + ", " + batch);
            }
        }
    }

    private final Store store;
    private final Map<String, Sink> sinks;
    private final Routes routes;
    private final InstantSource clock;
    private final Options options;
    private final Map<String, Semaphore> wakeUps = new HashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    /**
     * @param sinks by name; every name {@code routes} mentions must be here
     */
    public Dispatcher(Store store, Map<String, Sink> sinks, Routes routes, InstantSource clock, Options options) {
        this.store = Objects.requireNonNull(store, "store");
        this.sinks = Map.copyOf(new LinkedHashMap<>(sinks));
        this.routes = routes;
        this.clock = clock;
        this.options = options;
        for (String name : routes.sinkNames()) {
            if (!this.sinks.containsKey(name)) {
                throw new IllegalArgumentException("alert route names sink '" + name + "', which is not defined");
            }
        }
        this.sinks.keySet().forEach(name -> wakeUps.put(name, new Semaphore(0)));
    }

    /** Starts one delivery loop per sink; entries left pending by an earlier run are delivered first. */
    public synchronized Dispatcher start() {
        if (!threads.isEmpty() || closed) {
            throw new IllegalStateException("dispatcher already started or closed");
        }
        sinks.forEach((name, sink) ->
                threads.add(Thread.ofVirtual().name("vigil-alert-" + name).start(() -> loop(name, sink))));
        return this;
    }

    /** Queues the alert for its routed sinks ({@link Routes}). */
    public void notify(Alert alert) {
        notify(alert, routes.sinksFor(alert));
    }

    /** Queues a re-send ({@link AlertBook#due}) for the routed sinks that {@linkplain Sink#wantsResends want it}. */
    public void resend(Alert alert) {
        notify(
                alert,
                routes.sinksFor(alert).stream()
                        .filter(name -> sinks.get(name).wantsResends())
                        .toList());
    }

    /**
     * Writes one outbox entry per sink (durable when this returns), then wakes those sinks' loops.
     *
     * @throws IllegalArgumentException for a sink name that is not defined
     * @throws dev.vigil.store.StoreException when the outbox cannot be written
     */
    public void notify(Alert alert, List<String> sinkNames) {
        sinkNames.forEach(name -> {
            if (!sinks.containsKey(name)) {
                throw new IllegalArgumentException("no alert sink named '" + name + "'");
            }
        });
        String payload = AlertJson.toJson(alert);
        Instant now = clock.instant();
        for (String name : sinkNames) {
            store.enqueue(name, alert.dedupKey(), payload, now);
        }
        sinkNames.forEach(name -> wakeUps.get(name).release());
    }

    /**
     * Starts a virtual thread that asks {@code book} for re-sends every {@code tick} and {@linkplain #resend queues}
     * them; it ends with the dispatcher.
     */
    public synchronized void followResends(AlertBook book, Duration tick) {
        Semaphore never = new Semaphore(0);
        threads.add(Thread.ofVirtual().name("vigil-alert-resend").start(() -> {
            while (!closed) {
                try {
                    book.due(clock.instant()).forEach(this::resend);
                } catch (RuntimeException e) {
                    LOG.error("cannot queue alert re-sends: {}", Http.describe(e));
                }
                if (!pause(never, tick)) {
                    return;
                }
            }
        }));
    }

    /** How many entries wait for {@code sink}. */
    public int pending(String sink) {
        return store.pendingCount(sink);
    }

    /**
     * Stops the loops, waiting for a delivery in progress to end (its entry stays pending if it was cut short). Does
     * not close the store.
     */
    @Override
    public void close() {
        List<Thread> running;
        synchronized (this) {
            closed = true;
            running = List.copyOf(threads);
        }
        running.forEach(Thread::interrupt);
        for (Thread t : running) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void loop(String name, Sink sink) {
        Semaphore wakeUp = wakeUps.get(name);
        Instant backoffUntil = Instant.MIN;
        while (!closed) {
            Instant now = clock.instant();
            if (!now.isBefore(backoffUntil)) {
                try {
                    backoffUntil = deliverPending(name, sink);
                } catch (RuntimeException e) {
                    if (closed) {
                        return;
                    }
                    LOG.error("alert sink {}: cannot use the outbox: {}", name, Http.describe(e));
                    backoffUntil = clock.instant().plus(options.firstRetry());
                }
            }
            now = clock.instant();
            Duration wait = now.isBefore(backoffUntil) ? Duration.between(now, backoffUntil) : options.poll();
            if (!pause(wakeUp, wait.compareTo(options.poll()) < 0 ? wait : options.poll())) {
                return;
            }
        }
    }

    /** Waits for a wake-up or the timeout; false when interrupted (closing). */
    private static boolean pause(Semaphore wakeUp, Duration timeout) {
        try {
            if (wakeUp.tryAcquire(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                wakeUp.drainPermits();
            }
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Delivers what is pending for one sink, in order; returns until when to back off ({@code MIN}: not). */
    private Instant deliverPending(String name, Sink sink) {
        while (!closed) {
            Instant now = clock.instant();
            List<OutboxEntry> pending = store.due(name, now.plus(ALL_PENDING), options.batch());
            if (pending.isEmpty()) {
                return Instant.MIN;
            }
            for (OutboxEntry entry : summarise(pending, now)) {
                if (closed) {
                    return Instant.MIN;
                }
                Alert alert;
                try {
                    alert = AlertJson.fromJson(entry.payload());
                } catch (IllegalArgumentException e) {
                    drop(name, entry, "unreadable payload: " + Http.describe(e));
                    continue;
                }
                Delivery result = sink.deliver(alert);
                Instant done = clock.instant();
                switch (result) {
                    case Delivery.Delivered d -> store.markDelivered(entry.id(), done);
                    case Delivery.Failed(boolean retryable, String why)
                    when retryable -> {
                        Instant next = done.plus(backoff(entry.attempts()));
                        store.markFailed(entry.id(), why, next);
                        LOG.warn(
                                "alert sink {}: cannot deliver {} (attempt {}), retrying at {}: {}",
                                name,
                                entry.dedupKey(),
                                entry.attempts() + 1,
                                next,
                                why);
                        return next;
                    }
                    case Delivery.Failed(boolean retryable, String why) -> drop(name, entry, why);
                }
            }
        }
        return Instant.MIN;
    }

    private void drop(String name, OutboxEntry entry, String why) {
        Instant now = clock.instant();
        LOG.error("alert sink {}: dropped {} (entry {}), it was refused: {}", name, entry.dedupKey(), entry.id(), why);
        store.markFailed(entry.id(), "dropped: " + why, now);
        store.markDelivered(entry.id(), now);
    }

    /** Marks superseded entries delivered; returns the rest, in order. */
    private List<OutboxEntry> summarise(List<OutboxEntry> pending, Instant now) {
        Map<Long, Long> superseded = supersededBy(pending, now.minus(options.staleAfter()));
        for (Map.Entry<Long, Long> e : superseded.entrySet()) {
            store.markFailed(e.getKey(), "superseded by entry " + e.getValue(), now);
            store.markDelivered(e.getKey(), now);
        }
        return pending.stream().filter(e -> !superseded.containsKey(e.id())).toList();
    }

    /** Entry id → the id of the newer entry that supersedes it (see the class comment). */
    static Map<Long, Long> supersededBy(List<OutboxEntry> pending, Instant staleBefore) {
        Map<String, List<OutboxEntry>> byFingerprint = new LinkedHashMap<>();
        for (OutboxEntry entry : pending) {
            byFingerprint
                    .computeIfAbsent(fingerprint(entry.dedupKey()), k -> new ArrayList<>())
                    .add(entry);
        }
        Map<Long, Long> superseded = new LinkedHashMap<>();
        for (List<OutboxEntry> entries : byFingerprint.values()) {
            OutboxEntry newest = entries.getLast();
            for (int i = 0; i < entries.size() - 1; i++) {
                OutboxEntry entry = entries.get(i);
                OutboxEntry next = entries.get(i + 1);
                if (next.dedupKey().equals(entry.dedupKey())) {
                    superseded.put(entry.id(), next.id());
                } else if (entry.createdAt().isBefore(staleBefore)) {
                    superseded.put(entry.id(), newest.id());
                }
            }
        }
        return superseded;
    }

    private static String fingerprint(String dedupKey) {
        int hash = dedupKey.lastIndexOf('#');
        return hash < 0 ? dedupKey : dedupKey.substring(0, hash);
    }

    Duration backoff(int failedAttempts) {
        Duration delay = options.firstRetry();
        for (int i = 0; i < failedAttempts && delay.compareTo(options.maxRetry()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(options.maxRetry()) < 0 ? delay : options.maxRetry();
    }
}
