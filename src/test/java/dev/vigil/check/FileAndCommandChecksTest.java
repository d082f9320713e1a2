package dev.vigil.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.shell.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Activity files with mtimes set by the test (no waiting), and commands run by the local shell. */
class FileAndCommandChecksTest {
    private static final CheckTarget TARGET = CheckTarget.withoutProcess("svc");
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    Path dir;

    private static CheckResult activity(Path path, Duration maxAge) {
        CheckSpec.ActivityFile spec = new CheckSpec.ActivityFile(CheckSpec.Common.defaults("beat"), path, maxAge);
        return new ActivityFileCheck(spec, InstantSource.fixed(NOW)).run(TARGET);
    }

    private static void touch(Path path, Duration ago) throws IOException {
        Files.setLastModifiedTime(path, FileTime.from(NOW.minus(ago)));
    }

    @Test
    void activityFile_modifiedWithinMaxAge_isHealthy() throws IOException {
        Path beat = Files.createFile(dir.resolve("heartbeat"));
        touch(beat, Duration.ofSeconds(5));

        assertThat(activity(beat, Duration.ofMinutes(1)))
                .isEqualTo(new CheckResult.Healthy(
                        "activity file " + beat + " was modified 5s ago (" + NOW.minusSeconds(5) + "), limit 1m"));
    }

    @Test
    void activityFile_stale_isUnhealthy_withAgeAndLimit() throws IOException {
        Path beat = Files.createFile(dir.resolve("heartbeat"));
        touch(beat, Duration.ofMinutes(10));

        assertThat(activity(beat, Duration.ofMinutes(5)))
                .isEqualTo(new CheckResult.Unhealthy("activity file " + beat + " was modified 10m ago ("
                        + NOW.minusSeconds(600) + "), more than the limit of 5m"));
    }

    @Test
    void activityFile_missing_isUnhealthy_andSaysSo() {
        Path missing = dir.resolve("never-written");

        assertThat(activity(missing, Duration.ofMinutes(1)))
                .isEqualTo(new CheckResult.Unhealthy("activity file " + missing + " does not exist"));
    }

    @Test
    void activityDirectory_countsItsNewestDirectEntry() throws IOException {
        Path spool = Files.createDirectory(dir.resolve("spool"));
        Path old = Files.createFile(spool.resolve("old"));
        Path fresh = Files.createFile(spool.resolve("fresh"));
        touch(old, Duration.ofHours(2));
        touch(fresh, Duration.ofSeconds(30));
        touch(spool, Duration.ofHours(1));

        assertThat(activity(spool, Duration.ofMinutes(1)).message())
                .isEqualTo("newest entry " + fresh + " was modified 30s ago (" + NOW.minusSeconds(30) + "), limit 1m");

        touch(fresh, Duration.ofHours(3));
        assertThat(activity(spool, Duration.ofMinutes(1)))
                .isEqualTo(new CheckResult.Unhealthy("activity file " + spool + " was modified 1h ago ("
                        + NOW.minusSeconds(3600) + "), more than the limit of 1m"));
    }

    @Test
    void activityFile_throughChecksOf_usesTheSystemClock() throws IOException {
        Path beat = Files.createFile(dir.resolve("heartbeat"));

        CheckResult result = Checks.of(
                        new CheckSpec.ActivityFile(CheckSpec.Common.defaults("beat"), beat, Duration.ofMinutes(1)),
                        new LocalShell())
                .run(TARGET);

        assertThat(result.healthy()).as(result.message()).isTrue();
    }

    private static CheckResult command(List<String> argv, Map<String, String> env, Duration timeout) {
        CheckSpec.Common common = CheckSpec.Common.defaults("probe").every(Duration.ofSeconds(10), timeout);
        return Checks.of(new CheckSpec.CommandCheck(common, argv, env), new LocalShell())
                .run(TARGET);
    }

    @Test
    void command_exit0_isHealthy() {
        CheckResult result = command(List.of("/bin/true"), Map.of(), Duration.ofSeconds(5));

        assertThat(result.message()).matches("command /bin/true on local exited with status 0 in .+");
        assertThat(result.healthy()).isTrue();
    }

    @Test
    void command_exit1_isUnhealthy_withStatusAndOutputExcerpt() {
        CheckResult result = command(
                List.of("/bin/sh", "-c", "echo 'queue depth 9000' >&2; exit 1"), Map.of(), Duration.ofSeconds(5));

        assertThat(result)
                .isEqualTo(
                        new CheckResult.Unhealthy("command /bin/sh -c 'echo '\"'\"'queue depth 9000'\"'\"' >&2; exit 1'"
                                + " on local exited with status 1: queue depth 9000"));
    }

    @Test
    void command_pastItsTimeout_isKilled_andUnhealthy() {
        CheckResult result = command(List.of("/bin/sleep", "30"), Map.of(), Duration.ofMillis(300));

        assertThat(result)
                .isEqualTo(new CheckResult.Unhealthy(
                        "command /bin/sleep 30 on local timed out after 0.3s and was killed"));
    }

    @Test
    void command_env_reachesTheCommand() {
        List<String> argv = List.of("/bin/sh", "-c", "test \"$GREETING\" = hello");

        assertThat(command(argv, Map.of("GREETING", "hello"), Duration.ofSeconds(5))
                        .healthy())
                .isTrue();
        assertThat(command(argv, Map.of("GREETING", "bye"), Duration.ofSeconds(5))
                        .healthy())
                .isFalse();
    }
}
