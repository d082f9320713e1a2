package dev.vigil.driver;

import dev.vigil.config.DriverSpec;
import dev.vigil.config.ServiceConfig;
import dev.vigil.shell.LocalShell;
import dev.vigil.shell.Shell;
import java.util.Optional;
import java.util.function.Function;

/** Builds the driver for a service from its configuration. */
public final class Drivers {
    private Drivers() {}

    /** Drivers that act on this machine. */
    public static Function<ServiceConfig, Driver> local() {
        Shell shell = new LocalShell();
        return service -> switch (service.driver()) {
            case DriverSpec.Exec exec -> throw new IllegalStateException("exec driver is being written");
            case DriverSpec.Command command -> new CommandDriver(service, shell, Optional.empty());
            case DriverSpec.Systemd systemd -> new SystemdDriver(service, shell);
        };
    }
}
