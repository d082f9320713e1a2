package dev.vigil.rollout;

import dev.vigil.alert.AlertName;
import dev.vigil.control.Alerting;
import dev.vigil.store.RolloutAlertRecord;
import dev.vigil.store.Store;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

/**
 * A rollout's alerts, fired and resolved, with the firing ones recorded in the store: the controller may be a
 * different process each time (a {@code vigil rollout run} per pass), and an alert fired by one is resolved by a
 * later one.
 */
public final class RolloutAlerts {
    private final String rollout;
    private final Store store;
    private final Optional<Alerting> alerting;
    private final InstantSource clock;

    /** @param alerting where alerts go; empty: only recorded (tests) */
    public RolloutAlerts(String rollout, Store store, Optional<Alerting> alerting, InstantSource clock) {
        this.rollout = rollout;
        this.store = store;
        this.alerting = alerting;
        this.clock = clock;
    }

    String service() {
        return "rollout:" + rollout;
    }

    void fire(AlertName name, String host, String summary, String description) {
        store.putRolloutAlert(rollout, new RolloutAlertRecord(name.alertName(), host, summary, clock.instant()));
        alerting.ifPresent(a -> a.fireAlert(name, service(), labelled(host), summary, description));
    }

    void resolve(AlertName name, String host) {
        for (RolloutAlertRecord r : store.rolloutAlerts(rollout)) {
            if (r.alert().equals(name.alertName()) && r.host().equals(host)) {
                store.removeRolloutAlert(rollout, r.alert(), host);
                alerting.ifPresent(a -> a.resolveAlert(name, service(), labelled(host), r.summary(), r.since()));
            }
        }
    }

    /** An alert about the rollout as a whole (host "") is labelled with the controller's host, as Vigil's own are. */
    private static String labelled(String host) {
        return host.isEmpty() ? dev.vigil.metrics.Pusher.localHostname() : host;
    }

    /** The alerts firing now. */
    public List<RolloutAlertRecord> firing() {
        return store.rolloutAlerts(rollout);
    }
}
