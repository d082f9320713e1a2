package dev.vigil.rollout;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * An allowed time window, such as {@code "Mon-Fri 06:00-18:00"} (local time). A window whose end is before its start
 * runs over midnight: it belongs to the day it starts on.
 */
public record Window(Set<DayOfWeek> days, LocalTime from, LocalTime to, String text) {
    public Window {
        days = Set.copyOf(EnumSet.copyOf(days));
    }

    public boolean contains(ZonedDateTime at) {
        LocalTime time = at.toLocalTime();
        if (!from.isAfter(to)) {
            return days.contains(at.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
        }
        return days.contains(at.getDayOfWeek()) && !time.isBefore(from)
                || days.contains(at.getDayOfWeek().minus(1)) && time.isBefore(to);
    }

    @Override
    public String toString() {
        return text;
    }
}
