package dev.vigil.check;

import dev.vigil.shell.Shell;
import java.time.InstantSource;
import java.util.function.LongSupplier;

/** Builds the {@link Check} for a spec (in the style of Testcontainers' {@code Wait.forHttp(...)}). */
public final class Checks {
    private Checks() {}

    /** The check for {@code spec}; commands run through {@code shell}, time is the system's. */
    public static Check of(CheckSpec spec, Shell shell) {
        return of(spec, shell, System::nanoTime);
    }

    /**
     * The check for {@code spec}, measuring elapsed time (CPU rate) with {@code nanoTime}, a monotonic clock in
     * nanoseconds like {@link System#nanoTime()}.
     */
    public static Check of(CheckSpec spec, Shell shell, LongSupplier nanoTime) {
        return switch (spec) {
            case CheckSpec.Rss rss -> new RssCheck(rss);
            case CheckSpec.ActivityFile file -> new ActivityFileCheck(file, InstantSource.system());
            case CheckSpec.Tcp tcp -> new TcpCheck(tcp);
            case CheckSpec.Http http -> new HttpCheck(http);
            case CheckSpec.CommandCheck command -> new ShellCommandCheck(command, shell);
            case CheckSpec.CpuTime cpu -> new CpuTimeCheck(cpu, nanoTime);
        };
    }
}
