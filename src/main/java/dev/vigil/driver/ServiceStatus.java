package dev.vigil.driver;

import java.time.Instant;
import java.util.Optional;

/**
 * One observation of a service.
 *
 * @param name the service
 * @param state what it is doing
 * @param pid its main process, when known
 * @param startedAt when that process started, when known
 * @param command the command line of the process (or the configured command when not running)
 * @param driver the driver's name
 * @param detail why the state is what it is, in a sentence a person can act on (e.g. "pidfile
 *     /run/x.pid names pid 4242, which is another program: stale")
 */
public record ServiceStatus(
        String name,
        ServiceState state,
        Optional<Long> pid,
        Optional<Instant> startedAt,
        String command,
        String driver,
        String detail) {}
