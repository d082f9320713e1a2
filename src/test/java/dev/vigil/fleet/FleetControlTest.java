package dev.vigil.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.driver.Drivers;
import dev.vigil.testing.LocalHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Status and repair across hosts, with real commands: each "host" is this machine, its shell exporting
 * {@code VIGIL_HOST}, and the services' init-script-like commands keep one marker file per host.
 */
class FleetControlTest {
    @TempDir
    Path dir;

    private VigilConfig load() throws Exception {
        Path file = dir.resolve("vigil.toml");
        Files.writeString(file, """
                state_dir = "%1$s/state"

                [host."h[1-3]"]
                classes = ["web"]
                [host.db1]
                classes = ["db"]

                [defaults.marker]
                driver = "command"
                inherit_env = true
                start = "touch %1$s/$VIGIL_HOST.$SERVICE"
                stop = "rm -f %1$s/$VIGIL_HOST.$SERVICE"
                status = "test -e %1$s/$VIGIL_HOST.$SERVICE || exit 3"

                [service.web]
                defaults = "marker"
                env = { SERVICE = "web" }
                hosts = "web"

                [service.broken]
                defaults = "marker"
                env = { SERVICE = "broken" }
                start = "echo no disk space >&2; exit 1"
                hosts = "db"

                [service.off]
                defaults = "marker"
                env = { SERVICE = "off" }
                enabled = false
                hosts = "any"

                [service.local]
                command = "sleep 1000"
                """.formatted(dir));
        return ConfigLoader.load(file);
    }

    private FleetControl control(VigilConfig config) {
        return new FleetControl(config.services(), config.inventory(), new LocalHosts(2), Drivers::remote);
    }

    private static Map<String, FleetReport.Outcome> outcomes(List<FleetReport.Host> reports) {
        Map<String, FleetReport.Outcome> map = new java.util.TreeMap<>();
        reports.forEach(h -> h.services().forEach(s -> map.put(h.host().name() + "/" + s.name(), s.outcome())));
        return map;
    }

    @Test
    void placements_followEachServicesClassExpression_andLeaveLocalServicesOut() throws Exception {
        FleetControl control = control(load());

        var placed = control.placements(new ClassExpression.Name("any"), List.of());

        assertThat(placed.keySet()).extracting(Inventory.Host::name).containsExactly("h1", "h2", "h3", "db1");
        assertThat(placed.values())
                .allSatisfy(services ->
                        assertThat(services).extracting(s -> s.name()).doesNotContain("local"));
        assertThat(control.placements(ClassExpression.parse("web&!h2"), List.of("web"))
                        .keySet())
                .extracting(Inventory.Host::name)
                .containsExactly("h1", "h3");
        assertThatThrownBy(() -> control.placements(new ClassExpression.Name("any"), List.of("local")))
                .hasMessageContaining("no fleet service is called 'local'")
                .hasMessageContaining("web, broken, off");
    }

    @Test
    void status_reportsEachHost_andChangesNothing() throws Exception {
        Files.createFile(dir.resolve("h2.web"));
        FleetControl control = control(load());

        List<FleetReport.Host> reports = control.status(new ClassExpression.Name("any"), List.of());

        assertThat(outcomes(reports))
                .containsEntry("h1/web", FleetReport.Outcome.DOWN)
                .containsEntry("h2/web", FleetReport.Outcome.RUNNING)
                .containsEntry("h3/web", FleetReport.Outcome.DOWN)
                .containsEntry("db1/broken", FleetReport.Outcome.DOWN)
                .containsEntry("h1/off", FleetReport.Outcome.DISABLED);
        assertThat(reports).allSatisfy(h -> assertThat(h.unreachable()).isEmpty());
        assertThat(dir.resolve("h1.web")).doesNotExist();
        assertThat(FleetReport.anyBad(reports)).isTrue();
    }

    @Test
    void checkWithRepair_startsWhatMustRun_reportsWhatFailedWithItsOutput_andLeavesDisabledAlone() throws Exception {
        Files.createFile(dir.resolve("h2.web"));
        FleetControl control = control(load());

        List<FleetReport.Host> reports = control.check(new ClassExpression.Name("any"), List.of(), true);

        assertThat(outcomes(reports))
                .containsEntry("h1/web", FleetReport.Outcome.REPAIRED)
                .containsEntry("h2/web", FleetReport.Outcome.RUNNING)
                .containsEntry("h3/web", FleetReport.Outcome.REPAIRED)
                .containsEntry("db1/broken", FleetReport.Outcome.REPAIR_FAILED)
                .containsEntry("db1/off", FleetReport.Outcome.DISABLED);
        assertThat(dir.resolve("h1.web")).exists();
        assertThat(dir.resolve("h1.off")).doesNotExist();
        FleetReport.Service broken = reports.stream()
                .filter(h -> h.host().name().equals("db1"))
                .flatMap(h -> h.services().stream())
                .filter(s -> s.name().equals("broken"))
                .findFirst()
                .orElseThrow();
        assertThat(broken.message()).contains("no disk space");

        // A second run finds everything that can run running: CFEngine's convergence.
        assertThat(outcomes(control.check(new ClassExpression.Name("web"), List.of(), true)))
                .containsOnly(
                        Map.entry("h1/web", FleetReport.Outcome.RUNNING),
                        Map.entry("h2/web", FleetReport.Outcome.RUNNING),
                        Map.entry("h3/web", FleetReport.Outcome.RUNNING),
                        Map.entry("h1/off", FleetReport.Outcome.DISABLED),
                        Map.entry("h2/off", FleetReport.Outcome.DISABLED),
                        Map.entry("h3/off", FleetReport.Outcome.DISABLED));
    }

    @Test
    void checkWithoutRepair_onlyReports() throws Exception {
        FleetControl control = control(load());

        assertThat(outcomes(control.check(new ClassExpression.Name("h1"), List.of("web"), false)))
                .containsOnly(Map.entry("h1/web", FleetReport.Outcome.DOWN));
        assertThat(dir.resolve("h1.web")).doesNotExist();
    }
}
