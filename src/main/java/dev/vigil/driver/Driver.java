package dev.vigil.driver;

/**
 * How one service is controlled. Each call blocks until the action is finished or its configured timeout passed,
 * and never throws for a failure of the service itself: that is reported in the result. Thread-safe for calls on
 * different services; calls on the same service must not overlap (the caller serialises them).
 */
public interface Driver {
    ServiceStatus status();

    /** Starts the service; succeeds without doing anything when it already runs. */
    ActionResult start();

    /** Stops the service; succeeds without doing anything when it is not running. */
    ActionResult stop();

    /** Stops (if running) and starts again. */
    ActionResult restart();

    /**
     * The exit code of {@code pid} once it has exited, when this driver started it and Vigil is therefore its parent;
     * empty otherwise (the kernel tells only the parent).
     */
    default java.util.Optional<Integer> exitCodeOf(long pid) {
        return java.util.Optional.empty();
    }
}
