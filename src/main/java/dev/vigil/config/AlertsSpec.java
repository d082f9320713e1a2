package dev.vigil.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where alerts go ({@code [alerts]}, docs/alerts.md): named sinks, routes from alert names and services to sinks,
 * and the re-send rhythm. With no {@code [alerts]} table there is one sink, the log.
 *
 * @param sinks every sink by name
 * @param routes alerts matching a route go to its sinks (routes add up)
 * @param defaultSinks where an alert no route matches goes; every sink when not configured
 * @param resendInterval how often a firing alert is re-sent to Alertmanager (endsAt is 4 of these ahead)
 * @param eventLifetime how long an event alert (a restart) stays firing before it resolves itself
 */
public record AlertsSpec(
        Map<String, Sink> sinks,
        List<Route> routes,
        List<String> defaultSinks,
        Duration resendInterval,
        Duration eventLifetime) {

    public static final AlertsSpec LOG_ONLY = new AlertsSpec(
            Map.of("log", new Sink.Log()), List.of(), List.of("log"), Duration.ofMinutes(1), Duration.ofMinutes(5));

    public AlertsSpec {
        sinks = Map.copyOf(sinks);
        routes = List.copyOf(routes);
        defaultSinks = List.copyOf(defaultSinks);
    }

    /** One kind of destination, with its own settings. */
    public sealed interface Sink {
        record Alertmanager(List<URI> urls, Duration timeout) implements Sink {
            public Alertmanager {
                urls = List.copyOf(urls);
            }
        }

        record Webhook(URI url, Optional<String> bearerToken, Duration timeout) implements Sink {}

        /**
         * @param starttls "required", "optional" or "none"
         * @param password the password itself, read from {@code password_file} when that was given
         */
        record Mail(
                String host,
                int port,
                String starttls,
                Optional<String> username,
                Optional<String> password,
                String from,
                List<String> to,
                Duration timeout)
                implements Sink {
            public Mail {
                to = List.copyOf(to);
            }
        }

        record Log() implements Sink {}
    }

    /** Alerts named {@code alertName} (when set) about {@code service} (when set) go to {@code sinks}. */
    public record Route(Optional<String> alertName, Optional<String> service, List<String> sinks) {
        public Route {
            sinks = List.copyOf(sinks);
        }
    }
}
