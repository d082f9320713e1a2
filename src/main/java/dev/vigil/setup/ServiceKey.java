package dev.vigil.setup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.Set;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Vigil's own SSH key pair: an ed25519 private key in OpenSSH's format (mode 0600 from the moment the file exists)
 * and its {@code .pub}. Made with MINA SSHD, which Vigil already carries for its sessions: no ssh-keygen is needed on
 * the controller (a container image has none), the file is created with its mode rather than chmod-ed afterwards,
 * and the same library that will read the key writes it.
 */
public final class ServiceKey {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    private ServiceKey() {}

    /**
     * A key pair on disk.
     *
     * @param publicLine {@code ssh-ed25519 BASE64 COMMENT}, as it goes into authorized_keys after the options
     * @param blob the BASE64 part alone: what identifies the key in an authorized_keys file
     */
    public record Pair(Path privateKey, String publicLine, String blob, String fingerprint) {}

    /** Whether the private key exists. */
    public static boolean exists(Path privateKey) {
        return Files.exists(privateKey);
    }

    /** Reads the pair's public half from the private key (the .pub may be missing or stale). */
    public static Pair read(Path privateKey) throws IOException {
        KeyPair pair;
        try (InputStream in = Files.newInputStream(privateKey)) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(
                    null, NamedResource.ofName(privateKey.toString()), in, FilePasswordProvider.EMPTY);
            Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
            if (it == null || !it.hasNext()) {
                throw new IOException("private key " + privateKey + " holds no key MINA SSHD can read");
            }
            pair = it.next();
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(
                    "cannot read private key " + privateKey + ": " + e.getMessage()
                            + " (setup needs an unencrypted key for the service account; move it away to get a new one)",
                    e);
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(privateKey);
        if (!PRIVATE.containsAll(mode)) {
            throw new IOException("private key " + privateKey + " has mode " + PosixFilePermissions.toString(mode)
                    + "; only its owner may read it: chmod 600 " + privateKey);
        }
        return pair(privateKey, pair.getPublic(), comment(privateKey));
    }

    /** Generates an ed25519 pair at {@code privateKey} (0600) and {@code privateKey.pub}; refuses to overwrite. */
    public static Pair generate(Path privateKey, String comment) throws IOException {
        KeyPair pair;
        try {
            KeyPairGenerator generator = SecurityUtils.getKeyPairGenerator(SecurityUtils.EDDSA);
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot generate an ed25519 key: " + e.getMessage(), e);
        }
        Path dir = privateKey.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.createFile(privateKey, PosixFilePermissions.asFileAttribute(PRIVATE));
        try (OutputStream out = Files.newOutputStream(privateKey, StandardOpenOption.TRUNCATE_EXISTING)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, comment, null, out);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            Files.deleteIfExists(privateKey);
            throw new IOException("cannot write private key " + privateKey + ": " + e.getMessage(), e);
        }
        Pair written = pair(privateKey, pair.getPublic(), comment);
        Files.writeString(
                Path.of(privateKey + ".pub"),
                written.publicLine() + "\n",
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return written;
    }

    private static Pair pair(Path file, PublicKey key, String comment) {
        String entry = PublicKeyEntry.toString(key);
        String blob = entry.substring(entry.indexOf(' ') + 1);
        return new Pair(file, entry + " " + comment, blob, KeyUtils.getFingerPrint(key));
    }

    /** The comment of the .pub next to the key, else a fixed one. */
    private static String comment(Path privateKey) {
        try {
            String[] parts =
                    Files.readString(Path.of(privateKey + ".pub")).strip().split("\\s+", 3);
            if (parts.length == 3 && parts[2].matches("[A-Za-z0-9@._:+-]{1,100}")) {
                return parts[2];
            }
        } catch (IOException e) {
            // no .pub: the fixed comment
        }
        return "vigil";
    }
}
