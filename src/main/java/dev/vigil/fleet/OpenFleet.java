package dev.vigil.fleet;

import dev.vigil.config.VigilConfig;
import dev.vigil.driver.Drivers;
import dev.vigil.fleet.ssh.SshFleet;

/**
 * The fleet's services with the connections to reach them, open until closed: what a fleet command or the daemon
 * holds for as long as it works on the fleet, so sessions are reused across passes.
 */
public final class OpenFleet implements AutoCloseable {
    private final FleetControl control;
    private final HostShells shells;
    private final AutoCloseable connections;

    /** @param connections closed with this: the SSH client and its sessions */
    public OpenFleet(VigilConfig config, HostShells shells, AutoCloseable connections) {
        this.control = new FleetControl(config.services(), config.inventory(), shells, Drivers::remote);
        this.shells = shells;
        this.connections = connections;
    }

    /** The fleet of {@code config}, reached over SSH with its {@code [ssh]} settings. */
    public static OpenFleet overSsh(VigilConfig config) {
        SshFleet ssh = new SshFleet(config.settings().ssh());
        return new OpenFleet(config, ssh, ssh);
    }

    /** The hosts' shells, for work that drives services itself (the daemon's {@link FleetSupervisor}). */
    public HostShells shells() {
        return shells;
    }

    public FleetControl control() {
        return control;
    }

    @Override
    public void close() {
        try {
            connections.close();
        } catch (Exception e) {
            // closing connections fails only when they are already gone; nothing to recover
        }
    }
}
