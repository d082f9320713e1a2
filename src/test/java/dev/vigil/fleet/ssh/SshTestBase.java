package dev.vigil.fleet.ssh;

import dev.vigil.config.Origin;
import dev.vigil.fleet.Inventory;
import dev.vigil.fleet.ssh.SshSettings.HostKeyPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A server on loopback with a known client key, a known_hosts file in a temp dir, and settings to reach it. */
abstract class SshTestBase {
    static KeyPair clientKey;

    @TempDir
    Path dir;

    Path keyFile;
    Path knownHosts;
    TestSshServer server;
    final List<AutoCloseable> closeAfter = new ArrayList<>();

    @BeforeAll
    static void clientKey() throws Exception {
        clientKey = TestKeys.ed25519();
    }

    @BeforeEach
    void startServer() throws Exception {
        keyFile = TestKeys.write(clientKey, dir.resolve("id_ed25519"), Optional.empty());
        knownHosts = dir.resolve("ssh").resolve("known_hosts");
        server = closing(new TestSshServer(TestKeys.ed25519(), List.of(clientKey.getPublic())));
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeAfter.reversed()) {
            c.close();
        }
    }

    <T extends AutoCloseable> T closing(T resource) {
        closeAfter.add(resource);
        return resource;
    }

    /** Settings that reach the test server strictly, with short bounds. */
    Settings settings() {
        return new Settings();
    }

    /** SshSettings with test values; each method changes one. */
    final class Settings {
        HostKeyPolicy policy = HostKeyPolicy.STRICT;
        Duration connect = Duration.ofSeconds(2);
        Duration auth = Duration.ofSeconds(2);
        Duration idle = Duration.ofMinutes(5);
        int fanout = 8;
        List<Path> keys = List.of(keyFile);
        Optional<Path> passphrase = Optional.empty();
        boolean sudo;

        SshSettings build() {
            return new SshSettings(
                    List.of(knownHosts),
                    policy,
                    connect,
                    auth,
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(15),
                    idle,
                    fanout,
                    Optional.of(System.getProperty("user.name")),
                    keys,
                    passphrase,
                    false,
                    sudo);
        }

        SshFleet fleet() {
            return closing(new SshFleet(build()));
        }
    }

    static Inventory.Host host(String name, int port) {
        return new Inventory.Host(
                name,
                "127.0.0.1",
                port,
                Optional.empty(),
                Optional.empty(),
                Set.of(),
                new Origin(Path.of("t.toml"), 1));
    }

    Inventory.Host host() {
        return host("web01", server.port());
    }

    /** Records {@code server}'s host key for 127.0.0.1 on its port, as ssh-keyscan would. */
    void trust(TestSshServer s) throws Exception {
        appendKnownHost("[127.0.0.1]:" + s.port() + " " + PublicKeyEntry.toString(s.hostKey.getPublic()));
    }

    void appendKnownHost(String line) throws Exception {
        Files.createDirectories(knownHosts.getParent());
        Files.writeString(
                knownHosts, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
