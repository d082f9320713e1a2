package dev.vigil.config;

import dev.vigil.fleet.ClassExpression;
import dev.vigil.fleet.Inventory;
import dev.vigil.rollout.RolloutSpec;
import dev.vigil.rollout.Step;
import dev.vigil.rollout.Steps;
import dev.vigil.rollout.Window;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code [rollout.NAME]} tables (docs/rollouts.md) into {@link RolloutSpec}s, expanding the {@code xrootd}
 * preset into its steps. Every error is recorded in {@link Problems} with its file, line and key.
 */
final class RolloutBuilder {
    static final int MAX_PARALLEL = 1024;
    private static final Pattern WINDOW =
            Pattern.compile("(?:([A-Za-z]{3}(?:-[A-Za-z]{3})?(?:,[A-Za-z]{3}(?:-[A-Za-z]{3})?)*)\\s+)?"
                    + "(\\d{2}:\\d{2})-(\\d{2}:\\d{2})");
    private static final String WINDOW_RULE = "time windows such as \"Mon-Fri 06:00-18:00\", \"Sat,Sun 00:00-24:00\""
            + " or \"22:00-04:00\" (every day, over midnight); local time";
    private static final List<Key> PRESET_KEYS = List.of(
            Key.ROLLOUT_CMSD_UNIT,
            Key.ROLLOUT_XROOTD_UNIT,
            Key.ROLLOUT_CMSD_WAIT,
            Key.ROLLOUT_DRAIN_PORT,
            Key.ROLLOUT_SERVICE_TIMEOUT);

    private final Problems problems;

    RolloutBuilder(Problems problems) {
        this.problems = problems;
    }

    List<RolloutSpec> build(Map<String, Node.Table> tables, Inventory inventory) {
        List<RolloutSpec> result = new ArrayList<>();
        tables.forEach((name, table) -> build(name, table, inventory).ifPresent(result::add));
        return result;
    }

    private Optional<RolloutSpec> build(String name, Node.Table table, Inventory inventory) {
        int before = problems.size();
        checkKeys(table, Key.Scope.ROLLOUT);
        Fields f = new Fields(table, problems);
        Optional<ClassExpression> hosts = f.get(Key.ROLLOUT_HOSTS, n -> selecting(n, inventory));
        if (!f.has(Key.ROLLOUT_HOSTS)) {
            f.missing(Key.ROLLOUT_HOSTS, "required: a class expression for the hosts to restart, such as \"xrootd\"");
        }
        Optional<ClassExpression> manager = f.get(Key.ROLLOUT_MANAGER, n -> selecting(n, inventory));
        Duration period = f.get(Key.ROLLOUT_PERIOD, Values::positiveDuration).orElse(RolloutSpec.PERIOD);
        boolean scheduled = f.get(Key.ROLLOUT_SCHEDULE, Values::bool).orElse(true);
        List<Window> windows =
                f.get(Key.ROLLOUT_WINDOWS, RolloutBuilder::windows).orElse(List.of());
        int maxParallel = f.get(
                        Key.ROLLOUT_MAX_PARALLEL,
                        n -> Values.integer(n, 1, MAX_PARALLEL, "a whole number of hosts from 1 to " + MAX_PARALLEL))
                .orElse(1);
        int minOk = f.get(
                        Key.ROLLOUT_MIN_OK, n -> Values.integer(n, 0, 1_000_000, "a whole number of hosts, 0 or more"))
                .orElse(1);
        int retries = f.get(Key.ROLLOUT_RETRIES, n -> Values.integer(n, 0, 100, "a whole number from 0 to 100"))
                .orElse(RolloutSpec.RETRIES);
        RolloutSpec.OnFailure onFailure = f.get(Key.ROLLOUT_ON_FAILURE, n -> switch (Values.string(n)) {
                    case "pause" -> RolloutSpec.OnFailure.PAUSE;
                    case "next-window" -> RolloutSpec.OnFailure.NEXT_WINDOW;
                    default ->
                        throw new BadValue("\"pause\" (wait for 'vigil rollout resume') or \"next-window\" (go on at"
                                + " the next allowed window)");
                })
                .orElse(RolloutSpec.OnFailure.PAUSE);
        RolloutSpec.NotStopping notStopping = f.get(Key.ROLLOUT_NOT_STOPPING, n -> switch (Values.string(n)) {
                    case "alert" -> RolloutSpec.NotStopping.ALERT;
                    case "kill" -> RolloutSpec.NotStopping.KILL;
                    default ->
                        throw new BadValue("\"alert\" (alert NeedsReboot and stop the rollout) or \"kill\" (send"
                                + " SIGKILL to the unit's processes and go on)");
                })
                .orElse(RolloutSpec.NotStopping.ALERT);
        Duration stay = f.get(Key.ROLLOUT_STAY_HEALTHY, Values::duration).orElse(RolloutSpec.STAY_HEALTHY);
        Duration deadline =
                f.get(Key.ROLLOUT_HEALTH_DEADLINE, Values::positiveDuration).orElse(RolloutSpec.HEALTH_DEADLINE);
        if (stay.compareTo(deadline) > 0 && f.has(Key.ROLLOUT_STAY_HEALTHY)) {
            problems.at(
                    f.node(Key.ROLLOUT_STAY_HEALTHY).orElseThrow(),
                    "at most health_deadline (" + deadline.toSeconds() + "s): a host must be able to stay healthy"
                            + " this long before the deadline");
        }
        Optional<String> preset = f.get(Key.ROLLOUT_PRESET, n -> switch (Values.string(n)) {
            case Steps.XROOTD -> Steps.XROOTD;
            default -> throw new BadValue("\"xrootd\" (XRootDRestart's steps), or leave it out and list the steps");
        });
        List<Step> steps = new ArrayList<>();
        List<String> defaultHealthy = new ArrayList<>();
        if (f.has(Key.ROLLOUT_PRESET) && f.has(Key.ROLLOUT_STEPS)) {
            problems.named(
                    f.node(Key.ROLLOUT_STEPS).orElseThrow(),
                    "either preset or [[" + table.key() + ".step]] tables, not both: the preset stands for its"
                            + " steps");
        } else if (f.has(Key.ROLLOUT_PRESET)) {
            preset.ifPresent(p -> steps.addAll(xrootd(f, defaultHealthy)));
        } else if (f.has(Key.ROLLOUT_STEPS)) {
            PRESET_KEYS.forEach(k -> f.node(k)
                    .ifPresent(n -> problems.named(n, "used by preset = \"xrootd\" only; set it in the steps")));
            steps.addAll(steps(f, defaultHealthy));
        } else {
            f.missing(
                    Key.ROLLOUT_STEPS,
                    "required: preset = \"xrootd\" or [[" + table.key() + ".step]] tables saying what to do on each"
                            + " host");
        }
        List<String> healthy = f.get(Key.ROLLOUT_HEALTHY, RolloutBuilder::units).orElse(defaultHealthy);
        if (problems.size() != before || hosts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RolloutSpec(
                name,
                preset,
                hosts.get(),
                period,
                windows,
                maxParallel,
                minOk,
                healthy,
                onFailure,
                stay,
                deadline,
                retries,
                notStopping,
                steps,
                manager,
                scheduled));
    }

    private static List<Step> xrootd(Fields f, List<String> healthy) {
        String cmsd = f.get(Key.ROLLOUT_CMSD_UNIT, RolloutBuilder::unit).orElse(Steps.CMSD_UNIT);
        String xrootd = f.get(Key.ROLLOUT_XROOTD_UNIT, RolloutBuilder::unit).orElse(Steps.XROOTD_UNIT);
        Duration wait = f.get(Key.ROLLOUT_CMSD_WAIT, Values::duration).orElse(Steps.CMSD_WAIT);
        Optional<Integer> port =
                f.get(Key.ROLLOUT_DRAIN_PORT, n -> Values.integer(n, 1, 65535, "a port from 1 to 65535"));
        Duration timeout =
                f.get(Key.ROLLOUT_SERVICE_TIMEOUT, Values::positiveDuration).orElse(Steps.SERVICE_TIMEOUT);
        healthy.add(xrootd);
        healthy.add(cmsd);
        return Steps.xrootd(cmsd, xrootd, wait, port, timeout);
    }

    private List<Step> steps(Fields rollout, List<String> healthy) {
        Node node = rollout.node(Key.ROLLOUT_STEPS).orElseThrow();
        String header = "[[" + rollout.table().key() + ".step]]";
        if (!(node instanceof Node.Array array)) {
            problems.at(node, "an array of tables: write each step as " + header);
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        Set<String> units = new LinkedHashSet<>();
        for (Node item : array.items()) {
            if (!(item instanceof Node.Table table)) {
                problems.at(item, "a table: write each step as " + header + " and its keys below it");
                continue;
            }
            checkKeys(table, Key.Scope.STEP);
            step(new Fields(table, problems), units).ifPresent(steps::add);
        }
        healthy.addAll(units);
        return steps;
    }

    private Optional<Step> step(Fields f, Set<String> units) {
        if (!f.has(Key.STEP_ACTION)) {
            f.missing(Key.STEP_ACTION, "required: \"stop\", \"start\", \"restart\", \"wait\" or \"wait-until\"");
            return Optional.empty();
        }
        Optional<String> action = f.get(Key.STEP_ACTION, n -> switch (Values.string(n)) {
            case "stop", "start", "restart", "wait", "wait-until" -> Values.string(n);
            default -> throw new BadValue("\"stop\", \"start\", \"restart\", \"wait\" or \"wait-until\"");
        });
        if (action.isEmpty()) {
            return Optional.empty();
        }
        Duration timeout = f.get(Key.STEP_TIMEOUT, Values::positiveDuration).orElse(Steps.SERVICE_TIMEOUT);
        Duration interval = f.get(Key.STEP_INTERVAL, Values::positiveDuration).orElse(Duration.ofSeconds(5));
        List<Key> used = new ArrayList<>(List.of(Key.STEP_ACTION));
        Optional<Step> step =
                switch (action.get()) {
                    case "stop", "start", "restart" -> {
                        used.addAll(List.of(Key.STEP_UNIT, Key.STEP_TIMEOUT));
                        Optional<String> unit = required(f, Key.STEP_UNIT, "the unit, such as \"cmsd@cluster\"")
                                .flatMap(n -> f.get(Key.STEP_UNIT, RolloutBuilder::unit));
                        unit.filter(u -> !action.get().equals("stop")).ifPresent(units::add);
                        yield unit.map(u -> switch (action.get()) {
                            case "stop" -> new Step.Stop(u, timeout);
                            case "start" -> new Step.Start(u, timeout);
                            default -> new Step.Restart(u, timeout);
                        });
                    }
                    case "wait" -> {
                        used.add(Key.STEP_DURATION);
                        yield required(f, Key.STEP_DURATION, "how long to wait, such as \"300s\"")
                                .flatMap(n -> f.get(Key.STEP_DURATION, Values::duration))
                                .map(Step.Wait::new);
                    }
                    default -> {
                        used.addAll(List.of(Key.STEP_UNTIL, Key.STEP_TIMEOUT, Key.STEP_INTERVAL));
                        yield required(f, Key.STEP_UNTIL, "\"no-connections\" (with port) or \"command\"")
                                .flatMap(n -> f.get(Key.STEP_UNTIL, Values::string, s -> switch (s) {
                                    case "no-connections", "command" -> s;
                                    default ->
                                        throw new BadValue("\"no-connections\" (no established connection on port)"
                                                + " or \"command\" (the command exits 0 on the host)");
                                }))
                                .flatMap(until -> until.equals("command")
                                        ? until(f, used, Key.STEP_COMMAND, "a command run by the host's shell")
                                                .flatMap(n -> f.get(Key.STEP_COMMAND, Values::string))
                                                .map(c -> new Step.UntilCommand(c, timeout, interval))
                                        : until(f, used, Key.STEP_PORT, "the port, such as 1094")
                                                .flatMap(n -> f.get(
                                                        Key.STEP_PORT,
                                                        p -> Values.integer(p, 1, 65535, "a port from 1 to 65535")))
                                                .map(p -> new Step.UntilNoConnections(p, timeout, interval)));
                    }
                };
        f.table().entries().forEach((name, node) -> Key.find(Key.Scope.STEP, name, false)
                .filter(k -> !used.contains(k))
                .ifPresent(k -> problems.named(node, "not used by action \"" + action.get() + "\"; remove it")));
        return step;
    }

    private static Optional<Node> until(Fields f, List<Key> used, Key key, String rule) {
        used.add(key);
        return required(f, key, rule);
    }

    private static Optional<Node> required(Fields f, Key key, String rule) {
        Optional<Node> node = f.node(key);
        if (node.isEmpty()) {
            f.missing(key, "required: " + rule);
        }
        return node;
    }

    private static ClassExpression selecting(Node node, Inventory inventory) {
        ClassExpression expression = ServiceBuilder.hosts(Values.string(node));
        if (inventory.select(expression).isEmpty()) {
            throw new BadValue("a class expression that selects at least one host of the inventory; '" + expression
                    + "' selects none");
        }
        return expression;
    }

    private static String unit(Node node) {
        return UnitNames.parse(Values.string(node));
    }

    private static List<String> units(Node node) {
        List<String> units = Values.strings(node).stream().map(UnitNames::parse).toList();
        if (units.isEmpty()) {
            throw new BadValue("at least one unit: a host with none to check would always count as healthy");
        }
        return units;
    }

    static List<Window> windows(Node node) {
        List<Window> windows = new ArrayList<>();
        for (String text : Values.strings(node)) {
            Matcher m = WINDOW.matcher(text.strip());
            if (!m.matches()) {
                throw new BadValue(WINDOW_RULE + "; \"" + text + "\" is not one");
            }
            Set<DayOfWeek> days = m.group(1) == null ? EnumSet.allOf(DayOfWeek.class) : days(m.group(1), text);
            LocalTime from = time(m.group(2), text);
            LocalTime to = m.group(3).equals("24:00") ? LocalTime.MAX : time(m.group(3), text);
            if (from.equals(to)) {
                throw new BadValue(WINDOW_RULE + "; \"" + text + "\" is empty (its start is its end)");
            }
            windows.add(new Window(days, from, to, text.strip()));
        }
        return windows;
    }

    private static Set<DayOfWeek> days(String spec, String text) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : spec.split(",")) {
            String[] range = part.split("-");
            DayOfWeek first = day(range[0], text);
            DayOfWeek last = range.length > 1 ? day(range[1], text) : first;
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String abbreviation, String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().substring(0, 3).equalsIgnoreCase(abbreviation)) {
                return d;
            }
        }
        throw new BadValue(WINDOW_RULE + "; \"" + abbreviation + "\" in \"" + text + "\" is not a day (Mon .. Sun)");
    }

    private static LocalTime time(String hhmm, String text) {
        try {
            return LocalTime.parse(hhmm);
        } catch (DateTimeParseException e) {
            throw new BadValue(WINDOW_RULE + "; \"" + hhmm + "\" in \"" + text + "\" is not a time (00:00 .. 24:00)");
        }
    }

    private void checkKeys(Node.Table table, Key.Scope scope) {
        table.entries().forEach((name, node) -> {
            if (Key.find(scope, name, false).isEmpty()) {
                problems.named(node, Key.unknown(scope, name, false, "exec"));
            }
        });
    }
}
