package dev.vigil.driver;

/**
 * The outcome of start, stop or restart: whether it did what was asked, what it did, and the state after.
 *
 * @param ok the service is now in the state that was asked for
 * @param message what happened and why, for people ("started, pid 4242 alive after 2s"; "already running")
 * @param after the service as observed at the end of the action
 */
public record ActionResult(boolean ok, String message, ServiceStatus after) {}
