package dev.vigil.cli;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigLocations;
import dev.vigil.config.VigilConfig;
import dev.vigil.driver.Drivers;
import dev.vigil.driver.ServiceControl;
import dev.vigil.fleet.OpenFleet;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What every subcommand needs first: the configuration it names (or the default one) and the controls on it. */
final class Session {
    private Session() {}

    static VigilConfig loadConfig(VigilCommand root) throws ConfigException {
        Map<String, String> env = System.getenv();
        Path home = ConfigLocations.home(env);
        boolean isRoot = ConfigLocations.runningAsRoot();
        Path file = ConfigLocations.resolve(Optional.ofNullable(root.config), env, isRoot, home);
        return ConfigLoader.load(file, env, isRoot, home);
    }

    /** Where the daemon of a configuration that does not load listens, as far as its file says. */
    static Path controlSocketOfInvalid(VigilCommand root) {
        Map<String, String> env = System.getenv();
        Path home = ConfigLocations.home(env);
        boolean isRoot = ConfigLocations.runningAsRoot();
        Path file = ConfigLocations.resolve(Optional.ofNullable(root.config), env, isRoot, home);
        return dev.vigil.config.SocketHint.of(file, env, isRoot, home);
    }

    /** The configuration's fleet over SSH; close it when done. */
    static OpenFleet fleet(VigilConfig config) {
        return OpenFleet.overSsh(config);
    }

    static ServiceControl control(VigilConfig config) {
        return new ServiceControl(config, Drivers.local(config));
    }
}
