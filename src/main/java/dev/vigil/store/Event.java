package dev.vigil.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of the event history: a state transition, a restart, a check result, a daemon start.
 *
 * @param id its place in the history; ids only grow, even across pruning, so "events after id N" is a safe cursor
 * @param at when it happened (kept to the millisecond)
 * @param service the service it is about, or {@code ""} for the daemon itself
 * @param host the host it happened on, or {@code ""} for the local host
 * @param kind what kind of event, e.g. {@code restarted}, {@code gave_up}, {@code check_failed}
 * @param message a sentence for people
 * @param fields details for machines (exit code, check name, ...)
 */
public record Event(
        long id, Instant at, String service, String host, String kind, String message, Map<String, String> fields) {
    public Event {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        fields = Map.copyOf(fields);
    }
}
