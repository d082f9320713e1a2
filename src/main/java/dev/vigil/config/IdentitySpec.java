package dev.vigil.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How Vigil recognises a service's process.
 *
 * @param pidfile where the main pid is kept; always set for exec services (a default under the state directory)
 * @param autopid Vigil writes the pidfile (true) or the program writes it itself (false)
 * @param scanForProcess when the pidfile is missing or stale, scan the user's processes for {@code proctitleRe}
 * @param proctitleRe regex that the process's command line (as {@code ps auxww} shows it) must match; empty =
 *     derived from the command
 */
public record IdentitySpec(
        Optional<Path> pidfile, boolean autopid, boolean scanForProcess, Optional<Pattern> proctitleRe) {

    /** Equal when the same file loaded twice would be: {@code proctitleRe} compares by text and flags. */
    @Override
    public boolean equals(Object other) {
        return other instanceof IdentitySpec i
                && pidfile.equals(i.pidfile)
                && autopid == i.autopid
                && scanForProcess == i.scanForProcess
                && PatternValues.of(proctitleRe).equals(PatternValues.of(i.proctitleRe));
    }

    @Override
    public int hashCode() {
        return Objects.hash(pidfile, autopid, scanForProcess, PatternValues.of(proctitleRe));
    }
}
