package org.convrouter.directory;

import java.time.ZoneId;

/** Account-wide settings. {@code timeZone}: where the rules' clock stands (R12). */
public record Account(ZoneId timeZone) {

    public static final Account DEFAULT = new Account(ZoneId.of("UTC"));
}
