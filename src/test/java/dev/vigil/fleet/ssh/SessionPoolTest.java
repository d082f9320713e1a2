package dev.vigil.fleet.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.shell.CommandResult;
import dev.vigil.shell.Shell;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionPoolTest extends SshTestBase {
    private static final Duration BOUND = Duration.ofSeconds(10);

    @BeforeEach
    void trustServer() throws Exception {
        trust(server);
    }

    @Test
    void twentyCommandsShareOneSession() {
        Shell shell = settings().fleet().shell(host());

        for (int i = 0; i < 20; i++) {
            assertThat(shell.run(List.of("true"), BOUND).succeeded()).isTrue();
        }

        assertThat(server.sessionsCreated).hasValue(1);
    }

    @Test
    void concurrentCallersShareOneConnect() throws Exception {
        Shell shell = settings().fleet().shell(host());
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<CommandResult>> results = java.util.stream.IntStream.range(0, 16)
                    .mapToObj(i -> threads.submit(() -> {
                        start.await();
                        return shell.run(List.of("true"), BOUND);
                    }))
                    .toList();
            start.countDown();
            for (Future<CommandResult> r : results) {
                assertThat(r.get().succeeded()).isTrue();
            }
        }
        assertThat(server.sessionsCreated).hasValue(1);
    }

    @Test
    void anIdleSessionExpiresAndTheNextCommandOpensANewOne() {
        var settings = settings();
        settings.idle = Duration.ofMillis(300);
        Shell shell = settings.fleet().shell(host());
        assertThat(shell.run(List.of("true"), BOUND).succeeded()).isTrue();

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(server.sessionsOpen).hasValue(0));
        assertThat(shell.run(List.of("true"), BOUND).succeeded()).isTrue();

        assertThat(server.sessionsCreated).hasValue(2);
    }

    @Test
    void aBrokenSessionIsReplacedOnTheNextCommand() {
        Shell shell = settings().fleet().shell(host());
        assertThat(shell.run(List.of("true"), BOUND).succeeded()).isTrue();

        server.closeAllSessions();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(server.sessionsOpen).hasValue(0));
        CommandResult r = shell.run(List.of("echo", "back"), BOUND);

        assertThat(r.succeeded()).as(r.status().describe()).isTrue();
        assertThat(r.stdout()).isEqualTo("back\n");
        assertThat(server.sessionsCreated).hasValue(2);
    }

    @Test
    void aSessionBrokenWithoutNoticeIsReplacedToo() {
        // the client is told nothing before its next command: the close races the channel open
        Shell shell = settings().fleet().shell(host());
        assertThat(shell.run(List.of("true"), BOUND).succeeded()).isTrue();

        server.closeAllSessions();
        CommandResult r = shell.run(List.of("echo", "back"), BOUND);

        assertThat(r.succeeded()).as(r.status().describe()).isTrue();
    }
}
