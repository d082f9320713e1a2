package dev.vigil.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A service's desired state and who set it when, so {@code vigil status} can say "stopped by cli:alice at 14:05".
 *
 * @param service the service's name
 * @param state what it should be
 * @param setBy who set it: {@code config}, {@code cli:USER}, {@code api:TOKEN-NAME}, ...
 * @param at when it was set (kept to the millisecond)
 */
public record DesiredRecord(String service, DesiredState state, String setBy, Instant at) {
    public DesiredRecord {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(setBy, "setBy");
        Objects.requireNonNull(at, "at");
    }
}
