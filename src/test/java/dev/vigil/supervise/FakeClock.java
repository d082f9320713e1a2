package dev.vigil.supervise;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that moves only when a test says so. */
final class FakeClock implements InstantSource {
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");

    @Override
    public Instant instant() {
        return now;
    }

    void advance(Duration d) {
        now = now.plus(d);
    }
}
