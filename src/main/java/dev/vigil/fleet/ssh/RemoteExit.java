package dev.vigil.fleet.ssh;

import dev.vigil.shell.ExitStatus;
import java.util.Map;

/** Turns what an SSH server reported at a channel's end (exit-status, exit-signal, or neither) into an ExitStatus. */
final class RemoteExit {
    /** Linux's numbers for the signal names RFC 4254 sends without the "SIG" prefix. */
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(
            Map.entry("HUP", 1),
            Map.entry("INT", 2),
            Map.entry("QUIT", 3),
            Map.entry("ILL", 4),
            Map.entry("TRAP", 5),
            Map.entry("ABRT", 6),
            Map.entry("BUS", 7),
            Map.entry("FPE", 8),
            Map.entry("KILL", 9),
            Map.entry("USR1", 10),
            Map.entry("SEGV", 11),
            Map.entry("USR2", 12),
            Map.entry("PIPE", 13),
            Map.entry("ALRM", 14),
            Map.entry("TERM", 15),
            Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25));

    private RemoteExit() {}

    static ExitStatus decode(Integer exitStatus, String exitSignal) {
        if (exitSignal != null) {
            return new ExitStatus.Signalled(signalNumber(exitSignal));
        }
        if (exitStatus != null) {
            return new ExitStatus.Exited(exitStatus);
        }
        return new ExitStatus.LaunchFailed(
                "the SSH server closed the channel without an exit status (the command may not have started,"
                        + " or the connection was lost while it ran)");
    }

    /** The number for a signal name ("KILL", "SIGTERM"); -1 for a name this table does not know. */
    static int signalNumber(String name) {
        String bare = name.startsWith("SIG") ? name.substring(3) : name;
        return SIGNALS.getOrDefault(bare, -1);
    }
}
