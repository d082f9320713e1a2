package dev.vigil.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Starts a service detached from Vigil: in a session of its own ({@code setsid}), stdin from /dev/null, stdout and
 * stderr appended to files, every signal disposition back to default ({@code env --default-signal}: whoever started
 * Vigil may have ignored SIGTERM, and usrsvc passed that on, so its services could not be stopped politely). The
 * chain setsid → env → command only execs, so the pid returned is the service's pid. Vigil may exit at once: the
 * service is reparented to init and goes on.
 */
public final class DetachedLauncher {
    static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    private DetachedLauncher() {}

    /**
     * What to start.
     *
     * @param argv the program and its arguments
     * @param stdout file stdout is appended to
     * @param stderr file stderr is appended to (may be the same file)
     * @param env variables to set
     * @param inheritEnv start from Vigil's environment (true) or an empty one with only a default PATH (false)
     * @param workingDirectory where it starts; empty = Vigil's own working directory
     */
    public record Request(
            List<String> argv,
            Path stdout,
            Path stderr,
            Map<String, String> env,
            boolean inheritEnv,
            Optional<Path> workingDirectory) {
        public Request {
            argv = List.copyOf(argv);
            env = Map.copyOf(env);
        }
    }

    /** A process that was started; {@code logOffset} is where its stderr file ended before the start. */
    public record Launched(Process process, long logOffset) {
        public long pid() {
            return process.pid();
        }
    }

    /**
     * @throws IOException when the process could not be started at all (missing directory, no setsid, ...), with a
     *     message that says which
     */
    public static Launched launch(Request request) throws IOException {
        if (request.workingDirectory().isPresent()
                && !Files.isDirectory(request.workingDirectory().get())) {
            throw new IOException(
                    "working_directory " + request.workingDirectory().get() + " is not a directory");
        }
        for (Path log : List.of(request.stdout(), request.stderr())) {
            Path parent = log.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        }
        long offset = Files.exists(request.stderr()) ? Files.size(request.stderr()) : 0;
        ProcessBuilder builder = new ProcessBuilder(command(request))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(
                        ProcessBuilder.Redirect.appendTo(request.stdout().toFile()));
        if (request.stderr().equals(request.stdout())) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(
                    ProcessBuilder.Redirect.appendTo(request.stderr().toFile()));
        }
        return new Launched(builder.start(), offset);
    }

    static List<String> command(Request request) {
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.add("env");
        argv.add("--default-signal");
        if (!request.inheritEnv()) {
            argv.add("-i");
        }
        request.workingDirectory().ifPresent(dir -> argv.add("--chdir=" + dir));
        Map<String, String> env = new TreeMap<>(request.env());
        if (!request.inheritEnv()) {
            env.putIfAbsent("PATH", DEFAULT_PATH); // env needs a PATH to find a program given by bare name
        }
        env.forEach((key, value) -> argv.add(key + "=" + value));
        argv.addAll(request.argv());
        return argv;
    }

    /** The last lines a failed start wrote to its log, for the message that says why it failed. */
    public static String tail(Path log, long fromOffset, int maxLines) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            int from = (int) Math.min(Math.max(0, fromOffset), bytes.length);
            from = Math.max(from, bytes.length - 4096);
            List<String> lines = new String(bytes, from, bytes.length - from, java.nio.charset.StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank())
                    .toList();
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - maxLines), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
