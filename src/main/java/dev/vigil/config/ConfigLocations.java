package dev.vigil.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Where the configuration is when the command line does not say. */
public final class ConfigLocations {
    public static final Path SYSTEM = Path.of("/etc/vigil/vigil.toml");

    /** The control socket's file name, in whichever directory it goes. */
    static final String CONTROL_SOCKET = "control.sock";

    private ConfigLocations() {}

    /**
     * {@code --config} first, then {@code $VIGIL_CONFIG}, then the system file for root and the per-user file (XDG)
     * for everyone else; a user who has only a usrsvc configuration ({@code ~/usrsvc.cfg}) gets that.
     */
    public static Path resolve(Optional<Path> option, Map<String, String> env, boolean isRoot, Path home) {
        if (option.isPresent()) {
            return option.get();
        }
        String fromEnv = env.get("VIGIL_CONFIG");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        if (isRoot) {
            return SYSTEM;
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : home.resolve(".config");
        Path user = base.resolve("vigil/vigil.toml");
        Path usrsvc = home.resolve("usrsvc.cfg");
        return !Files.exists(user) && Files.exists(usrsvc) ? usrsvc : user;
    }

    /** The user's home: {@code $HOME} as shells and every other tool read it, else the password database's. */
    public static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return home != null && home.startsWith("/") ? Path.of(home) : Path.of(System.getProperty("user.home"));
    }

    /** Whether Vigil runs as root (uid 0), which decides the system-wide defaults. */
    public static boolean runningAsRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (java.io.IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /** The state directory when the configuration does not set {@code state_dir}. */
    public static Path defaultStateDir(Map<String, String> env, boolean isRoot, Path home) {
        if (isRoot) {
            return Path.of("/var/lib/vigil");
        }
        String xdg = env.get("XDG_STATE_HOME");
        Path base = xdg != null && xdg.startsWith("/") ? Path.of(xdg) : home.resolve(".local/state");
        return base.resolve("vigil");
    }

    /**
     * The daemon's control socket when the configuration does not set {@code control_socket}: {@code
     * /run/vigil/control.sock} for root; {@code $XDG_RUNTIME_DIR/vigil/control.sock} when that is set and absolute
     * (a per-user tmpfs that systemd-logind cleans up); otherwise in the state directory.
     */
    public static Path defaultControlSocket(Map<String, String> env, boolean isRoot, Path stateDir) {
        if (isRoot) {
            return Path.of("/run/vigil").resolve(CONTROL_SOCKET);
        }
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && runtime.startsWith("/")) {
            return Path.of(runtime).resolve("vigil").resolve(CONTROL_SOCKET);
        }
        return stateDir.resolve(CONTROL_SOCKET);
    }
}
