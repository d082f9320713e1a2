package dev.vigil.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sudoers drop-in is derived from the configuration: exactly the commands Vigil runs through sudo on a host. */
class SetupSudoRulesTest {
    @TempDir
    Path dir;

    private static final String HOSTS = """
            [ssh]
            user = "vigilops"
            sudo = true

            [host.xrd01]
            classes = ["xrootd", "data"]
            [host.xrd02]
            classes = ["xrootd", "data"]
            [host.rdr]
            classes = ["xrootd", "redirector"]
            [host.web]
            classes = ["web"]
            """;

    private VigilConfig load(String text) throws Exception {
        Path file = Files.writeString(dir.resolve("vigil.toml"), HOSTS + text);
        return ConfigLoader.load(file, Map.of(), false, dir);
    }

    private static List<String> commands(VigilConfig config, String host) {
        return SudoRules.forHost(config, config.inventory().host(host).orElseThrow()).commands().stream()
                .map(Object::toString)
                .toList();
    }

    @Test
    void theXrootdPreset_allowsItsStepsAndTheRepair_onTheDataServersOnly() throws Exception {
        VigilConfig config = load("""
                [rollout.xrd]
                preset = "xrootd"
                hosts = "data"
                manager = "redirector"
                """);

        assertThat(commands(config, "xrd01"))
                .containsExactly(
                        "systemctl stop -- cmsd@cluster.service",
                        "systemctl restart -- xrootd@cluster.service",
                        "systemctl start -- cmsd@cluster.service",
                        "systemctl start -- xrootd@cluster.service");
        assertThat(commands(config, "rdr")).isEmpty();
        assertThat(commands(config, "web")).isEmpty();
    }

    @Test
    void notStoppingKill_addsTheKillOfEachStoppedUnit_withItsEqualsSignEscapedForSudoers() throws Exception {
        VigilConfig config = load("""
                [rollout.xrd]
                preset = "xrootd"
                hosts = "data"
                cmsd_unit = "cmsd@other"
                not_stopping = "kill"
                """);
        SudoRules.Derived derived =
                SudoRules.forHost(config, config.inventory().host("xrd02").orElseThrow());

        assertThat(derived.commands().getLast()).hasToString("systemctl kill --signal=SIGKILL -- cmsd@other.service");
        assertThat(derived.units()).containsExactly("cmsd@other.service", "xrootd@cluster.service");
        assertThat(SudoRules.render("vigilops", "xrd02", "/usr/bin/systemctl", derived.commands()))
                .isEqualTo("""
                        # Installed by 'vigil setup hosts'.
                        # The systemctl commands Vigil's configuration runs on xrd02 as vigilops, and no others.
                        # Do not edit: 'vigil setup hosts' rewrites it, 'vigil setup hosts --remove' deletes it.
                        vigilops ALL=(root) NOPASSWD: /usr/bin/systemctl stop -- cmsd@other.service
                        vigilops ALL=(root) NOPASSWD: /usr/bin/systemctl restart -- xrootd@cluster.service
                        vigilops ALL=(root) NOPASSWD: /usr/bin/systemctl start -- cmsd@other.service
                        vigilops ALL=(root) NOPASSWD: /usr/bin/systemctl start -- xrootd@cluster.service
                        vigilops ALL=(root) NOPASSWD: /usr/bin/systemctl kill --signal\\=SIGKILL -- cmsd@other.service
                        """);
    }

    @Test
    void aFleetService_getsStartStopRestart_onTheHostsItIsPlacedOn_andCommandServicesAreNamedAsUncovered()
            throws Exception {
        VigilConfig config = load("""
                [service.nginx]
                driver = "systemd"
                unit = "nginx"
                hosts = "web"

                [service.legacy]
                driver = "command"
                start = "/etc/init.d/legacy start"
                stop = "/etc/init.d/legacy stop"
                status = "/etc/init.d/legacy status"
                hosts = "web"
                """);
        SudoRules.Derived web =
                SudoRules.forHost(config, config.inventory().host("web").orElseThrow());

        assertThat(web.commands())
                .extracting(Object::toString)
                .containsExactly(
                        "systemctl start -- nginx.service",
                        "systemctl stop -- nginx.service",
                        "systemctl restart -- nginx.service");
        assertThat(web.uncovered()).singleElement().asString().startsWith("service legacy uses driver \"command\"");
        assertThat(commands(config, "xrd01")).isEmpty();
    }

    @Test
    void aUnitWithShellOrSudoersMetacharacters_neverGetsThatFar() throws Exception {
        ConfigException e =
                org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class, () -> load("""
                        [rollout.xrd]
                        preset = "xrootd"
                        hosts = "data"
                        cmsd_unit = "cmsd@cluster;id"
                        """));
        assertThat(e.errors()).singleElement().asString().contains("cmsd_unit");

        for (String unit : List.of("x;id", "x y", "x$(id)", "x*", "-x", "a,b", "x`id`")) {
            assertThatThrownBy(() -> new SudoRules.Command("stop", List.of(), unit))
                    .as(unit)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void sudoersEscaping_backslashesColonsCommasAndEquals_andRefusesWildcards() {
        assertThat(SudoRules.escape("foo\\x2dbar:baz.service")).isEqualTo("foo\\\\x2dbar\\:baz.service");
        assertThat(SudoRules.escape("--signal=SIGKILL")).isEqualTo("--signal\\=SIGKILL");
        for (String bad : List.of("*", "a?", "[ab]", "a b", "ALL\"", "x\ny", "")) {
            assertThatThrownBy(() -> SudoRules.escape(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void hostileUserNames_andSystemctlPaths_areRefused() {
        List<SudoRules.Command> one = List.of(new SudoRules.Command("start", List.of(), "a.service"));
        for (String user : List.of("root ALL=(ALL) ALL", "a;b", "-rf", "ALL,x", "", "x\ny")) {
            assertThatThrownBy(() -> SudoRules.render(user, "h", "/usr/bin/systemctl", one))
                    .as(user)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SudoRules.fileName(user)).isInstanceOf(IllegalArgumentException.class);
        }
        for (String path : List.of("systemctl", "/usr/bin/systemctl ALL", "/bin/*", "")) {
            assertThatThrownBy(() -> SudoRules.render("vigil", "h", path, one))
                    .as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SudoRules.render("vigil", "h", "/usr/bin/systemctl", List.of()))
                .hasMessageContaining("no command to allow");
        assertThat(SudoRules.fileName("svc.ops")).isEqualTo("vigil-svc_ops");
    }
}
