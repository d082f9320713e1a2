package dev.vigil.config;

import dev.vigil.fleet.Inventory;
import dev.vigil.fleet.ssh.SshSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a configuration (TOML, or a usrsvc .cfg), with everything it includes. Either the whole
 * configuration is valid and returned, or every error in it is thrown together; nothing is returned partially.
 */
public final class ConfigLoader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    static final String NAME_RULE = "name of 1 to 64 letters, digits, '.', '_' or '-', not starting with '-'";

    /** The longest path a Unix socket can have: sun_path is 108 bytes with the terminating NUL. */
    private static final int SOCKET_PATH_BYTES = 107;

    private final Problems problems;
    private final Map<String, Node> settings = new LinkedHashMap<>();
    private final Map<String, Node.Table> services = new LinkedHashMap<>();
    private final Map<String, Node.Table> defaults = new LinkedHashMap<>();
    private final List<Node.Table> hosts = new ArrayList<>();
    /** Each service's table merged with its defaults, by name. */
    private final Map<String, Node.Table> merged = new LinkedHashMap<>();

    private final Map<String, Node.Table> hostgroups = new LinkedHashMap<>();
    private final Map<String, Node.Table> rollouts = new LinkedHashMap<>();

    private ConfigLoader(Problems problems) {
        this.problems = problems;
    }

    /** Loads {@code file} for the current user and environment. */
    public static VigilConfig load(Path file) throws ConfigException {
        Map<String, String> env = System.getenv();
        return load(file, env, ConfigLocations.runningAsRoot(), ConfigLocations.home(env));
    }

    /**
     * Loads {@code file}; {@code env}, {@code isRoot} and {@code home} decide the defaults that depend on who runs
     * Vigil (the state directory, see {@link ConfigLocations#defaultStateDir}).
     */
    public static VigilConfig load(Path file, Map<String, String> env, boolean isRoot, Path home)
            throws ConfigException {
        Path main = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(main)) {
            throw new ConfigException(List.of(new ConfigError(
                    file,
                    0,
                    "",
                    "",
                    "no configuration file here; create one (docs/configuration.md describes it,"
                            + " examples/quickstart.toml is a start) or pass --config FILE")));
        }
        Problems problems = new Problems(main.getParent());
        List<FileSet.Parsed> files = FileSet.read(main, problems);
        ConfigLoader loader = new ConfigLoader(problems);
        files.forEach(loader::collect);
        Path defaultStateDir = ConfigLocations.defaultStateDir(env, isRoot, home);
        List<ServiceConfig> services = loader.services(loader.stateDir(defaultStateDir));
        Settings settings = loader.settings(defaultStateDir, env, isRoot, home, main.getParent(), services);
        Inventory inventory = new InventoryBuilder(problems).build(loader.hosts, loader.hostgroups);
        loader.placements(services, inventory);
        List<dev.vigil.rollout.RolloutSpec> rollouts = new RolloutBuilder(problems).build(loader.rollouts, inventory);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.list());
        }
        return new VigilConfig(
                file, files.stream().map(FileSet.Parsed::file).toList(), settings, services, inventory, rollouts);
    }

    /** Gathers one file's settings, services and defaults, reporting unknown keys and double definitions. */
    private void collect(FileSet.Parsed parsed) {
        Node.Table root = parsed.root();
        root.entries().forEach((name, node) -> {
            Optional<Key> key = Key.find(Key.Scope.TOP, name, false);
            if (key.isEmpty()) {
                problems.named(node, Key.unknown(Key.Scope.TOP, name, root.usrsvc(), "exec"));
            } else if (key.get() == Key.SERVICE_TABLES) {
                tables(node, "service", services);
            } else if (key.get() == Key.DEFAULTS_TABLES) {
                tables(node, "defaults", defaults);
            } else if (key.get() == Key.HOSTGROUP_TABLES) {
                tables(node, "hostgroup", hostgroups);
            } else if (key.get() == Key.ROLLOUT_TABLES) {
                tables(node, "rollout", rollouts);
            } else if (key.get() == Key.HOST_TABLES) {
                hostTables(node);
            } else if (key.get() != Key.INCLUDE) {
                Node first = settings.putIfAbsent(name, node);
                if (first != null) {
                    problems.named(node, "set twice: first at " + problems.shown(first.at()) + "; keep one");
                }
            }
        });
    }

    private void tables(Node container, String kind, Map<String, Node.Table> into) {
        if (!(container instanceof Node.Table table)) {
            problems.at(container, "tables such as [" + kind + ".NAME]");
            return;
        }
        table.entries().forEach((name, node) -> {
            if (!(node instanceof Node.Table entry)) {
                problems.at(node, "a table: write [" + kind + "." + name + "] and the keys below it");
            } else if (validName(kind, name, entry)) {
                Node.Table first = into.putIfAbsent(name, entry);
                if (first != null) {
                    problems.twice(kind, name, first.at(), entry.at(), entry.key());
                }
            }
        });
    }

    /** The {@code [host.NAME]} tables; their names (ranges) are checked with the inventory. */
    private void hostTables(Node container) {
        if (!(container instanceof Node.Table table)) {
            problems.at(container, "tables such as [host.NAME]");
            return;
        }
        table.entries().forEach((name, node) -> {
            if (node instanceof Node.Table entry) {
                hosts.add(entry);
            } else {
                problems.at(node, "a table: write [host.\"" + name + "\"] and the host's keys below it");
            }
        });
    }

    /** Whether {@code name} follows the grammar of service, group and check names. */
    static boolean isName(String name) {
        return NAME.matcher(name).matches() && !name.startsWith("-");
    }

    private boolean validName(String kind, String name, Node.Table table) {
        String rule = null;
        if (kind.equals("service") && name.equals("all")) {
            rule = "\"all\" is reserved: the command line uses it for every service; choose another name";
        } else if (kind.equals("service") && name.startsWith("group:")) {
            rule = "names starting with \"group:\" are reserved for groups of services; choose another name";
        } else if (!isName(name)) {
            rule = "a " + kind + " " + NAME_RULE;
        }
        if (rule != null) {
            problems.add(new ConfigError(table.at().file(), table.at().line(), table.key(), '"' + name + '"', rule));
        }
        return rule == null;
    }

    /** The top-level keys of every file, as one table. */
    private Fields topLevel() {
        return new Fields(new Node.Table("", new Origin(Path.of(""), 0), false, settings), problems);
    }

    /** The state directory; a bad value is reported by {@link #settings} (and only once: problems are a set). */
    private Path stateDir(Path defaultStateDir) {
        return topLevel().path(Key.STATE_DIR).orElse(defaultStateDir);
    }

    private Settings settings(
            Path defaultStateDir,
            Map<String, String> env,
            boolean isRoot,
            Path home,
            Path configDir,
            List<ServiceConfig> services) {
        Fields f = topLevel();
        Path stateDir = f.path(Key.STATE_DIR).orElse(defaultStateDir);
        Optional<Path> stdout = f.path(Key.LOG_STDOUT);
        Optional<Path> stderr = f.get(Key.LOG_STDERR, node -> Optional.of(Values.string(node))
                        .filter("stdout"::equals)
                        .map(s -> stdout)
                        .orElseGet(() -> Optional.of(Values.absolutePath(node))))
                .flatMap(p -> p);
        Optional<Path> sendmail = f.get(Key.SENDMAIL_PATH, node -> Optional.of(Values.string(node))
                        .filter("auto"::equals)
                        .map(s -> Optional.<Path>empty())
                        .orElseGet(() -> Optional.of(Values.absolutePath(node))))
                .flatMap(p -> p);
        Duration sweep = f.get(Key.SWEEP_INTERVAL, Values::duration, d -> {
                    if (d.compareTo(Settings.SWEEP_INTERVAL_MIN) < 0) {
                        throw new BadValue("a duration of at least 100ms (each sweep reads /proc for every service); "
                                + Durations.RULE);
                    }
                    return d;
                })
                .orElse(Settings.SWEEP_INTERVAL);
        Path socket = f.get(Key.CONTROL_SOCKET, Values::absolutePath, p -> {
                    if (p.toString().getBytes(StandardCharsets.UTF_8).length > SOCKET_PATH_BYTES) {
                        throw new BadValue("a path of at most " + SOCKET_PATH_BYTES + " bytes: the kernel limits the"
                                + " path of a Unix socket");
                    }
                    return p;
                })
                .orElseGet(() -> ConfigLocations.defaultControlSocket(env, isRoot, stateDir));
        Duration retention =
                f.get(Key.EVENT_RETENTION, Values::positiveDuration).orElse(Settings.EVENT_RETENTION);
        Settings.LogFormat format = f.get(Key.LOG_FORMAT, Values::string, s -> switch (s) {
                    case "text", "json" -> s;
                    default -> throw new BadValue("\"text\" (lines for people) or \"json\" (one JSON object a line)");
                })
                .map(s -> Settings.LogFormat.valueOf(s.toUpperCase(Locale.ROOT)))
                .orElse(Settings.LogFormat.TEXT);
        Optional<Settings.Listen> metrics = f.get(Key.METRICS_LISTEN, node -> listen(Values.string(node)));
        AlertsSpec alerts = new AlertsBuilder(problems, AlertsBuilder::localHostname)
                .build(f.get(Key.ALERTS, Values::table), services);
        SshSettings ssh = new SshBuilder(problems).build(f.get(Key.SSH, Values::table), configDir, home);
        Duration fleetInterval =
                f.get(Key.FLEET_CHECK_INTERVAL, Values::positiveDuration).orElse(Settings.FLEET_CHECK_INTERVAL);
        return new Settings(
                stateDir,
                f.path(Key.DAEMON_PIDFILE),
                stdout,
                stderr,
                sendmail,
                sweep,
                socket,
                retention,
                format,
                metrics,
                alerts,
                ssh,
                fleetInterval);
    }

    /** "9839", "127.0.0.1:9839", "[::1]:9839": the host defaults to 127.0.0.1, never to every address. */
    private static Settings.Listen listen(String text) {
        String rule = "a port, or HOST:PORT, such as \"127.0.0.1:9839\" (the host defaults to 127.0.0.1)";
        int colon = text.lastIndexOf(':');
        String host = colon < 0
                ? "127.0.0.1"
                : text.substring(0, colon).replace("[", "").replace("]", "");
        String port = colon < 0 ? text : text.substring(colon + 1);
        try {
            int p = Integer.parseInt(port);
            if (p < 1 || p > 65535 || host.isBlank()) {
                throw new BadValue(rule);
            }
            return new Settings.Listen(host, p);
        } catch (NumberFormatException e) {
            throw new BadValue(rule);
        }
    }

    private List<ServiceConfig> services(Path stateDir) {
        ServiceBuilder builder = new ServiceBuilder(stateDir, problems);
        defaults.values().forEach(builder::check);
        List<ServiceConfig> result = new ArrayList<>();
        Map<String, Node.Table> tables = merged;
        services.forEach((name, table) -> inherit(table, builder)
                .flatMap(merged -> {
                    tables.put(name, merged);
                    return builder.build(name, merged);
                })
                .ifPresent(result::add));
        new Dependencies(problems, services.keySet(), tables).check(result);
        return result;
    }

    /**
     * A service's {@code hosts} must select at least one host of the inventory: an expression that selects none is
     * almost always a misspelt class.
     */
    private void placements(List<ServiceConfig> services, Inventory inventory) {
        for (ServiceConfig service : services) {
            Node.Table table = merged.get(service.name());
            Optional<Node> node = table == null
                    ? Optional.empty()
                    : Optional.ofNullable(table.entries().get(Key.HOSTS.id));
            if (service.hosts().isEmpty() || node.isEmpty()) {
                continue;
            }
            remoteDriver(service, node.get());
            if (!inventory.select(service.hosts().get()).isEmpty()) {
                continue;
            }
            Set<String> classes = new java.util.TreeSet<>();
            inventory.hosts().forEach(h -> classes.addAll(h.classes()));
            problems.at(
                    node.get(),
                    "a class expression that selects at least one host of the inventory; "
                            + (inventory.hosts().isEmpty()
                                    ? "there are no [host.NAME] tables"
                                    : "'" + service.hosts().get() + "' selects none (classes: "
                                            + String.join(
                                                    ", ",
                                                    classes.stream().limit(20).toList())
                                            + (classes.size() > 20 ? ", ..." : "") + ")"));
        }
    }

    /**
     * A fleet service runs through commands over SSH, so it needs a driver made of commands, and a way to tell its
     * state that does not read this machine's files or processes.
     */
    private void remoteDriver(ServiceConfig service, Node hosts) {
        switch (service.driver()) {
            case DriverSpec.Exec exec ->
                problems.named(
                        hosts,
                        "a service with 'hosts' to use driver \"systemd\" or \"command\": driver \"exec\" launches"
                                + " and watches processes on this machine and cannot do that on a fleet host");
            case DriverSpec.Command command -> {
                if (command.status().isEmpty()) {
                    problems.named(
                            hosts,
                            "a 'status' command for a service with 'hosts' (exit 0 running, 3 stopped, as init"
                                    + " scripts do): a pidfile or proctitle_re is read on this machine, not on the"
                                    + " fleet host");
                } else if (service.identity().pidfile().isPresent()
                        || service.identity().proctitleRe().isPresent()) {
                    problems.named(
                            hosts,
                            "no 'pidfile' or 'proctitle_re' beside 'hosts': they are read on this machine, not on"
                                    + " the fleet host; its 'status' command tells the state there");
                }
            }
            case DriverSpec.Systemd systemd -> {}
        }
    }

    /** The service's table with its defaults filled in; empty when it names defaults that do not exist. */
    private Optional<Node.Table> inherit(Node.Table service, ServiceBuilder builder) {
        Fields f = new Fields(service, problems);
        if (!f.has(Key.DEFAULTS)) {
            return Optional.of(service);
        }
        Optional<String> name = f.string(Key.DEFAULTS);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Node.Table base = defaults.get(name.get());
        if (base == null) {
            String known = defaults.isEmpty()
                    ? "there are no defaults tables"
                    : "known: " + String.join(", ", defaults.keySet());
            problems.at(f.node(Key.DEFAULTS).orElseThrow(), "the name of a defaults table (" + known + ")");
            return Optional.empty();
        }
        // The defaults' own driver value is checked (and reported) with the defaults table; here it is only read.
        String driver = builder.driver(f)
                .or(() -> builder.driver(new Fields(base, new Problems(Path.of("")))))
                .orElse("exec");
        return Optional.of(Inheritance.merge(service, base, driver));
    }
}
