package dev.vigil.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One SQLite connection behind a lock, and the two ways {@link Store} uses it: a write is one {@code BEGIN
 * IMMEDIATE} transaction, a read is one statement. Failures become {@link StoreException}s that name the file.
 *
 * <p>Concurrency: the daemon calls the store from many virtual threads; each call takes {@link #lock} for its whole
 * transaction. One connection is enough because SQLite admits one writer at a time anyway and Vigil's writes are few
 * and small (a handful per second at worst), and it makes "one method, one transaction" true without a pool to
 * configure. The JDBC calls are native, so the holder pins its carrier thread for the length of one statement or
 * fsync; the waiters do not (a {@link ReentrantLock} parks a virtual thread properly). Other processes (the CLI
 * without a daemon) may open the same file: {@code BEGIN IMMEDIATE} takes SQLite's write lock up front, and they wait
 * up to {@link #BUSY_TIMEOUT} for each other.
 */
final class Database implements AutoCloseable {
    /** How long a write waits for another process holding the database's write lock before failing. */
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);

    /** A unit of work on the connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Turns the current row into a value. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet row) throws SQLException;
    }

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private Database(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /** Opens (creating when needed) and migrates the database. */
    static Database open(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new StoreException(
                    absolute,
                    absolute + ": cannot create the directory " + absolute.getParent() + " (" + e
                            + "); check its permissions, or set state_dir",
                    e);
        }
        return connect(absolute, "jdbc:sqlite:" + absolute);
    }

    /** An empty database in memory, gone when closed: what a read-only command reads when there is no state yet. */
    static Database inMemory() {
        return connect(Path.of(":memory:"), "jdbc:sqlite::memory:");
    }

    private static Database connect(Path absolute, String url) {
        Connection connection;
        try {
            connection = DriverManager.getConnection(url);
        } catch (SQLException e) {
            throw failure(absolute, "open the state database", e);
        }
        try {
            configure(connection);
            Schema.migrate(connection, absolute);
            return new Database(absolute, connection);
        } catch (SQLException e) {
            closeQuietly(connection, e);
            throw failure(absolute, "open the state database", e);
        } catch (RuntimeException e) {
            closeQuietly(connection, e);
            throw e;
        }
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * WAL so that readers never block the writer; {@code synchronous=FULL} so that a commit is on disk (WAL fsynced)
     * before the method that made it returns, which is what survives a power cut, not only a kill -9.
     */
    private static void configure(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            Schema.version(statement); // the first read: "not a database" shows here, before anything is written
            statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT.toMillis());
            statement.execute("PRAGMA journal_mode = WAL");
            statement.execute("PRAGMA synchronous = FULL");
            statement.execute("PRAGMA foreign_keys = ON");
        }
    }

    Path file() {
        return file;
    }

    /** Runs {@code work} in one write transaction: all of it is committed, or (on any failure) none of it. */
    <T> T write(String what, Work<T> work) {
        lock.lock();
        try {
            ensureOpen();
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN IMMEDIATE");
                try {
                    T result = work.run(connection);
                    statement.execute("COMMIT");
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(statement, e);
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw failure(file, what, e);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code work}, a single read statement (which SQLite runs as one snapshot). */
    <T> T read(String what, Work<T> work) {
        lock.lock();
        try {
            ensureOpen();
            return work.run(connection);
        } catch (SQLException e) {
            throw failure(file, what, e);
        } finally {
            lock.unlock();
        }
    }

    /** One write statement in its own transaction; returns the number of rows it changed. */
    int update(String what, String sql, Object... params) {
        return write(what, c -> update(c, sql, params));
    }

    static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params)) {
            return statement.executeUpdate();
        }
    }

    /** An {@code INSERT ... RETURNING id} in its own transaction; returns the new row's id. */
    long insert(String what, String sql, Object... params) {
        return write(what, c -> query(c, sql, row -> row.getLong(1), params).getFirst());
    }

    /** One read statement; returns every row it yields, mapped. */
    <T> List<T> query(String what, String sql, Row<T> row, Object... params) {
        return read(what, c -> query(c, sql, row, params));
    }

    static <T> List<T> query(Connection connection, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, params);
                ResultSet rows = statement.executeQuery()) {
            List<T> result = new ArrayList<>();
            while (rows.next()) {
                result.add(row.map(rows));
            }
            return result;
        }
    }

    /** Binds {@code params} in order: an {@link Instant} as epoch milliseconds, an empty {@link Optional} as NULL. */
    private static PreparedStatement prepare(Connection connection, String sql, Object... params) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, sqlValue(params[i]));
            }
            return statement;
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
    }

    private static Object sqlValue(Object param) {
        return switch (param) {
            case Instant instant -> instant.toEpochMilli();
            case Optional<?> optional -> optional.map(Database::sqlValue).orElse(null);
            case Enum<?> constant -> constant.name();
            case null -> null;
            default -> param;
        };
    }

    /** Reads a nullable epoch-milliseconds column. */
    static Optional<Instant> instant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    /** SQLite limits the database to {@code pages} pages, as a full disk would; for tests. */
    void setMaxPageCount(long pages) {
        read("set max_page_count", c -> {
            try (Statement statement = c.createStatement()) {
                return statement.execute("PRAGMA max_page_count = " + pages);
            }
        });
    }

    /** The number of pages the database has now; for tests. */
    long pageCount() {
        return query("read page_count", "PRAGMA page_count", row -> row.getLong(1))
                .getFirst();
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                connection.close();
            }
        } catch (SQLException e) {
            throw failure(file, "close the state database", e);
        } finally {
            lock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(file + ": the state database is closed; open a new Store");
        }
    }

    /**
     * Ends a failed transaction without hiding why it failed. SQLite rolls some failures (a full disk among them) back
     * by itself, and then ROLLBACK fails with "no transaction is active"; that is kept as a suppressed exception.
     */
    static void rollbackQuietly(Statement statement, Exception failure) {
        try {
            statement.execute("ROLLBACK");
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** A failure that names the file, what was being done, the likely cause and what to do about it. */
    static StoreException failure(Path file, String what, SQLException e) {
        return new StoreException(file, file + ": cannot " + what + ": " + e.getMessage() + hint(e), e);
    }

    private static String hint(SQLException e) {
        // xerial reports SQLite's primary result code as the JDBC error code
        return switch (e.getErrorCode() & 0xff) {
            case 13 -> " (disk full? free space on its filesystem; nothing was written, later writes will work)";
            case 8 ->
                " (read-only file or filesystem? make it writable by the user Vigil runs as; nothing was written)";
            case 5, 6 ->
                " (another process held the database for over " + BUSY_TIMEOUT.toSeconds()
                        + "s; see 'fuser' on the file)";
            case 10 -> " (I/O error: check the disk and the kernel log)";
            case 11, 26 ->
                " (not a Vigil state database, or a damaged one: move it aside (Vigil then starts with an empty"
                        + " state) or restore a backup; see docs/state.md)";
            case 14 -> " (cannot open the file: check that its directory exists and is writable)";
            default -> "";
        };
    }
}
