package dev.vigil.fleet.ssh;

import dev.vigil.fleet.Inventory;
import dev.vigil.fleet.ssh.SshSettings.HostKeyPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;

/**
 * Asks a host for its host key without logging in (the key exchange only, with the algorithms Vigil's sessions
 * negotiate, so the key type is the one they will check), and says how the known_hosts files see it. {@code vigil
 * setup hosts} shows the fingerprint before anything is trusted and records it only once it is confirmed.
 */
public final class HostKeyProbe implements AutoCloseable {
    private static final AttributeKey<CompletableFuture<PublicKey>> OFFERED = new AttributeKey<>();

    /** How the known_hosts files see an offered key. */
    public enum Standing {
        /** Recorded: sessions will accept the host. */
        KNOWN,
        /** No key of this type is recorded for the host. */
        UNKNOWN,
        /** A different key of this type is recorded: refused, whatever the policy. */
        CHANGED
    }

    /**
     * The key a host offered.
     *
     * @param type the key type, such as "ssh-ed25519"
     * @param fingerprint SHA256:... as ssh-keygen -l prints it
     * @param knownHostsLine the line that records it ({@code ADDRESS TYPE BASE64})
     * @param refusal for {@link Standing#CHANGED}: the whole warning, naming both fingerprints and the file line
     */
    public record Offered(
            String type,
            String fingerprint,
            String knownHostsLine,
            Standing standing,
            Optional<String> refusal,
            PublicKey key) {}

    private final SshSettings settings;
    private final SshClient client;
    private final KnownHostsVerifier strict;
    private final KnownHostsVerifier recorder;

    /** Checks against, and records in, {@code settings.knownHosts()} (the first file is written). */
    public HostKeyProbe(SshSettings settings) {
        this.settings = settings;
        this.strict = new KnownHostsVerifier(settings.knownHosts(), HostKeyPolicy.STRICT);
        this.recorder = new KnownHostsVerifier(settings.knownHosts(), HostKeyPolicy.ACCEPT_NEW);
        this.client = SshClient.setUpDefaultClient();
        SshAlgorithms.apply(client);
        client.setServerKeyVerifier((session, remote, key) -> {
            AttributeRepository context = session.getConnectionContext();
            CompletableFuture<PublicKey> offered = context == null ? null : context.getAttribute(OFFERED);
            if (offered != null) {
                offered.complete(key);
            }
            return false; // never log in: the probe only wants the key
        });
        client.start();
    }

    /** The file {@link #record} writes to. */
    public Path recordsIn() {
        return settings.knownHosts().getFirst();
    }

    /** Connects to {@code host}, takes the key it offers, and closes; throws with a sentence when it cannot. */
    public Offered probe(Inventory.Host host) throws IOException {
        SshTarget target = SshTarget.of(host, settings);
        CompletableFuture<PublicKey> offered = new CompletableFuture<>();
        long bound = settings.connectTimeout().toMillis();
        ConnectFuture connect = client.connect(
                target.user(),
                target.address(),
                target.port(),
                AttributeRepository.ofKeyValuePair(OFFERED, offered),
                null);
        try {
            if (!connect.await(bound)) {
                connect.cancel();
                throw new IOException("cannot connect to " + target.describe() + ": no answer within "
                        + SessionConnector.seconds(settings.connectTimeout()) + " (connect_timeout)");
            }
            if (connect.getException() != null) {
                throw new IOException("cannot connect to " + target.describe() + ": " + connect.getException());
            }
            PublicKey key = offered.get(bound, TimeUnit.MILLISECONDS);
            return offered(target, key);
        } catch (TimeoutException e) {
            throw new IOException(target.describe() + " sent no host key within "
                    + SessionConnector.seconds(settings.connectTimeout()) + " (connect_timeout)");
        } catch (ExecutionException e) {
            throw new IOException("key exchange with " + target.describe() + " failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + target.describe() + " for its host key");
        } finally {
            if (connect.isConnected()) {
                connect.getSession().close(true);
            }
        }
    }

    private Offered offered(SshTarget target, PublicKey key) {
        String line = KnownHostsVerifier.hostPattern(target) + " " + PublicKeyEntry.toString(key);
        String type = KeyUtils.getKeyType(key);
        String fingerprint = KeyUtils.getFingerPrint(key);
        KnownHostsVerifier.Verdict verdict = strict.checkRecorded(target, key);
        if (verdict == null) {
            return new Offered(type, fingerprint, line, Standing.UNKNOWN, Optional.empty(), key);
        }
        return verdict.accepted()
                ? new Offered(type, fingerprint, line, Standing.KNOWN, Optional.empty(), key)
                : new Offered(type, fingerprint, line, Standing.CHANGED, verdict.refusal(), key);
    }

    /**
     * Records the key {@code host} offers now in the first known_hosts file, after checking that it is still the
     * one that was shown ({@code fingerprint}); a changed key is never recorded.
     */
    public void record(Inventory.Host host, String fingerprint) throws IOException {
        SshTarget target = SshTarget.of(host, settings);
        Offered now = probe(host);
        if (!now.fingerprint().equals(fingerprint)) {
            throw new IOException(target.describe() + " now offers " + now.fingerprint() + ", not the " + fingerprint
                    + " that was confirmed; not recorded");
        }
        KnownHostsVerifier.Verdict verdict;
        try {
            verdict = recorder.verify(target, now.key());
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!verdict.accepted()) {
            throw new IOException(verdict.refusal().orElse("not recorded"));
        }
    }

    /** The known_hosts files checked, for messages. */
    public List<Path> files() {
        return settings.knownHosts();
    }

    @Override
    public void close() {
        client.stop();
    }
}
