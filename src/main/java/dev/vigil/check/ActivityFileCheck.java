package dev.vigil.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.stream.Stream;

/**
 * usrsvc's activityfile: a file, or a directory, that the service touches while it works. Modification times are wall
 * clock, so this check compares them with wall time ({@code clock}), the one place checks use it.
 *
 * <p>A directory counts as modified when it or one of its direct entries is: its own mtime changes only when entries
 * are added, removed or renamed, not when a log inside it grows. Entries are read following symlinks; an entry that
 * vanishes or dangles while being read is skipped. The scan is not recursive, to keep its cost bounded by one listing.
 */
record ActivityFileCheck(CheckSpec.ActivityFile spec, InstantSource clock) implements Check {
    private record Newest(Path path, FileTime modified) {}

    @Override
    public CheckResult run(CheckTarget target) {
        Path path = spec.path();
        Newest newest;
        try {
            newest = Files.isDirectory(path) ? newestIn(path) : new Newest(path, Files.getLastModifiedTime(path));
        } catch (NoSuchFileException e) {
            return new CheckResult.Unhealthy("activity file " + path + " does not exist");
        } catch (IOException e) {
            return new CheckResult.Unhealthy("cannot read activity file " + path + ": " + Describe.failure(e));
        }
        Instant modified = newest.modified().toInstant();
        Duration age = Duration.between(modified, clock.instant());
        String what = (newest.path().equals(path) ? "activity file " + path : "newest entry " + newest.path())
                + " was modified " + (age.isNegative() ? "in the future (clock skew?)" : Describe.roughly(age) + " ago")
                + " (" + modified + ")";
        if (age.compareTo(spec.maxAge()) > 0) {
            return new CheckResult.Unhealthy(what + ", more than the limit of " + Describe.duration(spec.maxAge()));
        }
        return new CheckResult.Healthy(what + ", limit " + Describe.duration(spec.maxAge()));
    }

    private static Newest newestIn(Path dir) throws IOException {
        Newest newest = new Newest(dir, Files.getLastModifiedTime(dir));
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                FileTime modified;
                try {
                    modified = Files.getLastModifiedTime(entry);
                } catch (IOException e) {
                    continue;
                }
                if (modified.compareTo(newest.modified()) > 0) {
                    newest = new Newest(entry, modified);
                }
            }
        }
        return newest;
    }
}
