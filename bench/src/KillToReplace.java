// Measures how long a supervisor takes to replace a process killed with SIGKILL.
//
//   KTR_CMDLINE="ARGV JOINED BY SPACES" java KillToReplace.java measure --label L --out FILE [options]
//   java KillToReplace.java summary FILE...
//
// The command line comes in the environment, not in our own argv: a supervisor that finds its service by matching
// command lines (Vigil's derived proctitle_re, for one) would otherwise take this program for the service.
//
// measure: finds the one live process whose /proc/PID/cmdline is exactly the given command line, kills it with
// SIGKILL and times (System.nanoTime, taken just before kill(2)) until a *different* live pid with the same command
// line exists ("seen") and, with --pidfile, until that file names the new pid ("pidfile"). Repeats for
// --warmup + --kills rounds and appends one CSV line per round to --out:
//   label,round,warmup,seen_ms,pidfile_ms,killed_pid,killed_ppid,killed_was_child,new_pid,new_ppid,kill_epoch_ms
// (-1 = timed out / not measured). --parent-pid P: the supervisor's pid, for the "killed_was_child" column
// (PPid of the killed process == P; --parent-pid-file F: read P from F before each kill). --before-kill CMD: a shell command run before each kill (then --gap-ms of
// quiet). Detection polls /proc every --poll-us microseconds (default 200): the pids just above the highest pid
// seen so far are probed directly, and every 10 ms a full /proc scan for pids that did not exist at the kill covers
// holes and pid wrap-around. "seen" is the first new process with the command line (even if the supervisor then
// stops it again); "pidfile" is when the pidfile names a live new process with the command line.
//
// summary: n, timeouts, median, p90, p99, max per label and measure, and each median's ratio to the first label's.
// With --vigil-log LABEL FILE SERVICE (the daemon's stderr; repeatable), also where Vigil's time goes, from its log timestamps:
// kill -> "died" (exit noticed), "died" -> "start" (decision), "start" -> "restarted" (launch and check).
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.*;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

public class KillToReplace {
    static String label = "?", cmdline, pidfile, beforeKill, out, parentPidFile;
    static int kills = 60, warmup = 5;
    static long timeoutMs = 10_000, gapMs = 1000, pollUs = 200, parentPid = -1;

    public static void main(String[] args) throws Exception {
        if (args.length == 0) usage();
        if (args[0].equals("summary")) {
            summary(Arrays.asList(args).subList(1, args.length));
            return;
        }
        if (!args[0].equals("measure")) usage();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--label" -> label = v;
                case "--cmdline" -> cmdline = v;
                case "--pidfile" -> pidfile = v;
                case "--before-kill" -> beforeKill = v;
                case "--out" -> out = v;
                case "--kills" -> kills = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--timeout-ms" -> timeoutMs = Long.parseLong(v);
                case "--gap-ms" -> gapMs = Long.parseLong(v);
                case "--poll-us" -> pollUs = Long.parseLong(v);
                case "--parent-pid" -> parentPid = Long.parseLong(v);
                case "--parent-pid-file" -> parentPidFile = v;
                default -> usage();
            }
            i++;
        }
        if (cmdline == null) cmdline = System.getenv("KTR_CMDLINE");
        if (cmdline == null || cmdline.isBlank() || out == null) usage();
        measure();
    }

    static void usage() {
        System.err.println("usage: KTR_CMDLINE=CMD KillToReplace measure --label L --out FILE [--pidfile F] [--parent-pid P]"
                + " [--before-kill SHELLCMD] [--kills 60] [--warmup 5] [--timeout-ms 10000] [--gap-ms 1000] [--poll-us 200]\n"
                + "       KillToReplace summary FILE...");
        System.exit(2);
    }

    // ---- /proc helpers -------------------------------------------------------------------------------------

    /** The command line with NULs as spaces, or null if the process is gone or a zombie/kernel thread. */
    static String cmdlineOf(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            int n = b.length;
            if (n == 0) return null;
            if (b[n - 1] == 0) n--;
            for (int i = 0; i < n; i++) if (b[i] == 0) b[i] = ' ';
            return new String(b, 0, n, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    static long ppidOf(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("PPid:")) return Long.parseLong(line.substring(5).trim());
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return -1;
    }

    /** Thread ids have /proc/TID entries too; only a thread-group leader is a process. */
    static boolean isProcess(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("Tgid:")) return Long.parseLong(line.substring(5).trim()) == pid;
            }
        } catch (IOException | NumberFormatException e) {
            // gone
        }
        return false;
    }

    static long[] allPids() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String s = p.getFileName().toString();
                if (!s.isEmpty() && Character.isDigit(s.charAt(0))) {
                    try {
                        pids.add(Long.parseLong(s));
                    } catch (NumberFormatException e) {
                        // not a pid
                    }
                }
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        return pids.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** Every live process with exactly our command line. */
    static List<Long> matching() {
        List<Long> found = new ArrayList<>();
        for (long pid : allPids()) if (cmdline.equals(cmdlineOf(pid))) found.add(pid);
        return found;
    }

    static long readPidfile() {
        if (pidfile == null) return -1;
        try {
            return Long.parseLong(Files.readString(Path.of(pidfile)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Waits until exactly one process has the command line (and the pidfile names it); its pid, or -1. */
    static long waitForSteady(long boundMs) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMs);
        while (System.nanoTime() < until) {
            List<Long> m = matching();
            if (m.size() == 1 && (pidfile == null || readPidfile() == m.get(0))) return m.get(0);
            sleepMs(20);
        }
        return -1;
    }

    static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- measurement ---------------------------------------------------------------------------------------

    record Round(double seenMs, double pidfileMs, long newPid, long killEpochMs) {}

    static Round killAndWait(long victim) {
        long high = victim;
        Set<Long> before = new HashSet<>(); // every pid that existed at the kill: a pid not in it is new
        for (long p : allPids()) {
            high = Math.max(high, p);
            before.add(p);
        }
        Set<Long> pending = new LinkedHashSet<>(); // new pids whose cmdline did not match yet (before exec)
        Optional<ProcessHandle> handle = ProcessHandle.of(victim);
        if (handle.isEmpty()) return null;
        long epoch = System.currentTimeMillis();
        long t0 = System.nanoTime();
        handle.get().destroyForcibly(); // kill(victim, SIGKILL), after checking the start time is unchanged
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        long seenAt = -1, pidfileAt = -1, newPid = -1;
        long lastFull = t0;
        long pollNs = TimeUnit.MICROSECONDS.toNanos(pollUs);
        while (true) {
            long now = System.nanoTime();
            if (seenAt < 0) {
                // 1. probe pids above the highest one seen: new ones appear there until the pid counter wraps
                int misses = 0;
                for (long p = high + 1; misses < 16; p++) {
                    if (Files.exists(Path.of("/proc/" + p))) {
                        misses = 0;
                        high = p;
                        pending.add(p);
                    } else {
                        misses++;
                    }
                }
                // 2. every 10 ms, a full scan for pids that did not exist at the kill: holes wider than the probe,
                // and the pid counter wrapping around (new pids are then below the victim's)
                if (now - lastFull > 10_000_000L) {
                    lastFull = now;
                    long lowest = Long.MAX_VALUE;
                    for (long p : allPids()) {
                        if (p != victim && !before.contains(p) && !pending.contains(p)) {
                            pending.add(p);
                            if (p < victim) lowest = Math.min(lowest, p);
                        }
                    }
                    if (lowest != Long.MAX_VALUE && lowest < high) high = lowest; // wrapped: probe from there
                }
                for (Iterator<Long> it = pending.iterator(); it.hasNext(); ) {
                    long p = it.next();
                    String c = cmdlineOf(p);
                    if (c == null && !Files.exists(Path.of("/proc/" + p))) {
                        it.remove();
                    } else if (p != victim && cmdline.equals(c) && isProcess(p)) {
                        seenAt = System.nanoTime();
                        newPid = p;
                        break;
                    }
                }
                if (pending.size() > 256) pending.clear(); // a storm of other processes: rely on the full scan
            }
            if (seenAt >= 0 && pidfile != null && pidfileAt < 0) {
                // a live replacement named by the pidfile: usually newPid, but the supervisor may have replaced
                // that one again (Vigil stopping a start it judged failed), so any new pid with our command line
                long named = readPidfile();
                if (named == newPid || (named > 0 && named != victim && cmdline.equals(cmdlineOf(named)))) {
                    pidfileAt = System.nanoTime();
                }
            }
            if (seenAt >= 0 && (pidfile == null || pidfileAt >= 0)) break;
            if (now > deadline) break;
            LockSupport.parkNanos(pollNs);
        }
        return new Round(
                seenAt < 0 ? -1 : (seenAt - t0) / 1e6,
                pidfileAt < 0 ? -1 : (pidfileAt - t0) / 1e6,
                newPid, epoch);
    }

    static void measure() throws IOException {
        Path outFile = Path.of(out);
        int nonChild = 0, child = 0, timeouts = 0;
        int total = warmup + kills;
        System.err.printf("%s: %d warm-up + %d kills of '%s'%s%n", label, warmup, kills, cmdline,
                pidfile == null ? "" : " (pidfile " + pidfile + ")");
        for (int round = 0; round < total; round++) {
            long victim = waitForSteady(Math.max(30_000, timeoutMs));
            if (victim < 0) {
                System.err.printf("%s: round %d: no single live process with the command line (and pidfile) within 30 s;"
                        + " stopping%n", label, round);
                break;
            }
            if (beforeKill != null) {
                try {
                    Process p = new ProcessBuilder("/bin/sh", "-c", beforeKill)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.INHERIT)
                            .start();
                    p.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            sleepMs(gapMs);
            victim = waitForSteady(Math.max(30_000, timeoutMs));
            if (victim < 0) continue;
            if (parentPidFile != null) {
                try {
                    parentPid = Long.parseLong(Files.readString(Path.of(parentPidFile)).trim());
                } catch (IOException | NumberFormatException e) {
                    parentPid = -1;
                }
            }
            long ppid = ppidOf(victim);
            boolean wasChild = parentPid > 0 && ppid == parentPid;
            Round r = killAndWait(victim);
            if (r == null) continue;
            boolean isWarm = round < warmup;
            if (!isWarm) {
                if (wasChild) child++;
                else nonChild++;
                if (r.seenMs() < 0 || (pidfile != null && r.pidfileMs() < 0)) timeouts++;
            }
            long newPpid = r.newPid() > 0 ? ppidOf(r.newPid()) : -1;
            String line = String.format(Locale.ROOT, "%s,%d,%d,%.3f,%.3f,%d,%d,%d,%d,%d,%d%n", label, round, isWarm ? 1 : 0,
                    r.seenMs(), r.pidfileMs(), victim, ppid, wasChild ? 1 : 0, r.newPid(), newPpid, r.killEpochMs());
            Files.writeString(outFile, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            System.err.printf(Locale.ROOT, "  %s %2d%s seen %8.2f ms%s  killed %d (ppid %d%s) -> %d (ppid %d)%n",
                    label, round, isWarm ? "w" : " ", r.seenMs(),
                    pidfile == null ? "" : String.format(Locale.ROOT, "  pidfile %8.2f ms", r.pidfileMs()),
                    victim, ppid, wasChild ? ", supervisor's child" : "", r.newPid(), newPpid);
        }
        if (parentPid > 0) {
            System.err.printf("%s: %d measured kills hit a non-child of pid %d, %d hit its child; %d timeouts%n",
                    label, nonChild, parentPid, child, timeouts);
        }
    }

    // ---- summary ---------------------------------------------------------------------------------------------

    static double pct(List<Double> sorted, double q) {
        if (sorted.isEmpty()) return Double.NaN;
        int rank = (int) Math.ceil(q * sorted.size()); // nearest-rank
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static void summary(List<String> args) throws IOException {
        List<String> files = new ArrayList<>(args);
        List<String[]> logs = new ArrayList<>(); // {label, file, service}
        for (int at; (at = files.indexOf("--vigil-log")) >= 0; ) {
            if (Files.exists(Path.of(files.get(at + 1)))) { // --vigil-log FILE SERVICE: label "vigil"
                logs.add(new String[] {"vigil", files.get(at + 1), files.get(at + 2)});
                files.subList(at, at + 3).clear();
            } else {
                logs.add(new String[] {files.get(at + 1), files.get(at + 2), files.get(at + 3)});
                files.subList(at, at + 4).clear();
            }
        }
        Map<String, List<String[]>> byLabel = new LinkedHashMap<>();
        for (String f : files) {
            if (!Files.exists(Path.of(f))) continue;
            for (String line : Files.readAllLines(Path.of(f))) {
                String[] c = line.split(",");
                if (c.length >= 10) byLabel.computeIfAbsent(c[0], k -> new ArrayList<>()).add(c);
            }
        }
        System.out.printf("%-26s %4s %4s %9s %9s %9s %9s %9s %14s%n",
                "supervisor / measure", "n", "t/o", "median", "p90", "p99", "max", "min", "median/vigil");
        Double base = null;
        List<String> notes = new ArrayList<>();
        for (var e : byLabel.entrySet()) {
            List<String[]> rows = e.getValue().stream().filter(c -> c[2].equals("0")).toList();
            for (int col : new int[] {3, 4}) {
                if (col == 4 && rows.stream().allMatch(c -> Double.parseDouble(c[4]) < 0 && Double.parseDouble(c[3]) >= 0)) {
                    continue; // no pidfile measured for this supervisor
                }
                List<Double> v = new ArrayList<>();
                int timeouts = 0;
                for (String[] c : rows) {
                    double x = Double.parseDouble(c[col]);
                    if (x < 0) timeouts++;
                    else v.add(x);
                }
                Collections.sort(v);
                double med = pct(v, 0.5);
                if (base == null) base = med;
                String name = e.getKey() + (col == 3 ? " new process seen" : " pidfile updated");
                if (e.getKey().startsWith("vigil") && col == 3) {
                    double p99 = pct(v, 0.99);
                    notes.add(String.format(Locale.ROOT,
                            "%s target: median < 20 ms: %.2f ms -> %s; p99 < 50 ms: %.2f ms -> %s (timeouts count as misses: %d)",
                            e.getKey(), med, med < 20 && timeouts == 0 ? "met" : "MISSED", p99,
                            p99 < 50 && timeouts == 0 ? "met" : "MISSED", timeouts));
                }
                System.out.printf(Locale.ROOT, "%-26s %4d %4d %9.2f %9.2f %9.2f %9.2f %9.2f %13.2fx%n", name, v.size(),
                        timeouts, med, pct(v, 0.9), pct(v, 0.99), v.isEmpty() ? Double.NaN : v.get(v.size() - 1),
                        v.isEmpty() ? Double.NaN : v.get(0), med / base);
            }
            long child = rows.stream().filter(c -> c[7].equals("1")).count();
            Set<String> newParents = new TreeSet<>();
            for (String[] c : rows) newParents.add(c[9]);
            notes.add(String.format("%s: of %d measured kills, %d hit a child of the supervisor, %d a non-child;"
                    + " replacements' parent pids: %s", e.getKey(), rows.size(), child, rows.size() - child, newParents));
        }
        System.out.println("(milliseconds from kill -9 to the replacement; n = measured kills without warm-up,"
                + " t/o = timeouts; percentiles nearest-rank)");
        notes.forEach(System.out::println);
        for (String[] l : logs) {
            if (byLabel.containsKey(l[0]) && Files.exists(Path.of(l[1]))) {
                breakdown(l[0], Path.of(l[1]), l[2], byLabel.get(l[0]).stream().filter(c -> c[2].equals("0")).toList());
            }
        }
    }

    /** Vigil's log lines for the service: epoch ms and text; "died", "start (", "restarted:" in order per kill. */
    static void breakdown(String label, Path log, String service, List<String[]> rows) throws IOException {
        var fmt = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
        List<long[]> events = new ArrayList<>(); // {epochMs, kind: 0 died, 1 start, 2 restarted}
        for (String line : Files.readAllLines(log)) {
            if (line.length() < 23) continue;
            int kind = line.contains(" " + service + ": died:") ? 0
                    : line.contains(" " + service + ": start (") ? 1
                    : line.contains(" " + service + ": restarted:") ? 2 : -1;
            if (kind < 0) continue;
            try {
                long ms = java.time.LocalDateTime.parse(line.substring(0, 23), fmt)
                        .atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();
                events.add(new long[] {ms, kind});
            } catch (java.time.format.DateTimeParseException e) {
                // not a log line
            }
        }
        List<Double> detect = new ArrayList<>(), decide = new ArrayList<>(), launch = new ArrayList<>(), total = new ArrayList<>();
        for (String[] c : rows) {
            if (c.length < 11) continue;
            long kill = Long.parseLong(c[10]);
            long died = -1, start = -1, restarted = -1;
            for (long[] e : events) {
                if (e[0] < kill - 5) continue; // log and kill clocks are both wall clock, ms resolution
                if (died < 0 && e[1] == 0) died = e[0];
                else if (died >= 0 && start < 0 && e[1] == 1) start = e[0];
                else if (start >= 0 && restarted < 0 && e[1] == 2) { restarted = e[0]; break; }
            }
            if (restarted < 0) continue;
            detect.add((double) Math.max(0, died - kill));
            decide.add((double) (start - died));
            launch.add((double) (restarted - start));
            total.add((double) (restarted - kill));
        }
        System.out.println(label + ", where the time goes (daemon log timestamps, ms resolution; " + detect.size() + " kills):");
        String f = "  %-44s median %7.1f  p90 %7.1f  p99 %7.1f  max %7.1f ms%n";
        for (var e : List.of(Map.entry("kill -9 -> 'died' logged (exit noticed)", detect),
                Map.entry("'died' -> 'start' logged (decision)", decide),
                Map.entry("'start' -> 'restarted' logged (launch+check)", launch),
                Map.entry("kill -9 -> 'restarted' logged", total))) {
            List<Double> v = new ArrayList<>(e.getValue());
            Collections.sort(v);
            System.out.printf(Locale.ROOT, f, e.getKey(), pct(v, 0.5), pct(v, 0.9), pct(v, 0.99),
                    v.isEmpty() ? Double.NaN : v.get(v.size() - 1));
        }
    }
}
