package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.convrouter.World.agent;
import static org.convrouter.World.autoTo;
import static org.convrouter.World.away;
import static org.convrouter.World.world;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.convrouter.directory.ChannelKind;
import org.convrouter.directory.Directory;
import org.convrouter.directory.User;
import org.junit.jupiter.api.Test;

class CandidateFactoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    /** Loads as the load book keeps them: an immutable value per user, replaced when it changes. */
    private final Map<String, AgentLoad> loads = new HashMap<>();
    private final CandidateFactory factory = new CandidateFactory();
    private final AgentLoads current = userId -> loads.getOrDefault(userId, AgentLoad.NONE);

    private static Directory directory(User bo) {
        return world().users(agent("ana"), bo, agent("cy")).inbox("open").channel("chat", "open", ChannelKind.CHAT)
                .routing("chat", autoTo(List.of("ana", "bo", "cy"), List.of())).directory();
    }

    private List<Candidate> candidates(Directory directory) {
        return factory.facts(directory, directory.channel("chat").orElseThrow(), directory.inbox("open").orElseThrow(),
                directory.settings("chat"), null, new IncomingMessage("hi", null), current).candidates();
    }

    @Test
    void everyRequestSeesTheCurrentLoads() {
        Directory directory = directory(agent("bo"));
        candidates(directory);
        loads.put("bo", new AgentLoad(2, T0));

        List<Candidate> second = candidates(directory);
        assertThat(second).extracting(Candidate::userId, Candidate::openChats, Candidate::lastChatAssignedAt)
                .containsExactly(tuple("ana", 0, null), tuple("bo", 2, T0), tuple("cy", 0, null));

        loads.put("bo", new AgentLoad(0, T0)); // back to no open chat, but assigned one since
        assertThat(candidates(directory).get(1)).extracting(Candidate::openChats, Candidate::lastChatAssignedAt)
                .containsExactly(0, T0);
    }

    @Test
    void aNewDirectoryGivesNewCandidatesEvenWithTheSameLoads() {
        candidates(directory(agent("bo")));
        List<Candidate> afterBoWentAway = candidates(directory(away("bo")));
        assertThat(afterBoWentAway).extracting(Candidate::userId, Candidate::available)
                .containsExactly(tuple("ana", true), tuple("bo", false), tuple("cy", true));
    }
}
