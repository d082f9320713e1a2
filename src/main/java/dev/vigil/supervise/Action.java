package dev.vigil.supervise;

/** What the state machine asks the engine to do; the engine reports back with an {@link Input}. */
public sealed interface Action {
    /** Start (or restart, when {@code restart}) the service, then report {@link Input.StartFinished}. */
    record Start(String reason, boolean restart) implements Action {}

    /** Stop the service, then report {@link Input.StopFinished}. */
    record Stop(String reason) implements Action {}

    /** Look at the service again, then report {@link Input.Observed}. */
    record Observe() implements Action {}

    /** Record (and announce) something that happened. */
    record Emit(EventKind kind, String message) implements Action {}
}
