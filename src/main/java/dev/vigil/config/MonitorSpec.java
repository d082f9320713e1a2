package dev.vigil.config;

import dev.vigil.check.CheckSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the daemon checks beyond "alive". {@link #checks()} is all it runs: the {@code [[service.NAME.check]]} tables
 * (inherited ones first), after the checks that usrsvc's {@code rss_limit} and {@code activity_file} stand for. Those
 * two keys are kept here as written, for the command line to show.
 *
 * @param monitorAfter checks begin only once the service has run this long
 * @param activityFile file or directory that must be modified at least every {@code activityFileLimit}
 * @param activityFileLimit the longest allowed gap between modifications of {@code activityFile}
 * @param rssLimitBytes restart when the process's resident memory exceeds this; 0 = no limit
 * @param checks every health check of the service, names unique
 */
public record MonitorSpec(
        Duration monitorAfter,
        Optional<Path> activityFile,
        Optional<Duration> activityFileLimit,
        long rssLimitBytes,
        List<CheckSpec> checks) {

    /** No checks, and checks start 30 s after a start. */
    public static final MonitorSpec DEFAULTS =
            new MonitorSpec(ServiceBuilder.MONITOR_AFTER, Optional.empty(), Optional.empty(), 0, List.of());

    public MonitorSpec {
        Objects.requireNonNull(monitorAfter, "monitorAfter");
        checks = List.copyOf(checks);
    }

    /** Equal when the same file loaded twice would be: HTTP checks' patterns compare by text and flags. */
    @Override
    public boolean equals(Object other) {
        return other instanceof MonitorSpec m
                && monitorAfter.equals(m.monitorAfter)
                && activityFile.equals(m.activityFile)
                && activityFileLimit.equals(m.activityFileLimit)
                && rssLimitBytes == m.rssLimitBytes
                && PatternValues.of(checks).equals(PatternValues.of(m.checks));
    }

    @Override
    public int hashCode() {
        return Objects.hash(monitorAfter, activityFile, activityFileLimit, rssLimitBytes, PatternValues.of(checks));
    }
}
