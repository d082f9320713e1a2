package dev.vigil.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The database schema as a list of forward migrations. Step {@code i} takes a database from version {@code i} to
 * {@code i + 1}; the version is SQLite's {@code PRAGMA user_version}, and each step runs in one transaction together
 * with the version bump, so a crash mid-migration leaves the old version, not half of the new one. Steps are only
 * ever appended: a released step never changes, or databases migrated by it would differ from new ones.
 *
 * <p>Times are epoch milliseconds (INTEGER); text columns are UTF-8.
 */
final class Schema {
    /** One migration step: the statements that take the schema one version up. */
    private static final List<List<String>> STEPS = List.of(
            // 1: desired states, restart bookkeeping, event history, small daemon facts
            List.of(
                    """
                    CREATE TABLE desired (
                        service TEXT PRIMARY KEY,
                        state TEXT NOT NULL CHECK (state IN ('RUNNING', 'STOPPED', 'UNMONITORED')),
                        set_by TEXT NOT NULL,
                        set_at INTEGER NOT NULL
                    )""",
                    """
                    CREATE TABLE restart (
                        service TEXT PRIMARY KEY,
                        recent_restarts TEXT NOT NULL, -- JSON array of epoch milliseconds, oldest first
                        backoff_step INTEGER NOT NULL,
                        next_attempt_at INTEGER,
                        given_up_until INTEGER,
                        consecutive_failures INTEGER NOT NULL
                    )""",
                    // AUTOINCREMENT: ids are never reused after pruning, so an id is a safe "seen up to" cursor
                    """
                    CREATE TABLE event (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        at INTEGER NOT NULL,
                        service TEXT NOT NULL,
                        host TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        message TEXT NOT NULL,
                        fields TEXT NOT NULL -- JSON object of strings
                    )""",
                    "CREATE INDEX event_by_service ON event (service, id)",
                    "CREATE INDEX event_by_kind ON event (kind, id)",
                    "CREATE INDEX event_by_time ON event (at)",
                    "CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL)"),
            // 2: the alert outbox
            List.of(
                    """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        sink TEXT NOT NULL,
                        dedup_key TEXT NOT NULL,
                        payload TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        next_attempt_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        last_error TEXT,
                        delivered_at INTEGER
                    )""",
                    // only pending entries are looked up by sink, and they are few: a partial index stays small
                    "CREATE INDEX outbox_pending ON outbox (sink, id) WHERE delivered_at IS NULL",
                    "CREATE INDEX outbox_delivered ON outbox (delivered_at) WHERE delivered_at IS NOT NULL"),
            // 3: rolling restarts (docs/rollouts.md): each host's schedule and progress, pauses, firing alerts
            List.of("""
                    CREATE TABLE rollout_host (
                        rollout TEXT NOT NULL,
                        host TEXT NOT NULL,
                        next_due INTEGER NOT NULL,
                        phase TEXT NOT NULL CHECK (phase IN ('IDLE', 'IN_PROGRESS')),
                        step INTEGER NOT NULL, -- the step about to run, journalled before it runs
                        started_at INTEGER,
                        last_success INTEGER,
                        last_error TEXT NOT NULL,
                        PRIMARY KEY (rollout, host)
                    )""", """
                    CREATE TABLE rollout_pause (
                        rollout TEXT PRIMARY KEY,
                        reason TEXT NOT NULL,
                        since INTEGER NOT NULL,
                        resume_at INTEGER -- on_failure = "next-window": lifted then; NULL: by a person
                    )""", """
                    CREATE TABLE rollout_alert (
                        rollout TEXT NOT NULL,
                        alert TEXT NOT NULL,
                        host TEXT NOT NULL,
                        summary TEXT NOT NULL,
                        since INTEGER NOT NULL,
                        PRIMARY KEY (rollout, alert, host)
                    )"""));

    /** The version this Vigil writes. */
    static final int LATEST = STEPS.size();

    private Schema() {}

    /** Brings the database up to {@link #LATEST}. */
    static void migrate(Connection connection, Path file) throws SQLException {
        migrate(connection, file, LATEST);
    }

    /**
     * Brings the database up to {@code target} (tests build old databases with a lower one). The version is re-read
     * inside each write transaction, so two processes opening one old database at once migrate it once.
     */
    static void migrate(Connection connection, Path file, int target) throws SQLException {
        while (true) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                try {
                    int version = version(statement);
                    check(statement, file, version);
                    if (version >= target) {
                        statement.execute("COMMIT");
                        return;
                    }
                    for (String sql : STEPS.get(version)) {
                        statement.execute(sql);
                    }
                    statement.execute("PRAGMA user_version = " + (version + 1));
                    statement.execute("COMMIT");
                } catch (SQLException | RuntimeException e) {
                    Database.rollbackQuietly(statement, e);
                    throw e;
                }
            }
        }
    }

    static int version(Statement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery("PRAGMA user_version")) {
            return rows.getInt(1);
        }
    }

    /** Refuses a database this Vigil cannot use safely, before anything is written to it. */
    private static void check(Statement statement, Path file, int version) throws SQLException {
        if (version > LATEST) {
            throw new StoreException(
                    file,
                    file + ": state database has schema version " + version + ", but this Vigil knows versions up to "
                            + LATEST + " (a newer Vigil wrote it); run that newer Vigil, or move the file aside to"
                            + " start with an empty state",
                    null);
        }
        if (version == 0) {
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM sqlite_schema")) {
                if (rows.getInt(1) > 0) {
                    throw new StoreException(
                            file,
                            file + ": an SQLite database, but not Vigil's (it has tables and no schema version);"
                                    + " point state_dir elsewhere, or move the file aside",
                            null);
                }
            }
        }
    }
}
