package dev.vigil.fleet;

import dev.vigil.config.ServiceConfig;
import dev.vigil.driver.ActionResult;
import dev.vigil.driver.Driver;
import dev.vigil.driver.ServiceState;
import dev.vigil.driver.ServiceStatus;
import dev.vigil.shell.Shell;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The fleet's services, host by host: which service runs where (a service's {@code hosts} class expression against
 * the inventory), what state each is in, and CFEngine's repair (start what must run and does not). Hosts are worked on
 * in parallel, at most {@link HostShells#fanout()} at once; an unreachable host is reported and never holds up the
 * others.
 */
public final class FleetControl {
    private final List<ServiceConfig> services;
    private final Inventory inventory;
    private final HostShells shells;
    private final BiFunction<ServiceConfig, Shell, Driver> drivers;

    /**
     * @param services every configured service; those without {@code hosts} are not the fleet's and are ignored
     * @param drivers builds a service's driver on a host's shell
     */
    public FleetControl(
            List<ServiceConfig> services,
            Inventory inventory,
            HostShells shells,
            BiFunction<ServiceConfig, Shell, Driver> drivers) {
        this.services = services.stream().filter(s -> s.hosts().isPresent()).toList();
        this.inventory = inventory;
        this.shells = shells;
        this.drivers = drivers;
    }

    /**
     * The services each selected host must run, hosts in inventory order, services in configuration order. Hosts
     * that run none of the selected services are left out.
     *
     * @param hostFilter which hosts; {@code any} for all
     * @param names which services; empty for all of the fleet's
     * @throws IllegalArgumentException naming a service that is not a fleet service
     */
    public Map<Inventory.Host, List<ServiceConfig>> placements(ClassExpression hostFilter, Collection<String> names) {
        List<ServiceConfig> chosen = chosen(names);
        Map<Inventory.Host, List<ServiceConfig>> placed = new LinkedHashMap<>();
        for (Inventory.Host host : inventory.select(hostFilter)) {
            List<ServiceConfig> here = chosen.stream()
                    .filter(s -> s.hosts().orElseThrow().matches(host.classes()))
                    .toList();
            if (!here.isEmpty()) {
                placed.put(host, here);
            }
        }
        return placed;
    }

    /** The state of every selected service on every selected host. */
    public List<FleetReport.Host> status(ClassExpression hostFilter, Collection<String> names) {
        return pass(hostFilter, names, false);
    }

    /**
     * Checks every selected service on every selected host and, with {@code repair}, starts each one that must run
     * and does not.
     */
    public List<FleetReport.Host> check(ClassExpression hostFilter, Collection<String> names, boolean repair) {
        return pass(hostFilter, names, repair);
    }

    private List<FleetReport.Host> pass(ClassExpression hostFilter, Collection<String> names, boolean repair) {
        List<Map.Entry<Inventory.Host, List<ServiceConfig>>> work =
                List.copyOf(placements(hostFilter, names).entrySet());
        return Fanout.map(work, shells.fanout(), e -> onHost(e.getKey(), e.getValue(), repair));
    }

    private FleetReport.Host onHost(Inventory.Host host, List<ServiceConfig> here, boolean repair) {
        ReachOnce shell = new ReachOnce(shells.shell(host));
        List<Driver> onHost = here.stream().map(s -> drivers.apply(s, shell)).toList();
        List<ServiceStatus> statuses = StatusBatch.statuses(onHost);
        List<FleetReport.Service> reports = new ArrayList<>();
        for (int i = 0; i < here.size(); i++) {
            reports.add(one(here.get(i), onHost.get(i), statuses.get(i), shell, repair));
        }
        return new FleetReport.Host(host, shell.unreachable(), reports);
    }

    private static FleetReport.Service one(
            ServiceConfig service, Driver driver, ServiceStatus before, ReachOnce shell, boolean repair) {
        if (shell.unreachable().isPresent()) {
            return new FleetReport.Service(
                    service.name(),
                    before,
                    FleetReport.Outcome.UNREACHABLE,
                    shell.unreachable().get());
        }
        if (!service.enabled()) {
            return new FleetReport.Service(service.name(), before, FleetReport.Outcome.DISABLED, "");
        }
        if (running(before.state())) {
            return new FleetReport.Service(service.name(), before, FleetReport.Outcome.RUNNING, "");
        }
        if (!repair) {
            return new FleetReport.Service(service.name(), before, FleetReport.Outcome.DOWN, before.detail());
        }
        ActionResult started = driver.start();
        if (shell.unreachable().isPresent()) {
            return new FleetReport.Service(
                    service.name(),
                    started.after(),
                    FleetReport.Outcome.UNREACHABLE,
                    shell.unreachable().get());
        }
        return new FleetReport.Service(
                service.name(),
                started.after(),
                started.ok() ? FleetReport.Outcome.REPAIRED : FleetReport.Outcome.REPAIR_FAILED,
                started.message());
    }

    private static boolean running(ServiceState state) {
        return state == ServiceState.RUNNING || state == ServiceState.STARTING;
    }

    private List<ServiceConfig> chosen(Collection<String> names) {
        if (names.isEmpty()) {
            return services;
        }
        List<ServiceConfig> chosen = new ArrayList<>();
        for (String name : names) {
            Optional<ServiceConfig> service =
                    services.stream().filter(s -> s.name().equals(name)).findFirst();
            if (service.isEmpty()) {
                throw new IllegalArgumentException("no fleet service is called '" + name + "' (fleet services: "
                        + String.join(
                                ", ", services.stream().map(ServiceConfig::name).toList())
                        + "; a fleet service has a 'hosts' key)");
            }
            chosen.add(service.get());
        }
        return chosen;
    }
}
