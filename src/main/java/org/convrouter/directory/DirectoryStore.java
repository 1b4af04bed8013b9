package org.convrouter.directory;

/** Durable storage of the directory. Each save is one atomic write. Implementations are thread-safe. */
public interface DirectoryStore {

    Directory load();

    void save(User user);

    void save(Team team);

    void save(Inbox inbox);

    void save(Channel channel);

    void saveSettings(String channelId, RoutingSettings settings);
}
