package dev.vigil.rollout;

import dev.vigil.config.VigilConfig;
import dev.vigil.driver.ServiceLock;
import dev.vigil.fleet.Inventory;
import dev.vigil.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's schedule of rollouts: every {@code [rollout.NAME]} with {@code schedule = true} is run with {@code
 * dueOnly} (each host once per period, staggered, inside its windows, a half-done host first) when {@link DueTime}
 * says it has work, under the same {@link RolloutLock} as {@code vigil rollout run}, so a person's run and the daemon
 * never drive one rollout at once: whoever holds the lock runs, the other logs it and tries again later.
 *
 * <p>Concurrency: one virtual thread, "vigil-rollouts", decides ({@link #tick}) and sleeps until the earliest due
 * time, at most {@link #recheck} (pause and resume are written to the store by other processes, so they are seen at
 * the next re-check), or until a reload or a finished run wakes it. Each run goes to a virtual thread of its own,
 * "vigil-rollout-NAME", so a rollout that takes hours holds up neither the other rollouts nor the daemon's
 * supervisor; a rollout has at most one run at a time. The per-rollout state is guarded by {@code this}.
 *
 * <p>Reload ({@link #reconfigure}): an added rollout is due at once, a removed one is dropped, a changed one is run
 * with its new table from its next run on; a run under way of a removed or changed rollout finishes the hosts it has
 * begun and starts no other ({@link RolloutEngine#finishCurrent}). Stop ({@link #close}): every run halts at its
 * next step boundary ({@link RolloutEngine#halt}, waits cut short), leaving a host under way journalled half-done, so
 * the next start completes it first; close waits for that at most its bound.
 */
public final class RolloutScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RolloutScheduler.class);
    /** The longest the daemon sleeps before it looks at the store again (a pause, a resume, a person's run). */
    public static final Duration RECHECK = Duration.ofSeconds(60);

    /** Opens an engine for one run of {@code spec}; the daemon's reaches the hosts over SSH. */
    @FunctionalInterface
    public interface Opener {
        Opened open(VigilConfig config, RolloutSpec spec, Sleeper sleeper);
    }

    /** An engine open for one run, and what to close after it (its hosts' connections). */
    public record Opened(RolloutEngine engine, AutoCloseable resources) {}

    /** What {@link #tick} did with a rollout. */
    public enum Attempt {
        /** Not due yet. */
        WAITING,
        /** A run began (on the executor). */
        STARTED,
        /** Due, but another controller holds the lock: tried again after {@link #recheck}. */
        LOCKED,
        /** A run of it is under way. */
        RUNNING
    }

    private final class Scheduled {
        final String name;
        VigilConfig config;
        RolloutSpec spec;
        Instant wake = Instant.MIN;
        RolloutEngine running;
        boolean removed;

        Scheduled(VigilConfig config, RolloutSpec spec) {
            this.name = spec.name();
            this.config = config;
            this.spec = spec;
        }
    }

    private final Store store;
    private final Opener opener;
    private final InstantSource clock;
    private final ZoneId zone;
    private final Duration recheck;
    private final Map<String, Scheduled> rollouts = new LinkedHashMap<>();
    /** The rollouts with a run under way, including one a reload removed. */
    private final List<Scheduled> active = new ArrayList<>();

    private final Map<String, Instant> heartbeats = new ConcurrentHashMap<>();
    private final CountDownLatch stopping = new CountDownLatch(1);
    /** Cuts a step's wait short when the scheduler stops. */
    private final Sleeper sleeper = d -> {
        if (stopping.await(d.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new InterruptedException("the daemon is stopping");
        }
    };

    private Thread loop;

    /** @param recheck the longest sleep before looking at the store again ({@link #RECHECK}) */
    public RolloutScheduler(Store store, Opener opener, InstantSource clock, ZoneId zone, Duration recheck) {
        this.store = store;
        this.opener = opener;
        this.clock = clock;
        this.zone = zone;
        this.recheck = recheck;
    }

    /** When the daemon's schedule last looked at {@code rollout} (its {@code vigil_rollout_heartbeat}). */
    public Optional<Instant> heartbeat(String rollout) {
        return Optional.ofNullable(heartbeats.get(rollout));
    }

    /** Starts the loop on its virtual thread; the rollouts of {@code config} are due to be looked at at once. */
    public void start(VigilConfig config) {
        reconfigure(config);
        loop = Thread.ofVirtual().name("vigil-rollouts").start(this::loop);
    }

    /**
     * Adds, changes and removes rollouts to match {@code config}'s scheduled ones; returns what changed, for the
     * reload's log. A run under way of a changed or removed rollout starts no other host.
     */
    public synchronized List<String> reconfigure(VigilConfig config) {
        List<String> changes = new ArrayList<>();
        Map<String, RolloutSpec> wanted = new LinkedHashMap<>();
        config.rollouts().stream().filter(RolloutSpec::scheduled).forEach(r -> wanted.put(r.name(), r));
        for (Scheduled s : List.copyOf(rollouts.values())) {
            if (!wanted.containsKey(s.name)) {
                s.removed = true;
                rollouts.remove(s.name);
                heartbeats.remove(s.name);
                finishCurrent(s, "removed from the schedule");
                changes.add("rollout " + s.name + ": no longer scheduled");
            }
        }
        for (RolloutSpec spec : wanted.values()) {
            Scheduled s = rollouts.get(spec.name());
            if (s == null) {
                rollouts.put(spec.name(), new Scheduled(config, spec));
                changes.add("rollout " + spec.name() + ": scheduled");
            } else {
                boolean changed =
                        !s.spec.equals(spec) || !hosts(s.config, s.spec).equals(hosts(config, spec));
                s.config = config;
                s.spec = spec;
                s.wake = Instant.MIN;
                if (changed) {
                    finishCurrent(s, "its configuration changed");
                    changes.add("rollout " + spec.name() + ": changed (from its next run on)");
                }
            }
        }
        notifyAll();
        return changes;
    }

    private void finishCurrent(Scheduled s, String why) {
        if (s.running != null) {
            LOG.info("rollout {}: {}; the run under way finishes the hosts it began and starts no other", s.name, why);
            s.running.finishCurrent();
        }
    }

    private static List<String> hosts(VigilConfig config, RolloutSpec spec) {
        return config.inventory().select(spec.hosts()).stream()
                .map(Inventory.Host::name)
                .toList();
    }

    /**
     * Looks at every rollout once: starts, on {@code executor}, a run of each that is due and whose lock is free.
     * The loop calls it with a virtual thread per run; tests call it with a direct executor and a fake clock.
     */
    public Map<String, Attempt> tick(Executor executor) {
        List<Scheduled> due = new ArrayList<>();
        Map<String, Attempt> attempts = new LinkedHashMap<>();
        synchronized (this) {
            Instant now = clock.instant();
            for (Scheduled s : rollouts.values()) {
                heartbeats.put(s.name, now);
                if (s.running != null) {
                    attempts.put(s.name, Attempt.RUNNING);
                } else if (s.wake.isAfter(now)) {
                    attempts.put(s.name, Attempt.WAITING);
                } else {
                    s.wake = dueAt(s, now);
                    if (s.wake.isAfter(now)) {
                        attempts.put(s.name, Attempt.WAITING);
                    } else {
                        due.add(s);
                    }
                }
            }
        }
        for (Scheduled s : due) {
            attempts.put(s.name, attempt(s, executor));
        }
        return attempts;
    }

    private Instant dueAt(Scheduled s, Instant now) {
        try {
            Instant due = DueTime.next(
                    s.spec, hosts(s.config, s.spec), store.rolloutHosts(s.name), store.rolloutPause(s.name), now, zone);
            // another process may resume, pause or run it meanwhile: look at the store again by then at the latest
            Instant recheckAt = now.plus(recheck);
            return due.isAfter(recheckAt) ? recheckAt : due;
        } catch (RuntimeException e) {
            LOG.warn(
                    "rollout {}: cannot read its schedule from the store ({}); trying again later",
                    s.name,
                    e.getMessage());
            return now.plus(recheck);
        }
    }

    private Attempt attempt(Scheduled s, Executor executor) {
        Path stateDir = s.config.settings().stateDir();
        ServiceLock lock;
        try {
            lock = RolloutLock.acquire(stateDir, s.name);
        } catch (IOException e) {
            synchronized (this) {
                s.wake = clock.instant().plus(recheck);
            }
            LOG.info("rollout {}: not run by the daemon now: {}; it tries again at {}", s.name, e.getMessage(), s.wake);
            return Attempt.LOCKED;
        }
        VigilConfig config;
        RolloutSpec spec;
        synchronized (this) {
            config = s.config;
            spec = s.spec;
        }
        Opened opened;
        try {
            opened = opener.open(config, spec, sleeper);
        } catch (RuntimeException e) {
            release(lock, s.name);
            synchronized (this) {
                s.wake = clock.instant().plus(recheck);
            }
            LOG.error("rollout {}: cannot start a run: {}; trying again at {}", s.name, e.getMessage(), s.wake);
            return Attempt.LOCKED;
        }
        synchronized (this) {
            s.running = opened.engine();
            active.add(s);
            if (stopping.getCount() == 0 || s.removed) {
                opened.engine().halt();
            }
        }
        executor.execute(() -> run(s, opened, lock));
        return Attempt.STARTED;
    }

    /** One run, on its own thread; the lock and the engine's connections are released after it, whatever happens. */
    private void run(Scheduled s, Opened opened, ServiceLock lock) {
        Thread.currentThread().setName("vigil-rollout-" + s.name);
        boolean retryLater = true;
        try {
            RunResult result = opened.engine().run(Optional.empty(), true);
            LOG.info(
                    "rollout {}: {}: {}",
                    s.name,
                    result.outcome().name().toLowerCase(java.util.Locale.ROOT),
                    result.message());
            // refused by the safety rule, the host is still due, but asking again at once would only ask the hosts
            // again; a run that restarted nothing (it placed new hosts) has its next due time in the store
            retryLater = result.outcome() == RunResult.Outcome.REFUSED
                    || result.restarted().isEmpty();
        } catch (RuntimeException e) {
            LOG.error("rollout {}: the run failed: {}", s.name, e.toString());
        } finally {
            try {
                opened.resources().close();
            } catch (Exception e) {
                LOG.warn("rollout {}: closing its connections: {}", s.name, e.getMessage());
            }
            release(lock, s.name);
            synchronized (this) {
                s.running = null;
                active.remove(s);
                s.wake = retryLater ? clock.instant().plus(recheck) : Instant.MIN;
                notifyAll();
            }
        }
    }

    private static void release(ServiceLock lock, String name) {
        try {
            lock.close();
        } catch (IOException e) {
            LOG.warn("rollout {}: releasing its lock: {}", name, e.getMessage());
        }
    }

    private void loop() {
        Executor perRun = task -> Thread.ofVirtual().start(task);
        while (stopping.getCount() > 0) {
            try {
                tick(perRun);
                synchronized (this) {
                    Instant now = clock.instant();
                    Instant until = now.plus(recheck);
                    for (Scheduled s : rollouts.values()) {
                        if (s.running == null && s.wake.isBefore(until)) {
                            until = s.wake;
                        }
                    }
                    long millis = Duration.between(now, until).toMillis();
                    if (millis > 0 && stopping.getCount() > 0) {
                        wait(millis);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // one bad look must not end the schedule
                LOG.error("rollout schedule: {}", e.toString());
                try {
                    if (stopping.await(recheck.toMillis(), TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Stops: no run starts any more, and every run under way halts at its next step boundary (a host under way
     * stays journalled half-done, completed first by the next start). Waits at most {@code bound} for the runs to
     * end; what has not ended by then is left to the journal.
     */
    public void close(Duration bound) {
        synchronized (this) {
            // halt first: a wait the sleeper then cuts short is a halt, not a failed step
            active.forEach(s -> s.running.halt());
            stopping.countDown();
            notifyAll();
        }
        long deadline = System.nanoTime() + bound.toNanos();
        synchronized (this) {
            try {
                while (!active.isEmpty()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        LOG.warn(
                                "rollout schedule: a run did not halt within {}; the journal completes it at the"
                                        + " next start",
                                bound);
                        break;
                    }
                    wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (loop != null) {
            loop.interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofMinutes(2));
    }
}
