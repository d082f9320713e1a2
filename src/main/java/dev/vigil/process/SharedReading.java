package dev.vigil.process;

import dev.vigil.process.linux.ProcFs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every process's command line, read once and shared for a moment ({@link #MAX_AGE_NANOS}) by the locators of one
 * daemon or command: a sweep over many services without pidfiles then walks /proc once, not once per service. A
 * process found in it is read afresh before it is reported, so a reading can only miss a process started within
 * that moment; starts and stops never use it.
 */
public final class SharedReading {
    static final long MAX_AGE_NANOS = 100_000_000L;

    private record Reading(long takenAt, Map<Long, String> commandLines) {}

    private volatile Reading last = new Reading(Long.MIN_VALUE / 2, Map.of());

    Optional<ProcessInfo> scan(Pattern proctitle) {
        Reading reading = last;
        long now = System.nanoTime();
        if (now - reading.takenAt() > MAX_AGE_NANOS) {
            reading = new Reading(now, ProcFs.commandLines());
            last = reading;
        }
        List<ProcessInfo> matching = reading.commandLines().entrySet().stream()
                .filter(e -> proctitle.matcher(e.getValue()).find())
                .map(e -> ProcFs.read(e.getKey()))
                .flatMap(Optional::stream)
                .toList();
        return ProcessLocator.scan(proctitle, matching);
    }
}
