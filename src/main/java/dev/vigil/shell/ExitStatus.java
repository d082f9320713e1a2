package dev.vigil.shell;

import java.time.Duration;

/** How a command ended. Exhaustive: callers switch over it instead of decoding magic numbers. */
public sealed interface ExitStatus {

    /** The command ran to its end and returned {@code code}. */
    record Exited(int code) implements ExitStatus {}

    /** The command was ended by a signal it did not handle. */
    record Signalled(int signal) implements ExitStatus {}

    /** The command ran longer than its bound and was killed, with everything it started. */
    record TimedOut(Duration limit) implements ExitStatus {}

    /** The command could not be started at all (no such program, not executable, ...). */
    record LaunchFailed(String reason) implements ExitStatus {}

    /**
     * The command never ran because its host could not be reached or refused us: connect timeout, authentication,
     * an unknown or changed host key. Distinct from {@link LaunchFailed} so that a fleet report can say "unreachable"
     * instead of blaming the service.
     */
    record Unreachable(String reason) implements ExitStatus {}

    default boolean succeeded() {
        return this instanceof Exited(int code) && code == 0;
    }

    /** A phrase for messages: "exited with status 3", "timed out after 30s". */
    default String describe() {
        return switch (this) {
            case Exited(int code) -> "exited with status " + code;
            case Signalled(int signal) -> "was killed by signal " + signal;
            case TimedOut(Duration limit) -> "timed out after " + limit.toMillis() / 1000.0 + "s and was killed";
            case LaunchFailed(String reason) -> "could not be started: " + reason;
            case Unreachable(String reason) -> "did not run: " + reason;
        };
    }
}
