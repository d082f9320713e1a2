package dev.vigil.config;

import dev.vigil.check.CheckSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a service's {@code [[service.NAME.check]]} tables, and its usrsvc monitor keys, into {@link CheckSpec}s. The
 * keys of each type are {@link CheckSpec#TYPE_KEYS}; the values are validated by the records themselves, and their
 * messages are reported at the key they are about ({@code service.web.check[1].timeout}).
 */
final class CheckBuilder {
    /** Interval of the checks that usrsvc's rss_limit and activity_file stand for (usrsvc checked every loop). */
    static final Duration MONITOR_INTERVAL = Duration.ofSeconds(10);

    private static final String TYPES = types();

    /** Every key of every type: the candidates for what a record's validation message is about. */
    private static final List<String> KEYS = java.util.stream.Stream.concat(
                    CheckSpec.COMMON_KEYS.stream(),
                    CheckSpec.TYPE_KEYS.values().stream().flatMap(List::stream))
            .distinct()
            .toList();

    private static final String INTERVAL = "interval";
    private static final String TIMEOUT = "timeout";
    private static final String FAILURES = "failures";
    private static final String WITHIN = "within";
    private static final String LIMIT = "limit";
    private static final String COMMAND = "command";

    private final Problems problems;
    private final ServiceBuilder service;

    CheckBuilder(Problems problems, ServiceBuilder service) {
        this.problems = problems;
        this.service = service;
    }

    /** Every check of the service: first those the monitor keys stand for, then the check tables in order. */
    List<CheckSpec> build(Fields f, MonitorSpec monitor, Fields m) {
        Map<String, Origin> seen = new LinkedHashMap<>();
        List<CheckSpec> checks = new ArrayList<>();
        monitor(monitor).forEach((key, check) -> {
            checks.add(check);
            seen.put(check.name(), m.node(key).map(Node::at).orElse(m.table().at()));
        });
        f.node(Key.CHECKS).ifPresent(node -> {
            if (!(node instanceof Node.Array array)) {
                problems.at(node, "an array of tables: write each check as [[" + node.key() + "]]");
                return;
            }
            for (Node item : array.items()) {
                if (!(item instanceof Node.Table table)) {
                    problems.at(item, "a table: write each check as [[" + node.key() + "]] and its keys below it");
                    continue;
                }
                check(table).ifPresent(check -> {
                    Node at = table.entries().getOrDefault("name", table);
                    Origin first = seen.putIfAbsent(check.name(), at.at());
                    if (first != null) {
                        problems.twice("check", check.name(), first, at.at(), at.key());
                    } else {
                        checks.add(check);
                    }
                });
            }
        });
        return checks;
    }

    /** usrsvc's monitor keys as checks, by the key they come from. */
    private static Map<Key, CheckSpec> monitor(MonitorSpec monitor) {
        Map<Key, CheckSpec> checks = new LinkedHashMap<>();
        if (monitor.rssLimitBytes() > 0) {
            checks.put(
                    Key.RSS_LIMIT,
                    new CheckSpec.Rss(common("rss_limit", MONITOR_INTERVAL), monitor.rssLimitBytes(), false));
        }
        if (monitor.activityFile().isPresent() && monitor.activityFileLimit().isPresent()) {
            Duration limit = monitor.activityFileLimit().get();
            Duration interval = limit.compareTo(MONITOR_INTERVAL) < 0 ? limit : MONITOR_INTERVAL;
            checks.put(
                    Key.ACTIVITY_FILE,
                    new CheckSpec.ActivityFile(
                            common("activityfile", interval),
                            monitor.activityFile().get(),
                            limit));
        }
        return checks;
    }

    private static CheckSpec.Common common(String name, Duration interval) {
        return CheckSpec.Common.defaults(name).every(interval, min(CheckSpec.DEFAULT_TIMEOUT, interval));
    }

    /** One check table, or empty when it has errors (recorded). */
    private Optional<CheckSpec> check(Node.Table table) {
        int before = problems.size();
        Fields c = new Fields(table, problems);
        Optional<String> type = c.get("type", Values::string, t -> {
            if (!CheckSpec.TYPE_KEYS.containsKey(t)) {
                throw new BadValue("a check type: one of " + TYPES);
            }
            return t;
        });
        if (c.node("type").isEmpty()) {
            problems.in(table, "type", "required: the kind of check, one of " + TYPES);
        }
        if (type.isEmpty()) {
            return Optional.empty();
        }
        keys(table, type.get());
        String name = c.get("name", Values::string, ServiceBuilder::name).orElse(type.get());
        Duration interval = c.get(INTERVAL, Values::duration).orElse(CheckSpec.DEFAULT_INTERVAL);
        Duration timeout = c.get(TIMEOUT, Values::duration).orElse(min(CheckSpec.DEFAULT_TIMEOUT, interval));
        int failures = c.get(FAILURES, n -> Values.integer(n, 1, Integer.MAX_VALUE, "a whole number, 1 or more"))
                .orElse(1);
        Duration within = c.get(WITHIN, Values::duration).orElse(interval.multipliedBy(failures));
        Duration needed = interval.multipliedBy(failures - 1L);
        c.node(WITHIN)
                .filter(n -> within.compareTo(needed) < 0)
                .ifPresent(n -> problems.at(
                        n,
                        "at least (failures - 1) x interval: " + failures + " failures one interval apart never"
                                + " fit in less, and the check could never trip"));
        CheckSpec.OnFailure onFailure =
                c.get("on_failure", n -> onFailure(Values.string(n))).orElse(CheckSpec.OnFailure.RESTART);
        Optional<CheckSpec.Common> common = valid(
                table,
                name,
                () -> new CheckSpec.Common(
                        name, interval, timeout, new CheckSpec.Tolerance(failures, within), onFailure));
        Optional<Supplier<CheckSpec>> spec = common.flatMap(k -> typed(c, type.get(), k));
        if (problems.size() > before || spec.isEmpty()) {
            return Optional.empty();
        }
        return valid(table, name, spec.get());
    }

    /** The type's own keys; empty when a required one is missing (recorded). */
    private Optional<Supplier<CheckSpec>> typed(Fields c, String type, CheckSpec.Common common) {
        return switch (type) {
            case "rss" -> {
                Optional<Long> limit = required(c, LIMIT, Values::size, "a size such as \"512MiB\"");
                boolean children = c.get("include_children", Values::bool).orElse(false);
                yield limit.map(l -> () -> new CheckSpec.Rss(common, l, children));
            }
            case "activity_file" -> {
                Optional<Path> path = required(c, "path", Values::absolutePath, "the file that must keep changing");
                Optional<Duration> maxAge = required(c, "max_age", Values::duration, "a duration such as \"60s\"");
                yield path.flatMap(p -> maxAge.map(a -> () -> new CheckSpec.ActivityFile(common, p, a)));
            }
            case "tcp" -> {
                Optional<String> host = required(c, "host", Values::string, "a host name or address");
                Optional<Integer> port = required(
                        c, "port", n -> Values.integer(n, 1, 65535, "a port number, 1-65535"), "a port number");
                yield host.flatMap(h -> port.map(p -> () -> new CheckSpec.Tcp(common, h, p)));
            }
            case "http" -> {
                Optional<URI> url = required(c, "url", CheckBuilder::uri, "e.g. \"http://127.0.0.1:8080/healthz\"");
                Set<Integer> ok = c.get(
                                "ok_statuses",
                                n -> Values.integers(
                                        n, 100, 599, "an array of HTTP statuses (100-599), e.g. [200, 204]"))
                        .<Set<Integer>>map(HashSet::new)
                        .orElse(CheckSpec.DEFAULT_OK_STATUSES);
                Optional<Pattern> body = c.get("body_match", Values::regex);
                boolean verify = c.get("tls_verify", Values::bool).orElse(true);
                boolean follow = c.get("follow_redirects", Values::bool).orElse(false);
                yield url.map(u -> () -> new CheckSpec.Http(common, u, ok, body, verify, follow));
            }
            case COMMAND -> {
                Optional<List<String>> argv =
                        required(c, COMMAND, n -> ServiceBuilder.argv(n, false), "the program and its arguments");
                Map<String, String> env =
                        c.get("env", Values::table).map(service::env).orElse(Map.of());
                yield argv.map(a -> () -> new CheckSpec.CommandCheck(common, a, env));
            }
            default -> {
                Optional<Duration> limit = required(c, LIMIT, Values::duration, "a duration of CPU time");
                Optional<Duration> per = c.get("per", Values::duration);
                yield limit.map(l -> () -> new CheckSpec.CpuTime(common, l, per));
            }
        };
    }

    private static CheckSpec.OnFailure onFailure(String action) {
        return switch (action) {
            case "restart" -> CheckSpec.OnFailure.RESTART;
            case "alert" -> CheckSpec.OnFailure.ALERT;
            default -> throw new BadValue("\"restart\" (restart the service) or \"alert\" (only report it)");
        };
    }

    private <T> Optional<T> required(Fields c, String key, Function<Node, T> reader, String what) {
        if (c.node(key).isEmpty()) {
            problems.in(
                    c.table(),
                    key,
                    "required for a check of type "
                            + c.node("type").map(Node::written).orElse("") + ": " + what);
        }
        return c.get(key, reader);
    }

    private static URI uri(Node node) {
        try {
            return new URI(Values.string(node));
        } catch (URISyntaxException e) {
            throw new BadValue("an http:// or https:// URL; this one has an error: " + e.getReason());
        }
    }

    /** Keys that are not a check's, or that belong to another type than the table's. */
    private void keys(Node.Table table, String type) {
        List<String> allowed = new ArrayList<>(CheckSpec.COMMON_KEYS);
        allowed.addAll(CheckSpec.TYPE_KEYS.get(type));
        table.entries().forEach((name, node) -> {
            if (allowed.contains(name)) {
                return;
            }
            List<String> types = CheckSpec.TYPE_KEYS.entrySet().stream()
                    .filter(e -> e.getValue().contains(name))
                    .map(Map.Entry::getKey)
                    .toList();
            problems.named(
                    node,
                    types.isEmpty()
                            ? Key.unknown(name, allowed)
                            : "'" + name + "' does not apply to checks of type \"" + type + "\"; it is for "
                                    + String.join(" and ", types) + " checks");
        });
    }

    /**
     * The record {@code make} builds, or empty after reporting its validation message at the key the message is
     * about (the check's table when it names none).
     */
    private <T> Optional<T> valid(Node.Table table, String name, Supplier<T> make) {
        try {
            return Optional.of(make.get());
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String rule = message.startsWith(name + ": ") ? message.substring(name.length() + 2) : message;
            Optional<String> key = KEYS.stream()
                    .filter(k -> position(rule, k) >= 0)
                    .min(Comparator.comparingInt(k -> position(rule, k)));
            Optional<Node> node = key.map(table.entries()::get);
            if (node.isPresent()) {
                problems.at(node.get(), rule);
            } else if (key.isPresent()) {
                problems.in(table, key.get(), rule);
            } else {
                problems.named(table, rule);
            }
            return Optional.empty();
        }
    }

    /** Where {@code key} occurs in {@code text} as a word of its own; -1 when it does not. */
    private static int position(String text, String key) {
        Matcher m = Pattern.compile("(?<![A-Za-z_])" + Pattern.quote(key) + "(?![A-Za-z_])")
                .matcher(text);
        return m.find() ? m.start() : -1;
    }

    /** "a", "b" or "c". */
    private static String types() {
        List<String> quoted =
                CheckSpec.TYPE_KEYS.keySet().stream().map(t -> '"' + t + '"').toList();
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " or " + quoted.getLast();
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
