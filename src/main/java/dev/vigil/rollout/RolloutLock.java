package dev.vigil.rollout;

import dev.vigil.driver.ServiceLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One controller per rollout: {@code STATE_DIR/locks/rollout-NAME.lock}, held by whoever runs it (a person's {@code
 * vigil rollout run} or the daemon's schedule); the kernel drops it when its holder dies, however it dies.
 */
public final class RolloutLock {
    private RolloutLock() {}

    /**
     * Takes the lock of {@code rollout} now, or not at all.
     *
     * @throws IOException when another process (or another thread) holds it, or the lock file cannot be made; the
     *     message says which
     */
    public static ServiceLock acquire(Path stateDir, String rollout) throws IOException {
        Path dir = stateDir.resolve("locks");
        Files.createDirectories(dir); // its failure names the directory; what follows is the lock being held
        try {
            return ServiceLock.acquire(dir, "rollout-" + rollout, Duration.ZERO);
        } catch (IOException e) {
            throw new IOException(
                    "rollout " + rollout + " is being run by another controller (the daemon's schedule or a 'vigil"
                            + " rollout run'): " + e.getMessage(),
                    e);
        }
    }
}
