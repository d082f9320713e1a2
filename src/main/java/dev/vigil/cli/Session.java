package dev.vigil.cli;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ConfigLocations;
import dev.vigil.config.VigilConfig;
import dev.vigil.driver.Drivers;
import dev.vigil.driver.ServiceControl;
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

    /** The state directory a configuration gets when it does not set one. */
    static Path defaultStateDir() {
        Map<String, String> env = System.getenv();
        return ConfigLocations.defaultStateDir(env, ConfigLocations.runningAsRoot(), ConfigLocations.home(env));
    }

    static ServiceControl control(VigilConfig config) {
        return new ServiceControl(config, Drivers.local(config));
    }
}
