package dev.vigil.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A service's restart bookkeeping, kept so that restarting Vigil neither forgets a give-up window nor resets the
 * back-off of a service that keeps crashing.
 *
 * @param service the service's name
 * @param recentRestarts restarts inside the current {@code max_restarts} window, oldest first
 * @param backoffStep how many back-off steps have been taken (0 = the next restart is immediate)
 * @param nextAttemptAt when the next restart may happen, when one is pending
 * @param givenUpUntil the end of the give-up window, while the service is given up on
 * @param consecutiveFailures failed checks or starts in a row since the last success
 */
public record RestartRecord(
        String service,
        List<Instant> recentRestarts,
        int backoffStep,
        Optional<Instant> nextAttemptAt,
        Optional<Instant> givenUpUntil,
        int consecutiveFailures) {
    public RestartRecord {
        Objects.requireNonNull(service, "service");
        recentRestarts = List.copyOf(recentRestarts);
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(givenUpUntil, "givenUpUntil");
        if (backoffStep < 0 || consecutiveFailures < 0) {
            throw new IllegalArgumentException(service + ": backoffStep and consecutiveFailures cannot be negative: "
                    + backoffStep + ", " + consecutiveFailures);
        }
    }

    /** No restarts, no back-off, not given up: what {@code vigil reset} leaves behind. */
    public static RestartRecord fresh(String service) {
        return new RestartRecord(service, List.of(), 0, Optional.empty(), Optional.empty(), 0);
    }
}
