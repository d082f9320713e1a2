package dev.vigil.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A pidfile as every tool expects it: the pid in decimal and a newline, nothing else, so {@code kill $(cat FILE)}
 * and init scripts keep working. What Vigil needs beyond the pid to re-verify identity is kept beside it in the
 * state directory ({@link IdentityStore}).
 */
public final class Pidfile {
    private Pidfile() {}

    /** What a pidfile held when read. */
    public sealed interface Content {
        record Missing() implements Content {}

        record Pid(long pid) implements Content {}

        /** Not a pid: empty, text, negative, or unreadable. */
        record Unusable(String why) implements Content {}
    }

    public static Content read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Content.Missing();
        } catch (IOException e) {
            return new Content.Unusable("cannot read it: " + e.getMessage());
        }
        String first = text.strip().lines().findFirst().orElse("").strip();
        try {
            long pid = Long.parseLong(first);
            return pid > 0 ? new Content.Pid(pid) : new Content.Unusable("it holds " + quoted(first) + ", not a pid");
        } catch (NumberFormatException e) {
            return new Content.Unusable("it holds " + quoted(first) + ", not a pid");
        }
    }

    /** Writes {@code pid} atomically, creating the directory if needed. */
    public static void write(Path file, long pid) throws IOException {
        // 0644, as pidfiles are: other users' monitoring reads them; no fsync (see AtomicFiles)
        AtomicFiles.write(
                file, pid + "\n", java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"), false);
    }

    public static void delete(Path file) throws IOException {
        Files.deleteIfExists(file);
    }

    private static String quoted(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) + "..." : text;
        return "\"" + cut + "\"";
    }
}
