package dev.vigil.store;

/**
 * What a service should be, as config or a person said. Only config and people set it, so a service that
 * {@code vigil stop} stopped stays stopped: the supervisor never "repairs" it.
 */
public enum DesiredState {
    /** Keep it running: restart it when it dies or fails its checks. */
    RUNNING,
    /** Keep it stopped: do not start it, and do not alert that it is down. */
    STOPPED,
    /** Leave it alone: neither start nor stop it, only record what it does. */
    UNMONITORED
}
