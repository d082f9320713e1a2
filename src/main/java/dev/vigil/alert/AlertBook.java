package dev.vigil.alert;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alerts firing now, and the notifications to send about them. Pure logic (no I/O, clock injected); the caller
 * hands what it returns to the {@link Dispatcher}. Thread-safe.
 *
 * <p>Alertmanager forgets an alert whose {@code endsAt} has passed, so a firing alert is sent with {@code endsAt = now
 * + 4 × resendInterval} and sent again every {@code resendInterval} ({@link #due}) for as long as it fires: a problem
 * that persists never auto-resolves, while an alert whose Vigil died resolves itself within four intervals.
 * Resolving sends {@code endsAt = now}. Event alerts ({@link AlertName#isEvent()}, e.g. ServiceRestarted) are not
 * kept: they are sent once, firing, with {@code endsAt = now + eventLifetime}.
 */
public final class AlertBook {
    public static final Duration DEFAULT_RESEND_INTERVAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_EVENT_LIFETIME = Duration.ofMinutes(5);

    private record Firing(Alert alert, Instant lastSent) {}

    private final InstantSource clock;
    private final Duration resendInterval;
    private final Duration eventLifetime;
    private final Map<String, Firing> firing = new LinkedHashMap<>();

    public AlertBook(InstantSource clock) {
        this(clock, DEFAULT_RESEND_INTERVAL, DEFAULT_EVENT_LIFETIME);
    }

    public AlertBook(InstantSource clock, Duration resendInterval, Duration eventLifetime) {
        if (!resendInterval.isPositive() || !eventLifetime.isPositive()) {
            throw new IllegalArgumentException("resend interval and event lifetime must be positive");
        }
        this.clock = clock;
        this.resendInterval = resendInterval;
        this.eventLifetime = eventLifetime;
    }

    public Duration resendInterval() {
        return resendInterval;
    }

    /**
     * An alert fires. A new one (or an event) is returned, to notify every sink; one already firing is updated
     * (summary, description, labels; its {@code startsAt} kept) and returns nothing: its next re-send carries the news.
     */
    public synchronized List<Alert> fire(Alert alert) {
        if (alert.status() != Alert.Status.FIRING) {
            throw new IllegalArgumentException("fire() takes a firing alert: " + alert.dedupKey());
        }
        Instant now = clock.instant();
        if (AlertName.of(alert.name()).map(AlertName::isEvent).orElse(false)) {
            return List.of(alert.withEndsAt(now.plus(eventLifetime)));
        }
        Firing old = firing.get(alert.fingerprint());
        if (old != null) {
            Alert updated = new Alert(
                    alert.name(),
                    alert.service(),
                    alert.host(),
                    alert.severity(),
                    alert.summary(),
                    alert.description(),
                    Alert.Status.FIRING,
                    old.alert().startsAt(),
                    Optional.empty(),
                    alert.labels());
            firing.put(alert.fingerprint(), new Firing(updated, old.lastSent()));
            return List.of();
        }
        firing.put(alert.fingerprint(), new Firing(alert, now));
        return List.of(alert.withEndsAt(holdUntil(now)));
    }

    /** The alert stops firing: returns its resolved notification ({@code endsAt = now}), or nothing if not firing. */
    public synchronized List<Alert> resolve(String fingerprint) {
        Firing old = firing.remove(fingerprint);
        return old == null ? List.of() : List.of(old.alert().resolvedAt(clock.instant()));
    }

    /**
     * Re-sends due by {@code now}: every firing alert last sent {@code resendInterval} or more ago, with {@code endsAt
     * = now + 4 × resendInterval}. For sinks that {@linkplain Sink#wantsResends() want them} (Alertmanager).
     */
    public synchronized List<Alert> due(Instant now) {
        List<Alert> resends = new ArrayList<>();
        firing.replaceAll((fingerprint, f) -> {
            if (now.isBefore(f.lastSent().plus(resendInterval))) {
                return f;
            }
            resends.add(f.alert().withEndsAt(holdUntil(now)));
            return new Firing(f.alert(), now);
        });
        return resends;
    }

    /** The alerts firing now, in the order they started firing, without endsAt. */
    public synchronized List<Alert> firing() {
        return firing.values().stream().map(Firing::alert).toList();
    }

    public synchronized boolean isFiring(String fingerprint) {
        return firing.containsKey(fingerprint);
    }

    private Instant holdUntil(Instant now) {
        return now.plus(resendInterval.multipliedBy(4));
    }
}
