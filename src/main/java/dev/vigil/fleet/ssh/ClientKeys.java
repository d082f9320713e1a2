package dev.vigil.fleet.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The private keys Vigil authenticates with: read once per file and kept, so a sweep of a thousand hosts does not
 * decrypt the same key a thousand times (bcrypt key derivation is deliberately slow).
 */
final class ClientKeys {
    /** Tried, in this order, when neither the host nor the settings name a key; as OpenSSH does. */
    static final List<String> DEFAULT_KEY_NAMES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private final Optional<Path> passphraseFile;
    private final Path home;
    private final Map<Path, List<KeyPair>> loaded = new ConcurrentHashMap<>();

    ClientKeys(Optional<Path> passphraseFile, Path home) {
        this.passphraseFile = passphraseFile;
        this.home = home;
    }

    ClientKeys(SshSettings settings) {
        this(settings.passphraseFile(), Path.of(System.getProperty("user.home")));
    }

    /** The key pairs to offer for {@code target}; fails with a sentence naming the file that could not be used. */
    List<KeyPair> identities(SshTarget target) throws HostUnreachableException {
        List<Path> files = target.keys().isEmpty() ? defaultKeys() : target.keys();
        if (files.isEmpty()) {
            throw new HostUnreachableException("no private key to log in to " + target.describe() + ": none of "
                    + DEFAULT_KEY_NAMES.stream()
                            .map(n -> home.resolve(".ssh").resolve(n).toString())
                            .toList()
                    + " exists; set the host's key or the [ssh] keys");
        }
        List<KeyPair> pairs = new ArrayList<>();
        for (Path file : files) {
            List<KeyPair> pair = loaded.get(file);
            if (pair == null) {
                pair = load(file);
                loaded.put(file, pair);
            }
            pairs.addAll(pair);
        }
        return pairs;
    }

    private List<Path> defaultKeys() {
        return DEFAULT_KEY_NAMES.stream()
                .map(n -> home.resolve(".ssh").resolve(n))
                .filter(Files::isRegularFile)
                .toList();
    }

    private List<KeyPair> load(Path file) throws HostUnreachableException {
        AtomicBoolean encrypted = new AtomicBoolean();
        FilePasswordProvider passwords = (SessionContext session, NamedResource resource, int retry) -> {
            encrypted.set(true);
            return passphrase().orElse(null);
        };
        try (InputStream in = Files.newInputStream(file)) {
            List<KeyPair> pairs = new ArrayList<>();
            Iterable<KeyPair> read =
                    SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(file.toString()), in, passwords);
            if (read != null) {
                read.forEach(pairs::add);
            }
            if (pairs.isEmpty()) {
                throw new HostUnreachableException("private key " + file + " holds no key MINA SSHD can read");
            }
            return List.copyOf(pairs);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new HostUnreachableException(encrypted.get() ? undecryptable(file, e) : unreadable(file, e));
        }
    }

    private String undecryptable(Path file, Exception e) {
        return passphraseFile
                .map(p -> "private key " + file + " is encrypted and the first line of " + p + " does not decrypt it ("
                        + e.getMessage() + "); fix the passphrase file")
                .orElse(
                        "private key " + file
                                + " is encrypted and no passphrase_file is set in [ssh]; set one whose first line is its passphrase");
    }

    private static String unreadable(Path file, Exception e) {
        String why =
                switch (e) {
                    case java.nio.file.NoSuchFileException n ->
                        "no such file; fix [ssh] keys or the host's key, or create it" + " (ssh-keygen -t ed25519 -f "
                                + file + ")";
                    case java.nio.file.AccessDeniedException a -> "permission denied for the user Vigil runs as";
                    default -> e.getMessage();
                };
        return "cannot read private key " + file + ": " + why;
    }

    /** The first line of the passphrase file; read on each decryption so a fixed file needs no restart. */
    private Optional<String> passphrase() throws IOException {
        if (passphraseFile.isEmpty()) {
            return Optional.empty();
        }
        try (var lines = Files.lines(passphraseFile.get(), StandardCharsets.UTF_8)) {
            return Optional.of(lines.findFirst().orElse(""));
        }
    }
}
