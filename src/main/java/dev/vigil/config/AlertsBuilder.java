package dev.vigil.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns the {@code [alerts]} table (docs/alerts.md) and the services' {@code email_alerts} into an {@link AlertsSpec}.
 * Every error is recorded in {@link Problems} with its file, line and key.
 */
final class AlertsBuilder {
    /** The {@code alertname}s a route may name (dev.vigil.alert.AlertName, which this package does not depend on). */
    static final List<String> ALERT_NAMES = List.of(
            "ServiceDown",
            "ServiceRestarted",
            "RestartFailed",
            "ServiceGaveUp",
            "CheckFailing",
            "ConfigReloadFailed",
            "VigilTestAlert",
            "RolloutConnectError",
            "RolloutRestartError",
            "InsufficientHealthyHosts",
            "NeedsReboot",
            "RolloutStalled");

    static final Duration RESEND_INTERVAL = Duration.ofMinutes(1);
    static final Duration EVENT_LIFETIME = Duration.ofMinutes(5);
    static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    static final Duration MAIL_TIMEOUT = Duration.ofSeconds(30);
    static final int SMTP_PORT = 25;
    static final String STARTTLS = "optional";
    /** The name of the sink there is when no sink is configured. */
    static final String LOG = "log";
    /** Implicit sinks for {@code email_alerts} are called this, followed by their addresses joined by ",". */
    static final String EMAIL_PREFIX = "email:";

    private static final String TYPES = "\"alertmanager\", \"webhook\", \"mail\" or \"log\"";

    private final Problems problems;
    private final Supplier<String> hostname;

    AlertsBuilder(Problems problems, Supplier<String> hostname) {
        this.problems = problems;
        this.hostname = hostname;
    }

    /** The local host's name, for the sender of {@code email_alerts} mail; "localhost" when it cannot be found. */
    static String localHostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** @param alerts the {@code [alerts]} table, when there is one */
    AlertsSpec build(Optional<Node.Table> alerts, List<ServiceConfig> services) {
        boolean emails = services.stream().anyMatch(s -> !s.emailAlerts().isEmpty());
        if (alerts.isEmpty() && !emails) {
            return AlertsSpec.LOG_ONLY;
        }
        Node.Table table = alerts.orElseGet(() -> new Node.Table("alerts", new Origin(Path.of(""), 0), false));
        Fields f = new Fields(table, problems);
        checkKeys(table, Key.Scope.ALERTS, "exec");
        Duration resend = f.get(Key.RESEND_INTERVAL, Values::positiveDuration).orElse(RESEND_INTERVAL);
        Duration lifetime = f.get(Key.EVENT_LIFETIME, Values::positiveDuration).orElse(EVENT_LIFETIME);

        Map<String, AlertsSpec.Sink> sinks = sinks(f);
        if (sinks.isEmpty() && !f.has(Key.SINKS_TABLES)) {
            sinks.put(LOG, new AlertsSpec.Sink.Log());
        }
        String known = "known: " + String.join(", ", sinks.keySet());
        List<String> defaults = f.get(Key.DEFAULT_SINKS, Values::strings, names -> known(names, sinks, known))
                .orElseGet(() -> List.copyOf(sinks.keySet()));
        List<AlertsSpec.Route> routes = routes(f, sinks, known);
        Optional<AlertsSpec.Sink.Mail> via = f.get(Key.EMAIL_VIA, Values::string, name -> {
                    if (!(sinks.get(name) instanceof AlertsSpec.Sink.Mail)) {
                        List<String> mail = sinks.entrySet().stream()
                                .filter(e -> e.getValue() instanceof AlertsSpec.Sink.Mail)
                                .map(Map.Entry::getKey)
                                .toList();
                        throw new BadValue("the name of a sink of type \"mail\" ("
                                + (mail.isEmpty() ? "there is none" : "known: " + String.join(", ", mail)) + ")");
                    }
                    return name;
                })
                .map(name -> (AlertsSpec.Sink.Mail) sinks.get(name));

        Map<String, AlertsSpec.Sink> all = new LinkedHashMap<>(sinks);
        List<AlertsSpec.Route> allRoutes = new ArrayList<>(routes);
        for (ServiceConfig service : services) {
            List<String> to = service.emailAlerts().stream().distinct().toList();
            if (to.isEmpty()) {
                continue;
            }
            String name = EMAIL_PREFIX + String.join(",", to);
            all.computeIfAbsent(name, n -> via.<AlertsSpec.Sink>map(m -> new AlertsSpec.Sink.Mail(
                            m.host(), m.port(), m.starttls(), m.username(), m.password(), m.from(), to, m.timeout()))
                    .orElseGet(() -> new AlertsSpec.Sink.Mail(
                            "localhost",
                            SMTP_PORT,
                            STARTTLS,
                            Optional.empty(),
                            Optional.empty(),
                            "vigil@" + hostname.get(),
                            to,
                            MAIL_TIMEOUT)));
            // A matching route replaces the default sinks, so the route keeps them: email_alerts adds mail.
            List<String> routed = java.util.stream.Stream.concat(java.util.stream.Stream.of(name), defaults.stream())
                    .distinct()
                    .toList();
            allRoutes.add(new AlertsSpec.Route(Optional.empty(), Optional.of(service.name()), routed));
        }
        return new AlertsSpec(all, allRoutes, defaults, resend, lifetime);
    }

    /** The configured sinks, in file order; those with errors are left out (the errors are recorded). */
    private Map<String, AlertsSpec.Sink> sinks(Fields alerts) {
        Map<String, AlertsSpec.Sink> sinks = new LinkedHashMap<>();
        alerts.get(Key.SINKS_TABLES, Values::table)
                .ifPresent(container -> container.entries().forEach((name, node) -> {
                    if (!(node instanceof Node.Table table)) {
                        problems.at(node, "a table: write [alerts.sink." + name + "] and the sink's keys below it");
                    } else if (!ConfigLoader.isName(name)) {
                        problems.add(new ConfigError(
                                table.at().file(),
                                table.at().line(),
                                table.key(),
                                '"' + name + '"',
                                "a sink " + ConfigLoader.NAME_RULE));
                    } else {
                        sink(table).ifPresent(sink -> sinks.put(name, sink));
                    }
                }));
        return sinks;
    }

    private Optional<AlertsSpec.Sink> sink(Node.Table table) {
        Fields s = new Fields(table, problems);
        if (!s.has(Key.SINK_TYPE)) {
            s.missing(Key.SINK_TYPE, "required: the kind of sink, one of " + TYPES);
            return Optional.empty();
        }
        Optional<String> type = s.get(Key.SINK_TYPE, Values::string, t -> {
            if (!Key.SinkTypes.ALL.contains(t)) {
                throw new BadValue("a sink type: one of " + TYPES);
            }
            return t;
        });
        if (type.isEmpty()) {
            return Optional.empty();
        }
        int before = problems.size();
        checkKeys(table, Key.Scope.SINK, type.get());
        AlertsSpec.Sink sink =
                switch (type.get()) {
                    case "alertmanager" -> alertmanager(s);
                    case "webhook" -> webhook(s);
                    case "mail" -> mail(s);
                    default -> new AlertsSpec.Sink.Log();
                };
        return problems.size() == before ? Optional.ofNullable(sink) : Optional.empty();
    }

    private AlertsSpec.Sink alertmanager(Fields s) {
        Optional<List<URI>> urls = s.get(Key.SINK_URLS, node -> {
            List<String> list = Values.strings(node);
            if (list.isEmpty()) {
                throw new BadValue("at least one Alertmanager URL, such as [\"http://am1:9093\"]");
            }
            return list.stream().map(AlertsBuilder::httpUri).toList();
        });
        Duration timeout = s.get(Key.SINK_TIMEOUT, Values::positiveDuration).orElse(HTTP_TIMEOUT);
        if (!s.has(Key.SINK_URLS)) {
            s.missing(
                    Key.SINK_URLS,
                    "required for a sink of type \"alertmanager\": its URLs, such as"
                            + " [\"http://am1:9093\", \"http://am2:9093\"]");
        }
        return urls.map(u -> new AlertsSpec.Sink.Alertmanager(u, timeout)).orElse(null);
    }

    private AlertsSpec.Sink webhook(Fields s) {
        Optional<URI> url = s.get(Key.SINK_URL, node -> httpUri(Values.string(node)));
        if (!s.has(Key.SINK_URL)) {
            s.missing(
                    Key.SINK_URL,
                    "required for a sink of type \"webhook\": the URL to POST to, such as"
                            + " \"https://chat.example.org/hooks/vigil\"");
        }
        Optional<String> token = secret(s, Key.SINK_BEARER_TOKEN, Key.SINK_BEARER_TOKEN_FILE);
        Duration timeout = s.get(Key.SINK_TIMEOUT, Values::positiveDuration).orElse(HTTP_TIMEOUT);
        return url.map(u -> new AlertsSpec.Sink.Webhook(u, token, timeout)).orElse(null);
    }

    private AlertsSpec.Sink mail(Fields s) {
        Optional<String> host = s.get(Key.SINK_HOST, Values::string, h -> {
            if (h.isBlank() || h.chars().anyMatch(Character::isWhitespace)) {
                throw new BadValue("a host name or address, such as \"smtp.example.org\"");
            }
            return h;
        });
        int port = s.get(Key.SINK_PORT, node -> Values.integer(node, 1, 65535, "a port from 1 to 65535"))
                .orElse(SMTP_PORT);
        String starttls = s.get(Key.SINK_STARTTLS, Values::string, t -> switch (t) {
                    case "required", "optional", "none" -> t;
                    default ->
                        throw new BadValue("\"required\" (refuse to send without TLS), \"optional\" (use it when"
                                + " the server offers it) or \"none\"");
                })
                .orElse(STARTTLS);
        Optional<String> username = s.string(Key.SINK_USERNAME);
        Optional<String> password = secret(s, Key.SINK_PASSWORD, Key.SINK_PASSWORD_FILE);
        Optional<String> from = s.get(Key.SINK_FROM, Values::string, a -> ServiceBuilder.emails(List.of(a))
                .getFirst());
        Optional<List<String>> to = s.get(Key.SINK_TO, Values::strings, list -> {
            if (list.isEmpty()) {
                throw new BadValue("at least one address, such as [\"oncall@example.org\"]");
            }
            return ServiceBuilder.emails(list);
        });
        Duration timeout = s.get(Key.SINK_TIMEOUT, Values::positiveDuration).orElse(MAIL_TIMEOUT);
        required(s, Key.SINK_HOST, "the SMTP server, such as \"smtp.example.org\"");
        required(s, Key.SINK_FROM, "the sender's address, such as \"vigil@host1.example.org\"");
        required(s, Key.SINK_TO, "the recipients, such as [\"oncall@example.org\"]");
        if (host.isEmpty() || from.isEmpty() || to.isEmpty()) {
            return null;
        }
        return new AlertsSpec.Sink.Mail(host.get(), port, starttls, username, password, from.get(), to.get(), timeout);
    }

    private void required(Fields s, Key key, String what) {
        if (!s.has(key)) {
            s.missing(key, "required for a sink of type \"mail\": " + what);
        }
    }

    /** A secret given inline ({@code key}) or in a file ({@code fileKey}, read now), not both. */
    private Optional<String> secret(Fields s, Key key, Key fileKey) {
        if (s.has(key) && s.has(fileKey)) {
            problems.named(
                    s.node(fileKey).orElseThrow(),
                    "set only one of " + key.id + " and " + fileKey.id + " (" + key.id + " is set too)");
            return Optional.empty();
        }
        return s.string(key).or(() -> s.get(fileKey, node -> read(Values.absolutePath(node))));
    }

    /** The secret in {@code file}, without surrounding blanks (the final newline). */
    private static String read(Path file) {
        String rule = "a readable file (it is read when the configuration is loaded)";
        if (!Files.isRegularFile(file)) {
            throw new BadValue(rule + "; " + (Files.exists(file) ? "this is not a file" : "there is no such file"));
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new BadValue(rule + "; reading it failed: " + e);
        }
    }

    private List<AlertsSpec.Route> routes(Fields alerts, Map<String, AlertsSpec.Sink> sinks, String known) {
        List<AlertsSpec.Route> routes = new ArrayList<>();
        alerts.node(Key.ROUTES).ifPresent(node -> {
            if (!(node instanceof Node.Array array)) {
                problems.at(node, "an array of tables: write each route as [[alerts.route]]");
                return;
            }
            for (Node item : array.items()) {
                if (!(item instanceof Node.Table table)) {
                    problems.at(item, "a table: write each route as [[alerts.route]] and its keys below it");
                    continue;
                }
                int before = problems.size();
                checkKeys(table, Key.Scope.ROUTE, "exec");
                Fields r = new Fields(table, problems);
                Optional<String> service = r.string(Key.ROUTE_SERVICE);
                Optional<String> alertName = r.get(Key.ROUTE_ALERTNAME, Values::string, n -> {
                    if (!ALERT_NAMES.contains(n)) {
                        throw new BadValue("an alert name: one of " + String.join(", ", ALERT_NAMES));
                    }
                    return n;
                });
                Optional<List<String>> names = r.get(Key.ROUTE_SINKS, Values::strings, n -> known(n, sinks, known));
                if (!r.has(Key.ROUTE_SINKS)) {
                    r.missing(Key.ROUTE_SINKS, "required: the sinks this route sends to (" + known + ")");
                }
                if (problems.size() == before && names.isPresent()) {
                    routes.add(new AlertsSpec.Route(alertName, service, names.get()));
                }
            }
        });
        return routes;
    }

    private static List<String> known(List<String> names, Map<String, AlertsSpec.Sink> sinks, String known) {
        if (names.isEmpty()) {
            throw new BadValue("at least one sink name (" + known + ")");
        }
        for (String name : names) {
            if (!sinks.containsKey(name)) {
                throw new BadValue("names of configured sinks; \"" + name + "\" is not one (" + known + ")");
            }
        }
        return List.copyOf(names);
    }

    /** An absolute http or https URI. */
    static URI httpUri(String text) {
        String rule = "an absolute http or https URL, such as \"http://am1:9093\" or \"https://chat.example.org/hook\"";
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute()
                    || uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new BadValue(rule + "; \"" + text + "\" is not one");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new BadValue(rule + "; \"" + text + "\" is not one (" + e.getReason() + ")");
        }
    }

    /** Unknown keys, and keys of another sink type than the table's. */
    private void checkKeys(Node.Table table, Key.Scope scope, String type) {
        table.entries().forEach((name, node) -> {
            Optional<Key> key = Key.find(scope, name, false);
            if (key.isEmpty()) {
                problems.named(node, Key.unknown(scope, name, false, type));
            } else if (scope == Key.Scope.SINK && !key.get().drivers.contains(type)) {
                problems.named(
                        node,
                        "'" + name + "' does not apply to a sink of type \"" + type + "\"; it is for "
                                + String.join(
                                        " and ",
                                        key.get().drivers.stream().sorted().toList()) + " sinks");
            }
        });
    }
}
