package dev.vigil.fleet.ssh;

import dev.vigil.fleet.Fanout;
import dev.vigil.fleet.HostShells;
import dev.vigil.fleet.Inventory;
import dev.vigil.shell.Shell;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Vigil's way to the fleet: one MINA {@link SshClient} for the process (its I/O threads serve every host), a pool of
 * one session per host, and a bounded fan-out of work over hosts on virtual threads.
 *
 * <p>Authentication is by public key only. The ssh-agent ({@code use_agent}) is not offered: MINA's agent client
 * for $SSH_AUTH_SOCK needs the native tomcat-apr library, which Vigil does not ship.
 */
public final class SshFleet implements HostShells, AutoCloseable {
    private final SshSettings settings;
    private final SshClient client;
    private final SessionPool pool;

    public SshFleet(SshSettings settings) {
        this(settings, new ClientKeys(settings));
    }

    SshFleet(SshSettings settings, ClientKeys keys) {
        this.settings = settings;
        this.client = SshClient.setUpDefaultClient();
        SshAlgorithms.apply(client);
        client.setServerKeyVerifier(new KnownHostsVerifier(settings.knownHosts(), settings.hostKeys()));
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER); // keys are chosen per host
        client.setAgentFactory(null);
        CoreModuleProperties.IO_CONNECT_TIMEOUT.set(client, settings.connectTimeout());
        if (!settings.keepAlive().isZero()) {
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, settings.keepAlive());
            // keep-alives that want a reply, as OpenSSH's ServerAliveInterval: three unanswered close the session
            CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
            CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
        }
        // MINA's own idle close is only a backstop behind the pool's expiry (which counts commands, not packets)
        CoreModuleProperties.IDLE_TIMEOUT.set(client, settings.idleExpiry().plus(Duration.ofMinutes(1)));
        client.start();
        this.pool = new SessionPool(new SessionConnector(client, keys, settings), settings.idleExpiry());
    }

    /**
     * A shell on {@code host}; cheap: the session is opened by its first command and then reused. Its commands run
     * as the login user; those of its {@link Shell#privileged()} twin through {@code sudo -n} when configured.
     */
    @Override
    public Shell shell(Inventory.Host host) {
        return new SshShell(SshTarget.of(host, settings), pool, settings.sudo(), settings.connectTimeout());
    }

    @Override
    public int fanout() {
        return settings.fanout();
    }

    /**
     * Runs {@code work} for every host, at most {@code fanout} at once, and returns the outcomes in the order of
     * {@code hosts}. A host whose work throws gets a failed outcome; the others go on (an unreachable host costs its
     * slot at most the connect and auth timeouts).
     */
    public <T> List<HostOutcome<T>> fanOut(List<Inventory.Host> hosts, BiFunction<Inventory.Host, Shell, T> work) {
        return Fanout.map(hosts, settings.fanout(), host -> {
            try {
                return HostOutcome.of(host, work.apply(host, shell(host)));
            } catch (RuntimeException e) {
                return HostOutcome.failed(host, e.toString());
            }
        });
    }

    /** Sessions pooled now. */
    int openSessions() {
        return pool.size();
    }

    @Override
    public void close() {
        pool.close();
        client.stop();
    }
}
