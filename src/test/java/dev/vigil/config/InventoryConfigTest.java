package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.fleet.ClassExpression;
import dev.vigil.fleet.Inventory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [host.NAME]} and {@code [hostgroup.NAME]} become {@link VigilConfig#inventory()}; services' {@code hosts}. */
class InventoryConfigTest {
    @TempDir
    Path dir;

    private static final Path HOME = Path.of("/home/me");

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private Inventory inventory(String text) throws IOException, ConfigException {
        return ConfigLoader.load(write("vigil.toml", text), Map.of(), false, HOME)
                .inventory();
    }

    private List<ConfigError> errors(String text) throws IOException {
        ConfigException e = catchThrowableOfType(
                ConfigException.class, () -> ConfigLoader.load(write("vigil.toml", text), Map.of(), false, HOME));
        assertThat(e).as("a ConfigException").isNotNull();
        return e.errors();
    }

    private static List<String> names(List<Inventory.Host> hosts) {
        return hosts.stream().map(Inventory.Host::name).toList();
    }

    @Test
    void noHosts_isAnEmptyInventory() throws Exception {
        assertThat(inventory("[service.a]\ncommand = \"sleep 100\"\n").hosts()).isEmpty();
    }

    @Test
    void host_withEveryKey_andDefaults() throws Exception {
        Inventory inventory = inventory("""
                [host.web1]
                address = "10.0.0.7"
                port = 2222
                user = "deploy"
                key = "/etc/vigil/id_ed25519"
                classes = ["web", "linux"]

                [host."dns-1.example.org"]
                """);

        assertThat(inventory.hosts())
                .containsExactly(
                        new Inventory.Host(
                                "web1",
                                "10.0.0.7",
                                2222,
                                Optional.of("deploy"),
                                Optional.of(Path.of("/etc/vigil/id_ed25519")),
                                java.util.Set.of("any", "web1", "web", "linux"),
                                new Origin(dir.resolve("vigil.toml"), 1)),
                        new Inventory.Host(
                                "dns-1.example.org",
                                "dns-1.example.org",
                                22,
                                Optional.empty(),
                                Optional.empty(),
                                java.util.Set.of("any", "dns_1"),
                                new Origin(dir.resolve("vigil.toml"), 8)));
    }

    @Test
    void range_expandsToHosts_withTheTablesClasses() throws Exception {
        Inventory inventory = inventory("""
                [host."xrd[01-40].example.org"]
                classes = ["xrootd"]
                user = "ops"
                """);

        assertThat(inventory.hosts()).hasSize(40);
        Inventory.Host first = inventory.hosts().getFirst();
        assertThat(first.name()).isEqualTo("xrd01.example.org");
        assertThat(first.address()).isEqualTo("xrd01.example.org");
        assertThat(first.user()).contains("ops");
        assertThat(first.classes()).containsExactlyInAnyOrder("any", "xrd01", "xrootd");
        assertThat(inventory.hosts().getLast().name()).isEqualTo("xrd40.example.org");
    }

    @Test
    void hostgroups_addTheirClassesToTheirMembers_andSelectFindsThem() throws Exception {
        Inventory inventory = inventory("""
                [host.web]
                [host.dns]
                [host.db]
                [host."xrd[01-08]"]

                [hostgroup.frontends]
                hosts = ["web", "dns", "xrd[01-02]"]
                classes = ["front", "monitored"]

                [hostgroup.storage]
                hosts = ["xrd[02-04]"]
                classes = ["storage"]
                """);

        assertThat(inventory.host("xrd02").orElseThrow().classes())
                .containsExactlyInAnyOrder("any", "xrd02", "front", "monitored", "storage");
        assertThat(names(inventory.select(ClassExpression.parse("web|dns")))).containsExactly("web", "dns");
        assertThat(names(inventory.select(ClassExpression.parse("front&!storage"))))
                .containsExactly("web", "dns", "xrd01");
        assertThat(names(inventory.select(ClassExpression.parse("any")))).hasSize(11);
        assertThat(names(inventory.select(ClassExpression.parse("storage.front"))))
                .containsExactly("xrd02");
    }

    @Test
    void duplicateHosts_acrossFiles_nameBothPlaces() throws Exception {
        write("a.toml", "[host.\"n[1-3]\"]\n");
        write("b.toml", "\n[host.n2]\n");
        List<ConfigError> errors = errors("include = [\"a.toml\", \"b.toml\"]\n");

        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst().file()).isEqualTo(dir.resolve("b.toml"));
        assertThat(errors.getFirst().line()).isEqualTo(2);
        assertThat(errors.getFirst().toString()).contains("host 'n2' is defined twice: a.toml:1 and b.toml:2");
    }

    @Test
    void badValues_areReportedWithFileLineAndKey() throws Exception {
        List<ConfigError> errors = errors("""
                [host.a]
                port = 0
                classes = ["Web"]
                key = "id_rsa"
                user = "two words"
                colour = "red"
                """);

        assertThat(errors)
                .extracting(ConfigError::key, ConfigError::line)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("host.a.port", 2),
                        org.assertj.core.groups.Tuple.tuple("host.a.classes", 3),
                        org.assertj.core.groups.Tuple.tuple("host.a.key", 4),
                        org.assertj.core.groups.Tuple.tuple("host.a.user", 5),
                        org.assertj.core.groups.Tuple.tuple("host.a.colour", 6));
    }

    @Test
    void serviceHosts_isValidatedAsAClassExpression() throws Exception {
        assertThat(ConfigLoader.load(
                                write(
                                        "ok.toml",
                                        "[host.dns]\n[service.a]\ndriver = \"systemd\"\nunit = \"a.service\"\nhosts = \"web|dns\"\n"),
                                Map.of(),
                                false,
                                HOME)
                        .services())
                .hasSize(1);

        List<ConfigError> errors =
                errors("[service.a]\ndriver = \"systemd\"\nunit = \"a.service\"\nhosts = \"web&(dns\"\n");
        assertThat(errors).hasSize(1);
        assertThat(errors.getFirst().key()).isEqualTo("service.a.hosts");
        assertThat(errors.getFirst().line()).isEqualTo(4);
        assertThat(errors.getFirst().toString()).contains("unexpected end at column 9 in 'web&(dns'");
    }

    @Test
    void defaultsHosts_isValidatedToo() throws Exception {
        List<ConfigError> errors = errors("[defaults.d]\nhosts = \"web|\"\n");
        assertThat(errors).extracting(ConfigError::key).containsExactly("defaults.d.hosts");
    }

    @Test
    void fleetDocExample_loads() throws Exception {
        String doc = Files.readString(Path.of("docs/fleet.md"));
        String section = doc.substring(doc.indexOf("## The inventory"));
        int start = section.indexOf("```toml\n") + "```toml\n".length();
        VigilConfig config = ConfigLoader.load(
                write("fleet.toml", section.substring(start, section.indexOf("```", start))), Map.of(), false, HOME);

        Inventory inventory = config.inventory();
        assertThat(inventory.hosts()).hasSize(42);
        assertThat(inventory.host("web").orElseThrow().classes())
                .containsExactlyInAnyOrder("any", "web", "linux", "frontend");
        assertThat(inventory.host("xrd02.example.org").orElseThrow().classes())
                .containsExactlyInAnyOrder("any", "xrd02", "xrootd", "storage", "backed_up");
        assertThat(names(inventory.select(ClassExpression.parse("storage&!dns"))))
                .containsExactly("xrd01.example.org", "xrd02.example.org", "xrd03.example.org", "xrd04.example.org");
        assertThat(config.service("ldap").orElseThrow().hosts()).contains(ClassExpression.parse("web|dns"));
    }

    @Test
    void hostNames_areCaseInsensitive_forDuplicatesAndGroups() throws Exception {
        List<ConfigError> errors = errors("[host.Web1]\n[host.web1]\n");
        assertThat(errors)
                .extracting(ConfigError::key, ConfigError::line)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("host.web1", 2));

        Inventory inventory = inventory("[host.Web1]\n[hostgroup.g]\nhosts = [\"web1\"]\nclasses = [\"front\"]\n");
        assertThat(inventory.hosts().getFirst().name()).isEqualTo("Web1");
        assertThat(inventory.hosts().getFirst().classes()).containsExactlyInAnyOrder("any", "web1", "front");
    }

    @Test
    void serviceHosts_mustSelectAHost() throws Exception {
        List<ConfigError> errors = errors("""
                [host.web1]
                classes = ["web"]

                [defaults.d]
                hosts = "wbe"

                [service.a]
                defaults = "d"
                driver = "systemd"
                unit = "a.service"

                [service.b]
                driver = "systemd"
                unit = "b.service"
                hosts = "web&!web1"
                """);

        assertThat(errors)
                .extracting(ConfigError::key, ConfigError::line)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("defaults.d.hosts", 5),
                        org.assertj.core.groups.Tuple.tuple("service.b.hosts", 15));
        assertThat(errors.get(1).toString()).contains("'web&!web1' selects none (classes: any, web, web1)");

        assertThat(errors("[service.a]\ndriver = \"systemd\"\nunit = \"a.service\"\nhosts = \"any\"\n")
                        .getFirst()
                        .toString())
                .contains("there are no [host.NAME] tables");
    }
}
