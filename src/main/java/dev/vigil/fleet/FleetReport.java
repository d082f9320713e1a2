package dev.vigil.fleet;

import dev.vigil.driver.ServiceState;
import dev.vigil.driver.ServiceStatus;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What one pass over the fleet found, host by host. */
public final class FleetReport {
    private FleetReport() {}

    /** What a pass concluded about one service on one host. */
    public enum Outcome {
        /** Running, as it must. */
        RUNNING,
        /** Not running although it must (a status pass, or a check without --repair). */
        DOWN,
        /** Was down and is running now: Vigil started it. */
        REPAIRED,
        /** Was down, Vigil tried to start it, and it is still down. */
        REPAIR_FAILED,
        /** {@code enabled = false}: shown, never started or stopped. */
        DISABLED,
        /** The host could not be reached, so nothing is known. */
        UNREACHABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Whether this outcome leaves something that must run not running (or unknown). */
        public boolean bad() {
            return this == DOWN || this == REPAIR_FAILED || this == UNREACHABLE;
        }
    }

    /**
     * @param status the state after the pass (after the repair, for a repaired service)
     * @param message what was done or why it failed; empty when there is nothing to say beyond the status
     */
    public record Service(String name, ServiceStatus status, Outcome outcome, String message) {
        public ServiceState state() {
            return status.state();
        }
    }

    /** @param unreachable why the host could not be reached; empty when it could */
    public record Host(Inventory.Host host, Optional<String> unreachable, List<Service> services) {
        public Host {
            services = List.copyOf(services);
        }

        public boolean bad() {
            return unreachable.isPresent()
                    || services.stream().anyMatch(s -> s.outcome().bad());
        }
    }

    /** Whether anything that must run is not running, or could not be seen. */
    public static boolean anyBad(List<Host> hosts) {
        return hosts.stream().anyMatch(Host::bad);
    }
}
