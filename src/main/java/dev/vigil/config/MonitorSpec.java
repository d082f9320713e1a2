package dev.vigil.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * usrsvc's monitoring settings, used by the daemon.
 *
 * @param monitorAfter checks begin only once the service has run this long
 * @param activityFile file or directory that must be modified at least every {@code activityFileLimit}
 * @param activityFileLimit the longest allowed gap between modifications of {@code activityFile}
 * @param rssLimitBytes restart when the process's resident memory exceeds this; 0 = no limit
 */
public record MonitorSpec(
        Duration monitorAfter, Optional<Path> activityFile, Optional<Duration> activityFileLimit, long rssLimitBytes) {}
