package dev.vigil.check;

/** The outcome of one run of a check. A check never throws to its caller: every failure is {@link Unhealthy}. */
public sealed interface CheckResult {

    /** The check passed; {@code detail} says what was seen ("connected to 127.0.0.1:8080 in 2ms"). */
    record Healthy(String detail) implements CheckResult {}

    /** The check failed; {@code why} names the thing, the limit and the value found. */
    record Unhealthy(String why) implements CheckResult {}

    default boolean healthy() {
        return this instanceof Healthy;
    }

    /** The detail or the reason, for logs and events. */
    default String message() {
        return switch (this) {
            case Healthy(String detail) -> detail;
            case Unhealthy(String why) -> why;
        };
    }
}
