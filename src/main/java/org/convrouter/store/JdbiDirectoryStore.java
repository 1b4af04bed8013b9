package org.convrouter.store;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.convrouter.access.Principal;
import org.convrouter.directory.Channel;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Directory;
import org.convrouter.directory.DirectoryStore;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.Seat;
import org.convrouter.directory.Team;
import org.convrouter.directory.User;
import org.convrouter.support.Json;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The directory in SQL; its version is the {@link Changes#DIRECTORY} counter, locked by every
 * write and bumped when it commits. Saves are upserts written as update-then-insert, portable to
 * H2 and PostgreSQL.
 */
public final class JdbiDirectoryStore implements DirectoryStore {

    private static final TypeReference<List<String>> IDS = new TypeReference<>() {};

    private final Jdbi jdbi;

    public JdbiDirectoryStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    @Override
    public long version() {
        return jdbi.withHandle(h -> Changes.version(h, Changes.DIRECTORY));
    }

    @Override
    public Directory load() {
        return jdbi.withHandle(JdbiDirectoryStore::load);
    }

    @Override
    public <T> T write(Function<Writer, T> work) {
        return jdbi.inTransaction(h -> {
            T result = work.apply(new HandleWriter(h, Changes.lock(h, Changes.DIRECTORY)));
            Changes.bump(h, Changes.DIRECTORY);
            return result;
        });
    }

    /** Saves one item as a write of its own. */
    public void save(User user) {
        write(w -> { w.save(user); return null; });
    }

    /** Saves one item as a write of its own. */
    public void save(Team team) {
        write(w -> { w.save(team); return null; });
    }

    /** Saves one item as a write of its own. */
    public void save(Inbox inbox) {
        write(w -> { w.save(inbox); return null; });
    }

    /** Saves one item as a write of its own. */
    public void save(Channel channel) {
        write(w -> { w.save(channel); return null; });
    }

    /** Saves one channel's settings as a write of their own. */
    public void saveSettings(String channelId, RoutingSettings settings) {
        write(w -> { w.saveSettings(channelId, settings); return null; });
    }

    private static Directory load(Handle h) {
        List<User> users = h.createQuery("SELECT * FROM users ORDER BY id").map((rs, ctx) -> new User(
                rs.getString("id"), rs.getString("name"), rs.getString("email"), Seat.valueOf(rs.getString("seat")),
                rs.getBoolean("available"), rs.getBoolean("active"), (Integer) rs.getObject("chat_capacity", Integer.class))).list();
        List<Team> teams = h.createQuery("SELECT * FROM teams ORDER BY id").map((rs, ctx) -> new Team(
                rs.getString("id"), rs.getString("name"), Json.read(rs.getString("primary_members"), IDS),
                Json.read(rs.getString("secondary_members"), IDS))).list();
        List<Inbox> inboxes = h.createQuery("SELECT * FROM inboxes ORDER BY id").map((rs, ctx) -> new Inbox(
                rs.getString("id"), rs.getString("name"),
                rs.getString("teams") == null ? null : Json.read(rs.getString("teams"), IDS))).list();
        List<Channel> channels = h.createQuery("SELECT * FROM channels ORDER BY id").map((rs, ctx) -> new Channel(
                rs.getString("id"), rs.getString("inbox_id"), ChannelKind.valueOf(rs.getString("kind")),
                rs.getString("name"))).list();
        Map<String, RoutingSettings> settings = new HashMap<>();
        h.createQuery("SELECT * FROM routing_settings").map((rs, ctx) -> Map.entry(rs.getString("channel_id"),
                Json.read(rs.getString("settings"), RoutingSettings.class))).forEach(e -> settings.put(e.getKey(), e.getValue()));
        return Directory.of(users, teams, inboxes, channels, settings);
    }

    /** The saves of one locked write transaction. */
    private record HandleWriter(Handle h, long version) implements Writer {

        @Override
        public Directory load() {
            return JdbiDirectoryStore.load(h);
        }

        @Override
        public void save(User user) {
            Map<String, Object> values = new HashMap<>(Map.of("id", user.id(), "name", user.name(), "email", user.email(),
                    "seat", user.seat().name(), "available", user.available(), "active", user.active()));
            values.put("capacity", user.chatCapacity());
            upsert(h,
                    "UPDATE users SET name = :name, email = :email, seat = :seat, available = :available, active = :active, "
                            + "chat_capacity = :capacity WHERE id = :id",
                    "INSERT INTO users (id, name, email, seat, available, active, chat_capacity) "
                            + "VALUES (:id, :name, :email, :seat, :available, :active, :capacity)",
                    values);
        }

        @Override
        public void revokeTokensOf(String userId) {
            JdbiTokenStore.revokeAll(h, new Principal(Principal.Kind.USER, userId));
        }

        @Override
        public void save(Team team) {
            upsert(h,
                    "UPDATE teams SET name = :name, primary_members = :primary, secondary_members = :secondary WHERE id = :id",
                    "INSERT INTO teams (id, name, primary_members, secondary_members) VALUES (:id, :name, :primary, :secondary)",
                    Map.of("id", team.id(), "name", team.name(), "primary", Json.write(team.primaryMembers()),
                            "secondary", Json.write(team.secondaryMembers())));
        }

        @Override
        public void save(Inbox inbox) {
            Map<String, Object> values = new HashMap<>();
            values.put("id", inbox.id());
            values.put("name", inbox.name());
            values.put("teams", inbox.teams() == null ? null : Json.write(inbox.teams()));
            upsert(h, "UPDATE inboxes SET name = :name, teams = :teams WHERE id = :id",
                    "INSERT INTO inboxes (id, name, teams) VALUES (:id, :name, :teams)", values);
        }

        @Override
        public void save(Channel channel) {
            upsert(h,
                    "UPDATE channels SET inbox_id = :inbox, kind = :kind, name = :name WHERE id = :id",
                    "INSERT INTO channels (id, inbox_id, kind, name) VALUES (:id, :inbox, :kind, :name)",
                    Map.of("id", channel.id(), "inbox", channel.inboxId(), "kind", channel.kind().name(), "name", channel.name()));
        }

        @Override
        public void saveSettings(String channelId, RoutingSettings settings) {
            upsert(h,
                    "UPDATE routing_settings SET settings = :settings WHERE channel_id = :id",
                    "INSERT INTO routing_settings (channel_id, settings) VALUES (:id, :settings)",
                    Map.of("id", channelId, "settings", Json.write(settings)));
        }
    }

    static void upsert(Handle h, String update, String insert, Map<String, ?> values) {
        if (h.createUpdate(update).bindMap(values).execute() == 0) {
            h.createUpdate(insert).bindMap(values).execute();
        }
    }
}
