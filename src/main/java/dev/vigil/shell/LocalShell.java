package dev.vigil.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands on this machine.
 *
 * <p>Output goes to temporary files rather than pipes: an init script that starts a daemon hands it our stdout, and
 * a pipe would then stay open for the daemon's lifetime and hang the read. Stdin is /dev/null. On timeout the
 * command and all its descendants are killed (the JDK checks each pid's start time before signalling it).
 */
public final class LocalShell implements Shell {
    /** Bytes of stdout and of stderr kept per command. */
    public static final int OUTPUT_LIMIT = 64 * 1024;

    private static final Duration REAP_BOUND = Duration.ofSeconds(5);

    @Override
    public CommandResult run(List<String> argv, Duration timeout) {
        long began = System.nanoTime();
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("vigil-out-", ".txt");
            err = Files.createTempFile("vigil-err-", ".txt");
            Process process;
            try {
                process = new ProcessBuilder(argv)
                        .redirectInput(ProcessBuilder.Redirect.from(
                                Path.of("/dev/null").toFile()))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile())
                        .start();
            } catch (IOException e) {
                return new CommandResult(
                        new ExitStatus.LaunchFailed(e.getMessage()),
                        "",
                        "",
                        Duration.ofNanos(System.nanoTime() - began));
            }
            ExitStatus status = await(process, timeout);
            return new CommandResult(status, head(out), head(err), Duration.ofNanos(System.nanoTime() - began));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create temporary files for command output", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    @Override
    public String where() {
        return "local";
    }

    private static ExitStatus await(Process process, Duration timeout) {
        try {
            if (process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return decode(process.exitValue());
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(REAP_BOUND.toNanos(), TimeUnit.NANOSECONDS);
            return new ExitStatus.TimedOut(timeout);
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return new ExitStatus.LaunchFailed("interrupted while waiting");
        }
    }

    /** The JDK reports death by signal N as exit value 128+N. */
    private static ExitStatus decode(int exitValue) {
        return exitValue > 128 && exitValue < 128 + 65
                ? new ExitStatus.Signalled(exitValue - 128)
                : new ExitStatus.Exited(exitValue);
    }

    private static String head(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(OUTPUT_LIMIT), StandardCharsets.UTF_8);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless; the command's result matters more
        }
    }
}
