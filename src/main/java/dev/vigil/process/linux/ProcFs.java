package dev.vigil.process.linux;

import dev.vigil.process.ProcessIdentity;
import dev.vigil.process.ProcessInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** Reads processes from /proc. A process that exits while being read is simply absent: callers never see half. */
public final class ProcFs {
    private static final Path PROC = Path.of("/proc");
    private static final long TICKS_PER_SECOND = Syscalls.clockTicksPerSecond();
    private static final long PAGE_SIZE = 4096;
    private static final long BOOT_TIME_SECONDS = readBootTime();
    private static final String BOOT_ID = readBootId();

    private ProcFs() {}

    /** This boot's id: identities recorded before a reboot never match processes after it. */
    public static String bootId() {
        return BOOT_ID;
    }

    public static long selfPid() {
        return ProcessHandle.current().pid();
    }

    /** The process with this pid now, if there is one. */
    public static Optional<ProcessInfo> read(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        Path dir = PROC.resolve(Long.toString(pid));
        try {
            String stat = Files.readString(dir.resolve("stat"), StandardCharsets.UTF_8);
            byte[] rawCmdline = Files.readAllBytes(dir.resolve("cmdline"));
            int uid = readUid(dir);
            return Optional.of(parse(pid, stat, rawCmdline, uid));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // ESRCH while reading: it exited under us
            return Optional.empty();
        }
    }

    /** Every process visible now. */
    public static List<ProcessInfo> all() {
        return readAll(pids());
    }

    /** Every process's command line as {@code ps auxww} shows it (kernel threads, with none, left out). */
    public static Map<Long, String> commandLines() {
        Map<Long, String> result = new HashMap<>();
        for (long pid : pids()) {
            commandLine(pid).ifPresent(line -> result.put(pid, line));
        }
        return Map.copyOf(result);
    }

    /**
     * The processes whose command line (as {@code ps auxww} shows it: arguments joined by spaces) passes {@code
     * test}: only the command line of each process is read to decide, so a scan costs one small read per process.
     */
    public static List<ProcessInfo> withCommandLine(Predicate<String> test) {
        return readAll(pids().stream()
                .filter(pid -> commandLine(pid).filter(test).isPresent())
                .toList());
    }

    /**
     * The processes with a pid above {@code abovePid} that started at or after {@code ticks}: only their stat is
     * read to decide, so this is cheap enough to call often (a start looking for the child of a daemon that forked:
     * its pid is above its parent's, except when pids wrap around; pass 0 to look at every process).
     */
    public static List<ProcessInfo> startedSince(long ticks, long abovePid) {
        return readAll(pids().stream()
                .filter(pid -> pid > abovePid)
                .filter(pid -> startTicks(pid).orElse(-1L) >= ticks)
                .toList());
    }

    /** The pids in /proc now. */
    private static List<Long> pids() {
        try (Stream<Path> entries = Files.list(PROC)) {
            return entries.map(p -> p.getFileName().toString())
                    .filter(ProcFs::isNumber)
                    .map(Long::parseLong)
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
    }

    private static List<ProcessInfo> readAll(List<Long> pids) {
        List<ProcessInfo> result = new ArrayList<>();
        pids.forEach(pid -> read(pid).ifPresent(result::add));
        return result;
    }

    private static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            return raw.length == 0 ? Optional.empty() : Optional.of(String.join(" ", splitCmdline(raw)));
        } catch (IOException e) {
            return Optional.empty(); // exited while we looked
        }
    }

    /** The start time of {@code pid} in clock ticks after boot, or empty when it does not exist. */
    public static Optional<Long> startTicks(long pid) {
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            return Optional.of(Long.parseLong(fieldsAfterName(stat)[19]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Converts a start time in ticks after boot to wall-clock time. */
    public static Instant instantOfTicks(long ticks) {
        return Instant.ofEpochSecond(BOOT_TIME_SECONDS).plusMillis(ticks * 1000 / TICKS_PER_SECOND);
    }

    static ProcessInfo parse(long pid, String stat, byte[] rawCmdline, int uid) {
        String[] f = fieldsAfterName(stat);
        // f[0] is field 3 of stat(5): state; ppid 4, pgrp 5, starttime 22, rss 24
        char state = f[0].charAt(0);
        long ppid = Long.parseLong(f[1]);
        long pgid = Long.parseLong(f[2]);
        long startTicks = Long.parseLong(f[19]);
        long rssPages = Long.parseLong(f[21]);
        List<String> cmdline = splitCmdline(rawCmdline);
        ProcessIdentity identity = new ProcessIdentity(pid, startTicks, uid, cmdline);
        return new ProcessInfo(identity, ppid, pgid, state, instantOfTicks(startTicks), rssPages * PAGE_SIZE);
    }

    /** The fields after "(comm)": the name may hold spaces and parentheses, so split after the last ')'. */
    private static String[] fieldsAfterName(String stat) {
        int close = stat.lastIndexOf(')');
        return stat.substring(close + 2).strip().split(" ");
    }

    private static List<String> splitCmdline(byte[] raw) {
        if (raw.length == 0) {
            return List.of();
        }
        int end = raw[raw.length - 1] == 0 ? raw.length - 1 : raw.length;
        String text = new String(raw, 0, end, StandardCharsets.UTF_8);
        return Arrays.asList(text.split("\0", -1));
    }

    private static int readUid(Path dir) throws IOException {
        for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
            }
        }
        throw new IOException("no Uid line in " + dir.resolve("status"));
    }

    private static boolean isNumber(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static long readBootTime() {
        try {
            for (String line : Files.readAllLines(PROC.resolve("stat"))) {
                if (line.startsWith("btime ")) {
                    return Long.parseLong(line.substring(6).strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through: display times will be off, identities are unaffected
        }
        return 0;
    }

    private static String readBootId() {
        try {
            return Files.readString(PROC.resolve("sys/kernel/random/boot_id")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The uid this Vigil runs as. */
    public static int selfUid() {
        return read(selfPid()).map(p -> p.identity().uid()).orElse(-1);
    }
}
