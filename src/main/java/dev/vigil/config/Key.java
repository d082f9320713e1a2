package dev.vigil.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Every configuration key Vigil knows: the one list that unknown-key detection, usrsvc name translation and the
 * documentation test all use, so a key cannot be added to one and forgotten in another.
 */
enum Key {
    INCLUDE(Scope.TOP, "include", "config_dir"),
    STATE_DIR(Scope.TOP, "state_dir"),
    DAEMON_PIDFILE(Scope.TOP, "pidfile", "pidfile"),
    LOG_STDOUT(Scope.TOP, "log_stdout", "usrsvcd_stdout"),
    LOG_STDERR(Scope.TOP, "log_stderr", "usrsvcd_stderr"),
    SENDMAIL_PATH(Scope.TOP, "sendmail_path", "sendmail_path"),
    SWEEP_INTERVAL(Scope.TOP, "sweep_interval"),
    CONTROL_SOCKET(Scope.TOP, "control_socket"),
    EVENT_RETENTION(Scope.TOP, "event_retention"),
    LOG_FORMAT(Scope.TOP, "log_format"),
    METRICS_LISTEN(Scope.TOP, "metrics_listen"),
    SERVICE_TABLES(Scope.TOP, "service"),
    DEFAULTS_TABLES(Scope.TOP, "defaults"),
    ALERTS(Scope.TOP, "alerts"),
    HOST_TABLES(Scope.TOP, "host"),
    HOSTGROUP_TABLES(Scope.TOP, "hostgroup"),
    SSH(Scope.TOP, "ssh"),
    FLEET_CHECK_INTERVAL(Scope.TOP, "fleet_check_interval"),
    ROLLOUT_TABLES(Scope.TOP, "rollout"),

    DRIVER(Scope.SERVICE, "driver"),
    COMMAND(Scope.SERVICE, Drivers.EXEC, "command", "command"),
    SHELL(Scope.SERVICE, Drivers.EXEC, "shell", "useshell"),
    STDOUT(Scope.SERVICE, Drivers.EXEC, "stdout", "stdout"),
    STDERR(Scope.SERVICE, Drivers.EXEC, "stderr", "stderr"),
    KILL_PROCESS_GROUP(Scope.SERVICE, Drivers.EXEC, "kill_process_group"),
    ENV(Scope.SERVICE, Drivers.EXEC_OR_COMMAND, "env", "Env"),
    INHERIT_ENV(Scope.SERVICE, Drivers.EXEC_OR_COMMAND, "inherit_env", "inherit_env"),
    WORKING_DIRECTORY(Scope.SERVICE, Drivers.EXEC_OR_COMMAND, "working_directory"),
    START(Scope.SERVICE, Drivers.COMMAND, "start"),
    STOP(Scope.SERVICE, Drivers.COMMAND, "stop"),
    RESTART(Scope.SERVICE, Drivers.COMMAND, "restart"),
    STATUS(Scope.SERVICE, Drivers.COMMAND, "status"),
    TIMEOUT(Scope.SERVICE, Drivers.COMMAND_OR_SYSTEMD, "timeout"),
    UNIT(Scope.SERVICE, Drivers.SYSTEMD, "unit"),
    USER_MANAGER(Scope.SERVICE, Drivers.SYSTEMD, "user_manager"),
    PIDFILE(Scope.SERVICE, Drivers.EXEC_OR_COMMAND, "pidfile", "pidfile"),
    AUTOPID(Scope.SERVICE, Drivers.EXEC_OR_COMMAND, "autopid", "autopid"),
    SCAN_FOR_PROCESS(Scope.SERVICE, Drivers.EXEC_OR_COMMAND, "scan_for_process", "scan_for_process"),
    PROCTITLE_RE(Scope.SERVICE, Drivers.EXEC_OR_COMMAND, "proctitle_re", "proctitle_re"),
    ENABLED(Scope.SERVICE, Drivers.ALL, "enabled", "enabled"),
    AUTOSTART(Scope.SERVICE, Drivers.ALL, "autostart", "autostart"),
    AUTORESTART(Scope.SERVICE, Drivers.ALL, "autorestart", "autorestart"),
    MAX_RESTARTS(Scope.SERVICE, Drivers.ALL, "max_restarts", "maxrestarts", "max_restarts"),
    RESTART_DELAY(Scope.SERVICE, Drivers.ALL, "restart_delay", "restart_delay"),
    SUCCESS_SECONDS(Scope.SERVICE, Drivers.ALL, "success_seconds", "success_seconds"),
    TERM_TO_KILL_SECONDS(Scope.SERVICE, Drivers.ALL, "term_to_kill_seconds", "term_to_kill_seconds"),
    EMAIL_ALERTS(Scope.SERVICE, Drivers.ALL, "email_alerts", "email_alerts"),
    CONFIRM(Scope.SERVICE, Drivers.ALL, "confirm"),
    CONFIRM_INTERVAL(Scope.SERVICE, Drivers.ALL, "confirm_interval"),
    BACKOFF_FACTOR(Scope.SERVICE, Drivers.ALL, "backoff_factor"),
    BACKOFF_MAX(Scope.SERVICE, Drivers.ALL, "backoff_max"),
    STABLE_AFTER(Scope.SERVICE, Drivers.ALL, "stable_after"),
    RESTART_WINDOW(Scope.SERVICE, Drivers.ALL, "restart_window"),
    GIVE_UP_FOR(Scope.SERVICE, Drivers.ALL, "give_up_for"),
    SUCCESS_EXIT_CODES(Scope.SERVICE, Drivers.EXEC, "success_exit_codes"),
    REQUIRES(Scope.SERVICE, Drivers.ALL, "requires"),
    AFTER(Scope.SERVICE, Drivers.ALL, "after"),
    GROUPS(Scope.SERVICE, Drivers.ALL, "groups"),
    CHECKS(Scope.SERVICE, Drivers.ALL, "check"),
    DEFAULTS(Scope.SERVICE, Drivers.ALL, "defaults", "defaults"),
    MONITOR(Scope.SERVICE, Drivers.ALL, "monitor", "Monitor", "Monitoring"),
    HOSTS(Scope.SERVICE, Drivers.ALL, "hosts"),

    HOST_ADDRESS(Scope.HOST, "address"),
    HOST_PORT(Scope.HOST, "port"),
    HOST_USER(Scope.HOST, "user"),
    HOST_KEY(Scope.HOST, "key"),
    HOST_CLASSES(Scope.HOST, "classes"),

    GROUP_HOSTS(Scope.HOSTGROUP, "hosts"),
    GROUP_CLASSES(Scope.HOSTGROUP, "classes"),

    SSH_KNOWN_HOSTS(Scope.SSH, "known_hosts"),
    SSH_HOST_KEYS(Scope.SSH, "host_keys"),
    SSH_CONNECT_TIMEOUT(Scope.SSH, "connect_timeout"),
    SSH_AUTH_TIMEOUT(Scope.SSH, "auth_timeout"),
    SSH_COMMAND_TIMEOUT(Scope.SSH, "command_timeout"),
    SSH_KEEP_ALIVE(Scope.SSH, "keep_alive"),
    SSH_IDLE_EXPIRY(Scope.SSH, "idle_expiry"),
    SSH_FANOUT(Scope.SSH, "fanout"),
    SSH_USER(Scope.SSH, "user"),
    SSH_KEYS(Scope.SSH, "keys"),
    SSH_PASSPHRASE_FILE(Scope.SSH, "passphrase_file"),
    SSH_USE_AGENT(Scope.SSH, "use_agent"),
    SSH_SUDO(Scope.SSH, "sudo"),

    ROLLOUT_PRESET(Scope.ROLLOUT, "preset"),
    ROLLOUT_HOSTS(Scope.ROLLOUT, "hosts"),
    ROLLOUT_PERIOD(Scope.ROLLOUT, "period"),
    ROLLOUT_WINDOWS(Scope.ROLLOUT, "windows"),
    ROLLOUT_MAX_PARALLEL(Scope.ROLLOUT, "max_parallel"),
    ROLLOUT_MIN_OK(Scope.ROLLOUT, "min_ok"),
    ROLLOUT_HEALTHY(Scope.ROLLOUT, "healthy"),
    ROLLOUT_ON_FAILURE(Scope.ROLLOUT, "on_failure"),
    ROLLOUT_STAY_HEALTHY(Scope.ROLLOUT, "stay_healthy"),
    ROLLOUT_HEALTH_DEADLINE(Scope.ROLLOUT, "health_deadline"),
    ROLLOUT_RETRIES(Scope.ROLLOUT, "retries"),
    ROLLOUT_NOT_STOPPING(Scope.ROLLOUT, "not_stopping"),
    ROLLOUT_CMSD_UNIT(Scope.ROLLOUT, "cmsd_unit"),
    ROLLOUT_XROOTD_UNIT(Scope.ROLLOUT, "xrootd_unit"),
    ROLLOUT_CMSD_WAIT(Scope.ROLLOUT, "cmsd_wait"),
    ROLLOUT_DRAIN_PORT(Scope.ROLLOUT, "drain_port"),
    ROLLOUT_SERVICE_TIMEOUT(Scope.ROLLOUT, "service_timeout"),
    ROLLOUT_MANAGER(Scope.ROLLOUT, "manager"),
    ROLLOUT_STEPS(Scope.ROLLOUT, "step"),
    ROLLOUT_SCHEDULE(Scope.ROLLOUT, "schedule"),

    STEP_ACTION(Scope.STEP, "action"),
    STEP_UNIT(Scope.STEP, "unit"),
    STEP_TIMEOUT(Scope.STEP, "timeout"),
    STEP_DURATION(Scope.STEP, "duration"),
    STEP_UNTIL(Scope.STEP, "until"),
    STEP_PORT(Scope.STEP, "port"),
    STEP_COMMAND(Scope.STEP, "command"),
    STEP_INTERVAL(Scope.STEP, "interval"),

    MONITOR_AFTER(Scope.MONITOR, "monitor_after", "monitor_after"),
    ACTIVITY_FILE(Scope.MONITOR, "activity_file", "activityfile"),
    ACTIVITY_FILE_LIMIT(Scope.MONITOR, "activity_file_limit", "activityfile_limit"),
    RSS_LIMIT(Scope.MONITOR, "rss_limit", "rss_limit"),

    RESEND_INTERVAL(Scope.ALERTS, "resend_interval"),
    EVENT_LIFETIME(Scope.ALERTS, "event_lifetime"),
    DEFAULT_SINKS(Scope.ALERTS, "default_sinks"),
    EMAIL_VIA(Scope.ALERTS, "email_via"),
    SINKS_TABLES(Scope.ALERTS, "sink"),
    ROUTES(Scope.ALERTS, "route"),

    SINK_TYPE(Scope.SINK, SinkTypes.ALL, "type"),
    SINK_URLS(Scope.SINK, SinkTypes.ALERTMANAGER, "urls"),
    SINK_URL(Scope.SINK, SinkTypes.WEBHOOK, "url"),
    SINK_BEARER_TOKEN(Scope.SINK, SinkTypes.WEBHOOK, "bearer_token"),
    SINK_BEARER_TOKEN_FILE(Scope.SINK, SinkTypes.WEBHOOK, "bearer_token_file"),
    SINK_TIMEOUT(Scope.SINK, SinkTypes.NETWORK, "timeout"),
    SINK_HOST(Scope.SINK, SinkTypes.MAIL, "host"),
    SINK_PORT(Scope.SINK, SinkTypes.MAIL, "port"),
    SINK_STARTTLS(Scope.SINK, SinkTypes.MAIL, "starttls"),
    SINK_USERNAME(Scope.SINK, SinkTypes.MAIL, "username"),
    SINK_PASSWORD(Scope.SINK, SinkTypes.MAIL, "password"),
    SINK_PASSWORD_FILE(Scope.SINK, SinkTypes.MAIL, "password_file"),
    SINK_FROM(Scope.SINK, SinkTypes.MAIL, "from"),
    SINK_TO(Scope.SINK, SinkTypes.MAIL, "to"),

    ROUTE_SERVICE(Scope.ROUTE, "service"),
    ROUTE_ALERTNAME(Scope.ROUTE, "alertname"),
    ROUTE_SINKS(Scope.ROUTE, "sinks");

    /** The tables keys live in. */
    enum Scope {
        TOP,
        SERVICE,
        MONITOR,
        /** {@code [alerts]} itself. */
        ALERTS,
        /** {@code [alerts.sink.NAME]}: {@link #drivers} holds the sink types a key applies to. */
        SINK,
        /** {@code [[alerts.route]]}. */
        ROUTE,
        /** {@code [host.NAME]} (docs/fleet.md). */
        HOST,
        /** {@code [hostgroup.NAME]}. */
        HOSTGROUP,
        /** {@code [ssh]}: how fleet hosts are reached. */
        SSH,
        /** {@code [rollout.NAME]} (docs/rollouts.md). */
        ROLLOUT,
        /** {@code [[rollout.NAME.step]]}. */
        STEP
    }

    /** Driver names, and the sets of drivers a key applies to. */
    static final class Drivers {
        static final Set<String> EXEC = Set.of("exec");
        static final Set<String> COMMAND = Set.of("command");
        static final Set<String> SYSTEMD = Set.of("systemd");
        static final Set<String> EXEC_OR_COMMAND = Set.of("exec", "command");
        static final Set<String> COMMAND_OR_SYSTEMD = Set.of("command", "systemd");
        static final Set<String> ALL = Set.of("exec", "command", "systemd");

        private Drivers() {}
    }

    /** Sink types ({@code [alerts.sink.NAME]} {@code type}), and the sets of types a sink key applies to. */
    static final class SinkTypes {
        static final Set<String> ALERTMANAGER = Set.of("alertmanager");
        static final Set<String> WEBHOOK = Set.of("webhook");
        static final Set<String> MAIL = Set.of("mail");
        static final Set<String> NETWORK = Set.of("alertmanager", "webhook", "mail");
        static final Set<String> ALL = Set.of("alertmanager", "webhook", "mail", "log");

        private SinkTypes() {}
    }

    final Scope scope;
    final Set<String> drivers;
    /** The name in Vigil's TOML. */
    final String id;
    /** The names usrsvc uses for the same setting (usrsvc files also accept {@link #id}). */
    final List<String> usrsvc;

    Key(Scope scope, String id, String... usrsvc) {
        this(scope, Drivers.ALL, id, usrsvc);
    }

    Key(Scope scope, Set<String> drivers, String id, String... usrsvc) {
        this.scope = scope;
        this.drivers = drivers;
        this.id = id;
        this.usrsvc = List.of(usrsvc);
    }

    /** The key called {@code name} in {@code scope}, by its Vigil name or (in a usrsvc file) a usrsvc name. */
    static Optional<Key> find(Scope scope, String name, boolean usrsvc) {
        return Stream.of(values())
                .filter(k -> k.scope == scope && (k.id.equals(name) || usrsvc && k.usrsvc.contains(name)))
                .findFirst();
    }

    /** The name to show for this key in a message about a file of the given format. */
    String shown(boolean usrsvc) {
        return usrsvc && !this.usrsvc.isEmpty() ? this.usrsvc.getFirst() : id;
    }

    /**
     * The rule for an unknown key: close valid names when there are some (typos), otherwise where the list is. Only
     * names that apply to {@code driver} are suggested.
     */
    static String unknown(Scope scope, String name, boolean usrsvc, String driver) {
        List<String> names = new ArrayList<>();
        for (Key k : values()) {
            if (k.scope == scope && k.drivers.contains(driver)) {
                names.add(k.id);
                if (usrsvc) {
                    names.addAll(k.usrsvc);
                }
            }
        }
        return unknown(name, names);
    }

    /** The rule for an unknown key {@code name} where {@code names} are the valid ones. */
    static String unknown(String name, List<String> names) {
        List<String> close = names.stream()
                .distinct()
                .filter(n ->
                        distance(n, name) <= Math.max(2, name.length() / 3) || n.contains(name) && name.length() > 2)
                .sorted(Comparator.comparingInt((String n) -> distance(n, name)).thenComparing(n -> n))
                .limit(3)
                .map(n -> "'" + n + "'")
                .toList();
        String where = "unknown key '" + name + "'";
        return close.isEmpty()
                ? where + "; docs/configuration.md lists the valid keys"
                : where + "; did you mean " + String.join(" or ", close) + "?";
    }

    /** Levenshtein distance: small for the typos people make in key names. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
