package dev.vigil.fleet.ssh;

/** The host could not be reached or refused us; the message is a whole sentence for an operator. */
final class HostUnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    HostUnreachableException(String reason) {
        super(reason);
    }
}
