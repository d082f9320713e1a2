package dev.vigil.driver;

import dev.vigil.config.DriverSpec;
import dev.vigil.config.ServiceConfig;
import dev.vigil.shell.CommandResult;
import dev.vigil.shell.Shell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A service controlled by the user's own commands (an init script, {@code invoke-rc.d}, a vendor tool). Each command
 * runs through {@code /bin/sh -c} with the configured environment, working directory and timeout. Whether the
 * service runs is decided by the process identity (pidfile or proctitle_re) when one is configured, else by the
 * status command's exit code read the LSB way (0 running, 1 and 2 dead but a pidfile or lock is left, 3 not
 * running, anything else unknown).
 */
public final class CommandDriver implements Driver {
    private final ServiceConfig service;
    private final DriverSpec.Command spec;
    private final Shell shell;
    private final ProcessProbe probe;

    /**
     * @param probe finds the service's process by its identity settings; empty when none are configured
     */
    public CommandDriver(ServiceConfig service, Shell shell, Optional<ProcessProbe> probe) {
        this.service = service;
        this.spec = (DriverSpec.Command) service.driver();
        this.shell = shell;
        this.probe = probe.orElse(null);
    }

    /** Looks up the service's process from its pidfile or proctitle_re; see {@link ExecDriver} for the rules. */
    @FunctionalInterface
    public interface ProcessProbe {
        ServiceStatus observe();
    }

    @Override
    public ServiceStatus status() {
        if (spec.status().isPresent()) {
            ServiceStatus byCommand = statusByCommand(spec.status().get());
            if (probe == null || byCommand.state() != ServiceState.RUNNING) {
                return byCommand;
            }
            ServiceStatus byIdentity = probe.observe();
            return byIdentity.state() == ServiceState.RUNNING ? byIdentity : byCommand;
        }
        return probe.observe();
    }

    @Override
    public ActionResult start() {
        ServiceStatus before = status();
        if (before.state() == ServiceState.RUNNING) {
            return new ActionResult(true, service.name() + " is already running" + pidText(before), before);
        }
        return runThenExpect("start", spec.start(), ServiceState.RUNNING);
    }

    @Override
    public ActionResult stop() {
        ServiceStatus before = status();
        if (before.state() == ServiceState.STOPPED) {
            return new ActionResult(true, service.name() + " is not running", before);
        }
        return runThenExpect("stop", spec.stop(), ServiceState.STOPPED);
    }

    @Override
    public ActionResult restart() {
        if (spec.restart().isPresent()) {
            return runThenExpect("restart", spec.restart().get(), ServiceState.RUNNING);
        }
        ActionResult stopped = stop();
        if (!stopped.ok()) {
            return stopped;
        }
        ActionResult started = start();
        return new ActionResult(started.ok(), stopped.message() + "; " + started.message(), started.after());
    }

    private ActionResult runThenExpect(String verb, String text, ServiceState wanted) {
        CommandResult result = shell.privileged().run(shellCommand(text), spec.timeout());
        if (!result.succeeded()) {
            String output = result.briefOutput();
            ServiceStatus after = status();
            return new ActionResult(
                    false,
                    service.name() + ": " + verb + " command " + result.status().describe()
                            + (output.isEmpty() ? "" : ": " + output),
                    after);
        }
        ServiceStatus after = awaitState(wanted, service.successWait());
        boolean reached =
                wanted == ServiceState.STOPPED ? after.state() != ServiceState.RUNNING : after.state() == wanted;
        String message = reached
                ? service.name() + ": " + verb + " command succeeded; "
                        + after.state().label() + pidText(after)
                : service.name() + ": " + verb + " command succeeded but the service is "
                        + after.state().label() + " after "
                        + service.successWait().toMillis() / 1000.0 + "s: " + after.detail();
        return new ActionResult(reached, message, after);
    }

    /**
     * A command's start returns before the service is up, and its stop before the process is gone: look again until
     * the state is reached or success_seconds has passed, then report what was seen.
     */
    private ServiceStatus awaitState(ServiceState wanted, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        ServiceStatus seen = status();
        while (!matches(seen, wanted) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            seen = status();
        }
        return seen;
    }

    private static boolean matches(ServiceStatus seen, ServiceState wanted) {
        return wanted == ServiceState.STOPPED ? seen.state() != ServiceState.RUNNING : seen.state() == wanted;
    }

    private ServiceStatus statusByCommand(String text) {
        CommandResult result = shell.run(shellCommand(text), spec.timeout());
        ServiceState state =
                switch (result.status()) {
                    case dev.vigil.shell.ExitStatus.Exited(int code) when code == 0 -> ServiceState.RUNNING;
                    case dev.vigil.shell.ExitStatus.Exited(int code) when code == 1 || code == 2 -> ServiceState.FAILED;
                    case dev.vigil.shell.ExitStatus.Exited(int code) when code == 3 -> ServiceState.STOPPED;
                    default -> ServiceState.UNKNOWN;
                };
        String detail = "status command " + result.status().describe();
        String output = result.briefOutput();
        if (!output.isEmpty()) {
            detail += ": " + output;
        }
        return new ServiceStatus(
                service.name(), state, Optional.empty(), Optional.empty(), spec.start(), spec.name(), detail);
    }

    /**
     * {@code env} sets the environment and directory and resets signal dispositions, so a daemon that an init script
     * starts does not inherit an ignored SIGTERM from whoever started Vigil.
     */
    private List<String> shellCommand(String text) {
        List<String> argv = new ArrayList<>();
        argv.add("env");
        argv.add("--default-signal");
        if (!spec.inheritEnv()) {
            argv.add("-i");
        }
        spec.workingDirectory().ifPresent(dir -> argv.add("--chdir=" + dir));
        Map<String, String> sorted = new TreeMap<>(spec.env());
        if (!spec.inheritEnv()) {
            // an empty environment still needs a PATH for the commands the script runs
            sorted.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        }
        sorted.forEach((key, value) -> argv.add(key + "=" + value));
        argv.add("/bin/sh");
        argv.add("-c");
        argv.add(text);
        return argv;
    }

    private static String pidText(ServiceStatus status) {
        return status.pid().map(pid -> " (pid " + pid + ")").orElse("");
    }
}
