package dev.vigil.fleet.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.fleet.Inventory;
import dev.vigil.shell.CommandResult;
import dev.vigil.shell.ExitStatus;
import dev.vigil.shell.Shell;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SshFleetTest extends SshTestBase {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void trustServer() throws Exception {
        trust(server);
    }

    /** A TCP listener that accepts connections and never says a word, as a wedged sshd or a tarpit does. */
    private int silentListener() throws IOException {
        ServerSocket listener = closing(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        closing(() -> {
            for (Socket s : accepted) {
                s.close();
            }
        });
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    accepted.add(listener.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        return listener.getLocalPort();
    }

    @Test
    void aListenerThatNeverSpeaksIsUnreachableWithinTheConnectTimeout() throws Exception {
        var settings = settings();
        settings.connect = Duration.ofSeconds(1);
        long began = System.nanoTime();

        CommandResult r =
                settings.fleet().shell(host("tarpit", silentListener())).run(List.of("true"), BOUND);

        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(1800));
        assertThat(r.status()).isInstanceOf(ExitStatus.Unreachable.class);
        assertThat(((ExitStatus.Unreachable) r.status()).reason())
                .contains("tarpit (127.0.0.1:")
                .contains("key exchange did not finish within 1.0s");
    }

    @Test
    void aClosedPortIsUnreachableAtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }

        CommandResult r = settings().fleet().shell(host("gone", port)).run(List.of("true"), BOUND);

        assertThat(((ExitStatus.Unreachable) r.status()).reason())
                .contains("cannot connect to gone (127.0.0.1:" + port + ")")
                .contains("check that sshd runs there");
    }

    @Test
    void fanOutKeepsToTheBoundAndTheOrderAndIsNotHeldByAnUnreachableHost() throws Exception {
        var settings = settings();
        settings.connect = Duration.ofSeconds(1);
        SshFleet fleet = settings.fleet();
        List<Inventory.Host> hosts = new ArrayList<>();
        IntStream.range(0, 40).forEach(i -> hosts.add(host("h" + i, server.port())));
        hosts.add(7, host("tarpit", silentListener()));
        long began = System.nanoTime();

        var outcomes = fleet.fanOut(hosts, (host, shell) -> {
            if (host.name().equals("h3")) {
                throw new IllegalStateException("h3's work failed");
            }
            return shell.run(List.of("sh", "-c", "sleep 0.2; echo " + host.name()), BOUND);
        });

        Duration took = Duration.ofNanos(System.nanoTime() - began);
        assertThat(outcomes)
                .extracting(o -> o.host().name())
                .isEqualTo(hosts.stream().map(Inventory.Host::name).toList());
        for (HostOutcome<CommandResult> o : outcomes) {
            switch (o.host().name()) {
                case "tarpit" ->
                    assertThat(o.value().orElseThrow().status()).isInstanceOf(ExitStatus.Unreachable.class);
                case "h3" -> assertThat(o.error().orElseThrow()).contains("h3's work failed");
                default ->
                    assertThat(o.value().orElseThrow().stdout())
                            .isEqualTo(o.host().name() + "\n");
            }
        }
        assertThat(server.maxChannelsOpen.get()).isBetween(2, 8);
        // 40 hosts of 0.2 s in 8 slots is 1 s of work; the tarpit holds only its own slot, for 1 s
        assertThat(took).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void sudoPrefixesOnlyThePrivilegedCommands() throws Exception {
        TestSshServer recording = closing(new TestSshServer(
                TestKeys.ed25519(),
                List.of(clientKey.getPublic()),
                (channel, command) -> TestSshServer.SHELL.createCommand(channel, "echo recorded")));
        trust(recording);
        var settings = settings();
        settings.sudo = true;

        Shell shell = settings.fleet().shell(host("s", recording.port()));
        CommandResult query = shell.run(List.of("systemctl", "show", "a b"), BOUND);
        CommandResult change = shell.privileged().run(List.of("systemctl", "start", "a b"), BOUND);

        assertThat(query.succeeded()).as(query.status().describe()).isTrue();
        assertThat(change.succeeded()).as(change.status().describe()).isTrue();
        assertThat(recording.commands).containsExactly("systemctl show 'a b'", "sudo -n -- systemctl start 'a b'");
    }

    @Test
    void closeEndsSessionsAndThreads() throws Exception {
        SshFleet fleet = new SshFleet(settings().build());
        assertThat(fleet.shell(host()).run(List.of("true"), BOUND).succeeded()).isTrue();
        assertThat(fleet.openSessions()).isEqualTo(1);

        fleet.close();

        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(server.sessionsOpen).hasValue(0));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                        Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("vigil-ssh-idle-sweep")));
    }
}
