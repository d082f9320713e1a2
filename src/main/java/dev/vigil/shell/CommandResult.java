package dev.vigil.shell;

import java.time.Duration;

/**
 * What a finished command left behind. Output is captured up to a bound (see {@link LocalShell#OUTPUT_LIMIT}) so a
 * chatty command cannot exhaust memory.
 */
public record CommandResult(ExitStatus status, String stdout, String stderr, Duration took) {

    public boolean succeeded() {
        return status.succeeded();
    }

    /** The exit code when the command exited normally, else -1. */
    public int exitCode() {
        return status instanceof ExitStatus.Exited(int code) ? code : -1;
    }

    /** Stderr, else stdout, trimmed and cut to a line or two for a message. */
    public String briefOutput() {
        String text = stderr.isBlank() ? stdout : stderr;
        text = text.strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
