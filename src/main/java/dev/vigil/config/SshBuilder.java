package dev.vigil.config;

import dev.vigil.fleet.ssh.SshSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Turns the {@code [ssh]} table (docs/fleet.md) into {@link SshSettings}. Every error is recorded in {@link Problems}
 * with its file, line and key; the defaults are the safe ones (strict host keys, bounded everything).
 */
final class SshBuilder {
    static final int FANOUT_MAX = 1024;
    /** Vigil's own known_hosts file, next to the configuration; {@code accept-new} writes here. */
    static final String KNOWN_HOSTS = "known_hosts";

    private final Problems problems;

    SshBuilder(Problems problems) {
        this.problems = problems;
    }

    /**
     * @param table the {@code [ssh]} table, when there is one
     * @param configDir the directory of the main configuration file, where Vigil's own known_hosts lives
     * @param home the user's home, for {@code ~/.ssh/known_hosts}, which is trusted (read) too by default
     */
    SshSettings build(Optional<Node.Table> table, Path configDir, Path home) {
        List<Path> defaultKnown = List.of(configDir.resolve(KNOWN_HOSTS), home.resolve(".ssh/known_hosts"));
        if (table.isEmpty()) {
            return withKnownHosts(SshSettings.defaults(defaultKnown.getFirst()), defaultKnown);
        }
        table.get().entries().forEach((name, node) -> {
            if (Key.find(Key.Scope.SSH, name, false).isEmpty()) {
                problems.named(node, Key.unknown(Key.Scope.SSH, name, false, "exec"));
            }
        });
        Fields f = new Fields(table.get(), problems);
        List<Path> known = f.get(Key.SSH_KNOWN_HOSTS, SshBuilder::paths).orElse(defaultKnown);
        SshSettings.HostKeyPolicy policy = f.get(Key.SSH_HOST_KEYS, node -> switch (Values.string(node)) {
                    case "strict" -> SshSettings.HostKeyPolicy.STRICT;
                    case "accept-new" -> SshSettings.HostKeyPolicy.ACCEPT_NEW;
                    default ->
                        throw new BadValue("\"strict\" (refuse hosts whose key is not in known_hosts) or"
                                + " \"accept-new\" (record the key of a host seen for the first time); a changed key is"
                                + " refused under both");
                })
                .orElse(SshSettings.HostKeyPolicy.STRICT);
        Duration connect =
                f.get(Key.SSH_CONNECT_TIMEOUT, Values::positiveDuration).orElse(SshSettings.DEFAULT_CONNECT_TIMEOUT);
        Duration auth = f.get(Key.SSH_AUTH_TIMEOUT, Values::positiveDuration).orElse(SshSettings.DEFAULT_AUTH_TIMEOUT);
        Duration command =
                f.get(Key.SSH_COMMAND_TIMEOUT, Values::positiveDuration).orElse(SshSettings.DEFAULT_COMMAND_TIMEOUT);
        Duration keepAlive = f.get(Key.SSH_KEEP_ALIVE, Values::duration).orElse(SshSettings.DEFAULT_KEEP_ALIVE);
        Duration idle = f.get(Key.SSH_IDLE_EXPIRY, Values::positiveDuration).orElse(SshSettings.DEFAULT_IDLE_EXPIRY);
        int fanout = f.get(
                        Key.SSH_FANOUT,
                        n -> Values.integer(
                                n,
                                1,
                                FANOUT_MAX,
                                "a whole number of hosts from 1 to " + FANOUT_MAX + " worked on at once"))
                .orElse(SshSettings.DEFAULT_FANOUT);
        Optional<String> user = f.get(Key.SSH_USER, Values::string, u -> {
            if (!ConfigGrammar.isUserName(u)) {
                throw new BadValue("a user name, such as \"vigil\" (leave it out to log in as the local user)");
            }
            return u;
        });
        List<Path> keys = f.get(Key.SSH_KEYS, SshBuilder::paths).orElse(List.of());
        Optional<Path> passphrase = f.path(Key.SSH_PASSPHRASE_FILE);
        boolean agent = f.get(Key.SSH_USE_AGENT, Values::bool).orElse(true);
        boolean sudo = f.get(Key.SSH_SUDO, Values::bool).orElse(false);
        return new SshSettings(
                known, policy, connect, auth, command, keepAlive, idle, fanout, user, keys, passphrase, agent, sudo);
    }

    private static SshSettings withKnownHosts(SshSettings s, List<Path> known) {
        return new SshSettings(
                known,
                s.hostKeys(),
                s.connectTimeout(),
                s.authTimeout(),
                s.commandTimeout(),
                s.keepAlive(),
                s.idleExpiry(),
                s.fanout(),
                s.user(),
                s.keys(),
                s.passphraseFile(),
                s.useAgent(),
                s.sudo());
    }

    /** One absolute path or a list of them. */
    private static List<Path> paths(Node node) {
        List<String> texts = Values.strings(node);
        if (texts.isEmpty()) {
            throw new BadValue("at least one absolute path");
        }
        return texts.stream()
                .map(t -> {
                    if (!t.startsWith("/")) {
                        throw new BadValue("absolute paths (starting with /); \"" + t + "\" is not");
                    }
                    return Path.of(t);
                })
                .toList();
    }
}
