package dev.vigil.control;

import dev.vigil.metrics.RestartReason;
import dev.vigil.metrics.VigilMetrics;
import dev.vigil.supervise.EventKind;
import dev.vigil.supervise.Journal;
import dev.vigil.supervise.ServiceAt;
import dev.vigil.supervise.ServiceMachine;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The journal the daemon's engine writes to, passed on unchanged, telling people about each event: the alerts it
 * fires or resolves ({@link Alerting}), and the metrics that follow from it: a restart counted by what caused it
 * (the event before it), its detection-to-restart time (from the death or failed check that started it), failed
 * restarts and checks.
 */
final class TellingJournal implements Journal {
    private record Trigger(RestartReason reason, Instant at) {}

    private final Journal inner;
    private final VigilMetrics metrics;
    private final Alerting alerting;
    private final InstantSource clock;
    private final Map<String, Trigger> triggers = new ConcurrentHashMap<>();

    TellingJournal(Journal inner, VigilMetrics metrics, Alerting alerting, InstantSource clock) {
        this.inner = inner;
        this.metrics = metrics;
        this.alerting = alerting;
        this.clock = clock;
    }

    @Override
    public void record(String service, EventKind kind, String message) {
        record(ServiceAt.local(service), kind, message);
    }

    /** A local service's event or a fleet placement's: alerts and metrics carry its host. */
    @Override
    public void record(ServiceAt where, EventKind kind, String message) {
        inner.record(where, kind, message);
        alerting.on(where, kind, message);
        String service = where.service();
        String host = where.host();
        String key = where.key();
        Instant now = clock.instant();
        switch (kind) {
            case DIED -> triggers.put(key, new Trigger(RestartReason.DIED, now));
            case CHECK_FAILED -> {
                metrics.checkFailed(service, host, checkName(message));
                triggers.putIfAbsent(key, new Trigger(RestartReason.CHECK, now));
            }
            case RETRYING -> triggers.put(key, new Trigger(RestartReason.RETRY, now));
            case DESIRED_CHANGED -> triggers.put(key, new Trigger(RestartReason.PERSON, now));
            case RESTARTED -> {
                Trigger trigger = Optional.ofNullable(triggers.remove(key))
                        .orElse(new Trigger(
                                message.contains("which it requires") ? RestartReason.DEPENDENCY : RestartReason.PERSON,
                                now));
                metrics.restarted(service, host, trigger.reason(), Duration.between(trigger.at(), now));
            }
            case STARTED -> triggers.remove(key);
            case RESTART_FAILED -> metrics.restartFailed(service, host);
            case REPLACED -> metrics.replaced(service, host);
            default -> {}
        }
    }

    /** "check rss failed: ..." → "rss". */
    private static String checkName(String message) {
        int end = message.indexOf(" failed");
        return message.startsWith("check ") && end > 6 ? message.substring(6, end) : "unknown";
    }

    @Override
    public Optional<ServiceMachine.Memory> recall(String service) {
        return inner.recall(service);
    }

    @Override
    public void remember(String service, ServiceMachine.Memory memory) {
        inner.remember(service, memory);
    }
}
