package dev.vigil.store;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh store in a temporary directory for each test, closed after it. */
abstract class StoreFixture {
    /** A time with milliseconds, the precision the store keeps. */
    static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123Z");

    @TempDir
    Path dir;

    Store store;

    Path file() {
        return dir.resolve("state/state.db");
    }

    @BeforeEach
    void openStore() {
        store = Store.open(file());
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    /** Closes and opens the store again, so what a test reads next came from the file. */
    Store reopen() {
        store.close();
        store = Store.open(file());
        return store;
    }
}
