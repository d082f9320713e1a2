package dev.vigil.rollout;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Each host once per period, staggered over it; the allowed windows. */
final class Schedule {
    private Schedule() {}

    /** The first due time of the host at {@code position} of {@code count}: spread evenly over one period (ms, as stored). */
    static Instant firstDue(Instant now, Duration period, int position, int count) {
        return now.plus(period.multipliedBy(position).dividedBy(Math.max(1, count)))
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** After a restart: the same place in the next period (the stagger is kept, however late the restart was). */
    static Instant nextDue(Instant due, Duration period, Instant now) {
        Instant next = due.plus(period);
        while (!next.isAfter(now)) {
            next = next.plus(period);
        }
        return next;
    }

    /** The start of the next allowed window after {@code now}, minute by minute over at most eight days. */
    static Optional<Instant> nextWindowStart(RolloutSpec spec, Instant now, ZoneId zone) {
        if (spec.windows().isEmpty()) {
            return Optional.empty();
        }
        ZonedDateTime t = now.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
        boolean inside = spec.allowed(t);
        for (int i = 0; i < 8 * 24 * 60; i++) {
            t = t.plusMinutes(1);
            boolean allowed = spec.allowed(t);
            if (allowed && !inside) {
                return Optional.of(t.toInstant());
            }
            inside = allowed;
        }
        return Optional.empty();
    }
}
