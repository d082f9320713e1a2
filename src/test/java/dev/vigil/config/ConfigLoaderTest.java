package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static final Path HOME = Path.of("/home/me");

    private VigilConfig load(Path file) throws ConfigException {
        return ConfigLoader.load(file, Map.of(), false, HOME);
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    private static List<ConfigError> errors(Path file) {
        try {
            ConfigLoader.load(file, Map.of(), false, HOME);
        } catch (ConfigException e) {
            return e.errors();
        }
        throw new AssertionError("expected a ConfigException for " + file);
    }

    @Test
    void quickstart_loads() throws Exception {
        VigilConfig config = load(Path.of("examples/quickstart.toml"));

        assertThat(config.services()).extracting(ServiceConfig::name).containsExactly("ticker", "heartbeat");
        ServiceConfig ticker = config.service("ticker").orElseThrow();
        DriverSpec.Exec exec = (DriverSpec.Exec) ticker.driver();
        assertThat(exec.command()).containsExactly("/bin/sh", "-c", "while :; do date; sleep 2; done");
        assertThat(exec.stdout()).isEqualTo(HOME.resolve(".local/state/vigil/logs/ticker.log"));
        assertThat(exec.stderr()).isEqualTo(exec.stdout());
        assertThat(ticker.identity().pidfile()).contains(HOME.resolve(".local/state/vigil/pids/ticker.pid"));
        assertThat(ticker.successWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(ticker.origin().line()).isEqualTo(7);
        ServiceConfig heartbeat = config.service("heartbeat").orElseThrow();
        assertThat(heartbeat.monitor().activityFile()).contains(Path.of("/tmp/vigil-quickstart-heartbeat"));
        assertThat(heartbeat.monitor().activityFileLimit()).contains(Duration.ofSeconds(10));
        assertThat(heartbeat.termToKill()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void missingFile_saysHowToCreateOne() {
        List<ConfigError> errors = errors(dir.resolve("nope.toml"));

        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst().toString())
                .isEqualTo(dir.resolve("nope.toml") + ": no configuration file here; create one"
                        + " (docs/configuration.md describes it, examples/quickstart.toml is a start) or pass"
                        + " --config FILE");
    }

    @Test
    void everyKey_isRead() throws Exception {
        Path file = write("all.toml", """
                state_dir = "/srv/vigil"
                pidfile = "/run/vigil.pid"
                log_stdout = "/var/log/vigil.log"
                log_stderr = "stdout"
                sendmail_path = "/usr/sbin/sendmail"
                sweep_interval = "250ms"
                control_socket = "/run/vigil-test/control.sock"
                event_retention = "7d"
                log_format = "json"

                [service.web]
                driver = "exec"
                command = '/usr/bin/web --name "my app" \\$HOME'
                stdout = "/var/log/web.out"
                stderr = "/var/log/web.err"
                env = { PORT = "8080", LANG = "C" }
                inherit_env = false
                working_directory = "/srv/web"
                kill_process_group = true
                pidfile = "/run/web.pid"
                autopid = false
                scan_for_process = false
                proctitle_re = "^web --name"
                enabled = false
                autostart = false
                autorestart = false
                max_restarts = 5
                restart_delay = "1h30m"
                success_seconds = 0.3
                term_to_kill_seconds = "250ms"
                email_alerts = ["ops@example.com", "me@example.org"]

                [service.web.monitor]
                monitor_after = "5m"
                activity_file = "/srv/web/heartbeat"
                activity_file_limit = 60
                rss_limit = "1.5G"

                [service.legacy]
                driver = "command"
                start = "/etc/init.d/legacy start"
                stop = "/etc/init.d/legacy stop"
                restart = "/etc/init.d/legacy restart"
                status = "/etc/init.d/legacy status"
                timeout = "1m"
                env.MODE = "prod"
                inherit_env = true
                working_directory = "/"

                [service.nginx]
                driver = "systemd"
                unit = "nginx"
                user_manager = true
                timeout = "10s"
                email_alerts = "root@localhost"
                """);

        VigilConfig config = load(file);

        assertThat(config.settings())
                .isEqualTo(new Settings(
                        Path.of("/srv/vigil"),
                        java.util.Optional.of(Path.of("/run/vigil.pid")),
                        java.util.Optional.of(Path.of("/var/log/vigil.log")),
                        java.util.Optional.of(Path.of("/var/log/vigil.log")),
                        java.util.Optional.of(Path.of("/usr/sbin/sendmail")),
                        Duration.ofMillis(250),
                        Path.of("/run/vigil-test/control.sock"),
                        Duration.ofDays(7),
                        Settings.LogFormat.JSON,
                        java.util.Optional.empty(),
                        config.settings().alerts(),
                        config.settings().ssh(),
                        Duration.ofMinutes(1)));
        // email_alerts become mail sinks (AlertsConfigTest has the details).
        assertThat(config.settings().alerts().sinks())
                .containsOnlyKeys("log", "email:ops@example.com,me@example.org", "email:root@localhost");
        ServiceConfig web = config.service("web").orElseThrow();
        assertThat(web.driver())
                .isEqualTo(new DriverSpec.Exec(
                        List.of("/usr/bin/web", "--name", "my app", "$HOME"),
                        false,
                        Path.of("/var/log/web.out"),
                        Path.of("/var/log/web.err"),
                        Map.of("PORT", "8080", "LANG", "C"),
                        false,
                        java.util.Optional.of(Path.of("/srv/web")),
                        true));
        assertThat(web.identity().pidfile()).contains(Path.of("/run/web.pid"));
        assertThat(web.identity().autopid()).isFalse();
        assertThat(web.identity().scanForProcess()).isFalse();
        assertThat(web.identity().proctitleRe().orElseThrow().pattern()).isEqualTo("^web --name");
        assertThat(List.of(web.enabled(), web.autostart(), web.autorestart())).containsOnly(false);
        assertThat(web.maxRestarts()).isEqualTo(5);
        assertThat(web.restartDelay()).isEqualTo(Duration.ofMinutes(90));
        assertThat(web.successWait()).isEqualTo(Duration.ofMillis(300));
        assertThat(web.termToKill()).isEqualTo(Duration.ofMillis(250));
        assertThat(web.emailAlerts()).containsExactly("ops@example.com", "me@example.org");
        assertThat(web.monitor().monitorAfter()).isEqualTo(Duration.ofMinutes(5));
        assertThat(web.monitor().activityFile()).contains(Path.of("/srv/web/heartbeat"));
        assertThat(web.monitor().activityFileLimit()).contains(Duration.ofSeconds(60));
        assertThat(web.monitor().rssLimitBytes()).isEqualTo(1610612736L);
        assertThat(web.monitor().checks())
                .extracting(dev.vigil.check.CheckSpec::name)
                .containsExactly("rss_limit", "activityfile");
        assertThat(config.service("legacy").orElseThrow().driver())
                .isEqualTo(new DriverSpec.Command(
                        "/etc/init.d/legacy start",
                        "/etc/init.d/legacy stop",
                        java.util.Optional.of("/etc/init.d/legacy restart"),
                        java.util.Optional.of("/etc/init.d/legacy status"),
                        Duration.ofMinutes(1),
                        Map.of("MODE", "prod"),
                        true,
                        java.util.Optional.of(Path.of("/"))));
        ServiceConfig nginx = config.service("nginx").orElseThrow();
        assertThat(nginx.driver()).isEqualTo(new DriverSpec.Systemd("nginx.service", true, Duration.ofSeconds(10)));
        assertThat(nginx.identity().pidfile()).isEmpty();
        assertThat(nginx.emailAlerts()).containsExactly("root@localhost");
    }

    @Test
    void defaults_areThoseOfTheDocs() throws Exception {
        Path file = write("min.toml", "[service.a]\ncommand = \"sleep 100\"\n");

        VigilConfig config = load(file);
        ServiceConfig a = config.services().getFirst();

        assertThat(config.settings())
                .isEqualTo(Settings.defaults(
                        HOME.resolve(".local/state/vigil"), config.settings().ssh()));
        // Vigil's own known_hosts beside the configuration (accept-new writes there), and the user's, read too.
        assertThat(config.settings().ssh())
                .isEqualTo(new dev.vigil.fleet.ssh.SshSettings(
                        List.of(file.getParent().resolve("known_hosts"), HOME.resolve(".ssh/known_hosts")),
                        dev.vigil.fleet.ssh.SshSettings.HostKeyPolicy.STRICT,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(15),
                        Duration.ofMinutes(5),
                        64,
                        java.util.Optional.empty(),
                        List.of(),
                        java.util.Optional.empty(),
                        true,
                        false));

        assertThat(a.driver())
                .isEqualTo(new DriverSpec.Exec(
                        List.of("sleep", "100"),
                        false,
                        HOME.resolve(".local/state/vigil/logs/a.log"),
                        HOME.resolve(".local/state/vigil/logs/a.log"),
                        Map.of(),
                        true,
                        java.util.Optional.empty(),
                        false));
        assertThat(a.identity())
                .isEqualTo(new IdentitySpec(
                        java.util.Optional.of(HOME.resolve(".local/state/vigil/pids/a.pid")),
                        true,
                        true,
                        java.util.Optional.empty()));
        assertThat(List.of(a.enabled(), a.autostart(), a.autorestart())).containsOnly(true);
        assertThat(a.maxRestarts()).isZero();
        assertThat(a.restartDelay()).isZero();
        assertThat(a.successWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(a.termToKill()).isEqualTo(Duration.ofSeconds(8));
        assertThat(a.monitor()).isEqualTo(MonitorSpec.DEFAULTS);
        assertThat(a.supervision()).isEqualTo(SupervisionSpec.DEFAULTS);
    }

    @Test
    void stateDir_isRootsWhenRoot() throws Exception {
        Path file = write("min.toml", "[service.a]\ncommand = \"sleep 100\"\n");

        VigilConfig config = ConfigLoader.load(file, Map.of(), true, Path.of("/root"));

        assertThat(config.settings().stateDir()).isEqualTo(Path.of("/var/lib/vigil"));
    }

    @Test
    void shell_keepsTheTextWhole() throws Exception {
        Path file = write(
                "shell.toml", "[service.a]\nshell = true\ncommand = \"while :; do date; sleep 1; done > /dev/null\"\n");

        DriverSpec.Exec exec =
                (DriverSpec.Exec) load(file).services().getFirst().driver();

        assertThat(exec.shell()).isTrue();
        assertThat(exec.command()).containsExactly("while :; do date; sleep 1; done > /dev/null");
    }

    @Test
    void includes_areReadInSortedOrder_andNestedIncludesToo() throws Exception {
        write("conf.d/b.toml", "[service.b]\ncommand = \"/bin/b\"\n");
        write("conf.d/a.toml", "include = [\"../more/*.toml\"]\n[service.a]\ncommand = \"/bin/a\"\n");
        write("more/c.toml", "[service.c]\ncommand = \"/bin/c\"\n");
        write("more/ignored.txt", "not toml");
        Path main = write(
                "main.toml",
                "include = [\"conf.d/*.toml\", \"empty.d/*.toml\"]\n[service.main]\ncommand = \"/bin/m\"\n");

        VigilConfig config = load(main);

        assertThat(config.services()).extracting(ServiceConfig::name).containsExactly("main", "a", "c", "b");
        assertThat(config.files()).hasSize(4);
        assertThat(config.service("b").orElseThrow().origin()).isEqualTo(new Origin(dir.resolve("conf.d/b.toml"), 1));
    }

    @Test
    void defaults_areInherited_keyByKey_andOwnKeysWin() throws Exception {
        Path main = write("main.toml", """
                [defaults.base]
                success_seconds = "5s"
                restart_delay = 3
                max_restarts = 3
                email_alerts = "ops@example.com"
                env = { A = "1", B = "2" }
                kill_process_group = true
                [defaults.base.monitor]
                rss_limit = "200MiB"
                monitor_after = "1m"

                [service.web]
                defaults = "base"
                command = "/bin/web"
                max_restarts = 7
                env = { B = "two", C = "3" }
                [service.web.monitor]
                rss_limit = 0

                [service.unit]
                defaults = "base"
                driver = "systemd"
                unit = "web.socket"
                """);

        VigilConfig config = load(main);

        ServiceConfig web = config.service("web").orElseThrow();
        assertThat(web.successWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(web.restartDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(web.maxRestarts()).isEqualTo(7);
        assertThat(web.emailAlerts()).containsExactly("ops@example.com");
        DriverSpec.Exec exec = (DriverSpec.Exec) web.driver();
        assertThat(exec.env()).isEqualTo(Map.of("A", "1", "B", "two", "C", "3"));
        assertThat(exec.killProcessGroup()).isTrue();
        assertThat(web.monitor().rssLimitBytes()).isZero();
        assertThat(web.monitor().monitorAfter()).isEqualTo(Duration.ofMinutes(1));
        ServiceConfig unit = config.service("unit").orElseThrow();
        assertThat(unit.driver()).isEqualTo(new DriverSpec.Systemd("web.socket", false, Duration.ofSeconds(30)));
        assertThat(unit.maxRestarts()).isEqualTo(3);
        assertThat(unit.monitor().rssLimitBytes()).isEqualTo(200L * 1024 * 1024);
    }

    @Test
    void usrsvcReadmeExamples_parse() throws Exception {
        Path main = Path.of("src/test/resources/usrsvc/readme.cfg");

        VigilConfig config = load(main);

        ServiceConfig program = config.service("myprogram").orElseThrow();
        DriverSpec.Exec exec = (DriverSpec.Exec) program.driver();
        assertThat(exec.command()).containsExactly("/home/myusr/bin/myprogram.py", "arg1", "arg2");
        assertThat(exec.stdout()).isEqualTo(Path.of("/home/myusr/logs/myprogram.log"));
        assertThat(exec.stderr()).isEqualTo(exec.stdout());
        assertThat(exec.env()).isEqualTo(Map.of("DB_USER", "superdb", "DB_NAME", "mydatabase"));
        assertThat(program.identity().pidfile()).contains(Path.of("/home/myusr/pids/myprogram.pid"));
        ServiceConfig inheriting = config.service("inheriting").orElseThrow();
        assertThat(inheriting.successWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(inheriting.restartDelay()).isEqualTo(Duration.ofSeconds(3));
        assertThat(inheriting.maxRestarts()).isEqualTo(3);
        assertThat(inheriting.emailAlerts()).containsExactly("alerts@example.com");
    }

    @Test
    void usrsvcExamples_loadWithTheirConfigDir() throws Exception {
        VigilConfig config = load(Path.of("examples/usrsvc/usrsvc.cfg"));

        assertThat(config.files()).hasSizeGreaterThan(1);
        assertThat(config.settings().daemonPidfile()).contains(Path.of("/tmp/vigil-usrsvc/pids/usrsvcd.pid"));
        assertThat(config.settings().daemonStderr()).isEqualTo(config.settings().daemonStdout());
        assertThat(config.services()).extracting(ServiceConfig::name).contains("MagicLooper", "myprogram");
    }

    @Test
    void usrsvcValues_areTranslated() throws Exception {
        Path main = write("usrsvc.cfg", """
                [Main]
                pidfile = /tmp/u/usrsvcd.pid
                sendmail_path = auto

                [Program:p]
                  command = "/bin/sleep 100"   # a comment
                  useshell = False
                  autostart = no
                  autorestart = 1
                  maxrestarts = 4
                  success_seconds = 2.5
                  term_to_kill_seconds = 3
                  proctitle_re =
                  email_alerts = a@example.com, b@example.com
                  [[Monitoring]]
                    rss_limit = 1024
                    activityfile = /tmp/u/beat
                    activityfile_limit = 15
                """);

        ServiceConfig p = load(main).service("p").orElseThrow();

        assertThat(((DriverSpec.Exec) p.driver()).command()).containsExactly("/bin/sleep", "100");
        assertThat(p.autostart()).isFalse();
        assertThat(p.autorestart()).isTrue();
        assertThat(p.maxRestarts()).isEqualTo(4);
        assertThat(p.successWait()).isEqualTo(Duration.ofMillis(2500));
        assertThat(p.termToKill()).isEqualTo(Duration.ofSeconds(3));
        assertThat(p.identity().proctitleRe()).isEmpty();
        assertThat(p.emailAlerts()).containsExactly("a@example.com", "b@example.com");
        assertThat(p.monitor().rssLimitBytes()).as("usrsvc's rss_limit is KiB").isEqualTo(1024L * 1024);
        assertThat(p.monitor().activityFileLimit()).contains(Duration.ofSeconds(15));
    }

    @Test
    void messages_readWell() throws Exception {
        Path file = write("typo.toml", """
                [service.web]
                command = "/bin/web"
                sucess_seconds = "2s"
                restart_delay = "soon"
                """);

        assertThat(errors(file))
                .extracting(ConfigError::toString)
                .containsExactly(
                        file + ":3: service.web.sucess_seconds: unknown key 'sucess_seconds'; did you mean"
                                + " 'success_seconds'?",
                        file + ":4: service.web.restart_delay: a duration such as \"30s\", \"5m\", \"1h30m\","
                                + " \"250ms\", \"0.3s\" or a number of seconds (found \"soon\")");
    }

    @Test
    void duplicateService_namesBothPlaces() throws Exception {
        write("a.toml", "\n\n[service.web]\ncommand = \"/bin/a\"\n");
        write("conf.d/b.toml", "# b\n\n\n\n\n\n[service.web]\ncommand = \"/bin/b\"\n");
        Path main = write("main.toml", "include = [\"a.toml\", \"conf.d/*.toml\"]\n");

        assertThat(errors(main))
                .extracting(ConfigError::rule)
                .containsExactly("service 'web' is defined twice: a.toml:3 and conf.d/b.toml:7; rename or remove one");
    }
}
