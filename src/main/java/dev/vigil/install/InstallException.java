package dev.vigil.install;

/** The unit file could not be read or written; the message names the file, the cause and what to do. */
public final class InstallException extends Exception {
    private static final long serialVersionUID = 1L;

    InstallException(String message, Throwable cause) {
        super(message, cause);
    }
}
