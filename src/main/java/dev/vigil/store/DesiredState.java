package dev.vigil.store;

/** What a service should be doing, as set by its configuration or by a person. */
public enum DesiredState {
    RUNNING,
    STOPPED,
    UNMONITORED
}
