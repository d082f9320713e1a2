package dev.vigil.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A full disk, simulated with {@code PRAGMA max_page_count}: SQLite then fails with SQLITE_FULL exactly as it does
 * when the filesystem has no space left.
 */
class FullDiskTest extends StoreFixture {
    @Test
    void fullDatabase_failsTheWriteNamingTheFile_andRecovers() {
        long before = store.append("web", "", "started", "web started", Map.of(), T0);
        Database db = store.database();
        long normalLimit = db.pageCount() * 1000;
        db.setMaxPageCount(db.pageCount());
        String big = "x".repeat(64 * 1024);

        assertThatThrownBy(() -> store.append("web", "", "exited", big, Map.of(), T0))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith(store.file() + ": cannot append event exited for web: [SQLITE_FULL]")
                .hasMessageEndingWith(
                        " (disk full? free space on its filesystem; nothing was written, later writes will work)")
                .satisfies(e -> assertThat(((StoreException) e).file()).isEqualTo(store.file()));
        assertThatThrownBy(() -> store.put("big", big)).isInstanceOf(StoreException.class);

        db.setMaxPageCount(normalLimit);
        long after = store.append("web", "", "exited", big, Map.of(), T0);
        store.put("big", big);

        assertThat(store.events(EventQuery.latest(10))).extracting(Event::id).containsExactly(before, after);
        assertThat(store.get("big")).contains(big);
    }
}
