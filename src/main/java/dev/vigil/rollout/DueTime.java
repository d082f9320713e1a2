package dev.vigil.rollout;

import dev.vigil.store.RolloutHostRecord;
import dev.vigil.store.RolloutPause;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** When a rollout next has work for its schedule: what the daemon sleeps until. */
final class DueTime {
    private DueTime() {}

    /**
     * The first instant at which {@code run(empty, dueOnly = true)} would do something; at or before {@code now}
     * means now, {@link Instant#MAX} never (until something changes: a resume, a reload).
     *
     * @param hosts the rollout's hosts now, in order (a host without a record is due: the run places it)
     */
    static Instant next(
            RolloutSpec spec,
            List<String> hosts,
            List<RolloutHostRecord> records,
            Optional<RolloutPause> pause,
            Instant now,
            ZoneId zone) {
        if (pause.isPresent()) {
            // a half-done host waits for the resume too: the engine does nothing while paused
            return pause.get().resumeAt().orElse(Instant.MAX);
        }
        Map<String, RolloutHostRecord> byHost =
                records.stream().collect(Collectors.toMap(RolloutHostRecord::host, Function.identity()));
        if (hosts.stream().anyMatch(h -> !byHost.containsKey(h) || byHost.get(h).inProgress())) {
            return now; // a half-done host is completed at any time; a new host gets its place in the period
        }
        Instant due = hosts.stream()
                .map(h -> byHost.get(h).nextDue())
                .min(Instant::compareTo)
                .orElse(Instant.MAX);
        if (due.equals(Instant.MAX)) {
            return due;
        }
        Instant from = due.isAfter(now) ? due : now;
        if (spec.allowed(from.atZone(zone))) {
            return from;
        }
        return Schedule.nextWindowStart(spec, from, zone).orElse(Instant.MAX);
    }
}
