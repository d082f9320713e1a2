package dev.vigil.config;

import dev.vigil.fleet.ssh.SshSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings that are not about one service.
 *
 * @param stateDir Vigil's own files: default pidfiles, identity records, later the state database
 * @param daemonPidfile where the daemon records its pid (usrsvc's [Main] pidfile)
 * @param daemonStdout the daemon's log file, when not the terminal (usrsvc's usrsvcd_stdout)
 * @param daemonStderr the daemon's error log (usrsvc's usrsvcd_stderr); equal to daemonStdout for "stdout"
 * @param sendmailPath the sendmail program for email alerts; empty = look in the usual places
 * @param sweepInterval time between two sweeps of the daemon over every service
 * @param controlSocket the Unix socket the daemon listens on for the command line
 * @param eventRetention events older than this are deleted from the state database
 * @param logFormat how the daemon writes its log lines
 * @param metricsListen where the daemon serves Prometheus metrics; empty = nowhere
 * @param alerts where alerts go ({@code [alerts]}, with usrsvc's {@code email_alerts} added)
 * @param ssh how fleet hosts are reached ({@code [ssh]}, docs/fleet.md)
 * @param fleetCheckInterval time between two checks of the fleet by the daemon
 */
public record Settings(
        Path stateDir,
        Optional<Path> daemonPidfile,
        Optional<Path> daemonStdout,
        Optional<Path> daemonStderr,
        Optional<Path> sendmailPath,
        Duration sweepInterval,
        Path controlSocket,
        Duration eventRetention,
        LogFormat logFormat,
        Optional<Listen> metricsListen,
        AlertsSpec alerts,
        SshSettings ssh,
        Duration fleetCheckInterval) {

    /** An address to serve HTTP on; only loopback unless the configuration says otherwise. */
    public record Listen(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Named defaults, each with its unit (STYLE.md #8). */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

    static final Duration SWEEP_INTERVAL_MIN = Duration.ofMillis(100);
    static final Duration EVENT_RETENTION = Duration.ofDays(30);
    static final Duration FLEET_CHECK_INTERVAL = Duration.ofMinutes(1);

    /** The daemon's log lines: for people, or one JSON object a line for a log collector. */
    public enum LogFormat {
        TEXT,
        JSON
    }

    public Settings {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        Objects.requireNonNull(controlSocket, "controlSocket");
        Objects.requireNonNull(eventRetention, "eventRetention");
        Objects.requireNonNull(logFormat, "logFormat");
        Objects.requireNonNull(metricsListen, "metricsListen");
        Objects.requireNonNull(alerts, "alerts");
        Objects.requireNonNull(ssh, "ssh");
        Objects.requireNonNull(fleetCheckInterval, "fleetCheckInterval");
    }

    /**
     * Every setting at its default, with {@code stateDir} as the state directory (and the control socket in it, as
     * for a user without {@code XDG_RUNTIME_DIR}).
     */
    public static Settings defaults(Path stateDir) {
        return defaults(stateDir, SshSettings.defaults(stateDir.resolve("known_hosts")));
    }

    /** Every setting at its default but {@code ssh}, whose defaults depend on where the configuration is. */
    public static Settings defaults(Path stateDir, SshSettings ssh) {
        return new Settings(
                stateDir,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                SWEEP_INTERVAL,
                stateDir.resolve(ConfigLocations.CONTROL_SOCKET),
                EVENT_RETENTION,
                LogFormat.TEXT,
                Optional.empty(),
                AlertsSpec.LOG_ONLY,
                ssh,
                FLEET_CHECK_INTERVAL);
    }
}
