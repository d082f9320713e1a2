package dev.vigil.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Vigil's durable state, in one SQLite database ({@code STATE_DIR/state.db}, see docs/state.md): desired states,
 * restart bookkeeping, the event history, the alert outbox and a few daemon facts.
 *
 * <p>Durability: every method that writes is one transaction, committed and fsynced before it returns, so a
 * {@code kill -9} (or a power cut) right after a method returns loses nothing it wrote; a write that fails (full
 * disk, read-only file) throws {@link StoreException} and changes nothing, and the store stays usable.
 *
 * <p>Thread-safe: calls are serialised on one connection (see {@link Database} for why that is enough). Times are
 * kept to the millisecond: an {@link Instant} comes back truncated to whole milliseconds.
 */
public final class Store implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};
    private static final TypeReference<List<Long>> MILLIS = new TypeReference<>() {};

    private static final String EVENT_COLUMNS = "id, at, service, host, kind, message, fields";
    private static final String OUTBOX_COLUMNS = "id, sink, dedup_key, payload, created_at, attempts, last_error";

    private final Database db;

    private Store(Database db) {
        this.db = db;
    }

    /**
     * Opens the database at {@code file}, creating it and its directory when missing and migrating an older schema.
     *
     * @throws StoreException when the file is not a Vigil database, is from a newer Vigil, or cannot be opened; the
     *     message names the file and what to do
     */
    public static Store open(Path file) {
        return new Store(Database.open(file));
    }

    /**
     * The database at {@code file} when it exists, else an empty one in memory: for commands that only read (a dry
     * run, a status), which must not create the state directory or the file.
     */
    public static Store openIfExists(Path file) {
        return new Store(java.nio.file.Files.exists(file) ? Database.open(file) : Database.inMemory());
    }

    /** The database file, as an absolute path. */
    public Path file() {
        return db.file();
    }

    // ---- desired states

    public void setDesired(String service, DesiredState state, String setBy, Instant at) {
        db.update(
                "save the desired state of " + service,
                "INSERT OR REPLACE INTO desired (service, state, set_by, set_at) VALUES (?, ?, ?, ?)",
                service,
                state,
                setBy,
                at);
    }

    public Optional<DesiredRecord> desired(String service) {
        return first(db.query(
                "read the desired state of " + service,
                "SELECT service, state, set_by, set_at FROM desired WHERE service = ?",
                Store::desiredRecord,
                service));
    }

    /** Every service's desired state, by service name. */
    public Map<String, DesiredRecord> allDesired() {
        Map<String, DesiredRecord> all = new LinkedHashMap<>();
        db.query(
                        "read the desired states",
                        "SELECT service, state, set_by, set_at FROM desired ORDER BY service",
                        Store::desiredRecord)
                .forEach(record -> all.put(record.service(), record));
        return Collections.unmodifiableMap(all);
    }

    /** Forgets a service's desired state, so that config decides again. */
    public void clearDesired(String service) {
        db.update("clear the desired state of " + service, "DELETE FROM desired WHERE service = ?", service);
    }

    private static DesiredRecord desiredRecord(ResultSet row) throws SQLException {
        return new DesiredRecord(
                row.getString("service"),
                DesiredState.valueOf(row.getString("state")),
                row.getString("set_by"),
                Instant.ofEpochMilli(row.getLong("set_at")));
    }

    // ---- restart bookkeeping

    /** Replaces the service's restart record. */
    public void saveRestart(RestartRecord record) {
        List<Long> restarts =
                record.recentRestarts().stream().map(Instant::toEpochMilli).toList();
        db.update(
                "save the restart record of " + record.service(),
                """
                INSERT OR REPLACE INTO restart (service, recent_restarts, backoff_step, next_attempt_at,
                    given_up_until, consecutive_failures) VALUES (?, ?, ?, ?, ?, ?)""",
                record.service(),
                toJson(restarts),
                record.backoffStep(),
                record.nextAttemptAt(),
                record.givenUpUntil(),
                record.consecutiveFailures());
    }

    public Optional<RestartRecord> restart(String service) {
        return first(db.query(
                "read the restart record of " + service,
                "SELECT * FROM restart WHERE service = ?",
                row -> new RestartRecord(
                        row.getString("service"),
                        fromJson(row.getString("recent_restarts"), MILLIS).stream()
                                .map(Instant::ofEpochMilli)
                                .toList(),
                        row.getInt("backoff_step"),
                        Database.instant(row, "next_attempt_at"),
                        Database.instant(row, "given_up_until"),
                        row.getInt("consecutive_failures")),
                service));
    }

    /** Forgets restarts, back-off and give-up window ({@code vigil reset}). */
    public void clearRestart(String service) {
        db.update("clear the restart record of " + service, "DELETE FROM restart WHERE service = ?", service);
    }

    // ---- events

    /**
     * Adds an event to the history.
     *
     * @param service the service it is about, {@code ""} for the daemon
     * @param host the host, {@code ""} for the local one
     * @return the new event's id, greater than every id before it
     */
    public long append(
            String service, String host, String kind, String message, Map<String, String> fields, Instant at) {
        return db.insert(
                "append event " + kind + (service.isEmpty() ? "" : " for " + service),
                "INSERT INTO event (at, service, host, kind, message, fields) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                at,
                service,
                host,
                kind,
                message,
                toJson(new TreeMap<>(fields)));
    }

    /** The newest {@code q.limit()} events that match {@code q}, oldest first. */
    public List<Event> events(EventQuery q) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        q.service().ifPresent(service -> {
            where.add("service = ?");
            params.add(service);
        });
        q.since().ifPresent(since -> {
            where.add("at >= ?");
            params.add(since);
        });
        q.kind().ifPresent(kind -> {
            where.add("kind = ?");
            params.add(kind);
        });
        params.add(q.limit());
        String sql = "SELECT * FROM (SELECT " + EVENT_COLUMNS + " FROM event"
                + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
                + " ORDER BY id DESC LIMIT ?) ORDER BY id";
        return db.query("read events", sql, Store::event, params.toArray());
    }

    /** Deletes the events from before {@code cutoff}; returns how many. */
    public int pruneEventsBefore(Instant cutoff) {
        return db.update("prune events before " + cutoff, "DELETE FROM event WHERE at < ?", cutoff);
    }

    /** Deletes all but the newest {@code n} events; returns how many. */
    public int pruneEventsKeepingAtMost(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("events to keep cannot be negative: " + n);
        }
        return db.update(
                "prune events down to " + n,
                "DELETE FROM event WHERE id <= (SELECT id FROM event ORDER BY id DESC LIMIT 1 OFFSET ?)",
                n);
    }

    private static Event event(ResultSet row) throws SQLException {
        return new Event(
                row.getLong("id"),
                Instant.ofEpochMilli(row.getLong("at")),
                row.getString("service"),
                row.getString("host"),
                row.getString("kind"),
                row.getString("message"),
                fromJson(row.getString("fields"), FIELDS));
    }

    // ---- alert outbox

    /**
     * Adds a notification for {@code sink}, due at once.
     *
     * @param payloadJson the notification as JSON text; checked here, so a malformed one fails its caller instead of
     *     being retried forever
     * @return the entry's id
     */
    public long enqueue(String sink, String dedupKey, String payloadJson, Instant at) {
        try {
            JSON.readTree(payloadJson);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "outbox entry for " + sink + " (" + dedupKey + "): payload is not JSON: " + e.getOriginalMessage(),
                    e);
        }
        return db.insert("enqueue a notification for " + sink, """
                INSERT INTO outbox (sink, dedup_key, payload, created_at, next_attempt_at)
                    VALUES (?, ?, ?, ?, ?) RETURNING id""", sink, dedupKey, payloadJson, at, at);
    }

    /** Up to {@code limit} undelivered entries for {@code sink} whose next attempt is due by {@code now}, oldest first. */
    public List<OutboxEntry> due(String sink, Instant now, int limit) {
        if (limit < 1) {
            // SQLite reads a negative LIMIT as "no limit": refuse it rather than return the whole outbox
            throw new IllegalArgumentException("outbox limit must be at least 1: " + limit);
        }
        return db.query(
                "read the outbox of " + sink,
                "SELECT " + OUTBOX_COLUMNS + " FROM outbox WHERE sink = ? AND delivered_at IS NULL"
                        + " AND next_attempt_at <= ? ORDER BY id LIMIT ?",
                row -> new OutboxEntry(
                        row.getLong("id"),
                        row.getString("sink"),
                        row.getString("dedup_key"),
                        row.getString("payload"),
                        Instant.ofEpochMilli(row.getLong("created_at")),
                        row.getInt("attempts"),
                        Optional.ofNullable(row.getString("last_error"))),
                sink,
                now,
                limit);
    }

    /** The sink has taken the entry: it is never due again. */
    public void markDelivered(long id, Instant at) {
        requireOutboxEntry(
                id, db.update("mark outbox entry " + id + " delivered", outboxUpdate("delivered_at = ?"), at, id));
    }

    /** The sink refused the entry or could not be reached: count the attempt, and retry at {@code nextAttemptAt}. */
    public void markFailed(long id, String error, Instant nextAttemptAt) {
        requireOutboxEntry(
                id,
                db.update(
                        "mark outbox entry " + id + " failed",
                        outboxUpdate("attempts = attempts + 1, last_error = ?, next_attempt_at = ?"),
                        error,
                        nextAttemptAt,
                        id));
    }

    /** How many entries for {@code sink} are not delivered yet, due or not. */
    public int pendingCount(String sink) {
        return db.query(
                        "count the outbox of " + sink,
                        "SELECT count(*) FROM outbox WHERE sink = ? AND delivered_at IS NULL",
                        row -> row.getInt(1),
                        sink)
                .getFirst();
    }

    /** Deletes entries delivered before {@code before}; returns how many. Undelivered entries are never pruned. */
    public int pruneDelivered(Instant before) {
        return db.update(
                "prune delivered outbox entries",
                "DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?",
                before);
    }

    private static String outboxUpdate(String set) {
        return "UPDATE outbox SET " + set + " WHERE id = ?";
    }

    private static void requireOutboxEntry(long id, int updated) {
        if (updated == 0) {
            throw new IllegalArgumentException("no outbox entry " + id + " (never enqueued, or delivered and pruned)");
        }
    }

    // ---- small daemon facts

    public Optional<String> get(String key) {
        return first(db.query("read " + key, "SELECT value FROM kv WHERE key = ?", row -> row.getString("value"), key));
    }

    public void put(String key, String value) {
        db.update("save " + key, "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", key, value);
    }

    // ---- rolling restarts (docs/rollouts.md)

    /** Every host's schedule and progress in {@code rollout}, in no particular order. */
    public List<RolloutHostRecord> rolloutHosts(String rollout) {
        return db.query(
                "read the hosts of rollout " + rollout,
                "SELECT * FROM rollout_host WHERE rollout = ?",
                row -> new RolloutHostRecord(
                        row.getString("rollout"),
                        row.getString("host"),
                        Instant.ofEpochMilli(row.getLong("next_due")),
                        row.getString("phase").equals("IN_PROGRESS"),
                        row.getInt("step"),
                        Database.instant(row, "started_at"),
                        Database.instant(row, "last_success"),
                        row.getString("last_error")),
                rollout);
    }

    /** Replaces a host's record: written before each step of its restart, so a restart finds where it was. */
    public void saveRolloutHost(RolloutHostRecord r) {
        db.update(
                "save host " + r.host() + " of rollout " + r.rollout(),
                """
                INSERT OR REPLACE INTO rollout_host (rollout, host, next_due, phase, step, started_at, last_success,
                    last_error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                r.rollout(),
                r.host(),
                r.nextDue(),
                r.inProgress() ? "IN_PROGRESS" : "IDLE",
                r.step(),
                r.startedAt(),
                r.lastSuccess(),
                r.lastError());
    }

    /** Why {@code rollout} is paused, when it is. */
    public Optional<RolloutPause> rolloutPause(String rollout) {
        return first(db.query(
                "read the pause of rollout " + rollout,
                "SELECT * FROM rollout_pause WHERE rollout = ?",
                row -> new RolloutPause(
                        row.getString("reason"),
                        Instant.ofEpochMilli(row.getLong("since")),
                        Database.instant(row, "resume_at")),
                rollout));
    }

    public void pauseRollout(String rollout, RolloutPause pause) {
        db.update(
                "pause rollout " + rollout,
                "INSERT OR REPLACE INTO rollout_pause (rollout, reason, since, resume_at) VALUES (?, ?, ?, ?)",
                rollout,
                pause.reason(),
                pause.since(),
                pause.resumeAt());
    }

    public void resumeRollout(String rollout) {
        db.update("resume rollout " + rollout, "DELETE FROM rollout_pause WHERE rollout = ?", rollout);
    }

    /** The rollout's alerts that fire, as alert name, host and summary; kept so that a later run resolves them. */
    public List<RolloutAlertRecord> rolloutAlerts(String rollout) {
        return db.query(
                "read the alerts of rollout " + rollout,
                "SELECT * FROM rollout_alert WHERE rollout = ? ORDER BY since",
                row -> new RolloutAlertRecord(
                        row.getString("alert"),
                        row.getString("host"),
                        row.getString("summary"),
                        Instant.ofEpochMilli(row.getLong("since"))),
                rollout);
    }

    public void putRolloutAlert(String rollout, RolloutAlertRecord alert) {
        db.update(
                "record alert " + alert.alert() + " of rollout " + rollout,
                """
                INSERT INTO rollout_alert (rollout, alert, host, summary, since) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (rollout, alert, host) DO UPDATE SET summary = excluded.summary""",
                rollout,
                alert.alert(),
                alert.host(),
                alert.summary(),
                alert.since());
    }

    public void removeRolloutAlert(String rollout, String alert, String host) {
        db.update(
                "forget alert " + alert + " of rollout " + rollout,
                "DELETE FROM rollout_alert WHERE rollout = ? AND alert = ? AND host = ?",
                rollout,
                alert,
                host);
    }

    // ----

    /** Closes the database; later calls throw {@link IllegalStateException}. */
    @Override
    public void close() {
        db.close();
    }

    /** For tests that simulate a full disk. */
    Database database() {
        return db;
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value + " as JSON", e);
        }
    }

    private static <T> T fromJson(String json, TypeReference<T> type) throws SQLException {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new SQLException("damaged JSON in the state database: " + json, e);
        }
    }
}
