package dev.vigil.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An alert notification waiting to be delivered to a sink. It stays in the outbox until the sink has taken it, so
 * a sink that is down (or a Vigil that is restarted) delays alerts but never loses them.
 *
 * @param id the entry's id, to mark it delivered or failed
 * @param sink the sink it is for, e.g. {@code alertmanager}, {@code mail:oncall}
 * @param dedupKey the sink's key for "the same alert" (Alertmanager labels fingerprint, mail thread); stored, not
 *     interpreted: two entries with one key are two deliveries
 * @param payload what to deliver, as JSON text
 * @param createdAt when it was enqueued
 * @param attempts failed delivery attempts so far
 * @param lastError why the last attempt failed, when one did
 */
public record OutboxEntry(
        long id,
        String sink,
        String dedupKey,
        String payload,
        Instant createdAt,
        int attempts,
        Optional<String> lastError) {
    public OutboxEntry {
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(dedupKey, "dedupKey");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(lastError, "lastError");
    }
}
