package dev.vigil.driver;

/** What a service is observed to be doing, in the words {@code vigil status} prints. */
public enum ServiceState {
    /** Its process is alive and matches its identity. */
    RUNNING,
    /** Not running, and nothing says it should be: no pidfile, or a clean stop. */
    STOPPED,
    /** Launched, but not yet alive for success_seconds (or systemd says activating). */
    STARTING,
    /** Not running although a pidfile says it should be, or systemd reports the unit failed. */
    FAILED,
    /** Vigil could not tell (status command timed out, systemd not reachable, ...). */
    UNKNOWN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
