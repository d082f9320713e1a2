package dev.vigil.driver;

import dev.vigil.config.DriverSpec;
import dev.vigil.config.ServiceConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.process.IdentityStore;
import dev.vigil.process.ProcessInfo;
import dev.vigil.process.ProcessLocator;
import dev.vigil.process.SharedReading;
import dev.vigil.shell.LocalShell;
import dev.vigil.shell.Shell;
import java.util.Optional;
import java.util.function.Function;

/** Builds the driver for a service from its configuration. */
public final class Drivers {
    private Drivers() {}

    /** Drivers that act on this machine, keeping identity records in the configuration's state directory. */
    public static Function<ServiceConfig, Driver> local(VigilConfig config) {
        Shell shell = new LocalShell();
        IdentityStore identities = new IdentityStore(config.settings().stateDir());
        SharedReading readings = new SharedReading();
        return service -> switch (service.driver()) {
            case DriverSpec.Exec exec -> new ExecDriver(service, identities, readings);
            case DriverSpec.Command command -> new CommandDriver(service, shell, probe(service, identities));
            case DriverSpec.Systemd systemd -> new SystemdDriver(service, shell);
        };
    }

    /**
     * The driver of a fleet service on a remote host, running every command through {@code shell}. Only the drivers
     * whose work is commands can do that: the configuration refuses {@code exec} and local pidfiles for fleet
     * services.
     */
    public static Driver remote(ServiceConfig service, Shell shell) {
        return switch (service.driver()) {
            case DriverSpec.Command command -> new CommandDriver(service, shell, Optional.empty());
            case DriverSpec.Systemd systemd -> new SystemdDriver(service, shell);
            case DriverSpec.Exec exec ->
                throw new IllegalArgumentException(service.name()
                        + ": driver \"exec\" cannot run on a fleet host; use \"systemd\" or \"command\"");
        };
    }

    /** A command service's process, when a pidfile or proctitle_re says how to recognise it. */
    private static Optional<CommandDriver.ProcessProbe> probe(ServiceConfig service, IdentityStore identities) {
        var identity = service.identity();
        if (identity.pidfile().isEmpty() && identity.proctitleRe().isEmpty()) {
            return Optional.empty();
        }
        ProcessLocator locator = new ProcessLocator(identities);
        var target = new ProcessLocator.Target(
                service.name(),
                identity.pidfile().orElse(java.nio.file.Path.of("/nonexistent/vigil-no-pidfile")),
                identity.scanForProcess() || identity.pidfile().isEmpty(),
                identity.proctitleRe().orElse(java.util.regex.Pattern.compile("(?!)")));
        return Optional.of(() -> switch (locator.locate(target)) {
            case ProcessLocator.Lookup.Found(ProcessInfo p, String how) ->
                new ServiceStatus(
                        service.name(),
                        ServiceState.RUNNING,
                        Optional.of(p.pid()),
                        Optional.of(p.startedAt()),
                        p.identity().commandLine(),
                        "command",
                        how);
            case ProcessLocator.Lookup.NotFound(boolean left, String why) ->
                new ServiceStatus(
                        service.name(),
                        left ? ServiceState.FAILED : ServiceState.STOPPED,
                        Optional.empty(),
                        Optional.empty(),
                        ((DriverSpec.Command) service.driver()).start(),
                        "command",
                        why);
        });
    }
}
