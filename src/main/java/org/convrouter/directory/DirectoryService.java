package org.convrouter.directory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.convrouter.error.ConflictException;
import org.convrouter.error.NotFoundException;
import org.convrouter.error.RefusedException;

/**
 * Creates and changes the directory, checking every business rule before anything is written.
 * The whole directory is cached in memory as an immutable {@link Directory} snapshot with its
 * version. Every instance writes through the database: a write is one transaction that first locks
 * the directory's version ({@link DirectoryStore#write}), so writes from all instances run one at a
 * time; it checks against the directory at that version (reloaded when another instance moved it),
 * saves, and installs the new snapshot once committed. A refused or failed write changes nothing.
 * Changes made by other instances arrive through {@link #reload}. Reads never block.
 */
public final class DirectoryService implements Supplier<Directory> {

    private final DirectoryStore store;
    private final ContactStore contacts;
    private final RoutingSettingsValidator validator = new RoutingSettingsValidator();
    private final AtomicReference<Snapshot> snapshot;
    private final List<Consumer<String>> deactivated = new CopyOnWriteArrayList<>();

    public DirectoryService(DirectoryStore store, ContactStore contacts) {
        this.store = store;
        this.contacts = contacts;
        this.snapshot = new AtomicReference<>(stored());
    }

    /** The current snapshot. */
    @Override
    public Directory get() {
        return snapshot.get().directory();
    }

    /** Takes up what the database holds now, unless this instance already holds as new a snapshot; called when the version moved. */
    public void reload() {
        install(stored());
    }

    // --- users ---------------------------------------------------------------------------------

    public User createUser(User user) {
        return write(change -> {
            if (change.directory().user(user.id()).isPresent()) {
                throw new ConflictException("a user with id '" + user.id() + "' already exists");
            }
            change.save(user);
            return user;
        });
    }

    /**
     * Deactivating a user revokes their tokens in the same transaction (reactivated, they need a new
     * one); once it has committed, the {@link #onDeactivated} listeners hear of it.
     */
    public User updateUser(String id, UserPatch patch) {
        UserChange changed = write(change -> {
            User current = user(change.directory(), id);
            User next = new User(id, or(patch.name(), current.name()), or(patch.email(), current.email()),
                    or(patch.seat(), current.seat()), or(patch.available(), current.available()), or(patch.active(), current.active()),
                    patch.chatCapacityGiven() ? patch.chatCapacity() : current.chatCapacity());
            change.save(next);
            if (current.active() && !next.active()) {
                change.revokeTokensOf(id);
            }
            return new UserChange(current, next);
        });
        if (changed.before().active() && !changed.after().active()) {
            deactivated.forEach(listener -> listener.accept(id));
        }
        return changed.after();
    }

    private record UserChange(User before, User after) {}

    /**
     * {@code listener} hears the id of every user this instance deactivates, once that has committed
     * (so this instance drops the user's cached tokens at once; other instances hear through the
     * tokens counter).
     */
    public void onDeactivated(Consumer<String> listener) {
        deactivated.add(listener);
    }

    public User user(String id) {
        return user(get(), id);
    }

    private static User user(Directory dir, String id) {
        return dir.user(id).orElseThrow(() -> new NotFoundException("no user with id '" + id + "'"));
    }

    /**
     * The fields of a user that may change; null leaves a field as it is. {@code chatCapacity} replaces
     * the capacity only when {@code chatCapacityGiven}, and null then means no limit.
     */
    public record UserPatch(String name, String email, Seat seat, Boolean available, Boolean active,
                            boolean chatCapacityGiven, Integer chatCapacity) {

        public UserPatch(String name, String email, Seat seat, Boolean available, Boolean active) {
            this(name, email, seat, available, active, false, null);
        }
    }

    // --- teams ---------------------------------------------------------------------------------

    public Team createTeam(Team team) {
        return write(change -> {
            if (change.directory().team(team.id()).isPresent()) {
                throw new ConflictException("a team with id '" + team.id() + "' already exists");
            }
            checkMembers(change.directory(), team);
            change.save(team);
            return team;
        });
    }

    public Team updateTeam(String id, String name, List<String> primary, List<String> secondary) {
        return write(change -> {
            Team current = team(change.directory(), id);
            Team next = new Team(id, or(name, current.name()), or(primary, current.primaryMembers()),
                    or(secondary, current.secondaryMembers()));
            checkMembers(change.directory(), next);
            change.save(next);
            return next;
        });
    }

    public Team team(String id) {
        return team(get(), id);
    }

    private static Team team(Directory dir, String id) {
        return dir.team(id).orElseThrow(() -> new NotFoundException("no team with id '" + id + "'"));
    }

    /** Members must exist, and a user is a primary member of at most one team. */
    private static void checkMembers(Directory dir, Team team) {
        List<String> problems = new ArrayList<>();
        Set<String> all = new LinkedHashSet<>(team.primaryMembers());
        all.addAll(team.secondaryMembers());
        for (String member : all) {
            if (dir.user(member).isEmpty()) {
                problems.add("unknown user '" + member + "'");
            }
        }
        for (String member : team.primaryMembers()) {
            String elsewhere = dir.primaryTeamOf(member);
            if (elsewhere != null && !elsewhere.equals(team.id())) {
                problems.add("user '" + member + "' is already a primary member of team '" + elsewhere + "'");
            }
            if (team.secondaryMembers().contains(member)) {
                problems.add("user '" + member + "' cannot be both a primary and a secondary member");
            }
        }
        if (!problems.isEmpty()) {
            throw new RefusedException("team '" + team.id() + "': " + String.join("; ", problems), problems);
        }
    }

    // --- inboxes -------------------------------------------------------------------------------

    public Inbox createInbox(Inbox inbox) {
        return write(change -> {
            if (change.directory().inbox(inbox.id()).isPresent()) {
                throw new ConflictException("an inbox with id '" + inbox.id() + "' already exists");
            }
            checkTeams(change.directory(), inbox);
            change.save(inbox);
            return inbox;
        });
    }

    /** {@code teams} replaces the access list when {@code teamsGiven}; null then opens the inbox to everyone. */
    public Inbox updateInbox(String id, String name, boolean teamsGiven, List<String> teams) {
        return write(change -> {
            Inbox current = inbox(change.directory(), id);
            Inbox next = new Inbox(id, or(name, current.name()), teamsGiven ? teams : current.teams());
            checkTeams(change.directory(), next);
            change.save(next);
            return next;
        });
    }

    public Inbox inbox(String id) {
        return inbox(get(), id);
    }

    private static Inbox inbox(Directory dir, String id) {
        return dir.inbox(id).orElseThrow(() -> new NotFoundException("no inbox with id '" + id + "'"));
    }

    private static void checkTeams(Directory dir, Inbox inbox) {
        if (inbox.teams() == null) {
            return;
        }
        List<String> unknown = inbox.teams().stream().filter(t -> dir.team(t).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw new RefusedException("teams: unknown team(s) " + unknown, unknown);
        }
    }

    // --- channels and routing settings ---------------------------------------------------------

    public Channel createChannel(Channel channel) {
        return write(change -> {
            if (change.directory().channel(channel.id()).isPresent()) {
                throw new ConflictException("a channel with id '" + channel.id() + "' already exists");
            }
            inboxForChannel(change.directory(), channel.inboxId());
            change.save(channel);
            return channel;
        });
    }

    public Channel updateChannel(String id, String inboxId, ChannelKind kind, String name) {
        return write(change -> {
            Channel current = channel(change.directory(), id);
            Channel next = new Channel(id, or(inboxId, current.inboxId()), or(kind, current.kind()), or(name, current.name()));
            inboxForChannel(change.directory(), next.inboxId());
            change.save(next);
            return next;
        });
    }

    public Channel channel(String id) {
        return channel(get(), id);
    }

    private static Channel channel(Directory dir, String id) {
        return dir.channel(id).orElseThrow(() -> new NotFoundException("no channel with id '" + id + "'"));
    }

    private static void inboxForChannel(Directory dir, String inboxId) {
        if (dir.inbox(inboxId).isEmpty()) {
            throw new RefusedException("inboxId: unknown inbox '" + inboxId + "'");
        }
    }

    /**
     * R2 and unknown users or teams: refused (422) with every problem, each field named after
     * {@code fieldPrefix} ("settings." where the settings sit inside a larger body).
     */
    public void requireValidSettings(RoutingSettings settings, String fieldPrefix) {
        requireValidSettings(get(), settings, fieldPrefix);
    }

    private void requireValidSettings(Directory dir, RoutingSettings settings, String fieldPrefix) {
        List<RoutingSettingsValidator.Problem> problems = validator.problems(settings, dir);
        if (!problems.isEmpty()) {
            throw new RefusedException(fieldPrefix + problems.get(0).field() + ": " + problems.stream()
                    .map(RoutingSettingsValidator.Problem::message).reduce((a, b) -> a + "; " + b).orElseThrow(), problems);
        }
    }

    /** R2: refuses settings naming a seatless (or unknown) user; nothing is saved then. */
    public RoutingSettings saveSettings(String channelId, RoutingSettings settings) {
        return write(change -> {
            channel(change.directory(), channelId);
            requireValidSettings(change.directory(), settings, "");
            change.saveSettings(channelId, settings);
            return settings;
        });
    }

    public RoutingSettings settings(String channelId) {
        Directory dir = get();
        channel(dir, channelId);
        return dir.settings(channelId);
    }

    // --- writes and snapshots ------------------------------------------------------------------

    /** A directory and the version it is, so an older one never replaces a newer one. */
    private record Snapshot(Directory directory, long version) {}

    /** What a write returns, and the snapshot to install once it has committed. */
    private record Written<T>(T value, Snapshot next) {}

    /** The database's directory; its version is read first, so the directory is at least that version. */
    private Snapshot stored() {
        long version = store.version();
        return new Snapshot(store.load(), version);
    }

    private void install(Snapshot next) {
        snapshot.accumulateAndGet(next, (held, offered) -> offered.version() > held.version() ? offered : held);
    }

    /**
     * Runs {@code work} as one locked write (see the class comment). The snapshot held is exact when
     * its version is the one locked; otherwise another instance wrote since, and the directory is
     * read again inside the transaction. That one is installed at once (it is committed, and read
     * before anything is written), so even a refused write brings this instance up to date. This
     * instance's own writes queue on its monitor rather than at the database's lock, which H2 waits
     * for only a second.
     */
    private synchronized <T> T write(Function<Change, T> work) {
        Written<T> written = store.write(writer -> {
            Snapshot held = snapshot.get();
            if (held.version() != writer.version()) {
                held = new Snapshot(writer.load(), writer.version());
                install(held);
            }
            Change change = new Change(writer, held.directory());
            T value = work.apply(change);
            return new Written<>(value, new Snapshot(change.directory(), writer.version() + 1));
        });
        install(written.next());
        return written.value();
    }

    /** One write in progress: its saves, and the directory as they change it. */
    private static final class Change {
        private final DirectoryStore.Writer writer;
        private Directory directory;

        Change(DirectoryStore.Writer writer, Directory directory) {
            this.writer = writer;
            this.directory = directory;
        }

        Directory directory() { return directory; }

        void save(User user) { writer.save(user); directory = directory.withUser(user); }
        void revokeTokensOf(String userId) { writer.revokeTokensOf(userId); }
        void save(Team team) { writer.save(team); directory = directory.withTeam(team); }
        void save(Inbox inbox) { writer.save(inbox); directory = directory.withInbox(inbox); }
        void save(Channel channel) { writer.save(channel); directory = directory.withChannel(channel); }

        void saveSettings(String channelId, RoutingSettings settings) {
            writer.saveSettings(channelId, settings);
            directory = directory.withSettings(channelId, settings);
        }
    }

    // --- contacts (not cached: there are many) -------------------------------------------------

    public synchronized Contact createContact(Contact contact) {
        if (contacts.find(contact.id()).isPresent()) {
            throw new ConflictException("a contact with id '" + contact.id() + "' already exists");
        }
        checkContact(contact);
        contacts.create(contact);
        return contact;
    }

    public synchronized Contact updateContact(String id, Map<String, Object> changes) {
        Contact current = contact(id);
        Contact next = new Contact(id,
                changes.containsKey("email") ? (String) changes.get("email") : current.email(),
                changes.containsKey("name") ? (String) changes.get("name") : current.name(),
                changes.containsKey("owner") ? (String) changes.get("owner") : current.owner(),
                changes.containsKey("cookieTracked") ? (Boolean) changes.get("cookieTracked") : current.cookieTracked());
        checkContact(next);
        contacts.save(next);
        return next;
    }

    public Optional<Contact> contactByEmailIfKnown(String email) {
        return contacts.findByEmail(Contact.normalEmail(email));
    }

    public Contact contact(String id) {
        return contacts.find(id).orElseThrow(() -> new NotFoundException("no contact with id '" + id + "'"));
    }

    public List<Contact> contacts(String afterId, int limit) {
        return contacts.list(afterId, limit);
    }

    private void checkContact(Contact contact) {
        if (contact.owner() != null && get().user(contact.owner()).isEmpty()) {
            throw new RefusedException("owner: unknown user '" + contact.owner() + "'");
        }
        if (contact.email() != null) {
            contacts.findByEmail(contact.email()).filter(other -> !other.id().equals(contact.id())).ifPresent(other -> {
                throw new ConflictException("email: contact '" + other.id() + "' already has email '" + contact.email() + "'");
            });
        }
    }

    private static <T> T or(T value, T fallback) {
        return value == null ? fallback : value;
    }
}
