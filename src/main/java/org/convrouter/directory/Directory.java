package org.convrouter.directory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable snapshot of who and what exists: users, teams, inboxes, channels and their routing
 * settings, with the membership indexes routing needs. Writers build a new snapshot with the
 * {@code with...} methods; readers keep the one they started with, so a routing request sees one
 * consistent directory. Thread-safe because immutable.
 */
public final class Directory {

    public static final Directory EMPTY = new Directory(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

    private final Map<String, User> users;
    private final Map<String, Team> teams;
    private final Map<String, Inbox> inboxes;
    private final Map<String, Channel> channels;
    private final Map<String, RoutingSettings> settings;
    private final Map<String, String> primaryTeamByUser = new HashMap<>();
    private final Map<String, Set<String>> teamsByUser = new HashMap<>();

    private Directory(Map<String, User> users, Map<String, Team> teams, Map<String, Inbox> inboxes,
                      Map<String, Channel> channels, Map<String, RoutingSettings> settings) {
        this.users = users;
        this.teams = teams;
        this.inboxes = inboxes;
        this.channels = channels;
        this.settings = settings;
        for (Team team : teams.values()) {
            for (String member : team.primaryMembers()) {
                primaryTeamByUser.put(member, team.id());
                teamsByUser.computeIfAbsent(member, k -> new HashSet<>()).add(team.id());
            }
            for (String member : team.secondaryMembers()) {
                teamsByUser.computeIfAbsent(member, k -> new HashSet<>()).add(team.id());
            }
        }
    }

    public static Directory of(Collection<User> users, Collection<Team> teams, Collection<Inbox> inboxes,
                               Collection<Channel> channels, Map<String, RoutingSettings> settings) {
        return new Directory(index(users, User::id), index(teams, Team::id), index(inboxes, Inbox::id),
                index(channels, Channel::id), new LinkedHashMap<>(settings));
    }

    private static <T> Map<String, T> index(Collection<T> items, java.util.function.Function<T, String> id) {
        Map<String, T> map = new LinkedHashMap<>();
        items.forEach(item -> map.put(id.apply(item), item));
        return map;
    }

    public Optional<User> user(String id) { return Optional.ofNullable(id == null ? null : users.get(id)); }
    public Optional<Team> team(String id) { return Optional.ofNullable(id == null ? null : teams.get(id)); }
    public Optional<Inbox> inbox(String id) { return Optional.ofNullable(id == null ? null : inboxes.get(id)); }
    public Optional<Channel> channel(String id) { return Optional.ofNullable(id == null ? null : channels.get(id)); }

    public RoutingSettings settings(String channelId) {
        return settings.getOrDefault(channelId, RoutingSettings.DEFAULT);
    }

    public Collection<User> users() { return users.values(); }
    public Collection<Team> teams() { return teams.values(); }
    public Collection<Inbox> inboxes() { return inboxes.values(); }
    public Collection<Channel> channels() { return channels.values(); }

    /** The team the user is a primary member of, or null. */
    public String primaryTeamOf(String userId) {
        return primaryTeamByUser.get(userId);
    }

    /** Every team the user belongs to, as primary or secondary member. */
    public Set<String> teamsOf(String userId) {
        return teamsByUser.getOrDefault(userId, Set.of());
    }

    /** A user has access to an open inbox, or to a restricted one through any (primary or secondary) team. */
    public boolean hasAccess(String userId, Inbox inbox) {
        if (!inbox.restrictedToTeams()) {
            return users.containsKey(userId);
        }
        Set<String> memberOf = teamsOf(userId);
        for (String team : inbox.teams()) {
            if (memberOf.contains(team)) {
                return true;
            }
        }
        return false;
    }

    /** Inboxes the user can see. */
    public List<Inbox> inboxesOf(String userId) {
        List<Inbox> visible = new ArrayList<>();
        for (Inbox inbox : inboxes.values()) {
            if (hasAccess(userId, inbox)) {
                visible.add(inbox);
            }
        }
        return visible;
    }

    public Directory withUser(User user) { return new Directory(put(users, user.id(), user), teams, inboxes, channels, settings); }
    public Directory withTeam(Team team) { return new Directory(users, put(teams, team.id(), team), inboxes, channels, settings); }
    public Directory withInbox(Inbox inbox) { return new Directory(users, teams, put(inboxes, inbox.id(), inbox), channels, settings); }
    public Directory withChannel(Channel channel) { return new Directory(users, teams, inboxes, put(channels, channel.id(), channel), settings); }
    public Directory withSettings(String channelId, RoutingSettings routing) {
        return new Directory(users, teams, inboxes, channels, put(settings, channelId, routing));
    }

    private static <T> Map<String, T> put(Map<String, T> map, String key, T value) {
        Map<String, T> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }
}
