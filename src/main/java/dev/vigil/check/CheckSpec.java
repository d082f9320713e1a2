package dev.vigil.check;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * What one health check of a service measures, as configured ({@code [[service.NAME.check]]}, see docs/checks.md).
 * Immutable; every record validates itself, so a spec that exists is one that can run. Validation errors name the
 * check, the key as written in TOML, the rule and the value found; the config loader adds file and line.
 */
public sealed interface CheckSpec {

    /** Default {@code interval}: how often a check runs. */
    Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);

    /** Default {@code timeout}: how long one run may take before it counts as a failure. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Default {@code ok_statuses} of an HTTP check: success and redirection (redirects are not followed). */
    Set<Integer> DEFAULT_OK_STATUSES = IntStream.rangeClosed(200, 399).boxed().collect(Collectors.toUnmodifiableSet());

    /** Keys every check table accepts. */
    List<String> COMMON_KEYS = List.of("name", "type", "interval", "timeout", "failures", "within", "on_failure");

    /**
     * The keys of each check type besides {@link #COMMON_KEYS}, by the value of {@code type}: the one list that the
     * config loader's unknown-key detection and the documentation test read.
     */
    Map<String, List<String>> TYPE_KEYS = typeKeys();

    /** Settings every check has. */
    Common common();

    /** The value of {@code type} in TOML for this kind of check. */
    String type();

    default String name() {
        return common().name();
    }

    /** What a check does once it trips: restart the service (usrsvc's behaviour), or only alert. */
    enum OnFailure {
        RESTART,
        ALERT
    }

    /**
     * How many failures are tolerated: the check trips at the {@code failures}-th failure within {@code within}, with
     * no success in between (a success resets the count). {@code 1 within interval} trips at the first failure.
     */
    record Tolerance(int failures, Duration within) {
        public Tolerance {
            if (failures < 1) {
                throw new IllegalArgumentException("failures must be at least 1, got " + failures);
            }
            requirePositive("within", within);
        }

        /** Trip at the first failure (the default). */
        public static Tolerance firstFailure(Duration interval) {
            return new Tolerance(1, interval);
        }
    }

    /**
     * Settings shared by every check type.
     *
     * @param name unique among the service's checks; appears in every message and metric
     * @param interval time between the starts of two runs
     * @param timeout the longest one run may take; at most {@code interval}, so runs of one check never overlap
     * @param tolerance failures tolerated before the check trips
     * @param onFailure what tripping does
     */
    record Common(String name, Duration interval, Duration timeout, Tolerance tolerance, OnFailure onFailure) {
        public Common {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("check name must not be blank, got '" + name + "'");
            }
            requirePositive(name + ": interval", interval);
            requirePositive(name + ": timeout", timeout);
            if (timeout.compareTo(interval) > 0) {
                throw new IllegalArgumentException(name + ": timeout (" + Describe.duration(timeout)
                        + ") must not exceed interval (" + Describe.duration(interval) + ")");
            }
            if (tolerance == null || onFailure == null) {
                throw new IllegalArgumentException(name + ": tolerance and on_failure are required");
            }
        }

        /** Every default: every 30s, 5s timeout, trip at the first failure, restart. */
        public static Common defaults(String name) {
            return new Common(
                    name,
                    DEFAULT_INTERVAL,
                    DEFAULT_TIMEOUT,
                    Tolerance.firstFailure(DEFAULT_INTERVAL),
                    OnFailure.RESTART);
        }

        /** The same with another interval and timeout; a default tolerance follows the new interval. */
        public Common every(Duration newInterval, Duration newTimeout) {
            Tolerance t = tolerance.failures() == 1 ? Tolerance.firstFailure(newInterval) : tolerance;
            return new Common(name, newInterval, newTimeout, t, onFailure);
        }

        public Common tolerating(Tolerance newTolerance) {
            return new Common(name, interval, timeout, newTolerance, onFailure);
        }

        public Common onFailure(OnFailure action) {
            return new Common(name, interval, timeout, tolerance, action);
        }
    }

    /**
     * Resident memory of the service's process (VmRSS: anonymous, file-backed and shared pages resident now) must stay
     * at most {@code limitBytes}. With {@code includeChildren} the RSS of every descendant is added, so a forking
     * server cannot hide its workers' memory (shared pages then count once per process).
     */
    record Rss(Common common, long limitBytes, boolean includeChildren) implements CheckSpec {
        public Rss {
            if (limitBytes <= 0) {
                throw new IllegalArgumentException(
                        common.name() + ": limit must be a positive number of bytes, got " + limitBytes);
            }
        }

        @Override
        public String type() {
            return "rss";
        }
    }

    /**
     * {@code path} must have been modified within {@code maxAge}. For a directory, the newest modification time of the
     * directory itself and its direct entries counts (not recursive). A missing path is a failure.
     */
    record ActivityFile(Common common, Path path, Duration maxAge) implements CheckSpec {
        public ActivityFile {
            if (path == null || !path.isAbsolute()) {
                throw new IllegalArgumentException(common.name() + ": path must be absolute, got '" + path + "'");
            }
            requirePositive(common.name() + ": max_age", maxAge);
        }

        @Override
        public String type() {
            return "activity_file";
        }
    }

    /** A TCP connection to {@code host:port} must succeed within the timeout; it is closed at once. */
    record Tcp(Common common, String host, int port) implements CheckSpec {
        public Tcp {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException(common.name() + ": host must not be blank");
            }
            requirePort(common.name(), port);
        }

        @Override
        public String type() {
            return "tcp";
        }
    }

    /**
     * A GET of {@code url} must answer with a status in {@code okStatuses} within the timeout (connect, headers and
     * body together), and, when {@code bodyMatch} is given, the first {@link HttpCheck#BODY_LIMIT} bytes of the body
     * must contain a match. Redirects are followed only with {@code followRedirects}. {@code tlsVerify = false}
     * accepts any certificate and host name (self-signed endpoints); use it only on trusted networks.
     */
    record Http(
            Common common,
            URI url,
            Set<Integer> okStatuses,
            Optional<Pattern> bodyMatch,
            boolean tlsVerify,
            boolean followRedirects)
            implements CheckSpec {
        public Http {
            String name = common.name();
            if (url == null
                    || url.getHost() == null
                    || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new IllegalArgumentException(
                        name + ": url must be an http:// or https:// URL with a host, got '" + url + "'");
            }
            okStatuses = Set.copyOf(okStatuses);
            if (okStatuses.isEmpty()) {
                throw new IllegalArgumentException(name + ": ok_statuses must not be empty");
            }
            for (int status : okStatuses) {
                if (status < 100 || status > 599) {
                    throw new IllegalArgumentException(
                            name + ": ok_statuses must be HTTP statuses 100-599, got " + status);
                }
            }
        }

        /** The defaults: 200-399, any body, certificates verified, redirects not followed. */
        public Http(Common common, URI url) {
            this(common, url, DEFAULT_OK_STATUSES, Optional.empty(), true, false);
        }

        @Override
        public String type() {
            return "http";
        }
    }

    /**
     * {@code argv} is run through the service's shell with {@code env} added to its environment and must exit with
     * status 0 within the timeout.
     */
    record CommandCheck(Common common, List<String> argv, Map<String, String> env) implements CheckSpec {
        private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

        public CommandCheck {
            argv = List.copyOf(argv);
            if (argv.isEmpty() || argv.getFirst().isBlank()) {
                throw new IllegalArgumentException(common.name() + ": command must name a program, got " + argv);
            }
            env = new TreeMap<>(env);
            for (String key : env.keySet()) {
                if (!ENV_NAME.matcher(key).matches()) {
                    throw new IllegalArgumentException(common.name()
                            + ": env names must be letters, digits and '_', not starting with a digit; got '" + key
                            + "'");
                }
            }
            env = Collections.unmodifiableMap(env);
        }

        @Override
        public String type() {
            return "command";
        }
    }

    /**
     * CPU time (user + system, from /proc/PID/stat) of the service's process. Without {@code perInterval}: the total
     * since the process started must stay at most {@code limit}. With {@code perInterval}: a rate, at most {@code
     * limit} of CPU per {@code perInterval} of wall time ({@code 30s} per {@code 1m} = half a core), measured between
     * two runs of the check on the same process; the first run on a process only takes a baseline.
     */
    record CpuTime(Common common, Duration limit, Optional<Duration> perInterval) implements CheckSpec {
        public CpuTime {
            requirePositive(common.name() + ": limit", limit);
            perInterval.ifPresent(p -> requirePositive(common.name() + ": per", p));
        }

        @Override
        public String type() {
            return "cpu";
        }
    }

    private static void requirePositive(String what, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(
                    what + " must be a positive duration, got " + (value == null ? "none" : Describe.duration(value)));
        }
    }

    private static void requirePort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + ": port must be 1-65535, got " + port);
        }
    }

    private static Map<String, List<String>> typeKeys() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("rss", List.of("limit", "include_children"));
        keys.put("activity_file", List.of("path", "max_age"));
        keys.put("tcp", List.of("host", "port"));
        keys.put("http", List.of("url", "ok_statuses", "body_match", "tls_verify", "follow_redirects"));
        keys.put("command", List.of("command", "env"));
        keys.put("cpu", List.of("limit", "per"));
        return Collections.unmodifiableMap(keys);
    }
}
