package dev.vigil.alert;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One alert notification: a state of one alert ({@link #fingerprint()}) at one moment.
 *
 * @param name the {@code alertname}, usually one of {@link AlertName}
 * @param service the service it is about, {@code ""} for the daemon itself
 * @param host the host, never empty (the local host's name for local services)
 * @param summary one line, e.g. {@code restarted (died: pid 4242 exited)}
 * @param description more detail, may be empty
 * @param startsAt when the problem started (kept across re-sends)
 * @param endsAt when it ended ({@code RESOLVED}), or until when a firing alert holds without news
 * @param labels extra labels; the standard ones ({@code alertname, service, host, severity}) are added by sinks, and
 *     the label {@code action}, when present, replaces the default "what Vigil did" text
 */
public record Alert(
        String name,
        String service,
        String host,
        Severity severity,
        String summary,
        String description,
        Status status,
        Instant startsAt,
        Optional<Instant> endsAt,
        Map<String, String> labels) {

    public enum Status {
        FIRING,
        RESOLVED
    }

    public Alert {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        if (name.isEmpty() || host.isEmpty()) {
            throw new IllegalArgumentException("an alert needs a name and a host: " + name + "@" + host);
        }
        labels = Map.copyOf(new TreeMap<>(labels));
    }

    /** A firing alert of a known kind, with its default severity and no endsAt yet. */
    public static Alert firing(
            AlertName kind, String service, String host, String summary, String description, Instant startsAt) {
        return new Alert(
                kind.alertName(),
                service,
                host,
                kind.severity(),
                summary,
                description,
                Status.FIRING,
                startsAt,
                Optional.empty(),
                Map.of());
    }

    /** Stable identity across firing, re-sends and resolving: name, service and host. */
    public String fingerprint() {
        return name + "/" + service + "@" + host;
    }

    /** The outbox's key for this state of the alert: fingerprint and status. */
    public String dedupKey() {
        return fingerprint() + "#" + status;
    }

    public Alert withEndsAt(Instant at) {
        return new Alert(
                name, service, host, severity, summary, description, status, startsAt, Optional.of(at), labels);
    }

    public Alert resolvedAt(Instant at) {
        return new Alert(
                name,
                service,
                host,
                severity,
                summary,
                description,
                Status.RESOLVED,
                startsAt,
                Optional.of(at),
                labels);
    }

    public Alert withLabel(String key, String value) {
        Map<String, String> more = new TreeMap<>(labels);
        more.put(key, value);
        return new Alert(name, service, host, severity, summary, description, status, startsAt, endsAt, more);
    }

    /** What Vigil did about it: the {@code action} label, or the kind's default. */
    public String action() {
        return Optional.ofNullable(labels.get("action"))
                .or(() -> AlertName.of(name).map(AlertName::action))
                .orElse("");
    }
}
