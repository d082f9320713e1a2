package dev.vigil.supervise;

import dev.vigil.driver.ActionResult;
import dev.vigil.driver.ServiceStatus;
import java.util.Optional;

/** Everything that can happen to a service, as the state machine hears of it. */
public sealed interface Input {
    /** A fresh look at the service (the sweep, or a look the machine asked for). */
    record Observed(ServiceStatus status) implements Input {}

    /** Its process exited (seen through its pidfd); the code only when the daemon is its parent. */
    record Exited(long pid, Optional<Integer> exitCode) implements Input {}

    /** A health check tripped. */
    record CheckFailed(String check, String why, boolean restart) implements Input {}

    /** A start or restart the machine asked for has finished. */
    record StartFinished(ActionResult result) implements Input {}

    /** A stop the machine asked for has finished. */
    record StopFinished(ActionResult result) implements Input {}

    /** Time has passed: timers that are due fire. */
    record Tick() implements Input {}

    /** A person (CLI) asked for a state: start, stop, leave alone, or clear a give-up. */
    record Person(Request request, String who) implements Input {}

    enum Request {
        START,
        STOP,
        RESTART,
        UNMONITOR,
        RESET
    }
}
