package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.check.CheckSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys the daemon needs: restart policy, dependencies and groups, health checks, daemon settings. */
class DaemonKeysTest {
    private static final Path HOME = Path.of("/home/me");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static VigilConfig load(Path file) throws ConfigException {
        return ConfigLoader.load(file, Map.of(), false, HOME);
    }

    @Test
    void restartPolicyKeys_areRead_intoSupervision() throws Exception {
        Path file = write("policy.toml", """
                [service.db]
                command = "/bin/db"
                [service.cache]
                command = "/bin/cache"
                [service.web]
                command = "/bin/web"
                confirm = 5
                confirm_interval = "2s"
                backoff_factor = 1.5
                backoff_max = "2m"
                stable_after = "90s"
                restart_window = "1h"
                give_up_for = "forever"
                success_exit_codes = [11, 0, 11]
                requires = ["db"]
                after = ["cache", "db"]
                groups = ["frontend", "shop"]
                """);

        SupervisionSpec web = load(file).service("web").orElseThrow().supervision();

        assertThat(web)
                .isEqualTo(new SupervisionSpec(
                        5,
                        Duration.ofSeconds(2),
                        1.5,
                        Duration.ofMinutes(2),
                        Duration.ofSeconds(90),
                        Duration.ofHours(1),
                        Optional.empty(),
                        Set.of(0, 11),
                        List.of("db"),
                        List.of("cache", "db"),
                        List.of("frontend", "shop")));
        assertThat(web.successExitCodes()).containsExactly(0, 11);
        assertThat(web.dependencies()).containsExactly("db", "cache");
    }

    @Test
    void restartPolicyKeys_areInherited_fromDefaults() throws Exception {
        Path file = write("inherit.toml", """
                [defaults.patient]
                confirm = 3
                give_up_for = "2h"
                [service.a]
                defaults = "patient"
                command = "/bin/a"
                confirm = 4
                """);

        SupervisionSpec a = load(file).service("a").orElseThrow().supervision();

        assertThat(a.confirm()).isEqualTo(4);
        assertThat(a.giveUpFor()).contains(Duration.ofHours(2));
        assertThat(a.backoffFactor()).isEqualTo(2.0);
    }

    @Test
    void checks_ofEveryType_areBuilt_withTheirDefaults() throws Exception {
        Path file = write("checks.toml", """
                [service.web]
                command = "/bin/web"

                [[service.web.check]]
                type = "tcp"
                host = "127.0.0.1"
                port = 8080

                [[service.web.check]]
                name = "health"
                type = "http"
                url = "http://127.0.0.1:8080/healthz"
                body_match = "ok"
                ok_statuses = [200, 204]
                interval = "10s"
                timeout = "2s"
                failures = 3
                within = "1m"
                on_failure = "alert"

                [[service.web.check]]
                type = "rss"
                limit = "512MiB"
                include_children = true
                interval = "2s"

                [[service.web.check]]
                type = "activity_file"
                path = "/var/lib/web/heartbeat"
                max_age = "2m"

                [[service.web.check]]
                type = "command"
                command = "/usr/local/bin/check-queue --max 1000"
                [service.web.check.env]
                QUEUE = "orders"

                [[service.web.check]]
                type = "cpu"
                limit = "30s"
                per = "1m"
                failures = 3
                """);

        List<CheckSpec> checks =
                load(file).service("web").orElseThrow().monitor().checks();

        CheckSpec.Common tcp = CheckSpec.Common.defaults("tcp");
        assertThat(checks.get(0)).isEqualTo(new CheckSpec.Tcp(tcp, "127.0.0.1", 8080));
        CheckSpec.Http http = (CheckSpec.Http) checks.get(1);
        assertThat(http.common())
                .isEqualTo(new CheckSpec.Common(
                        "health",
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(2),
                        new CheckSpec.Tolerance(3, Duration.ofMinutes(1)),
                        CheckSpec.OnFailure.ALERT));
        assertThat(http.url()).isEqualTo(URI.create("http://127.0.0.1:8080/healthz"));
        assertThat(http.okStatuses()).containsExactlyInAnyOrder(200, 204);
        assertThat(http.bodyMatch().orElseThrow().pattern()).isEqualTo("ok");
        assertThat(List.of(http.tlsVerify(), http.followRedirects())).containsExactly(true, false);
        assertThat(checks.get(2))
                .as("a timeout default never exceeds the interval")
                .isEqualTo(new CheckSpec.Rss(
                        CheckSpec.Common.defaults("rss").every(Duration.ofSeconds(2), Duration.ofSeconds(2)),
                        512L * 1024 * 1024,
                        true));
        assertThat(checks.get(3))
                .isEqualTo(new CheckSpec.ActivityFile(
                        CheckSpec.Common.defaults("activity_file"),
                        Path.of("/var/lib/web/heartbeat"),
                        Duration.ofMinutes(2)));
        assertThat(checks.get(4))
                .isEqualTo(new CheckSpec.CommandCheck(
                        CheckSpec.Common.defaults("command"),
                        List.of("/usr/local/bin/check-queue", "--max", "1000"),
                        Map.of("QUEUE", "orders")));
        assertThat(checks.get(5))
                .as("within defaults to failures x interval, so three failures can trip")
                .isEqualTo(new CheckSpec.CpuTime(
                        CheckSpec.Common.defaults("cpu").tolerating(new CheckSpec.Tolerance(3, Duration.ofSeconds(90))),
                        Duration.ofSeconds(30),
                        Optional.of(Duration.ofMinutes(1))));
    }

    @Test
    void inheritedChecks_comeFirst_andMonitorKeysBecomeChecks() throws Exception {
        Path file = write("inherit-checks.toml", """
                [defaults.base]
                [[defaults.base.check]]
                name = "port"
                type = "tcp"
                host = "localhost"
                port = 80
                [defaults.base.monitor]
                rss_limit = "100MiB"

                [service.a]
                defaults = "base"
                command = "/bin/a"
                [service.a.monitor]
                activity_file = "/tmp/a"
                activity_file_limit = "5s"
                [[service.a.check]]
                name = "alive"
                type = "command"
                command = ["/bin/true"]
                """);

        List<CheckSpec> checks = load(file).service("a").orElseThrow().monitor().checks();

        assertThat(checks).extracting(CheckSpec::name).containsExactly("rss_limit", "activityfile", "port", "alive");
        assertThat(checks.get(0))
                .isEqualTo(new CheckSpec.Rss(
                        CheckSpec.Common.defaults("rss_limit").every(Duration.ofSeconds(10), Duration.ofSeconds(5)),
                        100L * 1024 * 1024,
                        false));
        assertThat(checks.get(1).common().interval())
                .as("an activity file is checked at least as often as its limit")
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(checks.get(1).common().timeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void usrsvcMonitor_becomesChecks() throws Exception {
        Path file = write("u.cfg", """
                [Program:p]
                command = /bin/p
                [[Monitor]]
                rss_limit = 1024
                activityfile = /tmp/p.log
                activityfile_limit = 120
                """);

        List<CheckSpec> checks = load(file).service("p").orElseThrow().monitor().checks();

        assertThat(checks).hasSize(2);
        assertThat(checks.get(0)).isInstanceOf(CheckSpec.Rss.class);
        assertThat(((CheckSpec.Rss) checks.get(0)).limitBytes()).isEqualTo(1024L * 1024);
        assertThat(checks.get(1))
                .isEqualTo(new CheckSpec.ActivityFile(
                        CheckSpec.Common.defaults("activityfile").every(Duration.ofSeconds(10), Duration.ofSeconds(5)),
                        Path.of("/tmp/p.log"),
                        Duration.ofMinutes(2)));
        assertThat(checks).allSatisfy(c -> assertThat(c.common().onFailure()).isEqualTo(CheckSpec.OnFailure.RESTART));
    }

    @Test
    void sameFile_loadedTwice_givesEqualServices_patternsIncluded() throws Exception {
        Path file = write("twice.toml", """
                [service.web]
                command = "/bin/web"
                proctitle_re = "^/bin/web( |$)"
                [[service.web.check]]
                type = "http"
                url = "http://localhost/"
                body_match = "\\"ok\\""
                """);

        VigilConfig first = load(file);
        VigilConfig second = load(file);

        assertThat(second.services()).isEqualTo(first.services());
        assertThat(second.services().getFirst().hashCode())
                .isEqualTo(first.services().getFirst().hashCode());
        ServiceConfig web = first.services().getFirst();
        assertThat(web.withOrigin(new Origin(dir.resolve("elsewhere.toml"), 9)))
                .isNotEqualTo(web)
                .satisfies(moved -> assertThat(moved.withOrigin(web.origin())).isEqualTo(web));
    }

    @Test
    void differentPatterns_areDifferent() throws Exception {
        Path a = write("a.toml", "[service.web]\ncommand = \"/bin/web\"\nproctitle_re = \"web\"\n");
        Path b = write("b.toml", "[service.web]\ncommand = \"/bin/web\"\nproctitle_re = \"web2\"\n");

        assertThat(load(a).services().getFirst().identity())
                .isNotEqualTo(load(b).services().getFirst().identity());
    }

    @Test
    void controlSocket_defaultsToRunForRoot_thenXdgRuntimeDir_thenTheStateDirectory() {
        Path state = Path.of("/home/me/.local/state/vigil");

        assertThat(ConfigLocations.defaultControlSocket(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), true, state))
                .isEqualTo(Path.of("/run/vigil/control.sock"));
        assertThat(ConfigLocations.defaultControlSocket(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), false, state))
                .isEqualTo(Path.of("/run/user/1000/vigil/control.sock"));
        assertThat(ConfigLocations.defaultControlSocket(Map.of("XDG_RUNTIME_DIR", "relative"), false, state))
                .isEqualTo(state.resolve("control.sock"));
        assertThat(ConfigLocations.defaultControlSocket(Map.of(), false, state))
                .isEqualTo(state.resolve("control.sock"));
    }

    @Test
    void controlSocket_followsAnExplicitStateDir_whenNoRuntimeDir() throws Exception {
        Path file = write("s.toml", "state_dir = \"/srv/vigil\"\n");

        assertThat(load(file).settings().controlSocket()).isEqualTo(Path.of("/srv/vigil/control.sock"));
        assertThat(ConfigLoader.load(file, Map.of("XDG_RUNTIME_DIR", "/run/user/7"), false, HOME)
                        .settings()
                        .controlSocket())
                .isEqualTo(Path.of("/run/user/7/vigil/control.sock"));
    }
}
