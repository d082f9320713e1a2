package dev.vigil.process.linux;

import dev.vigil.process.ProcessIdentity;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells, within milliseconds, when a watched process exits, whether or not Vigil is its parent: one pidfd per
 * process, all polled by one platform thread ("vigil-exit-watcher"), plus an eventfd that wakes it when the set
 * changes.
 *
 * <p>Concurrency: {@link #watch} and {@link #unwatch} may be called from any thread; they change the map under its
 * lock and wake the watcher, which rebuilds its poll array. The listener runs on the watcher thread and must hand
 * work off quickly (the supervisor queues an event). Each exit is reported once, after which the process is no
 * longer watched. {@link #close} stops the thread and closes every pidfd.
 */
public final class ExitWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExitWatcher.class);
    private static final int POLLFD_SIZE = 8;

    /** A watched process has exited. */
    public record Exited(String key, ProcessIdentity identity, Instant at) {}

    private record Watched(String key, ProcessIdentity identity, Pidfd pidfd) {}

    private final Consumer<Exited> listener;
    private final Map<String, Watched> watched = new HashMap<>();
    private final int wakeFd;
    private final Thread thread;
    private volatile boolean closed;

    public ExitWatcher(Consumer<Exited> listener) {
        this.listener = listener;
        Syscalls.Result eventfd = Syscalls.eventfd();
        if (eventfd.failed()) {
            throw new IllegalStateException("eventfd failed with errno " + eventfd.errno());
        }
        this.wakeFd = (int) eventfd.value();
        this.thread = Thread.ofPlatform().name("vigil-exit-watcher").daemon().start(this::loop);
    }

    /**
     * Starts watching {@code identity} under {@code key} (replacing what was watched under that key).
     *
     * @return false when that process is no longer there (exited, or its pid now belongs to another process): the
     *     caller treats it as exited; no event follows
     */
    public boolean watch(String key, ProcessIdentity identity) {
        Optional<Pidfd> opened = Pidfd.open(identity.pid());
        if (opened.isEmpty()) {
            return false;
        }
        Pidfd pidfd = opened.get();
        // the pidfd pins the pid; only now is checking the start time conclusive
        Optional<Long> ticks = ProcFs.startTicks(identity.pid());
        if (ticks.isEmpty() || ticks.get() != identity.startTicks() || pidfd.hasExited()) {
            pidfd.close();
            return false;
        }
        Watched previous;
        synchronized (watched) {
            previous = watched.put(key, new Watched(key, identity, pidfd));
        }
        if (previous != null) {
            previous.pidfd().close();
        }
        Syscalls.eventfdSignal(wakeFd);
        return true;
    }

    /** Stops watching {@code key}; no event is reported for it afterwards. */
    public void unwatch(String key) {
        Watched previous;
        synchronized (watched) {
            previous = watched.remove(key);
        }
        if (previous != null) {
            Syscalls.eventfdSignal(wakeFd);
            previous.pidfd().close();
        }
    }

    public int size() {
        synchronized (watched) {
            return watched.size();
        }
    }

    private void loop() {
        while (!closed) {
            try {
                pollOnce();
            } catch (RuntimeException e) {
                // one bad round must not end detection for every service
                LOG.error("exit watcher round failed: {}", e.toString(), e);
            }
        }
    }

    /** Waits until a process exits or the set changes; a round per exit, so allocation per round is cheap. */
    private void pollOnce() {
        List<Watched> snapshot;
        synchronized (watched) {
            snapshot = new ArrayList<>(watched.values());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate((long) POLLFD_SIZE * (snapshot.size() + 1), 4);
            setPollfd(fds, 0, wakeFd);
            for (int i = 0; i < snapshot.size(); i++) {
                setPollfd(fds, i + 1, snapshot.get(i).pidfd().fd());
            }
            Syscalls.Result result = Syscalls.poll(fds, snapshot.size() + 1, -1);
            if (result.failed()) {
                if (result.errno() != Syscalls.EINTR) {
                    throw new IllegalStateException(
                            "poll over " + snapshot.size() + " pidfds failed with errno " + result.errno());
                }
                return;
            }
            if (revents(fds, 0) != 0) {
                Syscalls.eventfdDrain(wakeFd);
            }
            for (int i = 0; i < snapshot.size(); i++) {
                if (revents(fds, i + 1) != 0) {
                    report(snapshot.get(i));
                }
            }
        }
    }

    private void report(Watched exited) {
        boolean current;
        synchronized (watched) {
            current = watched.remove(exited.key(), exited);
        }
        if (!current) {
            return; // unwatched or replaced meanwhile
        }
        exited.pidfd().close();
        try {
            listener.accept(new Exited(exited.key(), exited.identity(), Instant.now()));
        } catch (RuntimeException e) {
            LOG.error("exit listener failed for {}: {}", exited.key(), e.toString(), e);
        }
    }

    private static void setPollfd(MemorySegment fds, int index, int fd) {
        long base = (long) index * POLLFD_SIZE;
        fds.set(ValueLayout.JAVA_INT, base, fd);
        fds.set(ValueLayout.JAVA_SHORT, base + 4, Syscalls.POLLIN);
        fds.set(ValueLayout.JAVA_SHORT, base + 6, (short) 0);
    }

    private static short revents(MemorySegment fds, int index) {
        return fds.get(ValueLayout.JAVA_SHORT, (long) index * POLLFD_SIZE + 6);
    }

    @Override
    public void close() {
        closed = true;
        Syscalls.eventfdSignal(wakeFd);
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (watched) {
            watched.values().forEach(w -> w.pidfd().close());
            watched.clear();
        }
        Syscalls.close(wakeFd);
    }
}
