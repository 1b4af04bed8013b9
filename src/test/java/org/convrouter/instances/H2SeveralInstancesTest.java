package org.convrouter.instances;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.convrouter.access.Principal;
import org.convrouter.access.TokenService;
import org.convrouter.store.Database;
import org.convrouter.store.JdbiTokenStore;
import org.convrouter.support.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The instances share one embedded database (which serves one process), each with its own services and poller. */
class H2SeveralInstancesTest extends SeveralInstancesContract {

    @TempDir
    Path folder;
    private Database database;

    @Override
    protected Database open() {
        if (database == null) {
            database = Database.embedded(folder.resolve("data"));
        }
        return database;
    }

    @Test
    void anOldDataFoldersAdminTokenHashIsImported() throws Exception {
        Path old = folder.resolve("old");
        Files.createDirectories(old);
        Files.writeString(old.resolve("admin-token.sha256"),
                HexFormat.of().formatHex(Sha256.of("old-admin-token".getBytes(StandardCharsets.UTF_8))) + "\n");
        List<String> shown = new ArrayList<>();
        try (Database upgraded = Database.embedded(old)) {
            TokenService tokens = TokenService.start(new JdbiTokenStore(upgraded.jdbi()), null, old, shown::add,
                    Clock.systemUTC(), userId -> true);
            assertThat(tokens.authenticate("old-admin-token")).contains(Principal.ADMIN);

            Files.delete(old.resolve("admin-token.sha256")); // from now on the database holds it
            TokenService restarted = TokenService.start(new JdbiTokenStore(upgraded.jdbi()), null, old, shown::add,
                    Clock.systemUTC(), userId -> true);
            assertThat(restarted.authenticate("old-admin-token")).contains(Principal.ADMIN);
        }
        assertThat(shown).as("nothing generated").isEmpty();
    }
}
