package dev.vigil.fleet.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.shell.CommandResult;
import dev.vigil.shell.ExitStatus;
import dev.vigil.shell.LocalShell;
import dev.vigil.shell.Shell;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SshShellTest extends SshTestBase {
    Shell shell;

    @BeforeEach
    void trustServer() throws Exception {
        trust(server);
        shell = settings().fleet().shell(host());
    }

    @Test
    void exitStatusDecidesNotOutput() {
        CommandResult r =
                shell.run(List.of("sh", "-c", "echo active; echo broken >&2; exit 3"), Duration.ofSeconds(10));

        assertThat(r.status()).isEqualTo(new ExitStatus.Exited(3));
        assertThat(r.succeeded()).isFalse();
        assertThat(r.stdout()).isEqualTo("active\n");
        assertThat(r.stderr()).isEqualTo("broken\n");
        assertThat(shell.where()).isEqualTo("web01");
    }

    @Test
    void successIsExitZero() {
        CommandResult r = shell.run(List.of("echo", "active"), Duration.ofSeconds(10));

        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdout()).isEqualTo("active\n");
    }

    @Test
    void hostileWordsArriveAsLiteralArguments() {
        List<String> words = List.of(
                "; touch " + dir.resolve("pwned"), "$(id)", "`id`", "it's", "\"q\"", "a\nb", "", "*", "\\", "x y");
        List<String> argv = new java.util.ArrayList<>(List.of("printf", "[%s]\\n"));
        argv.addAll(words);

        CommandResult r = shell.run(argv, Duration.ofSeconds(10));

        StringBuilder expected = new StringBuilder();
        words.forEach(w -> expected.append('[').append(w).append("]\n"));
        assertThat(r.stdout()).isEqualTo(expected.toString());
        assertThat(dir.resolve("pwned")).doesNotExist();
    }

    @Test
    void outputIsBoundedLikeLocalShell() {
        CommandResult r = shell.run(List.of("head", "-c", "200000", "/dev/zero"), Duration.ofSeconds(10));

        assertThat(r.succeeded()).isTrue();
        assertThat(r.stdout()).hasSize(LocalShell.OUTPUT_LIMIT);
    }

    @Test
    void aCommandPastItsTimeoutIsTimedOut() {
        long began = System.nanoTime();
        CommandResult r = shell.run(List.of("sleep", "30"), Duration.ofSeconds(1));

        assertThat(r.status()).isEqualTo(new ExitStatus.TimedOut(Duration.ofSeconds(1)));
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        // the session is still good for the next command
        assertThat(shell.run(List.of("true"), Duration.ofSeconds(10)).succeeded())
                .isTrue();
    }

    @Test
    void stdinIsEmpty() {
        CommandResult r = shell.run(List.of("cat"), Duration.ofSeconds(10));

        assertThat(r.status()).isEqualTo(new ExitStatus.Exited(0));
        assertThat(r.stdout()).isEmpty();
    }
}
