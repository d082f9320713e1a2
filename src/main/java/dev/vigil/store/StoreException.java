package dev.vigil.store;

import java.nio.file.Path;

/**
 * The state database could not be opened, read or written. Unchecked: the daemon cannot do anything about it at the
 * call site except report it, and it must keep supervising. The message names the file, what was being done, the
 * likely cause and what to do; a failed write changed nothing, and the store stays usable.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    StoreException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The database file the failure is about. */
    public Path file() {
        return file;
    }
}
