package dev.vigil.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tiny real programs that behave the way services misbehave (zt-exec's ExitLikeABoss): each is a shell script
 * written into a test's directory. Every instance gets a unique marker in its command line so tests never confuse
 * their processes with anything else on the machine.
 */
public final class TestPrograms implements AutoCloseable {
    private static final AtomicLong SEQUENCE =
            new AtomicLong(ProcessHandle.current().pid() * 1000);

    private final Path dir;
    private final List<Process> decoys = new ArrayList<>();

    public TestPrograms(Path dir) {
        this.dir = dir;
    }

    /** A number no other test process uses, to make command lines unique ("sleep 4242017"). */
    public static long unique() {
        return SEQUENCE.incrementAndGet();
    }

    /** Writes an executable script; {@code body} is sh. */
    public Path script(String name, String body) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** Sleeps forever-ish; its command line is {@code /bin/sleep MARKER}. */
    public static List<String> sleeper(long marker) {
        return List.of("/bin/sleep", Long.toString(marker));
    }

    /** Prints a line to stderr, then exits with {@code code} after {@code afterSeconds}. */
    public Path exitWith(int code, String afterSeconds) throws IOException {
        return script(
                "exit-" + code + "-" + unique() + ".sh",
                "echo \"going down with $0\" >&2\nsleep " + afterSeconds + "\necho \"exiting with " + code
                        + "\" >&2\nexit " + code);
    }

    /** Ignores SIGTERM; only SIGKILL ends it. */
    public Path ignoresSigterm() throws IOException {
        return script("stubborn-" + unique() + ".sh", "trap '' TERM\nwhile :; do sleep 1; done");
    }

    /** Forks {@code /bin/sleep MARKER} into the background and exits 0 at once, like a classic daemon. */
    public Path forksAndExits(long marker) throws IOException {
        return script("daemonize-" + marker + ".sh", "/bin/sleep " + marker + " </dev/null >/dev/null 2>&1 &\nexit 0");
    }

    /** Waits {@code seconds}, then becomes {@code /bin/sleep MARKER} (exec: same pid). */
    public Path startsSlowly(String seconds, long marker) throws IOException {
        return script("slow-" + marker + ".sh", "sleep " + seconds + "\nexec /bin/sleep " + marker);
    }

    /** Sets its own title (argv[0]) to {@code title}, as setproctitle does. */
    public Path changesTitle(String title, long marker) throws IOException {
        Path file = dir.resolve("retitle-" + marker + ".sh");
        Files.writeString(file, "#!/bin/bash\nexec -a " + title + " /bin/sleep " + marker + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** Runs a parent that keeps a child: both in one process group. */
    public Path withChild(long marker) throws IOException {
        return script("family-" + marker + ".sh", "/bin/sleep " + (marker + 1) + " &\nwait");
    }

    /** Starts an unrelated process (not through Vigil) that the test cleans up afterwards. */
    public Process decoy(List<String> argv) throws IOException {
        Process process = new ProcessBuilder(argv)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        decoys.add(process);
        return process;
    }

    @Override
    public void close() {
        decoys.forEach(Process::destroyForcibly);
    }
}
