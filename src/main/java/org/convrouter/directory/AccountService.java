package org.convrouter.directory;

import java.time.ZoneId;
import java.util.Set;
import org.convrouter.error.InvalidInputException;

/**
 * The account settings, cached: routing reads the time zone on every decision. Changes made by
 * any instance arrive through {@link #reload}. Thread-safe.
 */
public final class AccountService {

    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();

    private final AccountStore store;
    private volatile Account current;

    public AccountService(AccountStore store) {
        this.store = store;
        this.current = store.load();
    }

    public Account get() {
        return current;
    }

    public ZoneId timeZone() {
        return current.timeZone();
    }

    /** Takes up what the database holds now. */
    public void reload() {
        current = store.load();
    }

    /** {@code timeZone} must be an IANA zone id such as "Europe/Paris" or "UTC". */
    public Account setTimeZone(String timeZone) {
        if (timeZone == null) {
            throw new InvalidInputException("timeZone: required, an IANA time zone id such as Europe/Paris or UTC");
        }
        if (!ZONES.contains(timeZone)) {
            throw new InvalidInputException("timeZone: '" + timeZone + "' is not an IANA time zone id (such as Europe/Paris or UTC)");
        }
        Account next = new Account(ZoneId.of(timeZone));
        store.save(next);
        current = next;
        return next;
    }
}
