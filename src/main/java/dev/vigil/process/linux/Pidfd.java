package dev.vigil.process.linux;

import java.time.Duration;
import java.util.Optional;

/**
 * A pidfd (pidfd_open(2)): a handle on one process that stays bound to it even if its pid is reused. Signals sent
 * through it can only reach that process, and it becomes readable when the process exits, parent or not.
 */
public final class Pidfd implements AutoCloseable {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private final long pid;
    private final int fd;
    private boolean closed;

    private Pidfd(long pid, int fd) {
        this.pid = pid;
        this.fd = fd;
    }

    /**
     * Opens a pidfd for {@code pid}; empty when no such process exists. Whoever calls this must still check that the
     * process behind it is the one meant (start time from /proc): the pid may already have been reused.
     *
     * @throws IllegalStateException when the kernel refuses for another reason (EPERM, EMFILE, no pidfd support)
     */
    public static Optional<Pidfd> open(long pid) {
        Syscalls.Result result = Syscalls.pidfdOpen(pid);
        if (!result.failed()) {
            return Optional.of(new Pidfd(pid, (int) result.value()));
        }
        if (result.errno() == Syscalls.ESRCH) {
            return Optional.empty();
        }
        throw new IllegalStateException("pidfd_open(" + pid + ") failed with errno " + result.errno());
    }

    public long pid() {
        return pid;
    }

    /** The file descriptor, for a watcher that polls many pidfds at once. */
    public int fd() {
        return fd;
    }

    /**
     * Sends {@code signal} to exactly this process.
     *
     * @return false when the process has already exited
     */
    public boolean signal(int signal) {
        Syscalls.Result result = Syscalls.pidfdSendSignal(fd, signal);
        if (!result.failed()) {
            return true;
        }
        if (result.errno() == Syscalls.ESRCH) {
            return false;
        }
        throw new IllegalStateException(
                "pidfd_send_signal(" + pid + ", " + signal + ") failed with errno " + result.errno());
    }

    /** Waits until the process exits or {@code bound} passes; true when it has exited. */
    public boolean awaitExit(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            int millis = (int) Math.max(0, Math.min(Integer.MAX_VALUE, (left + 999_999) / 1_000_000));
            Syscalls.Result result = Syscalls.pollIn(fd, millis);
            if (result.value() > 0) {
                return true;
            }
            if (result.value() == 0 && System.nanoTime() >= deadline) {
                return false;
            }
            if (result.failed() && result.errno() != Syscalls.EINTR) {
                throw new IllegalStateException("poll on pidfd of " + pid + " failed with errno " + result.errno());
            }
        }
    }

    /** True when the process has exited (a zombie counts as exited). Never blocks. */
    public boolean hasExited() {
        return Syscalls.pollIn(fd, 0).value() > 0;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Syscalls.close(fd);
        }
    }

    /**
     * Sends {@code signal} to every process in group {@code pgid} (kill(2) with a negative pid). Only call this right
     * after verifying, through a pidfd, that the group's leader is the process meant.
     *
     * @return false when the group has no process left
     */
    public static boolean signalGroup(long pgid, int signal) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + pgid);
        }
        Syscalls.Result result = Syscalls.kill((int) -pgid, signal);
        if (!result.failed()) {
            return true;
        }
        if (result.errno() == Syscalls.ESRCH) {
            return false;
        }
        throw new IllegalStateException("kill(-" + pgid + ", " + signal + ") failed with errno " + result.errno());
    }
}
