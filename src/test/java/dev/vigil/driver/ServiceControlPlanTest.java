package dev.vigil.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.config.ConfigLoader;
import dev.vigil.config.ServiceConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.driver.ServiceControl.Action;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What start, stop and restart mean once requires/after and groups are counted. */
class ServiceControlPlanTest {
    @TempDir
    Path dir;

    private ServiceControl control;

    @BeforeEach
    void load() throws Exception {
        Path file = dir.resolve("vigil.toml");
        Files.writeString(file, """
                state_dir = "%s"
                [service.web]
                command = "/bin/sleep 1"
                requires = ["app"]
                groups = ["front"]
                [service.app]
                command = "/bin/sleep 2"
                requires = ["db"]
                after = ["cache"]
                groups = ["front"]
                [service.db]
                command = "/bin/sleep 3"
                [service.cache]
                command = "/bin/sleep 4"
                [service.cron]
                command = "/bin/sleep 5"
                [host.web1]
                classes = ["web"]
                [service.remote]
                driver = "systemd"
                unit = "remote.service"
                hosts = "web"
                """.formatted(dir.resolve("state")));
        VigilConfig config = ConfigLoader.load(file);
        control = new ServiceControl(config, Drivers.local(config));
    }

    private static List<List<String>> names(ServiceControl.Step step) {
        return step.waves().stream()
                .map(w -> w.stream().map(ServiceConfig::name).toList())
                .toList();
    }

    private List<ServiceConfig> select(String... names) throws Exception {
        return control.select(List.of(names)).targets();
    }

    @Test
    void start_pullsInWhatIsRequired_inDependencyWaves() throws Exception {
        List<ServiceControl.Step> plan = control.plan(Action.START, select("web"));

        assertThat(plan).hasSize(1);
        assertThat(plan.getFirst().action()).isEqualTo(Action.START);
        assertThat(names(plan.getFirst())).containsExactly(List.of("db"), List.of("app"), List.of("web"));
    }

    @Test
    void startAll_respectsAfter_andKeepsIndependentServicesInOneWave() throws Exception {
        List<ServiceControl.Step> plan = control.plan(Action.START, select("all"));

        assertThat(names(plan.getFirst()))
                .containsExactly(List.of("db", "cache", "cron"), List.of("app"), List.of("web"));
    }

    @Test
    void stop_takesDownWhatRequiresIt_first() throws Exception {
        List<ServiceControl.Step> plan = control.plan(Action.STOP, select("db"));

        assertThat(names(plan.getFirst())).containsExactly(List.of("web"), List.of("app"), List.of("db"));
    }

    @Test
    void restart_ofARequiredService_stopsDependentsThenStartsAllInOrder() throws Exception {
        List<ServiceControl.Step> plan = control.plan(Action.RESTART, select("app"));

        assertThat(plan).extracting(ServiceControl.Step::action).containsExactly(Action.STOP, Action.START);
        assertThat(names(plan.get(0))).containsExactly(List.of("web"), List.of("app"));
        assertThat(names(plan.get(1))).containsExactly(List.of("db"), List.of("app"), List.of("web"));
    }

    @Test
    void restart_ofALeaf_isASimpleRestart() throws Exception {
        List<ServiceControl.Step> plan = control.plan(Action.RESTART, select("cron"));

        assertThat(plan).extracting(ServiceControl.Step::action).containsExactly(Action.RESTART);
    }

    @Test
    void groups_selectTheirMembers_unknownGroupsSaySoAndListTheKnownOnes() throws Exception {
        assertThat(select("group:front")).extracting(ServiceConfig::name).containsExactly("web", "app");
        assertThatThrownBy(() -> select("group:back"))
                .isInstanceOf(UnknownServiceException.class)
                .hasMessageContaining("no group named \"back\"")
                .hasMessageContaining("(groups: front)");
    }

    @Test
    void aServiceForFleetHosts_isLeftOutOfAll_andRefusedByName() throws Exception {
        ServiceControl.Selection all = control.select(List.of("all"));

        assertThat(all.targets()).extracting(ServiceConfig::name).doesNotContain("remote");
        assertThat(all.skippedDisabled()).extracting(ServiceConfig::name).containsExactly("remote");
        assertThatThrownBy(() -> select("remote"))
                .isInstanceOf(UnknownServiceException.class)
                .hasMessageStartingWith("remote: runs on the fleet hosts matching 'web'");
    }
}
