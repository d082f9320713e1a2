package dev.vigil.config;

import dev.vigil.check.CheckSpec;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Value equality for configuration that holds {@link Pattern}s, which compare by identity: two loads of one file
 * must give equal configurations, or every reload would see every service as changed. A pattern is its text and
 * flags.
 */
final class PatternValues {
    private PatternValues() {}

    /** A value that equals another exactly when the patterns are the same text with the same flags. */
    static Optional<List<Object>> of(Optional<Pattern> pattern) {
        return pattern.map(p -> List.of(p.pattern(), p.flags()));
    }

    /** The checks as values: an HTTP check's {@code body_match} compared as {@link #of}. */
    static List<Object> of(List<CheckSpec> checks) {
        return checks.stream()
                .<Object>map(check -> check instanceof CheckSpec.Http h
                        ? List.of(
                                h.common(),
                                h.url(),
                                h.okStatuses(),
                                of(h.bodyMatch()),
                                h.tlsVerify(),
                                h.followRedirects())
                        : check)
                .toList();
    }
}
