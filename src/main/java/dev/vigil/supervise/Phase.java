package dev.vigil.supervise;

import java.util.Locale;

/** Where a service is in the daemon's eyes; together with the desired state it decides what the daemon does next. */
public enum Phase {
    /** Not looked at yet (daemon just started or the service was just added). */
    NEW,
    /** Running and watched. */
    UP,
    /** Seen down by the sweep; looking again before acting. */
    CONFIRMING,
    /** Down; waiting out the back-off before the next start. */
    BACKOFF,
    /** A start or restart is in progress. */
    STARTING,
    /** A stop is in progress. */
    STOPPING,
    /** Down and meant to be: stopped by a person, or autostart/autorestart are off, or it exited with success. */
    DOWN,
    /** Too many restarts in the window: left alone until the cool-down ends or a person resets it. */
    GIVEN_UP,
    /** A person asked the daemon to leave it alone entirely. */
    UNMONITORED;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
