package dev.vigil.check;

import dev.vigil.process.ProcessInfo;
import dev.vigil.process.linux.ProcFs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** usrsvc's rss_limit: resident memory of the process, optionally with all its descendants, against a limit. */
record RssCheck(CheckSpec.Rss spec) implements Check {

    @Override
    public CheckResult run(CheckTarget target) {
        return LiveProcess.measure(target, "rss", this::measure);
    }

    private CheckResult measure(ProcessInfo process) {
        long rss = process.rssBytes();
        String whose = "pid " + process.pid();
        if (spec.includeChildren()) {
            List<ProcessInfo> descendants = descendants(process.pid());
            rss += descendants.stream().mapToLong(ProcessInfo::rssBytes).sum();
            whose += " and its " + descendants.size() + " descendants";
        }
        String limit = Describe.bytes(spec.limitBytes());
        if (rss > spec.limitBytes()) {
            return new CheckResult.Unhealthy(
                    "rss " + Describe.bytes(rss) + " of " + whose + " exceeds the limit of " + limit);
        }
        return new CheckResult.Healthy("rss " + Describe.bytes(rss) + " of " + whose + ", limit " + limit);
    }

    /** Every process below {@code pid} now, by walking parent pids over one scan of /proc. */
    private static List<ProcessInfo> descendants(long pid) {
        Map<Long, List<ProcessInfo>> byParent = new HashMap<>();
        for (ProcessInfo p : ProcFs.all()) {
            byParent.computeIfAbsent(p.ppid(), k -> new ArrayList<>()).add(p);
        }
        List<ProcessInfo> found = new ArrayList<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(pid));
        while (!todo.isEmpty()) {
            for (ProcessInfo child : byParent.getOrDefault(todo.pop(), List.of())) {
                found.add(child);
                todo.push(child.pid());
            }
        }
        return found;
    }
}
