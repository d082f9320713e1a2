package dev.vigil.shell;

import java.time.Duration;
import java.util.List;

/**
 * Where a driver's commands run: this machine, or (later) a host over SSH. Drivers build argv lists and never paste
 * values into shell text themselves, so an implementation that needs a command string quotes every element with
 * {@link ShellQuoting#quote(String)}.
 */
public interface Shell {

    /**
     * Runs {@code argv} and waits at most {@code timeout} for it, killing it and everything it started when the bound
     * passes. Never throws for a failure of the command: that is in the result's {@link ExitStatus}.
     */
    CommandResult run(List<String> argv, Duration timeout);

    /** A name for messages ("local", "xrd01.example.org"). */
    String where();

    /**
     * The shell for commands that change a service (start, stop, restart): on a fleet host with {@code sudo = true}
     * they go through {@code sudo -n}, so the sudo rule lists exactly those commands and status queries need none.
     * Locally, and by default, the same shell.
     */
    default Shell privileged() {
        return this;
    }
}
