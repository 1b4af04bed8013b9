package org.convrouter;

import java.util.List;
import org.convrouter.directory.AssignTo;
import org.convrouter.directory.Channel;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Contact;
import org.convrouter.directory.Directory;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.directory.Seat;
import org.convrouter.directory.Team;
import org.convrouter.directory.User;

/** A small fluent builder of directories for tests. */
public final class World {

    private Directory directory = Directory.EMPTY;

    public static World world() {
        return new World();
    }

    /** An active, available user with a service seat. */
    public static User agent(String id) {
        return new User(id, capitalise(id), id + "@example.com", Seat.SERVICE, true, true);
    }

    public static User seatless(String id) {
        return new User(id, capitalise(id), id + "@example.com", Seat.NONE, true, true);
    }

    public static User away(String id) {
        return agent(id).withAvailable(false);
    }

    public static User inactive(String id) {
        return new User(id, capitalise(id), id + "@example.com", Seat.SERVICE, true, false);
    }

    public World users(User... users) {
        for (User user : users) {
            directory = directory.withUser(user);
        }
        return this;
    }

    public World team(String id, List<String> primary, List<String> secondary) {
        directory = directory.withTeam(new Team(id, capitalise(id), primary, secondary));
        return this;
    }

    /** An inbox open to every user. */
    public World inbox(String id) {
        directory = directory.withInbox(new Inbox(id, capitalise(id), null));
        return this;
    }

    public World restrictedInbox(String id, String... teams) {
        directory = directory.withInbox(new Inbox(id, capitalise(id), List.of(teams)));
        return this;
    }

    public World channel(String id, String inboxId, ChannelKind kind) {
        directory = directory.withChannel(new Channel(id, inboxId, kind, capitalise(id)));
        return this;
    }

    public World routing(String channelId, RoutingSettings settings) {
        directory = directory.withSettings(channelId, settings);
        return this;
    }

    public Directory directory() {
        return directory;
    }

    public static RoutingSettings autoTo(List<String> users, List<String> teams) {
        return new RoutingSettings(true, AssignTo.usersAndTeams(users, teams), true);
    }

    public static RoutingSettings autoToOwner(String fallbackUser) {
        return new RoutingSettings(true, AssignTo.contactOwner(fallbackUser), true);
    }

    public static Contact contact(String id, String owner, boolean cookieTracked) {
        return new Contact(id, id + "@customer.test", capitalise(id), owner, cookieTracked);
    }

    private static String capitalise(String id) {
        return Character.toUpperCase(id.charAt(0)) + id.substring(1);
    }
}
