package dev.vigil.supervise;

import dev.vigil.store.DesiredRecord;
import dev.vigil.store.RestartRecord;
import dev.vigil.store.Store;
import dev.vigil.store.StoreException;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's memory in the SQLite store: events, desired states and restart bookkeeping. A store that cannot be
 * written (full disk, read-only) is logged and supervision goes on: keeping services up matters more than history.
 */
public final class StoreJournal implements Journal {
    private static final Logger LOG = LoggerFactory.getLogger(StoreJournal.class);

    private final Store store;
    private final InstantSource clock;

    public StoreJournal(Store store, InstantSource clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public void record(String service, EventKind kind, String message) {
        record(ServiceAt.local(service), kind, message);
    }

    /** Stored under {@code SERVICE@HOST}, with the host in the event's host column too. */
    @Override
    public void record(ServiceAt where, EventKind kind, String message) {
        try {
            store.append(where.key(), where.host(), kind.label(), message, Map.of(), clock.instant());
        } catch (StoreException e) {
            LOG.error("{}: event not recorded ({}: {}): {}", where, kind.label(), message, e.getMessage());
        }
    }

    @Override
    public Optional<ServiceMachine.Memory> recall(String service) {
        try {
            Optional<DesiredRecord> desired = store.desired(service);
            Optional<RestartRecord> restart = store.restart(service);
            if (desired.isEmpty() && restart.isEmpty()) {
                return Optional.empty();
            }
            RestartRecord r = restart.orElse(RestartRecord.fresh(service));
            return Optional.of(new ServiceMachine.Memory(
                    desired.map(DesiredRecord::state).orElse(dev.vigil.store.DesiredState.RUNNING),
                    desired.map(DesiredRecord::setBy).orElse("config"),
                    r.recentRestarts(),
                    r.backoffStep(),
                    r.consecutiveFailures(),
                    r.nextAttemptAt(),
                    r.givenUpUntil()));
        } catch (StoreException e) {
            LOG.error("{}: cannot read what the last daemon remembered: {}", service, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void remember(String service, ServiceMachine.Memory memory) {
        try {
            Optional<DesiredRecord> known = store.desired(service);
            if (known.isEmpty() || known.get().state() != memory.desired()) {
                store.setDesired(service, memory.desired(), memory.desiredBy(), clock.instant());
            }
            store.saveRestart(new RestartRecord(
                    service,
                    memory.recentRestarts(),
                    memory.backoffStep(),
                    memory.nextAttemptAt(),
                    memory.givenUpUntil(),
                    memory.consecutiveFailures()));
        } catch (StoreException e) {
            LOG.error("{}: state not saved, a daemon restart would forget it: {}", service, e.getMessage());
        }
    }
}
