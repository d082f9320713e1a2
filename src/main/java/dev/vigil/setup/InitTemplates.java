package dev.vigil.setup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * {@code vigil setup init}: a commented starting configuration for one use, written where Vigil looks for its
 * configuration, never over an existing file. Every template loads with Vigil's own loader as written (a test checks
 * it), so a site starts from a file that works and edits values, not syntax.
 */
public final class InitTemplates {
    /** What the configuration is for. */
    public enum Use {
        /** Services on this machine. */
        LOCAL,
        /** Services on fleet hosts, over SSH. */
        FLEET,
        /** XRootDRestart's job: rolling restarts of cmsd and xrootd on data servers. */
        XROOTD;

        public static Use parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "local" -> LOCAL;
                case "fleet" -> FLEET;
                case "xrootd" -> XROOTD;
                default ->
                    throw new IllegalArgumentException("--use is \"" + text + "\"; expected local (services on this"
                            + " machine), fleet (services on hosts over SSH) or xrootd (rolling restarts of XRootD)");
            };
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private InitTemplates() {}

    /** What {@link #write} did. */
    public record Written(Path file, Use use, String content) {}

    /** The template for {@code use}, with Vigil's own files (known_hosts, key pair) next to {@code file}. */
    public static String text(Use use, Path file) {
        Path dir = file.toAbsolutePath().normalize().getParent();
        String body =
                switch (use) {
                    case LOCAL -> LOCAL;
                    case FLEET -> HEADER_FLEET + SSH + FLEET + ALERTS;
                    case XROOTD -> HEADER_XROOTD + SSH + XROOTD + ALERTS;
                };
        return body.replace("@DIR@", dir.toString()).replace("@USE@", use.id());
    }

    /**
     * Writes the template to {@code file}, creating its directory; refuses (and changes nothing) when the file exists.
     *
     * @throws FileAlreadyExistsException when there is a file already, whatever it holds
     */
    public static Written write(Use use, Path file) throws IOException {
        String content = text(use, file);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        // CREATE_NEW: the existence check and the creation are one step, so a file that appears meanwhile is kept
        Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        return new Written(file, use, content);
    }

    private static final String LOCAL = """
            # Vigil: services on this machine. Written by 'vigil setup init --use @USE@'; edit it, then check it with
            # 'vigil check-config'. Every key is in docs/configuration.md.

            # How often the daemon looks at every service (a duration: "500ms", "5s", "1m").
            sweep_interval = "5s"

            # Where Vigil keeps its state database, pidfiles and logs of services it starts. Default: /var/lib/vigil for
            # root, ~/.local/state/vigil for others.
            # state_dir = "/var/lib/vigil"

            # Serve Prometheus metrics on this address (loopback unless you say otherwise). Default: nowhere.
            # metrics_listen = "127.0.0.1:9850"

            # A service Vigil starts itself (driver "exec", the default): the command, as a list of words.
            [service.example]
            command = ["/bin/sh", "-c", "while :; do date; sleep 60; done"]
            # Running this long after a start counts as started; dying sooner is a failed start.
            success_seconds = "2s"
            # After SIGTERM, wait this long before SIGKILL.
            term_to_kill_seconds = "10s"

            # A systemd unit: Vigil asks systemd for its state and starts or restarts it through systemctl.
            [service.cron]
            driver = "systemd"
            # The unit; ".service" is added when there is no suffix.
            unit = "cron.service"
            # Set enabled = true to supervise it.
            enabled = false

            # Where alerts go. Without an [alerts] table, alerts are only logged.
            [alerts.sink.log]
            type = "log"
            """;

    private static final String HEADER_FLEET = """
            # Vigil: services on fleet hosts, over SSH. Written by 'vigil setup init --use @USE@'. Next: edit the hosts
            # and services, check with 'vigil check-config', then provision the hosts with 'vigil setup hosts'
            # (docs/setup.md). Every key is in docs/configuration.md and docs/fleet.md.

            # How often the daemon checks the fleet's services (and starts what must run and does not).
            fleet_check_interval = "1m"

            """;

    private static final String HEADER_XROOTD = """
            # Vigil: rolling restarts of XRootD (what XRootDRestart did). Written by 'vigil setup init --use @USE@'.
            # Next: edit the hosts, check with 'vigil check-config', provision the hosts with 'vigil setup hosts'
            # (docs/setup.md), try 'vigil rollout run xrd --dry-run'. Keys: docs/configuration.md, docs/rollouts.md.

            """;

    private static final String SSH = """
            # How Vigil reaches the hosts. 'vigil setup hosts' creates this user on every host, installs the public
            # key of this key pair for it (generated if missing) and a sudo rule for exactly the commands below.
            [ssh]
            # The account Vigil logs in as on every host (a host's own 'user' wins).
            user = "vigil"
            # Vigil's own private key (ed25519, mode 0600), made by 'vigil setup hosts' when missing.
            keys = ["@DIR@/id_ed25519"]
            # Host keys Vigil trusts; the first is the file 'vigil setup hosts' records confirmed keys in.
            known_hosts = ["@DIR@/known_hosts"]
            # "strict": a host whose key is not recorded is refused. A changed key is refused always.
            host_keys = "strict"
            # Start, stop and restart go through 'sudo -n' (the rule setup installs); status queries need none.
            sudo = true
            # Bounds: TCP connect and key exchange, and a whole remote command.
            connect_timeout = "5s"
            command_timeout = "30s"

            """;

    private static final String FLEET = """
            # The hosts, with classes that services select. A name may be a range: "web[01-04].example.org".
            [host."web[01-02].example.org"]
            classes = ["web"]

            [host."db1.example.org"]
            # The address to connect to, when the name does not resolve to it.
            # address = "10.0.0.21"
            classes = ["db"]

            # A service on every host its class expression selects ('&' and, '|' or, '!' not).
            [service.nginx]
            driver = "systemd"
            unit = "nginx.service"
            hosts = "web"

            [service.postgresql]
            driver = "systemd"
            unit = "postgresql.service"
            hosts = "db"
            """;

    private static final String XROOTD = """
            # The data servers and the redirector (XRootDRestart's "servers"; the redirector is only read, to see each
            # server log in again after its restart).
            [host."xrd[01-04].example.org"]
            classes = ["xrootd", "data"]

            [host."rdr.example.org"]
            classes = ["xrootd", "redirector"]

            # The rolling restart: on each data server in turn, stop cmsd, wait cmsd_wait, restart xrootd, start cmsd,
            # then wait until the host is healthy (both units active, logged in at the redirector) before the next.
            [rollout.xrd]
            preset = "xrootd"
            # The hosts restarted, and the redirector(s) checked (class expressions).
            hosts = "data"
            manager = "redirector"
            # XRootDRestart's cmsd_svc and xrootd_svc: the units, which its generated config left out.
            cmsd_unit = "cmsd@cluster.service"
            xrootd_unit = "xrootd@cluster.service"
            # Time between stopping cmsd (no new clients) and restarting xrootd (XRootDRestart's cmsd_wait).
            cmsd_wait = "300s"
            # Each host once per period, staggered over it (XRootDRestart's cmsd_period).
            period = "3d"
            # Never take a host down when fewer than this many would stay healthy.
            min_ok = 2
            # At most this many hosts restarting at once.
            max_parallel = 1
            # Only in these local-time windows.
            windows = ["Mon-Fri 09:00-16:00"]
            # A unit that will not stop: "alert" (NeedsReboot, stop the rollout) or "kill" (SIGKILL it and go on).
            not_stopping = "alert"
            """;

    private static final String ALERTS = """

            # Where alerts go: Alertmanager (XRootDRestart's alert_url) and the log. 'vigil setup hosts' checks that
            # each configured endpoint answers.
            [alerts.sink.am]
            type = "alertmanager"
            urls = ["http://alertmanager.example.org:9093"]

            [alerts.sink.log]
            type = "log"
            """;
}
