package dev.vigil.cli;

import dev.vigil.driver.ServiceState;
import java.util.Collection;

/**
 * Every exit code Vigil returns, in one place. They follow the LSB init-script convention that scripts already test
 * for (docs/cli.md has the table).
 */
public final class ExitCodes {
    // status
    public static final int RUNNING = 0;
    public static final int DEAD_WITH_PIDFILE = 1;
    public static final int NOT_RUNNING = 3;
    public static final int STATUS_UNKNOWN = 4;

    // actions and everything else
    public static final int SUCCESS = 0;
    public static final int GENERIC_FAILURE = 1;
    public static final int INVALID_ARGUMENTS = 2;
    public static final int NOT_CONFIGURED = 6;
    public static final int NOT_RUNNING_OR_FAILED_TO_START = 7;

    private ExitCodes() {}

    /** LSB status code of one service. A service that is starting has a live process: 0. */
    public static int status(ServiceState state) {
        return switch (state) {
            case RUNNING, STARTING -> RUNNING;
            case FAILED -> DEAD_WITH_PIDFILE;
            case STOPPED -> NOT_RUNNING;
            case UNKNOWN -> STATUS_UNKNOWN;
        };
    }

    /**
     * Status of several services: 0 only if every one runs; otherwise the most alarming code among them, unknown
     * before dead-with-pidfile before not-running.
     */
    public static int status(Collection<ServiceState> states) {
        int worst = RUNNING;
        for (ServiceState state : states) {
            int code = status(state);
            if (rank(code) > rank(worst)) {
                worst = code;
            }
        }
        return worst;
    }

    private static int rank(int statusCode) {
        return switch (statusCode) {
            case STATUS_UNKNOWN -> 3;
            case DEAD_WITH_PIDFILE -> 2;
            case NOT_RUNNING -> 1;
            default -> 0;
        };
    }
}
