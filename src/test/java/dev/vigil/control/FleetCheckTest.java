package dev.vigil.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.alert.Alert;
import dev.vigil.config.AlertsSpec;
import dev.vigil.config.ConfigLoader;
import dev.vigil.config.VigilConfig;
import dev.vigil.fleet.FleetSupervisor;
import dev.vigil.fleet.HostShells;
import dev.vigil.fleet.OpenFleet;
import dev.vigil.metrics.MergedSamples;
import dev.vigil.metrics.ServiceSample;
import dev.vigil.metrics.VigilMetrics;
import dev.vigil.store.Event;
import dev.vigil.store.EventQuery;
import dev.vigil.store.Store;
import dev.vigil.supervise.Phase;
import dev.vigil.supervise.RestartPolicy;
import dev.vigil.supervise.StoreJournal;
import dev.vigil.testing.LocalHosts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's fleet check wired as the daemon wires it (journal, alerts, merged metrics), with real commands per
 * host: each "host" is this machine, its shell exporting {@code VIGIL_HOST}, and a service's commands keep one marker
 * file per host. A fake clock moves the machines' timers; passes are run by the test, one at a time.
 */
class FleetCheckTest {
    @TempDir
    Path dir;

    private final MovableClock clock = new MovableClock();
    /** Each host is this machine; {@code hosts.cutOff} are down, {@code hosts.commands} what ran where. */
    private final LocalHosts hosts = new LocalHosts(2);

    private final Set<String> cutOff = hosts.cutOff;
    private final List<String> commands = hosts.commands;

    private Store store;
    private Alerting alerting;
    private VigilMetrics metrics;
    private MergedSamples samples;
    private FleetSupervisor fleet;

    @BeforeEach
    void setUp() {
        store = Store.open(dir.resolve("state/state.db"));
        alerting = new Alerting(AlertsSpec.LOG_ONLY, store, clock, "vigilhost");
        metrics = new VigilMetrics("test", clock);
        samples = new MergedSamples(metrics);
    }

    @AfterEach
    void tearDown() {
        if (fleet != null) {
            fleet.close();
        }
        alerting.close();
        store.close();
    }

    private VigilConfig load(String webHosts, String interval) throws Exception {
        Path file = dir.resolve("vigil.toml");
        Files.writeString(file, """
                state_dir = "%1$s/state"
                fleet_check_interval = "%3$s"

                [host."h[1-3]"]
                classes = ["web"]

                [service.web]
                driver = "command"
                inherit_env = true
                start = "touch %1$s/$VIGIL_HOST.web"
                stop = "rm -f %1$s/$VIGIL_HOST.web"
                status = "test -e %1$s/$VIGIL_HOST.web || exit 3"
                hosts = "%2$s"
                confirm = 2
                confirm_interval = "5s"
                restart_delay = "10s"

                [service.local]
                command = "sleep 1000"
                """.formatted(dir, webHosts, interval));
        return ConfigLoader.load(file);
    }

    private FleetSupervisor supervise(VigilConfig config) {
        TellingJournal journal = new TellingJournal(new StoreJournal(store, clock), metrics, alerting, clock);
        fleet = new FleetSupervisor(
                config, c -> new OpenFleet(c, shells(), () -> {}), RestartPolicy::of, journal, clock);
        fleet.onPass(pass -> {
            samples.fleet(pass.samples());
            metrics.fleetChecked(pass.hostsUp(), pass.took());
        });
        return fleet;
    }

    private HostShells shells() {
        return hosts;
    }

    private static final class MovableClock implements InstantSource {
        private volatile Instant now = Instant.parse("2026-12-01T10:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    private Path marker(String host) {
        return dir.resolve(host + ".web");
    }

    private List<String> kinds(String service) {
        return store.events(new EventQuery(Optional.of(service), Optional.empty(), Optional.empty(), 100)).stream()
                .map(Event::kind)
                .toList();
    }

    private Optional<Alert> firing(String alertName, String host) {
        return alerting.firing().stream()
                .filter(a -> a.name().equals(alertName) && a.host().equals(host))
                .findFirst();
    }

    private void allRunning() throws Exception {
        for (String host : List.of("h1", "h2", "h3")) {
            Files.createFile(marker(host));
        }
    }

    @Test
    void aDeadServiceOnOneHost_isConfirmed_thenRestartedAfterItsBackOff_withEventsAndAlertsOfThatHost()
            throws Exception {
        allRunning();
        supervise(load("web", "1m"));
        assertThat(fleet.check(true).fine()).isEqualTo(3);
        assertThat(kinds("web@h2")).containsExactly("adopted");

        Files.delete(marker("h2"));
        clock.advance(Duration.ofMinutes(1));
        FleetSupervisor.Pass seen = fleet.check(true);
        assertThat(seen)
                .extracting(FleetSupervisor.Pass::fine, FleetSupervisor.Pass::down)
                .containsExactly(2, 1);
        assertThat(kinds("web@h2")).containsExactly("adopted"); // one look is not a death: confirm = 2

        clock.advance(Duration.ofSeconds(5));
        FleetSupervisor.Pass confirmed = fleet.check(false);
        assertThat(confirmed.hosts())
                .as("a re-check works only on the host that asked")
                .isEqualTo(1);
        assertThat(kinds("web@h2")).containsExactly("adopted", "died", "backing_off");
        assertThat(firing("ServiceDown", "h2")).get().extracting(Alert::service).isEqualTo("web");
        assertThat(firing("ServiceDown", "h1")).isEmpty();

        clock.advance(Duration.ofSeconds(9));
        assertThat(fleet.check(false).hosts()).as("back-off not over").isZero();
        assertThat(marker("h2")).doesNotExist();

        clock.advance(Duration.ofSeconds(1));
        assertThat(fleet.check(false).repaired()).isEqualTo(1);
        assertThat(marker("h2")).exists();
        assertThat(kinds("web@h2")).containsExactly("adopted", "died", "backing_off", "restarted");
        assertThat(kinds("web@h1")).containsExactly("adopted");
        assertThat(firing("ServiceDown", "h2")).isEmpty();
        assertThat(store.events(new EventQuery(Optional.of("web@h2"), Optional.empty(), Optional.empty(), 1)))
                .singleElement()
                .extracting(Event::host)
                .isEqualTo("h2");
        assertThat(metrics.text()).contains("vigil_restarts_total{host=\"h2\",reason=\"died\",service=\"web\"} 1.0");
    }

    @Test
    void anUnreachableHost_isReportedOnce_nothingIsStartedOnIt_andTheOtherHostsAreRepairedInTheSamePass()
            throws Exception {
        cutOff.add("h3");
        supervise(load("web", "1m"));

        FleetSupervisor.Pass first = fleet.check(true);

        assertThat(first)
                .extracting(FleetSupervisor.Pass::repaired, FleetSupervisor.Pass::unreachable)
                .containsExactly(2, 1);
        assertThat(marker("h1")).exists();
        assertThat(marker("h2")).exists();
        assertThat(commands).filteredOn(c -> c.startsWith("h3: ")).hasSize(1); // one status, no start
        assertThat(kinds("web@h3")).containsExactly("host_unreachable");
        assertThat(firing("HostUnreachable", "h3")).isPresent();

        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThat(fleet.check(true).unreachable()).isEqualTo(1);
        }
        assertThat(kinds("web@h3")).as("once per transition").containsExactly("host_unreachable");
        assertThat(commands).filteredOn(c -> c.startsWith("h3: ")).hasSize(4).allMatch(c -> c.contains("test -e"));
        assertThat(metrics.text())
                .contains("vigil_fleet_host_up{host=\"h3\"} 0.0")
                .contains("vigil_fleet_host_up{host=\"h1\"} 1.0")
                .contains("vigil_service_up{host=\"h3\",service=\"web\"} 0.0");

        cutOff.remove("h3");
        clock.advance(Duration.ofMinutes(1));
        assertThat(fleet.check(true).repaired()).isEqualTo(1);
        assertThat(marker("h3")).exists();
        assertThat(kinds("web@h3")).containsExactly("host_unreachable", "host_reachable", "started");
        assertThat(firing("HostUnreachable", "h3")).isEmpty();
        assertThat(metrics.text()).contains("vigil_fleet_host_up{host=\"h3\"} 1.0");
    }

    @Test
    void fleetSeriesCarryTheirHost_localSeriesSurviveAFleetUpdate_andAReloadKeepsTheMachinesThatRemain()
            throws Exception {
        allRunning();
        samples.local(List.of(new ServiceSample("local", VigilMetrics.LOCAL_HOST, Phase.UP, true, true, false)));
        supervise(load("web", "1m"));
        fleet.check(true);

        assertThat(metrics.text())
                .contains("vigil_service_up{host=\"\",service=\"local\"} 1.0")
                .contains("vigil_service_up{host=\"h1\",service=\"web\"} 1.0")
                .contains("vigil_service_up{host=\"h2\",service=\"web\"} 1.0");

        samples.local(List.of(new ServiceSample("local", VigilMetrics.LOCAL_HOST, Phase.UP, true, true, false)));
        assertThat(metrics.text()).contains("vigil_service_up{host=\"h2\",service=\"web\"} 1.0");

        List<String> changes = new ArrayList<>();
        fleet.reconfigure(load("h1|h3", "1m")).thenAccept(changes::addAll);
        fleet.check(true);

        assertThat(changes).containsExactly("web@h2: removed (no longer supervised; left as it is)");
        assertThat(metrics.text())
                .contains("vigil_service_up{host=\"\",service=\"local\"} 1.0")
                .contains("vigil_service_up{host=\"h1\",service=\"web\"} 1.0")
                .doesNotContain("host=\"h2\"");
        assertThat(kinds("web@h1")).as("kept its machine: not adopted again").containsExactly("adopted");
        assertThat(fleet.snapshots()).extracting(s -> s.name()).containsExactly("web@h1", "web@h3");
    }

    @Test
    void started_itChecksOnItsOwnThread_everyInterval() throws Exception {
        VigilConfig config = load("web", "200ms");
        FleetSupervisor running = new FleetSupervisor(
                config,
                c -> new OpenFleet(c, shells(), () -> {}),
                RestartPolicy::of,
                new TellingJournal(new StoreJournal(store, clock), metrics, alerting, clock),
                InstantSource.system());
        fleet = running;
        running.start();

        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(marker("h3")));
        Files.delete(marker("h1")); // confirm = 2, 5 s apart, then a 10 s back-off: not repaired within this test
        await().atMost(Duration.ofSeconds(20))
                .until(() -> running.snapshots().getFirst().phase() == Phase.CONFIRMING);
    }

    @Test
    void aPersonsRequestForOnePlacement_goesThroughItsMachine_andAStopIsRemembered() throws Exception {
        allRunning();
        supervise(load("web", "1m"));
        fleet.check(true);

        var stopped = fleet.request("web@h2", dev.vigil.supervise.Input.Request.STOP, "cli:test");
        assertThat(stopped.ok()).as(stopped.message()).isTrue();
        assertThat(marker("h2")).doesNotExist();
        assertThat(marker("h1")).exists();

        // a stopped placement is not "repaired" by the next pass
        clock.advance(Duration.ofMinutes(2));
        fleet.check(true);
        assertThat(marker("h2")).doesNotExist();

        var reset = fleet.request("web@h2", dev.vigil.supervise.Input.Request.RESET, "cli:test");
        assertThat(reset.ok()).as(reset.message()).isTrue();
        var started = fleet.request("web@h2", dev.vigil.supervise.Input.Request.START, "cli:test");
        assertThat(started.ok()).as(started.message()).isTrue();
        assertThat(marker("h2")).exists();
        assertThat(kinds("web@h2")).contains("stopped", "started");
    }
}
