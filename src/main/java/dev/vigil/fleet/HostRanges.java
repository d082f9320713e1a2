package dev.vigil.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compact host ranges: {@code xrd[01-40].example.org} is xrd01.example.org to xrd40.example.org, with the start's
 * zero padding kept; several ranges in one name give every combination, the first range varying slowest.
 */
public final class HostRanges {
    /** The most hosts one name may expand to. */
    public static final int MAX_HOSTS = 10_000;

    private static final Pattern RANGE = Pattern.compile("\\[(\\d{1,9})-(\\d{1,9})]");

    private HostRanges() {}

    /** Whether {@code name} contains a range (or a bracket that should be one). */
    public static boolean isRange(String name) {
        return name.indexOf('[') >= 0 || name.indexOf(']') >= 0;
    }

    /** The names {@code pattern} stands for; throws IllegalArgumentException saying what is wrong. */
    public static List<String> expand(String pattern) {
        List<String> literals = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        List<Integer> widths = new ArrayList<>();
        Matcher m = RANGE.matcher(pattern);
        int last = 0;
        long count = 1;
        while (m.find()) {
            literals.add(pattern.substring(last, m.start()));
            int start = Integer.parseInt(m.group(1));
            int end = Integer.parseInt(m.group(2));
            if (start > end) {
                throw new IllegalArgumentException("the range " + m.group() + " in '" + pattern
                        + "' starts after it ends; write the smaller number first, such as [01-40]");
            }
            ranges.add(new int[] {start, end});
            widths.add(m.group(1).length());
            count *= end - start + 1L;
            if (count > MAX_HOSTS) {
                throw new IllegalArgumentException(
                        "'" + pattern + "' stands for more than " + MAX_HOSTS + " hosts; split it");
            }
            last = m.end();
        }
        String tail = pattern.substring(last);
        if (literals.stream().anyMatch(HostRanges::isRange) || isRange(tail)) {
            throw new IllegalArgumentException("a bracket in '" + pattern
                    + "' is not a range; a range is two whole numbers in brackets, such as xrd[01-40].example.org");
        }
        List<String> names = new ArrayList<>();
        names.add("");
        for (int i = 0; i < ranges.size(); i++) {
            List<String> next = new ArrayList<>();
            for (String prefix : names) {
                for (int n = ranges.get(i)[0]; n <= ranges.get(i)[1]; n++) {
                    String digits = Integer.toString(n);
                    next.add(prefix
                            + literals.get(i)
                            + "0".repeat(Math.max(0, widths.get(i) - digits.length()))
                            + digits);
                }
            }
            names = next;
        }
        return names.stream().map(n -> n + tail).toList();
    }
}
