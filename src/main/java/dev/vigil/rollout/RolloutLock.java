package dev.vigil.rollout;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One controller per rollout: an exclusive lock on {@code STATE_DIR/rollout-NAME.lock}, held while it runs. The
 * kernel drops it when the process dies, however it dies, so a killed controller never leaves it behind.
 */
public final class RolloutLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private RolloutLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or empty when another process holds it. */
    public static Optional<RolloutLock> tryAcquire(Path stateDir, String rollout) throws IOException {
        Files.createDirectories(stateDir);
        Path file = stateDir.resolve("rollout-" + rollout + ".lock");
        FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        channel.truncate(0);
        channel.write(
                java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        return Optional.of(new RolloutLock(channel, lock));
    }

    /** The pid written by the holder, for the message. */
    public static String holder(Path stateDir, String rollout) {
        try {
            return Files.readString(stateDir.resolve("rollout-" + rollout + ".lock"))
                    .strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        channel.close();
    }
}
