package dev.vigil.control;

import dev.vigil.alert.Alert;
import dev.vigil.alert.AlertBook;
import dev.vigil.alert.AlertName;
import dev.vigil.alert.AlertmanagerSink;
import dev.vigil.alert.Dispatcher;
import dev.vigil.alert.LogSink;
import dev.vigil.alert.MailSink;
import dev.vigil.alert.Routes;
import dev.vigil.alert.Sink;
import dev.vigil.alert.WebhookSink;
import dev.vigil.config.AlertsSpec;
import dev.vigil.store.Store;
import dev.vigil.supervise.EventKind;
import dev.vigil.supervise.ServiceAt;
import java.time.Duration;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the engine's events into alerts that fire and resolve, and hands them to the outbox: a death fires
 * ServiceDown until the service runs again (or a person stops it), a give-up fires ServiceGaveUp until it runs
 * again, a failing check fires CheckFailing until it passes, a restart sends ServiceRestarted (an event that
 * resolves itself), a failed restart RestartFailed until a start succeeds, a rejected reload ConfigReloadFailed until
 * a reload succeeds. Alertmanager hears firing alerts again every resend_interval, so it never drops one that
 * persists.
 */
public final class Alerting implements AutoCloseable {
    private final AlertBook book;
    private final Dispatcher dispatcher;
    private final InstantSource clock;
    private final String host;

    public Alerting(AlertsSpec spec, Store store, InstantSource clock, String host) {
        this.clock = clock;
        this.host = host;
        this.book = new AlertBook(clock, spec.resendInterval(), spec.eventLifetime());
        Map<String, Sink> sinks = new LinkedHashMap<>();
        spec.sinks().forEach((name, sink) -> sinks.put(name, sink(sink)));
        List<Routes.Route> routes = spec.routes().stream()
                .map(r -> new Routes.Route(r.alertName(), r.service(), r.sinks()))
                .toList();
        this.dispatcher = new Dispatcher(
                        store, sinks, new Routes(routes, spec.defaultSinks()), clock, Dispatcher.Options.DEFAULTS)
                .start();
        dispatcher.followResends(book, Duration.ofSeconds(1));
    }

    private static Sink sink(AlertsSpec.Sink spec) {
        return switch (spec) {
            case AlertsSpec.Sink.Alertmanager am -> new AlertmanagerSink(am.urls(), am.timeout());
            case AlertsSpec.Sink.Webhook hook -> new WebhookSink(hook.url(), hook.bearerToken(), hook.timeout());
            case AlertsSpec.Sink.Mail mail ->
                new MailSink(
                        mail.host(),
                        mail.port(),
                        MailSink.StartTls.valueOf(mail.starttls().toUpperCase(Locale.ROOT)),
                        mail.username()
                                .map(u -> new MailSink.Login(u, mail.password().orElse(""))),
                        mail.from(),
                        mail.to(),
                        mail.timeout());
            case AlertsSpec.Sink.Log log -> new LogSink();
        };
    }

    /**
     * What an event means for the alerts of a service: a local one (labelled with this host) or a fleet placement
     * (labelled with its host, so each host's alert fires and resolves on its own).
     */
    void on(ServiceAt where, EventKind kind, String message) {
        String service = where.service();
        String at = where.isLocal() ? host : where.host();
        switch (kind) {
            case DIED -> fire(AlertName.SERVICE_DOWN, service, at, service + " on " + at + " is down", message);
            case GAVE_UP ->
                fire(AlertName.SERVICE_GAVE_UP, service, at, "Vigil gave up on " + service + " on " + at, message);
            case RESTART_FAILED ->
                fire(AlertName.RESTART_FAILED, service, at, "restarting " + service + " on " + at + " failed", message);
            case CHECK_FAILED -> fire(AlertName.CHECK_FAILING, service, at, service + ": " + message, message);
            case CHECK_RECOVERED -> resolve(AlertName.CHECK_FAILING, service, at);
            case RESTARTED -> {
                fire(AlertName.SERVICE_RESTARTED, service, at, service + " on " + at + " was restarted", message);
                up(service, at);
            }
            case REPLACED -> {
                // systemd's Restart= (or a person) restarted it: observed and told, never fought (Ganeti's lesson)
                fire(
                        AlertName.SERVICE_RESTARTED,
                        service,
                        at,
                        service + " on " + at + " was restarted by something else (systemd's Restart=?)",
                        message);
                up(service, at);
            }
            case STARTED, RECOVERED, ADOPTED -> up(service, at);
            case STOPPED, EXITED_SUCCESS -> {
                resolve(AlertName.SERVICE_DOWN, service, at); // down on purpose is not an outage
                resolve(AlertName.SERVICE_GAVE_UP, service, at);
            }
            // one alert per host, however many of its services noticed: the same fingerprint fires once
            case HOST_UNREACHABLE ->
                fire(AlertName.HOST_UNREACHABLE, "", at, "fleet host " + at + " is unreachable", message);
            case HOST_REACHABLE -> resolve(AlertName.HOST_UNREACHABLE, "", at);
            default -> {}
        }
    }

    /** The alerts firing now (tests, status). */
    List<Alert> firing() {
        return book.firing();
    }

    void reloadFailed(String message) {
        fire(AlertName.CONFIG_RELOAD_FAILED, "", host, "Vigil's new configuration was refused", message);
    }

    void reloaded() {
        resolve(AlertName.CONFIG_RELOAD_FAILED, "", host);
    }

    /** {@code vigil alert test}: one test alert to the given sinks (every sink when empty). */
    void test(List<String> sinks) {
        Alert alert = Alert.firing(
                AlertName.TEST,
                "",
                host,
                "Test alert from Vigil on " + label(),
                "Sent by 'vigil alert test'. If you read this, the sink works.",
                clock.instant());
        for (Alert notification : book.fire(alert)) {
            if (sinks.isEmpty()) {
                dispatcher.notify(notification);
            } else {
                dispatcher.notify(notification, sinks);
            }
        }
    }

    /** Fires a state alert of work outside the daemon's engine (a rollout: docs/rollouts.md). */
    public void fireAlert(AlertName name, String service, String at, String summary, String description) {
        fire(name, service, at, summary, description);
    }

    /**
     * Resolves an alert that fired, in this process or (recorded by the caller) in an earlier one: then this process's
     * book never heard of it, and the resolution is sent as it is.
     */
    public void resolveAlert(AlertName name, String service, String at, String summary, java.time.Instant since) {
        Alert alert = Alert.firing(name, service, at, summary, "", since);
        List<Alert> sent = book.resolve(alert.fingerprint());
        if (sent.isEmpty()) {
            dispatcher.notify(alert.resolvedAt(clock.instant()));
        } else {
            sent.forEach(dispatcher::notify);
        }
    }

    private void up(String service, String at) {
        resolve(AlertName.SERVICE_DOWN, service, at);
        resolve(AlertName.SERVICE_GAVE_UP, service, at);
        resolve(AlertName.RESTART_FAILED, service, at);
    }

    private void fire(AlertName name, String service, String at, String summary, String description) {
        Alert alert = Alert.firing(name, service, at, summary, description, clock.instant());
        book.fire(alert).forEach(dispatcher::notify);
    }

    private void resolve(AlertName name, String service, String at) {
        String fingerprint =
                Alert.firing(name, service, at, "", "", clock.instant()).fingerprint();
        book.resolve(fingerprint).forEach(dispatcher::notify);
    }

    private String label() {
        return host;
    }

    /** Waits until every sink's outbox is empty or {@code bound} passes; true when empty. */
    public boolean drain(Duration bound, java.util.Collection<String> sinks) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (sinks.stream().anyMatch(s -> dispatcher.pending(s) > 0)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        dispatcher.close();
    }
}
