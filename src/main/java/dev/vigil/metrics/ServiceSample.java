package dev.vigil.metrics;

import dev.vigil.store.DesiredState;
import dev.vigil.supervise.Phase;
import dev.vigil.supervise.ServiceMachine;
import java.util.Objects;

/**
 * What the metrics need to know about one service at one engine tick.
 *
 * @param service the service's name as configured
 * @param host {@link VigilMetrics#LOCAL_HOST} for a local service, the inventory host name for a fleet service
 * @param phase the engine's phase; {@link Phase#label()} becomes the {@code state} label
 * @param up whether the service is running (and, for a service with checks, not known to be failing)
 * @param desiredRunning whether config or a person wants it running
 * @param givenUp whether the daemon gave up on it (restart limit reached)
 */
public record ServiceSample(
        String service, String host, Phase phase, boolean up, boolean desiredRunning, boolean givenUp) {
    public ServiceSample {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(phase, "phase");
    }

    /** A local service as the state machine sees it: up means phase UP. */
    public static ServiceSample of(ServiceMachine.Snapshot snapshot) {
        return of(snapshot, VigilMetrics.LOCAL_HOST);
    }

    /** A service on {@code host} as the state machine sees it: up means phase UP. */
    public static ServiceSample of(ServiceMachine.Snapshot snapshot, String host) {
        return new ServiceSample(
                snapshot.name(),
                host,
                snapshot.phase(),
                snapshot.phase() == Phase.UP,
                snapshot.desired() == DesiredState.RUNNING,
                snapshot.phase() == Phase.GIVEN_UP);
    }
}
