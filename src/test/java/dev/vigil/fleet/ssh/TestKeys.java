package dev.vigil.fleet.ssh;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Optional;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** Key pairs generated for a test and written in OpenSSH format, as ssh-keygen would. */
public final class TestKeys {
    private TestKeys() {}

    public static KeyPair ed25519() throws Exception {
        return KeyUtils.generateKeyPair("ssh-ed25519", 256);
    }

    static KeyPair ecdsa256() throws Exception {
        return KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
    }

    static KeyPair rsa3072() throws Exception {
        return KeyUtils.generateKeyPair("ssh-rsa", 3072);
    }

    /** Writes {@code pair}'s private key to {@code file} (mode 0600), encrypted when a passphrase is given. */
    public static Path write(KeyPair pair, Path file, Optional<String> passphrase) throws Exception {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase.isPresent()) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
            encryption.setPassword(passphrase.get());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "vigil-test", encryption, out);
        }
        return file;
    }
}
