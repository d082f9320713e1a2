package dev.vigil.fleet.ssh;

import dev.vigil.fleet.Inventory;
import dev.vigil.fleet.ssh.SshSettings.HostKeyPolicy;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a server's host key against the known_hosts files, as OpenSSH's StrictHostKeyChecking does: a recorded key
 * lets the host in; a different key of a type recorded for the host is refused under every policy (it may be an
 * attack); an unknown host is refused ({@code strict}) or recorded in the first file ({@code accept-new}). Why a key
 * was refused is left on the {@link ConnectAttempt} so that the connection's failure can say it.
 */
final class KnownHostsVerifier implements ServerKeyVerifier {
    private static final Logger log = LoggerFactory.getLogger(KnownHostsVerifier.class);

    /** The verdict on one offered key: accepted, or refused with a message for the operator. */
    record Verdict(boolean accepted, Optional<String> refusal) {
        static Verdict accept() {
            return new Verdict(true, Optional.empty());
        }

        static Verdict refuse(String why) {
            return new Verdict(false, Optional.of(why));
        }
    }

    private final KnownHosts knownHosts;
    private final HostKeyPolicy policy;

    KnownHostsVerifier(List<Path> files, HostKeyPolicy policy) {
        this.knownHosts = new KnownHosts(files);
        this.policy = policy;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        ConnectAttempt attempt = ConnectAttempt.of(session);
        if (attempt == null) {
            log.warn("refused the host key of {}: not a connection Vigil opened", remoteAddress);
            return false;
        }
        SshTarget target = attempt.target;
        Verdict verdict;
        try {
            verdict = verify(target, serverKey);
        } catch (RuntimeException e) {
            verdict = Verdict.refuse("cannot check the host key of " + target.describe() + ": " + e.getMessage());
        }
        verdict.refusal().ifPresent(why -> {
            attempt.refuseHostKey(why);
            // the refusal is the command's result (Unreachable) and the daemon's event; here only for debugging
            log.debug("{}", why);
        });
        return verdict.accepted();
    }

    /** The policy applied to {@code key} offered by {@code target}; records it when the policy says so. */
    Verdict verify(SshTarget target, PublicKey key) {
        Verdict known = checkRecorded(target, key);
        if (known != null) {
            return known;
        }
        if (policy == HostKeyPolicy.STRICT) {
            return Verdict.refuse(unknownMessage(target, key));
        }
        synchronized (this) {
            // another connection to the same new host may have recorded it meanwhile
            known = checkRecorded(target, key);
            return known != null ? known : record(target, key);
        }
    }

    /** Accept (recorded), refuse (changed), or null: nothing of this key's type is recorded for the host. */
    Verdict checkRecorded(SshTarget target, PublicKey key) {
        List<KnownHosts.Recorded> recorded = knownHosts.lookup(names(target), target.port());
        if (recorded.stream().anyMatch(r -> KeyUtils.compareKeys(r.key(), key))) {
            return Verdict.accept();
        }
        String type = KeyUtils.getKeyType(key);
        return recorded.stream()
                .filter(r -> r.keyType().equals(type))
                .findFirst()
                .map(r -> Verdict.refuse(changedMessage(target, key, r)))
                .orElse(null);
    }

    private static List<String> names(SshTarget target) {
        return List.copyOf(new LinkedHashSet<>(List.of(target.address(), target.name())));
    }

    private Verdict record(SshTarget target, PublicKey key) {
        if (knownHosts.files().isEmpty()) {
            return Verdict.refuse(target.describe() + " is unknown and host_keys = \"accept-new\" has no known_hosts"
                    + " file to record its key in; set [ssh] known_hosts");
        }
        Path file = knownHosts.files().getFirst();
        String line = hostPattern(target) + " " + PublicKeyEntry.toString(key);
        try {
            append(file, line);
        } catch (IOException e) {
            return Verdict.refuse("cannot record the host key of " + target.describe() + " in " + file + ": " + e);
        } finally {
            knownHosts.invalidate(file);
        }
        log.info(
                "recorded new host key of {}: {} {} in {} (host_keys = \"accept-new\")",
                target.describe(),
                KeyUtils.getKeyType(key),
                KeyUtils.getFingerPrint(key),
                file);
        return Verdict.accept();
    }

    /** {@code address}, or {@code [address]:port} when the port is not 22: the form OpenSSH looks up. */
    static String hostPattern(SshTarget target) {
        return KnownHostHashValue.createHostPattern(target.address(), target.port());
    }

    private static void append(Path file, String line) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // appending to the operator's file, keeping its mode
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        byte[] existing = Files.readAllBytes(file);
        String prefix = existing.length > 0 && existing[existing.length - 1] != '\n' ? "\n" : "";
        Files.writeString(file, prefix + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private String unknownMessage(SshTarget target, PublicKey key) {
        String type = KeyUtils.getKeyType(key);
        String file = knownHosts.files().isEmpty()
                ? "~/.ssh/known_hosts"
                : knownHosts.files().getFirst().toString();
        String port = target.port() == Inventory.SSH_PORT ? "" : "-p " + target.port() + " ";
        return "host key of " + target.describe() + " is not known (host_keys = \"strict\"): it offered " + type
                + " " + KeyUtils.getFingerPrint(key) + ", which no known_hosts file " + knownHosts.files()
                + " records. Check that fingerprint out of band (on the host: ssh-keygen -lf"
                + " /etc/ssh/ssh_host_" + keyscanType(type) + "_key.pub), then record it with `ssh-keyscan " + port
                + "-t " + keyscanType(type) + " " + target.address() + " >> " + file
                + "`, or set host_keys = \"accept-new\" in [ssh] to record new hosts on first contact";
    }

    private static String changedMessage(SshTarget target, PublicKey key, KnownHosts.Recorded recorded) {
        return "WARNING: the " + recorded.keyType() + " host key of " + target.describe() + " HAS CHANGED: it offered "
                + KeyUtils.getFingerPrint(key) + " but " + recorded.where() + " records "
                + KeyUtils.getFingerPrint(recorded.key())
                + ". Someone may be intercepting the connection (a man-in-the-middle attack), or the host was"
                + " reinstalled. Refused. If the change is expected, check the new fingerprint out of band and"
                + " remove line " + recorded.line() + " of " + recorded.file() + " (ssh-keygen -R '"
                + hostPattern(target) + "' -f " + recorded.file() + ")";
    }

    /** The name ssh-keyscan -t and the host key file use for a key type. */
    static String keyscanType(String keyType) {
        if (keyType.startsWith("ecdsa")) {
            return "ecdsa";
        }
        return keyType.startsWith("ssh-") ? keyType.substring(4) : keyType;
    }
}
