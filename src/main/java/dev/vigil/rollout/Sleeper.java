package dev.vigil.rollout;

import java.time.Duration;

/** How the engine waits between polls and for wait steps: the real clock in production, a fake one in tests. */
@FunctionalInterface
public interface Sleeper {
    Sleeper REAL = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
}
