package dev.vigil.process;

import dev.vigil.process.linux.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts a service detached from Vigil: in a session of its own ({@code setsid}), stdin from /dev/null, stdout and
 * stderr appended to files, every signal disposition back to default ({@code env --default-signal}: whoever started
 * Vigil may have ignored SIGTERM, and usrsvc passed that on, so its services could not be stopped politely; a
 * background job of sh also starts with SIGINT and SIGQUIT ignored). The chain setsid → env → command only execs, so
 * the pid returned is the service's pid from the first moment.
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

    /**
     * A process that was started.
     *
     * @param pid the service's pid
     * @param startTicks its start time (from /proc, read at once: exec does not change it), 0 if it already died
     * @param child the JDK's handle when Vigil is its parent (exit code known), else empty
     * @param logOffset where its stderr file ended before the start, for quoting what it wrote
     */
    public record Launched(long pid, long startTicks, Optional<Process> child, long logOffset) {}

    /** How long the helper shell that detaches a service may take to report its pid. */
    private static final Duration HANDOFF_BOUND = Duration.ofSeconds(10);

    /**
     * Starts the service. Detached (the default), it is started by a throw-away shell as a background job that
     * reports its pid and exits at once, so the service is reparented to init and Vigil is never its parent; as a
     * child ({@code asChild}) Vigil stays its parent and can learn its exit code, which declared success exit codes
     * need.
     *
     * @throws IOException when the process could not be started at all (missing directory, no setsid, ...), with a
     *     message that says which
     */
    public static Launched launch(Request request, boolean asChild) throws IOException {
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
        return asChild ? asChild(request, offset) : detached(request, offset);
    }

    private static Launched asChild(Request request, long offset) throws IOException {
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
        Process process = builder.start();
        return new Launched(process.pid(), ProcFs.startTicks(process.pid()).orElse(0L), Optional.of(process), offset);
    }

    /**
     * {@code sh -c 'CMD >>OUT 2>>ERR </dev/null & echo $!'}: the shell forks the background job and prints its pid;
     * without job control the job stays in the shell's process group, so setsid(1) needs no fork of its own and the
     * pid printed is the service's. The arguments are passed as positional parameters, never pasted into the script.
     */
    private static Launched detached(Request request, long offset) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add("/bin/sh");
        argv.add("-c");
        argv.add(
                request.stderr().equals(request.stdout())
                        ? "out=$1; shift 2; \"$@\" </dev/null >>\"$out\" 2>&1 & echo $!"
                        : "out=$1; err=$2; shift 2; \"$@\" </dev/null >>\"$out\" 2>>\"$err\" & echo $!");
        argv.add("vigil-launch");
        argv.add(request.stdout().toString());
        argv.add(request.stderr().toString());
        argv.addAll(command(request));
        Process shell = new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(request.stderr().toFile()))
                .start();
        String printed;
        try (var out = shell.getInputStream()) {
            printed = new String(out.readNBytes(64), java.nio.charset.StandardCharsets.US_ASCII).strip();
            if (!shell.waitFor(HANDOFF_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                shell.destroyForcibly();
                throw new IOException("the launching shell did not finish within " + HANDOFF_BOUND.toSeconds() + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while launching", e);
        }
        long pid;
        try {
            pid = Long.parseLong(printed);
        } catch (NumberFormatException e) {
            throw new IOException("the launching shell exited with status " + shell.exitValue()
                    + " without reporting a pid (see " + request.stderr() + ")");
        }
        return new Launched(pid, ProcFs.startTicks(pid).orElse(0L), Optional.empty(), offset);
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
