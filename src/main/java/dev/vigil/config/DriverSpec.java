package dev.vigil.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** How a service is controlled; one record per driver, each with that driver's own keys. */
public sealed interface DriverSpec {

    /** The driver's name as written in config ({@code exec}, {@code command}, {@code systemd}). */
    String name();

    /**
     * Vigil launches the command itself, detached (own session, stdio appended to files).
     *
     * @param command the argv; with {@code shell} a single element holding the shell text
     * @param shell run {@code command} through {@code /bin/sh -c}
     * @param stdout file stdout is appended to
     * @param stderr file stderr is appended to; equal to {@code stdout} when configured as "stdout"
     * @param env extra environment variables
     * @param inheritEnv start from Vigil's own environment (true) or an empty one (false)
     * @param workingDirectory directory the command starts in; empty = the user's home directory
     * @param killProcessGroup stop signals go to the whole process group, not only the main process
     */
    record Exec(
            List<String> command,
            boolean shell,
            Path stdout,
            Path stderr,
            Map<String, String> env,
            boolean inheritEnv,
            Optional<Path> workingDirectory,
            boolean killProcessGroup)
            implements DriverSpec {
        public Exec {
            command = List.copyOf(command);
            env = Map.copyOf(env);
        }

        @Override
        public String name() {
            return "exec";
        }
    }

    /**
     * User-given commands (init scripts, {@code invoke-rc.d}); each runs through {@code /bin/sh -c} with a timeout.
     * Identity comes from the pidfile or {@code proctitle_re}; {@code status} is optional when either is set.
     */
    record Command(
            String start,
            String stop,
            Optional<String> restart,
            Optional<String> status,
            Duration timeout,
            Map<String, String> env,
            boolean inheritEnv,
            Optional<Path> workingDirectory)
            implements DriverSpec {
        public Command {
            env = Map.copyOf(env);
        }

        @Override
        public String name() {
            return "command";
        }
    }

    /**
     * A systemd unit, controlled through systemctl.
     *
     * @param unit full unit name, e.g. {@code nginx.service} or {@code cmsd@cluster.service}
     * @param userManager talk to the user's service manager ({@code systemctl --user})
     * @param timeout bound on each systemctl call
     */
    record Systemd(String unit, boolean userManager, Duration timeout) implements DriverSpec {
        /** The unit reaches systemctl and remote shells: nothing outside systemd's grammar gets that far. */
        public Systemd {
            if (!UnitNames.isValid(unit)) {
                throw new IllegalArgumentException(
                        "not a systemd unit name: '" + unit + "'; expected " + UnitNames.RULE);
            }
        }

        @Override
        public String name() {
            return "systemd";
        }
    }
}
