package dev.vigil.fleet.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.shell.CommandResult;
import dev.vigil.shell.ExitStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticationTest extends SshTestBase {
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** Runs `true` on a server that lets in only {@code authorized}, offering the key in {@code file}. */
    private CommandResult runWith(KeyPair authorized, Path file, Optional<Path> passphraseFile) throws Exception {
        TestSshServer s = closing(new TestSshServer(TestKeys.ed25519(), List.of(authorized.getPublic())));
        trust(s);
        var settings = settings();
        settings.keys = List.of(file);
        settings.passphrase = passphraseFile;
        return settings.fleet().shell(host("h", s.port())).run(List.of("true"), BOUND);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa256", "rsa3072"})
    void eachKeyTypeAuthenticates(String type) throws Exception {
        KeyPair pair =
                switch (type) {
                    case "ed25519" -> TestKeys.ed25519();
                    case "ecdsa256" -> TestKeys.ecdsa256();
                    default -> TestKeys.rsa3072();
                };
        Path file = TestKeys.write(pair, dir.resolve("id_" + type), Optional.empty());

        CommandResult r = runWith(pair, file, Optional.empty());

        assertThat(r.succeeded()).as(r.status().describe()).isTrue();
    }

    /** Runs `true` with {@code pair}'s key encrypted by "s3cret words" and a passphrase file holding {@code text}. */
    private CommandResult runEncrypted(KeyPair pair, String text) throws Exception {
        Path file = TestKeys.write(pair, dir.resolve("id_enc"), Optional.of("s3cret words"));
        return runWith(pair, file, Optional.of(Files.writeString(dir.resolve("pass"), text)));
    }

    @Test
    void anEncryptedKeyIsDecryptedWithThePassphraseFile() throws Exception {
        CommandResult r = runEncrypted(TestKeys.ecdsa256(), "s3cret words\nignored\n");

        assertThat(r.succeeded()).as(r.status().describe()).isTrue();
    }

    @Test
    void aWrongPassphraseFailsNamingTheKeyFile() throws Exception {
        CommandResult r = runEncrypted(TestKeys.ed25519(), "wrong\n");

        assertThat(r.status()).isInstanceOf(ExitStatus.Unreachable.class);
        assertThat(((ExitStatus.Unreachable) r.status()).reason())
                .contains("private key " + dir.resolve("id_enc") + " is encrypted")
                .contains(dir.resolve("pass").toString());
    }

    @Test
    void anEncryptedKeyWithoutAPassphraseFileSaysSo() throws Exception {
        KeyPair pair = TestKeys.ed25519();
        Path file = TestKeys.write(pair, dir.resolve("id_enc"), Optional.of("right"));

        CommandResult r = runWith(pair, file, Optional.empty());

        assertThat(((ExitStatus.Unreachable) r.status()).reason())
                .contains(file.toString())
                .contains("no passphrase_file");
    }

    @Test
    void aWrongKeyIsUnreachableWithinTheAuthTimeout() throws Exception {
        Path wrong = TestKeys.write(TestKeys.ed25519(), dir.resolve("id_wrong"), Optional.empty());
        long began = System.nanoTime();

        CommandResult r = runWith(clientKey, wrong, Optional.empty());

        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(4));
        assertThat(r.status()).isInstanceOf(ExitStatus.Unreachable.class);
        assertThat(((ExitStatus.Unreachable) r.status()).reason())
                .contains("h (127.0.0.1:")
                .contains("refused our public key")
                .contains("authorized_keys");
    }
}
