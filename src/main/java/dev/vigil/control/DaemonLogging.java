package dev.vigil.control;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.vigil.config.Settings;
import org.slf4j.LoggerFactory;

/**
 * The CLI logs only warnings; the daemon tells what it does, as text for people or one JSON object per line for a
 * log collector ({@code log_format}). {@code VIGIL_LOG_LEVEL} overrides the level (e.g. DEBUG).
 */
public final class DaemonLogging {
    private DaemonLogging() {}

    public static void configure(Settings.LogFormat format) {
        String wanted = System.getenv("VIGIL_LOG_LEVEL");
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(wanted, Level.INFO));
        if (format == Settings.LogFormat.JSON) {
            LoggerContext context = root.getLoggerContext();
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            encoder.start();
            ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
            appender.setContext(context);
            appender.setTarget("System.err");
            appender.setEncoder(encoder);
            appender.start();
            root.detachAndStopAllAppenders();
            root.addAppender(appender);
        }
    }
}
