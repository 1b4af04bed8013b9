package org.convrouter.directory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.convrouter.error.ConflictException;
import org.convrouter.error.NotFoundException;
import org.convrouter.error.RefusedException;

/**
 * Creates and changes the directory, checking every business rule before anything is written.
 * The whole directory is cached in memory as an immutable {@link Directory} snapshot: writes go to
 * the store first and then replace the snapshot, so the cache is exact after every successful
 * write and a refused or failed write changes nothing. Writes are serialised; reads never block.
 */
public final class DirectoryService implements Supplier<Directory> {

    private final DirectoryStore store;
    private final ContactStore contacts;
    private final RoutingSettingsValidator validator = new RoutingSettingsValidator();
    private final AtomicReference<Directory> snapshot;

    public DirectoryService(DirectoryStore store, ContactStore contacts) {
        this.store = store;
        this.contacts = contacts;
        this.snapshot = new AtomicReference<>(store.load());
    }

    /** The current snapshot. */
    @Override
    public Directory get() {
        return snapshot.get();
    }

    // --- users ---------------------------------------------------------------------------------

    public synchronized User createUser(User user) {
        if (get().user(user.id()).isPresent()) {
            throw new ConflictException("a user with id '" + user.id() + "' already exists");
        }
        store.save(user);
        snapshot.set(get().withUser(user));
        return user;
    }

    public synchronized User updateUser(String id, UserPatch patch) {
        User current = user(id);
        User next = new User(id, or(patch.name(), current.name()), or(patch.email(), current.email()),
                or(patch.seat(), current.seat()), or(patch.available(), current.available()), or(patch.active(), current.active()));
        store.save(next);
        snapshot.set(get().withUser(next));
        return next;
    }

    public User user(String id) {
        return get().user(id).orElseThrow(() -> new NotFoundException("no user with id '" + id + "'"));
    }

    /** The fields of a user that may change; null leaves a field as it is. */
    public record UserPatch(String name, String email, Seat seat, Boolean available, Boolean active) {}

    // --- teams ---------------------------------------------------------------------------------

    public synchronized Team createTeam(Team team) {
        if (get().team(team.id()).isPresent()) {
            throw new ConflictException("a team with id '" + team.id() + "' already exists");
        }
        checkMembers(team);
        store.save(team);
        snapshot.set(get().withTeam(team));
        return team;
    }

    public synchronized Team updateTeam(String id, String name, List<String> primary, List<String> secondary) {
        Team current = team(id);
        Team next = new Team(id, or(name, current.name()), or(primary, current.primaryMembers()),
                or(secondary, current.secondaryMembers()));
        checkMembers(next);
        store.save(next);
        snapshot.set(get().withTeam(next));
        return next;
    }

    public Team team(String id) {
        return get().team(id).orElseThrow(() -> new NotFoundException("no team with id '" + id + "'"));
    }

    /** Members must exist, and a user is a primary member of at most one team. */
    private void checkMembers(Team team) {
        Directory dir = get();
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

    public synchronized Inbox createInbox(Inbox inbox) {
        if (get().inbox(inbox.id()).isPresent()) {
            throw new ConflictException("an inbox with id '" + inbox.id() + "' already exists");
        }
        checkTeams(inbox);
        store.save(inbox);
        snapshot.set(get().withInbox(inbox));
        return inbox;
    }

    /** {@code teams} replaces the access list when {@code teamsGiven}; null then opens the inbox to everyone. */
    public synchronized Inbox updateInbox(String id, String name, boolean teamsGiven, List<String> teams) {
        Inbox current = inbox(id);
        Inbox next = new Inbox(id, or(name, current.name()), teamsGiven ? teams : current.teams());
        checkTeams(next);
        store.save(next);
        snapshot.set(get().withInbox(next));
        return next;
    }

    public Inbox inbox(String id) {
        return get().inbox(id).orElseThrow(() -> new NotFoundException("no inbox with id '" + id + "'"));
    }

    private void checkTeams(Inbox inbox) {
        if (inbox.teams() == null) {
            return;
        }
        List<String> unknown = inbox.teams().stream().filter(t -> get().team(t).isEmpty()).toList();
        if (!unknown.isEmpty()) {
            throw new RefusedException("teams: unknown team(s) " + unknown, unknown);
        }
    }

    // --- channels and routing settings ---------------------------------------------------------

    public synchronized Channel createChannel(Channel channel) {
        if (get().channel(channel.id()).isPresent()) {
            throw new ConflictException("a channel with id '" + channel.id() + "' already exists");
        }
        inboxForChannel(channel.inboxId());
        store.save(channel);
        snapshot.set(get().withChannel(channel));
        return channel;
    }

    public synchronized Channel updateChannel(String id, String inboxId, ChannelKind kind, String name) {
        Channel current = channel(id);
        Channel next = new Channel(id, or(inboxId, current.inboxId()), or(kind, current.kind()), or(name, current.name()));
        inboxForChannel(next.inboxId());
        store.save(next);
        snapshot.set(get().withChannel(next));
        return next;
    }

    public Channel channel(String id) {
        return get().channel(id).orElseThrow(() -> new NotFoundException("no channel with id '" + id + "'"));
    }

    private void inboxForChannel(String inboxId) {
        if (get().inbox(inboxId).isEmpty()) {
            throw new RefusedException("inboxId: unknown inbox '" + inboxId + "'");
        }
    }

    /**
     * R2 and unknown users or teams: refused (422) with every problem, each field named after
     * {@code fieldPrefix} ("settings." where the settings sit inside a larger body).
     */
    public void requireValidSettings(RoutingSettings settings, String fieldPrefix) {
        List<RoutingSettingsValidator.Problem> problems = validator.problems(settings, get());
        if (!problems.isEmpty()) {
            throw new RefusedException(fieldPrefix + problems.get(0).field() + ": " + problems.stream()
                    .map(RoutingSettingsValidator.Problem::message).reduce((a, b) -> a + "; " + b).orElseThrow(), problems);
        }
    }

    /** R2: refuses settings naming a seatless (or unknown) user; nothing is saved then. */
    public synchronized RoutingSettings saveSettings(String channelId, RoutingSettings settings) {
        channel(channelId);
        requireValidSettings(settings, "");
        store.saveSettings(channelId, settings);
        snapshot.set(get().withSettings(channelId, settings));
        return settings;
    }

    public RoutingSettings settings(String channelId) {
        channel(channelId);
        return get().settings(channelId);
    }

    // --- contacts (not cached: there are many) -------------------------------------------------

    public synchronized Contact createContact(Contact contact) {
        if (contacts.find(contact.id()).isPresent()) {
            throw new ConflictException("a contact with id '" + contact.id() + "' already exists");
        }
        checkContact(contact);
        contacts.save(contact);
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
