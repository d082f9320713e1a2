package dev.vigil.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A tiny real program for {@link DurabilityTest}: appends events to the database named by its argument until it is
 * killed, and prints each id (one line, one write) only after {@code append} has returned it.
 */
public final class AppendForever {
    private AppendForever() {}

    public static void main(String[] args) {
        PrintStream out = System.out;
        try (Store store = Store.open(Path.of(args[0]))) {
            for (long i = 0; ; i++) {
                long id = store.append("web", "", "tick", "tick " + i, Map.of("i", Long.toString(i)), Instant.now());
                out.print(id + "\n");
                out.flush();
            }
        }
    }
}
