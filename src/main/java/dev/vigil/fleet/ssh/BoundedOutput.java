package dev.vigil.fleet.ssh;

import dev.vigil.shell.LocalShell;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Keeps the first {@link LocalShell#OUTPUT_LIMIT} bytes written to it and drops the rest. MINA writes channel data
 * into it on its I/O threads, so it must never block: discarding (rather than pausing the remote) keeps a chatty
 * command from stalling every other channel of the client.
 */
final class BoundedOutput extends OutputStream {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int limit;

    BoundedOutput() {
        this(LocalShell.OUTPUT_LIMIT);
    }

    BoundedOutput(int limit) {
        this.limit = limit;
    }

    @Override
    public synchronized void write(int b) {
        if (kept.size() < limit) {
            kept.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int room = limit - kept.size();
        if (room > 0) {
            kept.write(b, off, Math.min(room, len));
        }
    }

    synchronized String text() {
        return kept.toString(StandardCharsets.UTF_8);
    }
}
