package org.convrouter.routing;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * A rule fact: the moment of the decision as the account's wall clock shows it (R12). Rules read
 * the time only from here, so a scenario can fix it and a decision can be replayed.
 */
public record Clock(LocalTime localTime, DayOfWeek dayOfWeek, LocalDate date, ZoneId zone) {

    /** The zone's id ("Europe/Paris", "UTC", "+01:00"): rules compare this text. */
    public String zoneId() {
        return zone.getId();
    }

    /** {@code instant} in {@code zone}. */
    public static Clock at(Instant instant, ZoneId zone) {
        ZonedDateTime local = instant.atZone(zone);
        return new Clock(local.toLocalTime(), local.getDayOfWeek(), local.toLocalDate(), zone);
    }
}
