package org.convrouter.store;

import java.time.ZoneId;
import org.convrouter.directory.Account;
import org.convrouter.directory.AccountStore;
import org.jdbi.v3.core.Jdbi;

/**
 * The account row in SQL. A save bumps the {@link Changes#DIRECTORY} counter in its transaction:
 * every instance reloads the account with the directory.
 */
public final class JdbiAccountStore implements AccountStore {

    private final Jdbi jdbi;

    public JdbiAccountStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public Account load() {
        return jdbi.withHandle(h -> h.createQuery("SELECT time_zone FROM account WHERE id = 1")
                .map((rs, ctx) -> new Account(ZoneId.of(rs.getString("time_zone")))).findOne().orElse(Account.DEFAULT));
    }

    @Override
    public void save(Account account) {
        jdbi.useTransaction(h -> {
            Changes.lock(h, Changes.DIRECTORY);
            h.createUpdate("UPDATE account SET time_zone = :zone WHERE id = 1").bind("zone", account.timeZone().getId()).execute();
            Changes.bump(h, Changes.DIRECTORY);
        });
    }
}
