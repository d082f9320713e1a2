package dev.vigil.fleet;

import dev.vigil.shell.Shell;

/** Where the fleet's commands run: a {@link Shell} per host (SSH in production), and how many hosts at once. */
public interface HostShells {
    Shell shell(Inventory.Host host);

    /** At most this many hosts are worked on at once. */
    int fanout();
}
