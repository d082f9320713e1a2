package dev.vigil.process;

import java.time.Instant;

/**
 * One reading of a process from /proc.
 *
 * @param identity who it is (pid, start time, uid, command line)
 * @param ppid its parent
 * @param pgid its process group
 * @param state the one-letter state from /proc/PID/stat (R, S, D, Z, T, ...)
 * @param startedAt when it started, wall clock (for display: identity uses {@code startTicks})
 * @param rssBytes resident memory
 */
public record ProcessInfo(
        ProcessIdentity identity, long ppid, long pgid, char state, Instant startedAt, long rssBytes) {

    public long pid() {
        return identity.pid();
    }

    /** Exited but not yet reaped by its parent: it will never run again. */
    public boolean isZombie() {
        return state == 'Z' || state == 'X';
    }
}
