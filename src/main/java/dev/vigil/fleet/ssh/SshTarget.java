package dev.vigil.fleet.ssh;

import dev.vigil.fleet.Inventory;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One host as SSH sees it, with the inventory's overrides applied to the settings' defaults. It is the session pool's
 * key: two inventory entries that reach the same account with the same keys share a session.
 *
 * @param keys private keys to offer, in order; empty: the default ~/.ssh keys that exist
 */
public record SshTarget(String name, String address, int port, String user, List<Path> keys) {
    public SshTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        keys = List.copyOf(keys);
    }

    public static SshTarget of(Inventory.Host host, SshSettings settings) {
        return new SshTarget(
                host.name(),
                host.address(),
                host.port(),
                host.user().or(settings::user).orElseGet(() -> System.getProperty("user.name")),
                host.key().map(List::of).orElse(settings.keys()));
    }

    /** "web01 (10.0.0.5:22)", or "10.0.0.5:22" when the name is the address: for messages. */
    public String describe() {
        return name.equals(address) ? endpoint() : name + " (" + endpoint() + ")";
    }

    public String endpoint() {
        return address + ":" + port;
    }
}
