package dev.vigil.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which events to read: every filter that is present must match, and of the matching events the newest
 * {@code limit} are returned, oldest first (so the output reads like a log, and its end is "now").
 *
 * @param service only events about this service ({@code ""} = daemon-wide events only)
 * @param since only events at or after this time
 * @param kind only events of this kind
 * @param limit at most this many events, at least 1
 */
public record EventQuery(Optional<String> service, Optional<Instant> since, Optional<String> kind, int limit) {
    public EventQuery {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(kind, "kind");
        if (limit < 1) {
            throw new IllegalArgumentException("event query limit must be at least 1: " + limit);
        }
    }

    /** The newest {@code limit} events, whatever they are about. */
    public static EventQuery latest(int limit) {
        return new EventQuery(Optional.empty(), Optional.empty(), Optional.empty(), limit);
    }

    public EventQuery withService(String service) {
        return new EventQuery(Optional.of(service), since, kind, limit);
    }

    public EventQuery withSince(Instant since) {
        return new EventQuery(service, Optional.of(since), kind, limit);
    }

    public EventQuery withKind(String kind) {
        return new EventQuery(service, since, Optional.of(kind), limit);
    }
}
