package dev.vigil.process;

import java.util.List;

/**
 * Who a process is, not only which pid it has: the kernel reuses pids, so every decision about a pid is checked
 * against the start time it had when Vigil first saw it.
 *
 * @param pid the process id
 * @param startTicks field 22 of /proc/PID/stat: start time in clock ticks after boot; unique per pid per boot
 * @param uid the real user id owning it
 * @param cmdline its command line as the kernel shows it now (it changes when a program sets its title)
 */
public record ProcessIdentity(long pid, long startTicks, int uid, List<String> cmdline) {
    public ProcessIdentity {
        cmdline = List.copyOf(cmdline);
    }

    /** The command line as {@code ps auxww} shows it: arguments joined by single spaces. */
    public String commandLine() {
        return String.join(" ", cmdline);
    }

    /** Same process: same pid and same start time (the command line may have changed since). */
    public boolean sameProcessAs(ProcessIdentity other) {
        return pid == other.pid && startTicks == other.startTicks;
    }
}
