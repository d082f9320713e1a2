package dev.vigil.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.process.linux.ExitWatcher;
import dev.vigil.process.linux.ProcFs;
import dev.vigil.testing.TestPrograms;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExitWatcherTest {
    @TempDir
    Path dir;

    private final LinkedBlockingQueue<ExitWatcher.Exited> exits = new LinkedBlockingQueue<>();
    private ExitWatcher watcher;
    private TestPrograms programs;

    @BeforeEach
    void setUp() {
        watcher = new ExitWatcher(exits::add);
        programs = new TestPrograms(dir);
    }

    @AfterEach
    void tearDown() {
        watcher.close();
        programs.close();
    }

    private ProcessIdentity identityOf(Process process) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcFs.read(process.pid()).isPresent());
        return ProcFs.read(process.pid()).orElseThrow().identity();
    }

    @Test
    void kill9_isReportedOnceForTheRightKey() throws Exception {
        Process victim = programs.decoy(TestPrograms.sleeper(TestPrograms.unique()));
        assertThat(watcher.watch("victim", identityOf(victim))).isTrue();

        victim.destroyForcibly();

        ExitWatcher.Exited exited = exits.poll(5, TimeUnit.SECONDS);
        assertThat(exited).isNotNull();
        assertThat(exited.key()).isEqualTo("victim");
        assertThat(exited.identity().pid()).isEqualTo(victim.pid());
        assertThat(watcher.size()).isZero();
        assertThat(exits.poll(100, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void manyProcesses_eachExitReported_unwatchedOnesSilent() throws Exception {
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Process p = programs.decoy(TestPrograms.sleeper(TestPrograms.unique()));
            processes.add(p);
            assertThat(watcher.watch("p" + i, identityOf(p))).isTrue();
        }
        watcher.unwatch("p0");
        processes.forEach(Process::destroyForcibly);

        List<String> keys = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            exits.drainTo(new ArrayList<>() {
                @Override
                public boolean add(ExitWatcher.Exited e) {
                    keys.add(e.key());
                    return true;
                }
            });
            assertThat(keys).hasSize(49);
        });
        assertThat(keys).doesNotContain("p0").doesNotHaveDuplicates();
    }

    @Test
    void watch_ofProcessWhosePidWasReused_isRefused() throws IOException {
        Process live = programs.decoy(TestPrograms.sleeper(TestPrograms.unique()));
        ProcessIdentity real = identityOf(live);
        ProcessIdentity older = new ProcessIdentity(real.pid(), real.startTicks() - 5, real.uid(), real.cmdline());

        assertThat(watcher.watch("old", older)).isFalse();
        assertThat(watcher.size()).isZero();
    }

    @Test
    void watch_ofProcessAlreadyGone_isRefused() throws Exception {
        Process gone = programs.decoy(TestPrograms.sleeper(TestPrograms.unique()));
        ProcessIdentity identity = identityOf(gone);
        gone.destroyForcibly().waitFor();

        assertThat(watcher.watch("gone", identity)).isFalse();
    }
}
