package dev.vigil.supervise;

import java.util.Locale;

/** The kinds of things that happen to a service, as stored in the event history and sent as alerts. */
public enum EventKind {
    ADOPTED,
    REPLACED,
    STARTED,
    DIED,
    RECOVERED,
    RESTARTED,
    RESTART_FAILED,
    BACKING_OFF,
    GAVE_UP,
    RETRYING,
    EXITED_SUCCESS,
    STOPPED,
    STOP_FAILED,
    CHECK_FAILED,
    CHECK_RECOVERED,
    DESIRED_CHANGED,
    LEFT_DOWN,
    RUNNING_UNWANTED,
    /** A fleet host could not be reached: what runs there is unknown, and nothing is started on it. */
    HOST_UNREACHABLE,
    /** A fleet host that could not be reached answers again. */
    HOST_REACHABLE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
