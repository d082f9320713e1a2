package dev.vigil.supervise;

import java.util.Optional;

/** Where the engine writes what happened and what it must remember across restarts (the SQLite store). */
public interface Journal {
    /** Appends an event to the history. Must not throw: a failure is logged by the implementation. */
    void record(String service, EventKind kind, String message);

    /**
     * Appends an event about a service on a host (a fleet placement, or a local service when {@code where} is
     * local): stored under {@link ServiceAt#key()}, and journals that tell people label it with the host.
     */
    default void record(ServiceAt where, EventKind kind, String message) {
        record(where.key(), kind, message);
    }

    /** What a previous daemon remembered of {@code service}. */
    Optional<ServiceMachine.Memory> recall(String service);

    /** Persists {@code memory}; returns only once it is durable. */
    void remember(String service, ServiceMachine.Memory memory);
}
