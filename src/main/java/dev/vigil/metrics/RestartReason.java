package dev.vigil.metrics;

import java.util.Locale;

/** Why the daemon restarted a service: the bounded value set of the {@code reason} label of vigil_restarts_total. */
public enum RestartReason {
    /** The process exited or vanished. */
    DIED,
    /** A health check failed and asked for a restart. */
    CHECK,
    /** A person asked for it ({@code vigil restart}). */
    PERSON,
    /** Something it requires was restarted. */
    DEPENDENCY,
    /** A start at daemon start-up or config load (autostart) of a service found down. */
    AUTOSTART,
    /** The cool-down after giving up ended and the daemon tried again. */
    RETRY;

    /** The label value: the constant's name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
