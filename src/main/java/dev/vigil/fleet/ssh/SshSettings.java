package dev.vigil.fleet.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How Vigil reaches fleet hosts over SSH: the {@code [ssh]} table of the configuration (docs/fleet.md). Per-host
 * {@code user}, {@code port} and {@code key} in the inventory override the defaults here.
 *
 * @param knownHosts known_hosts files to trust, in order; the first is the one {@code accept-new} writes to
 * @param hostKeys what to do with a host whose key is not recorded
 * @param connectTimeout bound on the TCP connect and the key exchange
 * @param authTimeout bound on authentication
 * @param commandTimeout bound on a whole remote command (start to exit status) when the caller gives none
 * @param keepAlive interval of SSH keep-alive requests on idle sessions; zero: none
 * @param idleExpiry a reused session closes after this long without a command
 * @param fanout at most this many hosts are worked on at once
 * @param user the login user when the host does not set one; empty: the local user's name
 * @param keys private keys to offer when the host does not set one; empty: ~/.ssh/id_ed25519, id_ecdsa, id_rsa
 * @param passphraseFile a file whose first line decrypts encrypted keys
 * @param useAgent offer the keys of the ssh-agent at $SSH_AUTH_SOCK too
 * @param sudo run remote commands through {@code sudo -n} (never prompts, fails instead)
 */
public record SshSettings(
        List<Path> knownHosts,
        HostKeyPolicy hostKeys,
        Duration connectTimeout,
        Duration authTimeout,
        Duration commandTimeout,
        Duration keepAlive,
        Duration idleExpiry,
        int fanout,
        Optional<String> user,
        List<Path> keys,
        Optional<Path> passphraseFile,
        boolean useAgent,
        boolean sudo) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(15);
    public static final Duration DEFAULT_IDLE_EXPIRY = Duration.ofMinutes(5);
    public static final int DEFAULT_FANOUT = 64;

    public SshSettings {
        knownHosts = List.copyOf(knownHosts);
        Objects.requireNonNull(hostKeys, "hostKeys");
        Objects.requireNonNull(user, "user");
        keys = List.copyOf(keys);
        Objects.requireNonNull(passphraseFile, "passphraseFile");
        if (fanout < 1) {
            throw new IllegalArgumentException("fanout must be at least 1");
        }
    }

    /** The defaults, trusting only {@code knownHosts}. */
    public static SshSettings defaults(Path knownHosts) {
        return new SshSettings(
                List.of(knownHosts),
                HostKeyPolicy.STRICT,
                DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_AUTH_TIMEOUT,
                DEFAULT_COMMAND_TIMEOUT,
                DEFAULT_KEEP_ALIVE,
                DEFAULT_IDLE_EXPIRY,
                DEFAULT_FANOUT,
                Optional.empty(),
                List.of(),
                Optional.empty(),
                true,
                false);
    }

    /** What to do with a host key that no known_hosts file records. A changed key is refused under both. */
    public enum HostKeyPolicy {
        /** Refuse the host (OpenSSH's StrictHostKeyChecking=yes). */
        STRICT,
        /** Record the key in the first known_hosts file and go on (StrictHostKeyChecking=accept-new). */
        ACCEPT_NEW
    }
}
