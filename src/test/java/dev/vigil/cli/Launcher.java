package dev.vigil.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real launcher, bin/vigil, as a user would (for the *IT tests, which run after `package`). */
final class Launcher {
    static final Path PROJECT = Path.of("").toAbsolutePath();
    static final Path VIGIL = PROJECT.resolve("bin/vigil");

    private Launcher() {}

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs {@code argv} (the first element a program) with HOME set to {@code home}, bounded to a minute. */
    static Result run(Path home, Map<String, String> env, List<String> argv) throws IOException, InterruptedException {
        return run(home, env, argv, java.time.Duration.ofMinutes(1));
    }

    /** Like {@link #run(Path, Map, List)}, bounded by {@code bound}. */
    static Result run(Path home, Map<String, String> env, List<String> argv, java.time.Duration bound)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(argv)
                .directory(PROJECT.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("VIGIL_CONFIG");
        builder.environment().remove("XDG_STATE_HOME");
        builder.environment().remove("XDG_CONFIG_HOME");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("timed out: " + argv);
        }
        return new Result(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    static Result vigil(Path home, String... args) throws IOException, InterruptedException {
        return vigil(home, java.time.Duration.ofMinutes(1), args);
    }

    /** bin/vigil {@code -c CONFIG ARGS}, bounded by {@code bound}. */
    static Result vigil(Path home, java.time.Duration bound, Path config, String... args)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("-c", config.toString()));
        full.addAll(List.of(args));
        return vigil(home, bound, full.toArray(String[]::new));
    }

    /** bin/vigil with {@code args}, bounded by {@code bound} (a rollout across a fleet takes minutes). */
    static Result vigil(Path home, java.time.Duration bound, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        argv.add(VIGIL.toString());
        argv.addAll(List.of(args));
        return run(home, Map.of(), argv, bound);
    }
}
