package dev.vigil.config.imports;

import dev.vigil.config.ConfigError;
import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigGrammar;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns an xrootdrestart.conf into Vigil TOML with the same behaviour: one {@code [host.NAME]} per server in class
 * {@code xrootd}, the {@code [ssh]} login, a {@code [rollout.xrootd]} of the {@code xrootd} preset with the file's
 * numbers, the metrics endpoint and an Alertmanager sink; and says of every option whether it means the same,
 * something different or is not needed (docs/migrating-from-xrootdrestart.md). A value Vigil cannot take (a server
 * name that is no host name, a unit name outside systemd's grammar, a number that is none) is an error with its line,
 * never emitted.
 */
public final class XrootdrestartImport {
    /** The rollout's name, the class of its hosts, and the preset it uses. */
    public static final String ROLLOUT = "xrootd";

    private static final Pattern SERVER_SEPARATORS = Pattern.compile("[,\\s]+");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern ALERTS_PATH = Pattern.compile("/api/v[12]/alerts/?$");

    private final IniFile ini;
    private final Path confDir;
    private final List<ConfigError> errors = new ArrayList<>();
    private final Map<XrootdrestartOption, IniFile.Entry> set = new EnumMap<>(XrootdrestartOption.class);
    private final Map<XrootdrestartOption, Mapping> mapped = new EnumMap<>(XrootdrestartOption.class);
    private final List<Mapping> unknown = new ArrayList<>();

    private XrootdrestartImport(IniFile ini, Path confDir) {
        this.ini = ini;
        this.confDir = confDir;
    }

    /** Reads and translates {@code file}; a file that cannot be read or used is a {@link ConfigException}. */
    public static Translation importFile(Path file) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw error(file, "no such file: give the path of xrootdrestart.conf (root's is /etc/xrootdrestart/)");
        } catch (AccessDeniedException e) {
            throw error(file, "permission denied: run as a user who can read it");
        } catch (IOException e) {
            throw error(file, "cannot be read: " + e.getMessage());
        }
        return translate(IniReader.read(file, bytes), file.toAbsolutePath().normalize());
    }

    /**
     * @param ini the options of the file
     * @param absoluteFile the file's absolute path: its directory is {@code pkey_path}'s default
     */
    public static Translation translate(IniFile ini, Path absoluteFile) throws ConfigException {
        XrootdrestartImport in = new XrootdrestartImport(ini, absoluteFile.getParent());
        in.collect();
        Toml toml = in.map();
        if (!in.errors.isEmpty()) {
            throw new ConfigException(in.errors);
        }
        List<Mapping> mappings = new ArrayList<>(in.mapped.values());
        mappings.addAll(in.unknown);
        List<String> notes = notes(toml);
        Translation draft = new Translation(ini.file(), mappings, notes, "");
        return new Translation(ini.file(), mappings, notes, toml.render(absoluteFile, draft.messages()));
    }

    private static ConfigException error(Path file, String rule) {
        return new ConfigException(List.of(new ConfigError(file, 0, "", "", rule)));
    }

    /** Which entry is which option; unknown ones and an option set under both its spellings are reported. */
    private void collect() {
        for (IniFile.Entry e : ini.entries()) {
            Optional<XrootdrestartOption> option = XrootdrestartOption.find(e.name());
            if (option.isEmpty()) {
                String hint = ConfigGrammar.closest(e.name(), XrootdrestartOption.allNames())
                        .map(n -> "; did you mean '" + n + "'?")
                        .orElse("");
                unknown.add(new Mapping(
                        e.name(),
                        e.line(),
                        e.value(),
                        Mapping.Verdict.UNKNOWN,
                        "",
                        "not an XRootDRestart option (docs/migrating-from-xrootdrestart.md lists them); not imported"
                                + hint));
                continue;
            }
            IniFile.Entry first = set.putIfAbsent(option.get(), e);
            if (first != null && !first.value().equals(e.value())) {
                errors.add(new ConfigError(
                        ini.file(),
                        e.line(),
                        e.name(),
                        TomlText.string(e.value()),
                        "also set as " + first.name() + " at line " + first.line() + " to "
                                + TomlText.string(first.value()) + "; keep one"));
            }
        }
    }

    private String value(XrootdrestartOption o) {
        return set.containsKey(o) ? set.get(o).value() : o.fallback;
    }

    private int line(XrootdrestartOption o) {
        return set.containsKey(o) ? set.get(o).line() : 0;
    }

    private String name(XrootdrestartOption o) {
        return set.containsKey(o) ? set.get(o).name() : o.id();
    }

    private void map(XrootdrestartOption o, Mapping.Verdict verdict, String vigil, String note) {
        mapped.put(o, new Mapping(name(o), line(o), value(o), verdict, vigil, note));
    }

    private void bad(XrootdrestartOption o, String rule) {
        errors.add(new ConfigError(ini.file(), line(o), name(o), TomlText.string(value(o)), rule));
    }

    /** Maps every option, recording what it became; errors for values Vigil cannot take. */
    private Toml map() {
        Toml t = new Toml();
        String rollout = "rollout." + ROLLOUT + ".";

        t.hosts = servers();
        t.user = value(XrootdrestartOption.SSH_USER).isEmpty()
                ? null
                : checked(XrootdrestartOption.SSH_USER, ConfigGrammar::isUserName, ConfigGrammar.USER_RULE);
        map(
                XrootdrestartOption.SSH_USER,
                Mapping.Verdict.SAME,
                "ssh.user",
                t.user == null ? "blank: Vigil logs in as the local user" : "");
        t.key = key();

        t.period = seconds(XrootdrestartOption.CMSD_PERIOD, 1);
        map(
                XrootdrestartOption.CMSD_PERIOD,
                Mapping.Verdict.SAME,
                rollout + "period",
                "each server once per period, staggered over it; the schedule is kept in Vigil's state database, so a"
                        + " restart of Vigil neither resets it nor restarts a server early");
        t.cmsdUnit = checked(XrootdrestartOption.CMSD_SVC, ConfigGrammar::isUnitName, ConfigGrammar.unitRule());
        map(XrootdrestartOption.CMSD_SVC, Mapping.Verdict.SAME, rollout + "cmsd_unit", "");
        t.xrootdUnit = checked(XrootdrestartOption.XROOTD_SVC, ConfigGrammar::isUnitName, ConfigGrammar.unitRule());
        map(XrootdrestartOption.XROOTD_SVC, Mapping.Verdict.SAME, rollout + "xrootd_unit", "");
        t.cmsdWait = seconds(XrootdrestartOption.CMSD_WAIT, 0);
        map(
                XrootdrestartOption.CMSD_WAIT,
                Mapping.Verdict.CHANGED,
                rollout + "cmsd_wait",
                "a fixed wait after stopping cmsd, as before, while drain_port is not set; with drain_port set (see"
                        + " the comment in [rollout.xrootd]) Vigil waits until no transfer is open on that port and"
                        + " cmsd_wait is only the longest it waits");
        t.serviceTimeout = seconds(XrootdrestartOption.SERVICE_TIMEOUT, 1);
        map(
                XrootdrestartOption.SERVICE_TIMEOUT,
                Mapping.Verdict.SAME,
                rollout + "service_timeout",
                "a unit that does not stop within it is reported (alert NeedsReboot), never skipped");
        t.minOk = number(XrootdrestartOption.MIN_OK, 0);
        map(
                XrootdrestartOption.MIN_OK,
                Mapping.Verdict.CHANGED,
                rollout + "min_ok",
                "Vigil counts the servers it observes healthy (xrootd and cmsd active) on every host right before"
                        + " each take-down, not its own failures, and keeps that count across its restarts: with fewer"
                        + " than min_ok healthy hosts it takes none down and alerts InsufficientHealthyHosts");

        metrics(t);
        t.alertUrl = alerts();
        notNeeded();
        return t;
    }

    private List<String> servers() {
        String text = value(XrootdrestartOption.SERVERS).strip();
        Map<String, String> hosts = new LinkedHashMap<>();
        List<String> twice = new ArrayList<>();
        for (String name : text.isEmpty() ? new String[0] : SERVER_SEPARATORS.split(text)) {
            if (name.isEmpty()) {
                continue;
            }
            if (!ConfigGrammar.isHostName(name)) {
                errors.add(new ConfigError(
                        ini.file(),
                        line(XrootdrestartOption.SERVERS),
                        name(XrootdrestartOption.SERVERS),
                        TomlText.string(name),
                        ConfigGrammar.HOST_RULE + ", separated by commas: this server is not imported"));
                continue;
            }
            if (hosts.putIfAbsent(name.toLowerCase(Locale.ROOT), name) != null) {
                twice.add(name);
            }
        }
        String note = hosts.isEmpty()
                ? "no servers: add a [host.NAME] table with classes = [\"" + ROLLOUT + "\"] for each"
                : twice.isEmpty() ? "" : "listed more than once, imported once: " + String.join(", ", twice);
        map(XrootdrestartOption.SERVERS, Mapping.Verdict.SAME, "host.NAME.classes", note);
        return List.copyOf(hosts.values());
    }

    /** pkey_path/pkey_name as one absolute path; empty for a blank pkey_name (no key). */
    private Optional<String> key() {
        String name = value(XrootdrestartOption.PKEY_NAME);
        String dir = value(XrootdrestartOption.PKEY_PATH);
        String dirNote =
                dir.isEmpty() ? "blank: the directory of the conf file, " + TomlText.string(confDir.toString()) : "";
        if (name.isEmpty()) {
            map(
                    XrootdrestartOption.PKEY_NAME,
                    Mapping.Verdict.SAME,
                    "ssh.keys",
                    "blank: no key configured; Vigil logs in with keys only (no password, no ssh-agent yet), so add"
                            + " keys = [\"/path/to/key\"] to [ssh]");
            map(XrootdrestartOption.PKEY_PATH, Mapping.Verdict.NOT_NEEDED, "", "pkey_name is blank: no key");
            return Optional.empty();
        }
        try {
            Path base = dir.isEmpty() ? confDir : confDir.resolve(dir);
            Path key = base.resolve(name).normalize();
            boolean relative = !dir.isEmpty()
                    && !Path.of(dir).isAbsolute()
                    && !Path.of(name).isAbsolute();
            map(XrootdrestartOption.PKEY_NAME, Mapping.Verdict.SAME, "ssh.keys", "");
            map(
                    XrootdrestartOption.PKEY_PATH,
                    Mapping.Verdict.SAME,
                    "ssh.keys",
                    relative
                            ? "relative: taken from the directory of the conf file, " + TomlText.string(key.toString())
                            : dirNote);
            return Optional.of(key.toString());
        } catch (InvalidPathException e) {
            bad(XrootdrestartOption.PKEY_NAME, "a file name with pkey_path a directory (" + e.getReason() + ")");
            return Optional.empty();
        }
    }

    private void metrics(Toml t) {
        String method = value(XrootdrestartOption.METRICS_METHOD).toUpperCase(Locale.ROOT);
        boolean push = method.equals("PUSH");
        if (!push && !method.equals("PULL")) {
            bad(XrootdrestartOption.METRICS_METHOD, "PULL or PUSH");
        }
        String port = value(XrootdrestartOption.METRICS_PORT);
        if (port.isEmpty()) {
            map(XrootdrestartOption.METRICS_PORT, Mapping.Verdict.SAME, "metrics_listen", "blank: no metrics endpoint");
        } else {
            int p = number(XrootdrestartOption.METRICS_PORT, 1);
            if (p > 65535) {
                bad(XrootdrestartOption.METRICS_PORT, "a port from 1 to 65535");
            }
            t.metricsListen = "127.0.0.1:" + p;
            map(
                    XrootdrestartOption.METRICS_PORT,
                    Mapping.Verdict.CHANGED,
                    "metrics_listen",
                    "Vigil serves /metrics on 127.0.0.1 only (XRootDRestart listened on every address): run"
                            + " Prometheus on this host or put a TLS/auth proxy in front; metric names change from"
                            + " xrootdrestart_* to vigil_rollout_*");
        }
        String pushNote = "Vigil's daemon does not push: Prometheus scrapes its metrics_listen, which a Pushgateway"
                + " would make worse (a dead daemon's last push stays forever, docs/metrics.md); the only push is"
                + " `vigil check --push URL`, one cron run's service findings (job vigil, instance = host), not"
                + " rollout metrics";
        if (push) {
            map(XrootdrestartOption.METRICS_METHOD, Mapping.Verdict.NOT_NEEDED, "metrics_listen", pushNote);
            map(XrootdrestartOption.PUSHGW_URL, Mapping.Verdict.NOT_NEEDED, "", pushNote);
        } else {
            map(
                    XrootdrestartOption.METRICS_METHOD,
                    Mapping.Verdict.SAME,
                    "metrics_listen",
                    "PULL: Prometheus scrapes the daemon");
            map(
                    XrootdrestartOption.PUSHGW_URL,
                    Mapping.Verdict.NOT_NEEDED,
                    "",
                    "only used with metrics_method = PUSH; Vigil's daemon is scraped");
        }
    }

    /** The Alertmanager base URL; null for a blank alert_url (no alerts, no sink). */
    private String alerts() {
        String url = value(XrootdrestartOption.ALERT_URL);
        if (url.isEmpty()) {
            map(
                    XrootdrestartOption.ALERT_URL,
                    Mapping.Verdict.SAME,
                    "alerts.sink.alertmanager",
                    "blank: no alerts, so no sink (Vigil still logs its alerts)");
            return null;
        }
        if (!ConfigGrammar.isHttpUrl(url)) {
            bad(
                    XrootdrestartOption.ALERT_URL,
                    "an absolute http or https URL of Alertmanager, such as"
                            + " \"http://localhost:9093\", or blank for no alerts");
            return null;
        }
        String base = ALERTS_PATH.matcher(url).replaceFirst("");
        map(
                XrootdrestartOption.ALERT_URL,
                Mapping.Verdict.CHANGED,
                "alerts.sink.alertmanager.urls",
                (base.equals(url) ? "" : "the base URL; Vigil adds /api/v2/alerts itself; ")
                        + "alert names change (ALERT_XROOTDRESTART_CONNECT_ERROR is RolloutConnectError,"
                        + " ..._RESTART_ERROR RolloutRestartError, ..._INSUFFICIENT_SERVERS InsufficientHealthyHosts;"
                        + " new: NeedsReboot, RolloutStalled): update Alertmanager routes that match alertname;"
                        + " Vigil resolves an alert when its cause is gone, and re-sends it while it lasts");
        return base;
    }

    private void notNeeded() {
        String cluster = value(XrootdrestartOption.CLUSTER_ID);
        map(
                XrootdrestartOption.CLUSTER_ID,
                Mapping.Verdict.NOT_NEEDED,
                "",
                "Vigil's metrics have no cluster label: add it in Prometheus, with global.external_labels"
                        + " (cluster: " + TomlText.string(cluster) + ") or, on Vigil's scrape job, relabel_configs"
                        + " [{target_label: cluster, replacement: " + TomlText.string(cluster) + "}]; the metric names"
                        + " change from xrootdrestart_* to vigil_rollout_* (docs/migrating-from-xrootdrestart.md)");
        String level = value(XrootdrestartOption.LOG_LEVEL).toUpperCase(Locale.ROOT);
        String logback =
                switch (level) {
                    case "WARNING" -> "WARN";
                    case "CRITICAL", "FATAL" -> "ERROR";
                    default -> level;
                };
        map(
                XrootdrestartOption.LOG_LEVEL,
                Mapping.Verdict.NOT_NEEDED,
                "",
                "the daemon logs at INFO; for another level set VIGIL_LOG_LEVEL in its environment"
                        + (logback.equals("INFO") || logback.isEmpty()
                                ? " (TRACE, DEBUG, INFO, WARN or ERROR)"
                                : ", here VIGIL_LOG_LEVEL=" + TomlText.comment(logback)
                                        + " (Environment= in the systemd unit)"));
        if (set.containsKey(XrootdrestartOption.PROM_URL)) {
            map(
                    XrootdrestartOption.PROM_URL,
                    Mapping.Verdict.NOT_NEEDED,
                    "",
                    "Vigil does not talk to Prometheus; Prometheus scrapes Vigil");
        }
    }

    /** The option's value if {@code valid} accepts it; else an error and null. */
    private String checked(XrootdrestartOption o, java.util.function.Predicate<String> valid, String rule) {
        String v = value(o);
        if (!valid.test(v)) {
            bad(o, rule);
            return null;
        }
        return v;
    }

    /** A whole number of at least {@code min}; else an error and {@code min}. */
    private int number(XrootdrestartOption o, int min) {
        String v = value(o);
        if (!DIGITS.matcher(v).matches() || Integer.parseInt(v) < min) {
            bad(o, "a whole number" + (min > 0 ? " of at least " + min : "") + ", such as " + o.fallback);
            return min;
        }
        return Integer.parseInt(v);
    }

    /** A whole number of seconds as a Vigil duration. */
    private String seconds(XrootdrestartOption o, int min) {
        String v = value(o);
        if (!DIGITS.matcher(v).matches() || Integer.parseInt(v) < min) {
            bad(o, "a whole number of seconds" + (min > 0 ? " of at least " + min : "") + ", such as " + o.fallback);
            return min + "s";
        }
        return Integer.parseInt(v) + "s";
    }

    private static List<String> notes(Toml t) {
        List<String> notes = new ArrayList<>();
        notes.add("[ssh] host_keys = \"strict\": XRootDRestart accepted any host key (paramiko AutoAddPolicy); Vigil"
                + " refuses a host whose key is not in known_hosts. Record each server's key after checking its"
                + " fingerprint (ssh-keyscan HOST >> /etc/vigil/known_hosts), or set host_keys = \"accept-new\" to"
                + " record them at the first connection; a changed key is always refused");
        notes.add("[ssh] sudo = true: Vigil runs only systemctl start, stop and restart of the units through sudo -n"
                + " (status needs none); XRootDRestart's setup allowed all of systemctl, and a rule for these verbs"
                + " on " + TomlText.comment(t.cmsdUnit == null ? "" : t.cmsdUnit) + " and "
                + TomlText.comment(t.xrootdUnit == null ? "" : t.xrootdUnit) + " is enough");
        notes.add("[rollout.xrootd] on_failure = \"pause\": a failed step stops the rollout, brings back what it"
                + " stopped on that host, alerts, and waits for `vigil rollout resume " + ROLLOUT + "`; try it with"
                + " `vigil rollout run " + ROLLOUT + " --dry-run` first");
        return notes;
    }

    /** The values the TOML is written from. */
    private static final class Toml {
        List<String> hosts = List.of();
        String user;
        Optional<String> key = Optional.empty();
        String period;
        String cmsdUnit;
        String xrootdUnit;
        String cmsdWait;
        String serviceTimeout;
        int minOk;
        String metricsListen;
        String alertUrl;

        String render(Path file, List<String> messages) {
            TomlWriter w = new TomlWriter();
            w.comment("Vigil configuration made by `vigil import xrootdrestart` from", 0);
            w.comment(file.toString(), 0);
            w.comment("Review it before use; docs/migrating-from-xrootdrestart.md explains every option.", 0);
            if (!messages.isEmpty()) {
                w.comment("", 0);
                w.comment("Notes:", 0);
                for (String m : messages) {
                    w.comment("- " + m, 2);
                }
            }
            if (metricsListen != null) {
                w.blank();
                w.set("metrics_listen", TomlText.string(metricsListen), "metrics_port; loopback only");
            }
            w.table("", "ssh");
            if (user != null) {
                w.set("user", TomlText.string(user), "ssh_user");
            }
            key.ifPresent(k -> w.set("keys", TomlText.strings(List.of(k)), "pkey_path/pkey_name"));
            w.set("sudo", "true", "XRootDRestart ran systemctl through sudo");
            w.set("host_keys", TomlText.string("strict"), "XRootDRestart accepted any host key: see above");
            for (String host : hosts) {
                w.table("servers", "host", host);
                w.set("classes", TomlText.strings(List.of(ROLLOUT)), "");
            }
            w.table("", "rollout", ROLLOUT);
            w.set(
                    "preset",
                    TomlText.string(ROLLOUT),
                    "XRootDRestart's steps: stop cmsd, wait, restart xrootd, start cmsd");
            w.set("hosts", TomlText.string(ROLLOUT), "the class of the servers above");
            w.set("period", TomlText.string(period), "cmsd_period");
            w.set("max_parallel", "1", "one server at a time, as XRootDRestart");
            w.set("min_ok", Integer.toString(minOk), "min_ok: hosts observed healthy, see above");
            w.set("healthy", TomlText.strings(List.of(xrootdUnit, cmsdUnit)), "what a healthy host runs");
            w.set("on_failure", TomlText.string("pause"), "see above");
            w.set("cmsd_unit", TomlText.string(cmsdUnit), "cmsd_svc");
            w.set("xrootd_unit", TomlText.string(xrootdUnit), "xrootd_svc");
            w.set("cmsd_wait", TomlText.string(cmsdWait), "cmsd_wait");
            w.set("service_timeout", TomlText.string(serviceTimeout), "service_timeout");
            w.comment(
                    "drain_port = 1094  # wait for transfers to drain instead of the fixed cmsd_wait, which then bounds it",
                    0);
            if (alertUrl != null) {
                w.table("alert_url", "alerts", "sink", "alertmanager");
                w.set("type", TomlText.string("alertmanager"), "");
                w.set("urls", TomlText.strings(List.of(alertUrl)), "");
            }
            return w.toString();
        }
    }
}
