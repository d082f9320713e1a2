package dev.vigil.control;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/** The CLI logs only warnings; the daemon tells what it does ({@code VIGIL_LOG_LEVEL} overrides, e.g. DEBUG). */
public final class DaemonLogging {
    private DaemonLogging() {}

    public static void configure() {
        String wanted = System.getenv("VIGIL_LOG_LEVEL");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(wanted, Level.INFO));
    }
}
