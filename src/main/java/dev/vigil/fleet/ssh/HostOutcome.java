package dev.vigil.fleet.ssh;

import dev.vigil.fleet.Inventory;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link SshFleet#fanOut} got from one host: the work's value, or why there is none.
 *
 * @param value the work's result; empty when it failed
 * @param error why the work failed (an exception's text); empty when it returned
 */
public record HostOutcome<T>(Inventory.Host host, Optional<T> value, Optional<String> error) {
    public HostOutcome {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(error, "error");
    }

    public static <T> HostOutcome<T> of(Inventory.Host host, T value) {
        return new HostOutcome<>(host, Optional.ofNullable(value), Optional.empty());
    }

    public static <T> HostOutcome<T> failed(Inventory.Host host, String error) {
        return new HostOutcome<>(host, Optional.empty(), Optional.of(error));
    }

    public boolean failed() {
        return error.isPresent();
    }
}
