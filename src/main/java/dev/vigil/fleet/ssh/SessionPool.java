package dev.vigil.fleet.ssh;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.session.ClientSession;

/**
 * One authenticated session per target, reused for every command. Concurrent callers for a target wait on the one
 * connect in progress instead of each opening their own; a session found closed is replaced on next use; a session
 * unused for {@code idleExpiry} is closed by a sweep (one daemon thread, stopped by {@link #close()}).
 */
final class SessionPool implements AutoCloseable {
    /** A session and its use count; retired under its own lock so an expiring session is never handed out. */
    static final class Pooled {
        final ClientSession session;
        private int leases;
        private long idleSince = System.nanoTime();
        private boolean retired;

        Pooled(ClientSession session) {
            this.session = session;
        }

        synchronized boolean lease() {
            if (retired || !session.isOpen()) {
                retired = true;
                return false;
            }
            leases++;
            return true;
        }

        synchronized void release() {
            leases--;
            idleSince = System.nanoTime();
        }

        synchronized boolean retireIfIdle(long now, long expiryNanos) {
            if (!retired && (!session.isOpen() || (leases == 0 && now - idleSince >= expiryNanos))) {
                retired = true;
            }
            return retired && leases == 0;
        }

        synchronized void retire() {
            retired = true;
        }
    }

    private final SessionConnector connector;
    private final long idleExpiryNanos;
    private final Map<SshTarget, CompletableFuture<Pooled>> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService sweeper;

    SessionPool(SessionConnector connector, Duration idleExpiry) {
        this.connector = connector;
        this.idleExpiryNanos = idleExpiry.toNanos();
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-ssh-idle-sweep");
            t.setDaemon(true);
            return t;
        });
        long period = Math.clamp(idleExpiry.toMillis() / 4, 50, 30_000);
        sweeper.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** A leased session for {@code target}; the caller must {@link Pooled#release()} it. */
    Pooled acquire(SshTarget target) throws HostUnreachableException {
        while (true) {
            CompletableFuture<Pooled> mine = new CompletableFuture<>();
            CompletableFuture<Pooled> existing = sessions.putIfAbsent(target, mine);
            Pooled pooled = existing == null ? connect(target, mine) : await(existing);
            if (pooled.lease()) {
                return pooled;
            }
            sessions.remove(target, existing == null ? mine : existing);
            pooled.session.close(true);
        }
    }

    /** Drops a session that failed under the caller, so that the next acquire connects anew. */
    void discard(SshTarget target, Pooled pooled) {
        pooled.retire();
        CompletableFuture<Pooled> current = sessions.get(target);
        if (current != null && current.isDone() && !current.isCompletedExceptionally() && current.join() == pooled) {
            sessions.remove(target, current);
        }
        pooled.session.close(true);
    }

    private Pooled connect(SshTarget target, CompletableFuture<Pooled> mine) throws HostUnreachableException {
        try {
            Pooled pooled = new Pooled(connector.connect(target));
            mine.complete(pooled);
            return pooled;
        } catch (HostUnreachableException | RuntimeException e) {
            // the waiters share this failure; the next caller tries again
            sessions.remove(target, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private static Pooled await(CompletableFuture<Pooled> connecting) throws HostUnreachableException {
        try {
            return connecting.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HostUnreachableException u) {
                throw new HostUnreachableException(u.getMessage());
            }
            throw new HostUnreachableException("cannot connect: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HostUnreachableException("interrupted while waiting for a connection");
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        sessions.forEach((target, future) -> {
            if (future.isDone() && !future.isCompletedExceptionally()) {
                Pooled pooled = future.join();
                if (pooled.retireIfIdle(now, idleExpiryNanos)) {
                    sessions.remove(target, future);
                    pooled.session.close(false);
                }
            }
        });
    }

    /** Sessions open now (for tests and metrics). */
    int size() {
        return sessions.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        sessions.values().forEach(f -> f.thenAccept(p -> p.session.close(true)));
        sessions.clear();
    }
}
