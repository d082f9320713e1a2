package dev.vigil.install;

import dev.vigil.config.ConfigLocations;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The three ways to run Vigil under systemd, each with its unit file, manager and install directory. */
public enum UnitKind {
    /** {@code vigil.service} in the system manager: one daemon for the host, as root, {@code /etc/vigil/vigil.toml}. */
    SYSTEM("vigil.service", "", "multi-user.target"),
    /** {@code vigil.service} in one account's user manager ({@code systemctl --user}), its own configuration. */
    USER("vigil.service", "--user", "default.target"),
    /** {@code vigil@.service} in the system manager: {@code vigil@alice} runs a daemon as alice (usrsvcd@'s model). */
    TEMPLATE("vigil@.service", "--template", "multi-user.target");

    static final Path SYSTEM_UNIT_DIR = Path.of("/etc/systemd/system");

    private final String fileName;
    private final String flag;
    private final String wantedBy;

    UnitKind(String fileName, String flag, String wantedBy) {
        this.fileName = fileName;
        this.flag = flag;
        this.wantedBy = wantedBy;
    }

    /** The unit file's name. */
    public String fileName() {
        return fileName;
    }

    /** The {@code vigil install systemd} flag that asks for this kind ("" for the system unit). */
    String flag() {
        return flag;
    }

    String wantedBy() {
        return wantedBy;
    }

    /** {@code systemctl} or {@code systemctl --user}, as the next steps spell it. */
    List<String> systemctl() {
        return this == USER ? List.of("systemctl", "--user") : List.of("systemctl");
    }

    /**
     * Where systemd looks for a unit of this kind that a person installed, under {@code root} (/ on a real host, a
     * scratch directory in tests or for packaging): /etc/systemd/system, or for a user unit
     * {@code $XDG_CONFIG_HOME/systemd/user} (default ~/.config/systemd/user).
     */
    public Path directory(Path root, Map<String, String> env) {
        Path dir = SYSTEM_UNIT_DIR;
        if (this == USER) {
            String xdg = env.get("XDG_CONFIG_HOME");
            Path config = xdg != null && xdg.startsWith("/")
                    ? Path.of(xdg)
                    : ConfigLocations.home(env).resolve(".config");
            dir = config.resolve("systemd/user");
        }
        return root.resolve(dir.getRoot().relativize(dir));
    }
}
