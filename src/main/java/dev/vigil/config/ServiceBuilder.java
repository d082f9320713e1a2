package dev.vigil.config;

import dev.vigil.fleet.ClassExpression;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one service table (already merged with its defaults) into a {@link ServiceConfig}, recording every bad,
 * missing or unknown key. Also checks a {@code [defaults.NAME]} table on its own, without the rules that only a whole
 * service can meet (required keys), so a mistake there is found even when no service uses it.
 */
final class ServiceBuilder {
    /** Named defaults, each with its unit (STYLE.md #8). */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    static final Duration SUCCESS_WAIT = Duration.ofSeconds(2);
    static final Duration TERM_TO_KILL = Duration.ofSeconds(8);
    static final Duration MONITOR_AFTER = Duration.ofSeconds(30);

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s,;<>]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*");
    private static final Pattern PROGRAM = Pattern.compile("/.*|[^/]+");
    private static final List<String> DRIVERS = List.of("exec", "command", "systemd");

    private final Path stateDir;
    private final Problems problems;

    ServiceBuilder(Path stateDir, Problems problems) {
        this.stateDir = stateDir;
        this.problems = problems;
    }

    /** Checks a defaults table on its own. */
    void check(Node.Table defaults) {
        Fields f = new Fields(defaults, problems);
        f.node(Key.DEFAULTS).ifPresent(n -> problems.named(n, "a defaults table cannot inherit from other defaults"));
        build("", f, driver(f), false);
    }

    /** The service, or empty when a required key is missing (the error is recorded). */
    Optional<ServiceConfig> build(String name, Node.Table service) {
        Fields f = new Fields(service, problems);
        return build(name, f, Optional.of(driver(f).orElse("exec")), true);
    }

    /** The driver a table names, when it names a valid one. */
    Optional<String> driver(Fields f) {
        return f.get(Key.DRIVER, Values::string, d -> {
            if (!DRIVERS.contains(d)) {
                throw new BadValue("one of \"exec\" (Vigil runs the command), \"command\" (your start/stop commands)"
                        + " or \"systemd\" (a unit)");
            }
            return d;
        });
    }

    private Optional<ServiceConfig> build(String name, Fields f, Optional<String> driver, boolean complete) {
        checkKeys(f.table(), Key.Scope.SERVICE, driver);
        Fields m = new Fields(f.subtable(Key.MONITOR).orElse(empty(f.table())), problems);
        checkKeys(m.table(), Key.Scope.MONITOR, driver);
        MonitorSpec legacy = monitor(m, complete);
        MonitorSpec monitor = new MonitorSpec(
                legacy.monitorAfter(),
                legacy.activityFile(),
                legacy.activityFileLimit(),
                legacy.rssLimitBytes(),
                new CheckBuilder(problems, this).build(f, legacy, m));
        SupervisionSpec supervision = supervision(f);
        Optional<Pattern> regex = f.regex(Key.PROCTITLE_RE);
        Optional<Path> pidfile = f.path(Key.PIDFILE);
        boolean autopid = f.bool(Key.AUTOPID, true);
        boolean scan = f.bool(Key.SCAN_FOR_PROCESS, true);
        boolean enabled = f.bool(Key.ENABLED, true);
        boolean autostart = f.bool(Key.AUTOSTART, true);
        boolean autorestart = f.bool(Key.AUTORESTART, true);
        int maxRestarts = f.get(Key.MAX_RESTARTS, Values::count).orElse(0);
        Duration restartDelay = f.duration(Key.RESTART_DELAY, Duration.ZERO);
        Duration successWait = f.duration(Key.SUCCESS_SECONDS, SUCCESS_WAIT);
        Duration termToKill = f.duration(Key.TERM_TO_KILL_SECONDS, TERM_TO_KILL);
        List<String> emails =
                f.get(Key.EMAIL_ALERTS, Values::strings, ServiceBuilder::emails).orElse(List.of());
        Optional<ClassExpression> hosts = f.get(Key.HOSTS, node -> hosts(Values.string(node)));
        Optional<? extends DriverSpec> spec =
                switch (driver.orElse("")) {
                    case "exec" -> exec(name, f, complete);
                    case "command" -> command(f, complete);
                    case "systemd" -> systemd(f, complete);
                    default -> {
                        anyDriver(f);
                        yield Optional.empty();
                    }
                };
        if (!complete || spec.isEmpty()) {
            return Optional.empty();
        }
        if (spec.get() instanceof DriverSpec.Exec) {
            pidfile = pidfile.or(() -> Optional.of(stateDir.resolve("pids").resolve(name + ".pid")));
        }
        IdentitySpec identity = new IdentitySpec(pidfile, autopid, scan, regex);
        return Optional.of(new ServiceConfig(
                name,
                f.table().at(),
                enabled,
                spec.get(),
                identity,
                autostart,
                autorestart,
                maxRestarts,
                restartDelay,
                successWait,
                termToKill,
                emails,
                monitor,
                supervision,
                hosts));
    }

    private static SupervisionSpec supervision(Fields f) {
        SupervisionSpec d = SupervisionSpec.DEFAULTS;
        int confirm = f.get(
                        Key.CONFIRM,
                        n -> Values.integer(
                                n,
                                1,
                                Integer.MAX_VALUE,
                                "a whole number, 1 or more: how many observations in a row must see the service"
                                        + " down"))
                .orElse(d.confirm());
        double factor = f.get(
                        Key.BACKOFF_FACTOR,
                        n -> Values.decimal(
                                n, 1.0, "a number, 1.0 or more (1.0: every restart waits restart_delay, no back-off)"))
                .orElse(d.backoffFactor());
        Set<Integer> codes = f.get(
                        Key.SUCCESS_EXIT_CODES,
                        n -> Values.integers(n, 0, 255, "an array of exit codes, each 0 to 255, e.g. [0, 11]"))
                .<Set<Integer>>map(HashSet::new)
                .orElse(d.successExitCodes());
        return new SupervisionSpec(
                confirm,
                f.get(Key.CONFIRM_INTERVAL, Values::positiveDuration).orElse(d.confirmInterval()),
                factor,
                f.duration(Key.BACKOFF_MAX, d.backoffMax()),
                f.duration(Key.STABLE_AFTER, d.stableAfter()),
                f.get(Key.RESTART_WINDOW, Values::positiveDuration).orElse(d.restartWindow()),
                f.get(Key.GIVE_UP_FOR, ServiceBuilder::giveUpFor).orElse(d.giveUpFor()),
                codes,
                f.strings(Key.REQUIRES).orElse(d.requires()),
                f.strings(Key.AFTER).orElse(d.after()),
                f.get(Key.GROUPS, Values::strings, names -> {
                            names.forEach(ServiceBuilder::name);
                            return names;
                        })
                        .orElse(d.groups()));
    }

    /** A class expression (docs/fleet.md): the hosts the service must run on. */
    static ClassExpression hosts(String text) {
        try {
            return ClassExpression.parse(text);
        } catch (ClassExpression.ParseException e) {
            throw new BadValue("a class expression such as \"web|dns\" or \"any&!db\": " + e.getMessage());
        }
    }

    /** A duration, or "forever" (empty): until {@code vigil reset}. */
    private static Optional<Duration> giveUpFor(Node node) {
        String rule =
                "a duration greater than 0 such as \"30m\", or \"forever\" (stay given up until" + " 'vigil reset')";
        if (node instanceof Node.Scalar(var k, var at, String s, var t) && s.equals("forever")) {
            return Optional.empty();
        }
        Duration d;
        try {
            d = Values.duration(node);
        } catch (BadValue e) {
            throw new BadValue(rule);
        }
        if (d.isZero()) {
            throw new BadValue(rule);
        }
        return Optional.of(d);
    }

    /** {@code name} when it follows the grammar of names (services, groups, checks); else throws BadValue. */
    static String name(String name) {
        if (!ConfigLoader.isName(name)) {
            throw new BadValue("a " + ConfigLoader.NAME_RULE + "; \"" + name + "\" is not one");
        }
        return name;
    }

    /** A defaults table without a driver: check the values of every driver's keys. */
    private void anyDriver(Fields f) {
        exec("", f, false);
        command(f, false);
        systemd(f, false);
    }

    private Optional<DriverSpec.Exec> exec(String name, Fields f, boolean complete) {
        boolean shell = f.bool(Key.SHELL, false);
        Optional<List<String>> command = f.get(Key.COMMAND, node -> argv(node, shell));
        if (complete && !f.has(Key.COMMAND)) {
            f.missing(
                    Key.COMMAND,
                    "required for the exec driver: the program and its arguments, e.g."
                            + " command = \"/usr/bin/myprog --port 8080\"");
        }
        Path stdout = f.path(Key.STDOUT).orElse(stateDir.resolve("logs").resolve(name + ".log"));
        Optional<Path> stderr = f.get(Key.STDERR, node -> {
            String s = Values.string(node);
            if (s.equals("stdout")) {
                return stdout;
            }
            return Values.absolutePath(node);
        });
        boolean group = f.bool(Key.KILL_PROCESS_GROUP, false);
        Map<String, String> env = env(f);
        boolean inherit = f.bool(Key.INHERIT_ENV, true);
        Optional<Path> dir = f.path(Key.WORKING_DIRECTORY);
        return command.map(
                argv -> new DriverSpec.Exec(argv, shell, stdout, stderr.orElse(stdout), env, inherit, dir, group));
    }

    static List<String> argv(Node node, boolean shell) {
        if (shell) {
            if (!(node instanceof Node.Scalar(var k, var at, String text, var t)) || text.isBlank()) {
                throw new BadValue("with shell = true, one string of shell text (an array is not allowed: set"
                        + " shell = false to give the words one by one)");
            }
            return List.of(text);
        }
        List<String> argv = node instanceof Node.Scalar(var k, var at, String text, var t)
                ? ShellWords.split(text)
                : Values.strings(node);
        if (argv.isEmpty() || argv.getFirst().isEmpty()) {
            throw new BadValue("a program and its arguments, as a string or an array of strings; not empty");
        }
        if (!PROGRAM.matcher(argv.getFirst()).matches()) {
            throw new BadValue("the program must be an absolute path or a bare name looked up in PATH, not a"
                    + " relative path like \"" + argv.getFirst() + "\"");
        }
        return argv;
    }

    private Optional<DriverSpec.Command> command(Fields f, boolean complete) {
        Optional<String> start = shellText(f, Key.START, complete);
        Optional<String> stop = shellText(f, Key.STOP, complete);
        Optional<String> restart = shellText(f, Key.RESTART, false);
        Optional<String> status = shellText(f, Key.STATUS, false);
        Duration timeout = f.duration(Key.TIMEOUT, COMMAND_TIMEOUT);
        Map<String, String> env = env(f);
        boolean inherit = f.bool(Key.INHERIT_ENV, true);
        Optional<Path> dir = f.path(Key.WORKING_DIRECTORY);
        if (complete && !f.has(Key.STATUS) && !f.has(Key.PIDFILE) && !f.has(Key.PROCTITLE_RE)) {
            f.missing(
                    Key.STATUS,
                    "the command driver needs a way to tell whether the service runs: set status (a command that"
                            + " exits 0 while it runs), pidfile or proctitle_re");
        }
        if (start.isEmpty() || stop.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new DriverSpec.Command(start.get(), stop.get(), restart, status, timeout, env, inherit, dir));
    }

    private static Optional<String> shellText(Fields f, Key key, boolean required) {
        if (required && !f.has(key)) {
            f.missing(
                    key,
                    "required for the command driver: a shell command, e.g. " + key.id + " = \"/etc/init.d/myprog "
                            + key.id + "\"");
        }
        return f.get(key, Values::string, s -> {
            if (s.isBlank()) {
                throw new BadValue("a shell command; not empty");
            }
            return s;
        });
    }

    private static Optional<DriverSpec.Systemd> systemd(Fields f, boolean complete) {
        Optional<String> unit = f.get(Key.UNIT, Values::string, UnitNames::parse);
        if (complete && !f.has(Key.UNIT)) {
            f.missing(Key.UNIT, "required for the systemd driver: the unit to control, e.g. unit = \"nginx.service\"");
        }
        boolean user = f.bool(Key.USER_MANAGER, false);
        Duration timeout = f.duration(Key.TIMEOUT, COMMAND_TIMEOUT);
        return unit.map(u -> new DriverSpec.Systemd(u, user, timeout));
    }

    private Map<String, String> env(Fields f) {
        return f.subtable(Key.ENV).map(this::env).orElse(Map.of());
    }

    /** A table of environment variables; bad names and values are recorded and left out. */
    Map<String, String> env(Node.Table table) {
        Map<String, String> env = new LinkedHashMap<>();
        table.entries().forEach((name, node) -> {
            if (!ENV_NAME.matcher(name).matches()) {
                problems.named(node, "an environment variable name: letters, digits and _, not starting with a digit");
            } else if (node instanceof Node.Scalar(var k, var at, String value, var t)) {
                env.put(name, value);
            } else {
                problems.at(node, "a string; quote it, e.g. " + name + " = \"8080\"");
            }
        });
        return env;
    }

    private MonitorSpec monitor(Fields m, boolean complete) {
        Duration after = m.duration(Key.MONITOR_AFTER, MONITOR_AFTER);
        Optional<Path> file = m.path(Key.ACTIVITY_FILE);
        Optional<Duration> limit = m.get(Key.ACTIVITY_FILE_LIMIT, Values::positiveDuration);
        long rss = m.get(Key.RSS_LIMIT, Values::size).orElse(0L);
        if (complete) {
            pair(
                    m,
                    Key.ACTIVITY_FILE,
                    Key.ACTIVITY_FILE_LIMIT,
                    "the longest time allowed between two changes of the" + " file, e.g. \"60s\"");
            pair(m, Key.ACTIVITY_FILE_LIMIT, Key.ACTIVITY_FILE, "the file or directory that must keep changing");
        }
        return new MonitorSpec(after, file, limit, rss, List.of());
    }

    /** When {@code present} is set, {@code required} must be too; reported at {@code present}'s line. */
    private void pair(Fields m, Key present, Key required, String what) {
        boolean usrsvc = m.table().usrsvc();
        m.node(present)
                .filter(n -> !m.has(required))
                .ifPresent(n -> problems.add(new ConfigError(
                        n.at().file(),
                        n.at().line(),
                        m.table().child(required.shown(usrsvc)),
                        "",
                        "required when " + present.shown(usrsvc) + " is set: " + what)));
    }

    static List<String> emails(List<String> addresses) {
        for (String address : addresses) {
            if (!EMAIL.matcher(address).matches()) {
                throw new BadValue("email addresses like ops@example.com (a string or an array of strings); \""
                        + address + "\" is not one");
            }
        }
        return addresses;
    }

    /** Unknown keys, and keys of another driver than the table's. */
    private void checkKeys(Node.Table table, Key.Scope scope, Optional<String> driver) {
        table.entries().forEach((name, node) -> {
            Optional<Key> key = Key.find(scope, name, false);
            if (key.isEmpty()) {
                problems.named(node, Key.unknown(scope, name, table.usrsvc(), driver.orElse("exec")));
            } else if (driver.isPresent() && !key.get().drivers.contains(driver.get())) {
                problems.named(
                        node,
                        "'" + name + "' does not apply to driver \"" + driver.get() + "\"; it is for "
                                + String.join(
                                        " and ",
                                        key.get().drivers.stream().sorted().toList()) + " services");
            }
        });
    }

    private static Node.Table empty(Node.Table owner) {
        return new Node.Table(owner.child(Key.MONITOR.shown(owner.usrsvc())), owner.at(), owner.usrsvc());
    }
}
