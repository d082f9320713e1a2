package dev.vigil.control;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One daemon per state directory (so per user): an advisory lock the kernel drops when the holder dies, so a
 * daemon killed with -9 never blocks the next one.
 */
final class DaemonLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private DaemonLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws IOException when another daemon holds the lock, naming its pid (from {@code pidfile}) and what to do
     */
    static DaemonLock acquire(Path lockFile, Path pidfile) throws IOException {
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            String pid;
            try {
                pid = Files.readString(pidfile).strip();
            } catch (IOException e) {
                pid = "unknown";
            }
            throw new IOException("another vigil daemon is already running for this user (pid " + pid + ", lock "
                    + lockFile + "); stop it first, or use 'vigil reload' to make it re-read its configuration");
        }
        return new DaemonLock(channel, lock);
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
