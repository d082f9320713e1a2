package dev.vigil.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * When each check of one service is due. A check is due when it has not run since the last {@link #reset()}, or its
 * interval has passed since its last start; nothing is due until the process has run {@code monitorAfter}
 * (usrsvc's monitor_after; zero disables the wait). The next start counts from the actual start, so a sweep that
 * comes late does not make a check run twice in a row to catch up.
 *
 * <p>Time comes from {@code nanoTime}, a monotonic clock; the process's age is the caller's, who knows when it
 * started. Not thread-safe: owned by the supervisor of the service.
 */
public final class CheckSchedule {
    private final List<CheckSpec> specs;
    private final Duration monitorAfter;
    private final LongSupplier nanoTime;
    private final Map<String, Long> lastStart = new HashMap<>();

    public CheckSchedule(List<CheckSpec> specs, Duration monitorAfter, LongSupplier nanoTime) {
        this.specs = List.copyOf(specs);
        this.monitorAfter = monitorAfter;
        this.nanoTime = nanoTime;
        if (monitorAfter.isNegative()) {
            throw new IllegalArgumentException("monitor_after must not be negative, got " + monitorAfter);
        }
        Set<String> names = new HashSet<>();
        for (CheckSpec spec : this.specs) {
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException(
                        "check names must be unique within a service: '" + spec.name() + "' appears twice");
            }
        }
    }

    /**
     * The checks due now for a process that has run {@code processAge}, in configuration order; each is recorded as
     * started now, so the caller must run every check it is given.
     */
    public List<CheckSpec> takeDue(Duration processAge) {
        if (processAge.compareTo(monitorAfter) < 0) {
            return List.of();
        }
        long now = nanoTime.getAsLong();
        List<CheckSpec> due = new ArrayList<>();
        for (CheckSpec spec : specs) {
            if (untilDue(spec, now) <= 0) {
                lastStart.put(spec.name(), now);
                due.add(spec);
            }
        }
        return due;
    }

    /** How long until the next check is due for a process of {@code processAge}; empty when there are no checks. */
    public Optional<Duration> nextDue(Duration processAge) {
        long now = nanoTime.getAsLong();
        long wait = monitorAfter.minus(processAge).toNanos();
        return specs.stream().mapToLong(spec -> Math.max(untilDue(spec, now), wait)).min().stream()
                .mapToObj(n -> Duration.ofNanos(Math.max(0, n)))
                .findFirst();
    }

    /** Makes every check due again (after monitor_after), as after the service was restarted. */
    public void reset() {
        lastStart.clear();
    }

    private long untilDue(CheckSpec spec, long now) {
        Long last = lastStart.get(spec.name());
        return last == null ? 0 : spec.common().interval().toNanos() - (now - last);
    }
}
