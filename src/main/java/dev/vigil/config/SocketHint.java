package dev.vigil.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the daemon of a configuration that does not load listens: its top-level {@code control_socket}, else the
 * default under its {@code state_dir}, else the default. {@code vigil reload} still tells that daemon, so that the
 * daemon's own log says why it keeps its configuration. Best effort: a file that is not even TOML, or that sets
 * these keys in an include, gives the default.
 */
public final class SocketHint {
    private SocketHint() {}

    public static Path of(Path file, Map<String, String> env, boolean isRoot, Path home) {
        Path stateDir = ConfigLocations.defaultStateDir(env, isRoot, home);
        try {
            JsonNode top = new TomlMapper().readTree(file.toFile());
            Path socket = absolute(top.path("control_socket"));
            if (socket != null) {
                return socket;
            }
            Path dir = absolute(top.path("state_dir"));
            if (dir != null) {
                stateDir = dir;
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not TOML at all: the default is the best guess
        }
        return ConfigLocations.defaultControlSocket(env, isRoot, stateDir);
    }

    private static Path absolute(JsonNode node) {
        if (!node.isTextual() || !node.asText().startsWith("/")) {
            return null;
        }
        try {
            return Path.of(node.asText());
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }
}
