package dev.vigil.driver;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One action at a time per service, across processes: two {@code vigil start web} run at once (or the CLI and the
 * daemon) must not launch two instances. An advisory lock on {@code STATE_DIR/locks/NAME.lock}; the kernel releases
 * it when the holder dies, so a crashed Vigil never leaves a service locked.
 */
public final class ServiceLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private ServiceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, waiting at most {@code patience}.
     *
     * @throws IOException when the lock file cannot be created, or another process held the lock all along
     */
    public static ServiceLock acquire(Path lockDir, String service, Duration patience) throws IOException {
        Files.createDirectories(lockDir);
        Path file = lockDir.resolve(service + ".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + patience.toNanos();
        try {
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    return new ServiceLock(channel, lock);
                }
                if (System.nanoTime() >= deadline) {
                    throw new IOException(service + ": another Vigil process is acting on this service (lock " + file
                            + " held for more than " + patience.toSeconds() + "s); try again when it has finished");
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            channel.close();
            Thread.currentThread().interrupt();
            throw new IOException(service + ": interrupted while waiting for lock " + file, e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another thread of this JVM: wait like for another process
        }
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
