package dev.vigil.process;

import dev.vigil.process.linux.Pidfd;
import dev.vigil.process.linux.ProcFs;
import java.time.Duration;
import java.util.Optional;

/**
 * Stops a process: SIGTERM, a grace period, SIGKILL, and a wait until it is really gone. The pid is pinned with a
 * pidfd and the process behind it re-verified (same start time) before the first signal, and every later signal
 * goes through the same pidfd, so no signal can reach a process that merely inherited the pid.
 */
public final class ProcessStopper {
    /** How long to wait after SIGKILL before declaring the process unkillable (uninterruptible sleep, ...). */
    static final Duration AFTER_KILL = Duration.ofSeconds(10);

    private ProcessStopper() {}

    /** How a stop ended. */
    public sealed interface Stopped {
        /** It was already gone (or had become another process) when we looked. */
        record AlreadyGone() implements Stopped {}

        /** It exited after SIGTERM within the grace period. */
        record Terminated(Duration took) implements Stopped {}

        /** It ignored SIGTERM for the whole grace period and was killed. */
        record Killed(Duration took) implements Stopped {}

        /** Still there after SIGKILL: the kernel could not end it (state D) or signals are not permitted. */
        record Stuck(String why) implements Stopped {}
    }

    /**
     * Stops {@code expected}.
     *
     * @param grace time between SIGTERM and SIGKILL (usrsvc's term_to_kill_seconds)
     * @param wholeGroup signal the process group it leads, not only the process, and kill what of the group is left
     */
    public static Stopped stop(ProcessIdentity expected, Duration grace, boolean wholeGroup) {
        Optional<Pidfd> opened = Pidfd.open(expected.pid());
        if (opened.isEmpty()) {
            return new Stopped.AlreadyGone();
        }
        try (Pidfd pidfd = opened.get()) {
            // The pidfd now pins whatever has this pid; check it is still the process we mean.
            Optional<ProcessInfo> now = ProcFs.read(expected.pid());
            if (now.isEmpty() || now.get().isZombie() || now.get().identity().startTicks() != expected.startTicks()) {
                return new Stopped.AlreadyGone();
            }
            boolean group = wholeGroup && now.get().pgid() == expected.pid();
            long began = System.nanoTime();
            send(pidfd, expected.pid(), group, Pidfd.SIGTERM);
            if (pidfd.awaitExit(grace)) {
                if (group) {
                    Pidfd.signalGroup(expected.pid(), Pidfd.SIGKILL); // stragglers of the group get no second chance
                }
                return new Stopped.Terminated(Duration.ofNanos(System.nanoTime() - began));
            }
            send(pidfd, expected.pid(), group, Pidfd.SIGKILL);
            if (pidfd.awaitExit(AFTER_KILL)) {
                return new Stopped.Killed(Duration.ofNanos(System.nanoTime() - began));
            }
            char state = ProcFs.read(expected.pid()).map(ProcessInfo::state).orElse('?');
            return new Stopped.Stuck("pid " + expected.pid() + " is still there " + AFTER_KILL.toSeconds()
                    + "s after SIGKILL (state " + state + (state == 'D' ? ": waiting on I/O in the kernel" : "")
                    + ")");
        } catch (IllegalStateException e) {
            return new Stopped.Stuck(e.getMessage());
        }
    }

    private static void send(Pidfd pidfd, long pid, boolean group, int signal) {
        if (group) {
            Pidfd.signalGroup(pid, signal);
        } else {
            pidfd.signal(signal);
        }
    }
}
