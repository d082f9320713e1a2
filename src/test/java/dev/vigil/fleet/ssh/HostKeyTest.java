package dev.vigil.fleet.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.fleet.ssh.SshSettings.HostKeyPolicy;
import dev.vigil.shell.CommandResult;
import dev.vigil.shell.ExitStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.sshd.client.config.hosts.KnownHostHashValue;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HostKeyTest extends SshTestBase {
    private static final Duration BOUND = Duration.ofSeconds(10);

    private CommandResult touchMarker(SshSettings settings, Path marker) {
        return closing(new SshFleet(settings)).shell(host()).run(List.of("touch", marker.toString()), BOUND);
    }

    @Test
    void strictRefusesAnUnknownHostAndRunsNothing() {
        Path marker = dir.resolve("marker");

        CommandResult r = touchMarker(settings().build(), marker);

        assertThat(r.status()).isInstanceOf(ExitStatus.Unreachable.class);
        String reason = ((ExitStatus.Unreachable) r.status()).reason();
        assertThat(reason)
                .contains("web01 (127.0.0.1:" + server.port() + ")")
                .contains("ssh-ed25519")
                .contains(KeyUtils.getFingerPrint(server.hostKey.getPublic()))
                .contains("ssh-keyscan -p " + server.port() + " -t ed25519 127.0.0.1 >> " + knownHosts)
                .contains("accept-new");
        assertThat(marker).doesNotExist();
        assertThat(server.commands).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(HostKeyPolicy.class)
    void aChangedKeyIsRefusedUnderEveryPolicy(HostKeyPolicy policy) throws Exception {
        var recorded = TestKeys.ed25519().getPublic();
        appendKnownHost("# fleet keys");
        appendKnownHost("[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(recorded));
        var settings = settings();
        settings.policy = policy;
        Path marker = dir.resolve("marker");

        CommandResult r = touchMarker(settings.build(), marker);

        assertThat(r.status()).isInstanceOf(ExitStatus.Unreachable.class);
        assertThat(((ExitStatus.Unreachable) r.status()).reason())
                .contains("HAS CHANGED")
                .contains(KeyUtils.getFingerPrint(server.hostKey.getPublic()))
                .contains(KeyUtils.getFingerPrint(recorded))
                .contains(knownHosts + ":2")
                .contains("man-in-the-middle");
        assertThat(marker).doesNotExist();
        assertThat(Files.readAllLines(knownHosts)).hasSize(2);
    }

    @Test
    void acceptNewRecordsTheKeyAndTrustsItNextTime() throws Exception {
        var settings = settings();
        settings.policy = HostKeyPolicy.ACCEPT_NEW;

        CommandResult first = touchMarker(settings.build(), dir.resolve("m1"));

        assertThat(first.succeeded()).as(first.status().describe()).isTrue();
        assertThat(Files.readAllLines(knownHosts))
                .containsExactly(
                        "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(server.hostKey.getPublic()));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(knownHosts)))
                .isEqualTo("rw-------");
        // a new fleet (a new connection), strict now: the recorded key lets it in
        CommandResult second = touchMarker(settings().build(), dir.resolve("m2"));
        assertThat(second.succeeded()).as(second.status().describe()).isTrue();
        assertThat(server.sessionsCreated).hasValue(2);
    }

    @Test
    void aHashedEntryMatches() throws Exception {
        byte[] salt = new byte[20];
        new SecureRandom().nextBytes(salt);
        byte[] hash = KnownHostHashValue.calculateHashValue(
                "127.0.0.1", server.port(), KnownHostHashValue.DEFAULT_DIGEST, salt);
        String hashed = "|1|" + Base64.getEncoder().encodeToString(salt) + "|"
                + Base64.getEncoder().encodeToString(hash);
        appendKnownHost(hashed + " " + PublicKeyEntry.toString(server.hostKey.getPublic()));

        assertThat(touchMarker(settings().build(), dir.resolve("m")).succeeded())
                .isTrue();
    }

    @Test
    void aCommaListWithTheHostNameMatches() throws Exception {
        appendKnownHost("other,[web01]:" + server.port() + " " + PublicKeyEntry.toString(server.hostKey.getPublic()));

        assertThat(touchMarker(settings().build(), dir.resolve("m")).succeeded())
                .isTrue();
    }

    @Test
    void aPlainEntryIsForPort22Only() throws Exception {
        appendKnownHost("127.0.0.1 " + PublicKeyEntry.toString(server.hostKey.getPublic()));

        assertThat(touchMarker(settings().build(), dir.resolve("m")).status())
                .isInstanceOf(ExitStatus.Unreachable.class);
    }

    @Test
    void aMissingKnownHostsFileIsEmpty() {
        var verifier = new KnownHostsVerifier(List.of(dir.resolve("nope")), HostKeyPolicy.STRICT);
        var target = new SshTarget("web01", "127.0.0.1", 22, "u", List.of());

        var verdict = verifier.verify(target, server.hostKey.getPublic());

        assertThat(verdict.accepted()).isFalse();
        assertThat(verdict.refusal().orElseThrow()).contains("ssh-keyscan -t ed25519 127.0.0.1");
    }
}
