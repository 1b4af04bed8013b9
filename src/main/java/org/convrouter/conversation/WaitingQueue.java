package org.convrouter.conversation;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.convrouter.directory.Channel;
import org.convrouter.directory.Directory;
import org.convrouter.directory.Inbox;
import org.convrouter.directory.RoutingSettings;
import org.convrouter.routing.CandidateFactory;
import org.convrouter.routing.CandidateOutcome;
import org.convrouter.routing.Decision;
import org.convrouter.support.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waiting queue (R10): conversations left unassigned on a channel whose automatic assignment is
 * on wait, and are routed again, oldest first, whenever capacity may have freed and at every sweep.
 * A drain of a channel stops at the first conversation that still waits because its agents are away
 * or at capacity; one that nobody could take however agents free up is skipped.
 *
 * <p>Requests are kept in memory only to coalesce them: the queue itself is in the database, a
 * drain holds the channel's queue lock ({@link ConversationStore#whileDraining}), and the sweep
 * drains every channel with waiting conversations, so a request lost with an instance is made up
 * for within one interval. One thread per instance drains, one channel at a time.
 */
public final class WaitingQueue implements AutoCloseable {

    /** How a conversation's routing attempt ended for the queue. */
    public enum Attempt {
        /** It was assigned. */
        ASSIGNED,
        /** It still waits, and an agent coming back or freeing capacity could take it: the ones behind it wait too. */
        WAITS_FOR_AGENTS,
        /** It still waits, for a reason no agent freeing up changes (nobody selected, no owner): skipped. */
        SKIPPED,
        /** It no longer waits (assigned by hand, closed, or its channel's automatic assignment is off). */
        LEFT
    }

    /** Routes one waiting conversation again, in a transaction of its own. */
    @FunctionalInterface
    public interface Rerouter {
        Attempt reroute(String conversationId);
    }

    /** The sweep's interval unless configured otherwise. */
    public static final Duration DEFAULT_SWEEP = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(WaitingQueue.class);
    private static final int PAGE = 100;

    private final Supplier<Directory> directory;
    private final ConversationStore store;
    private final Duration sweep;
    private final CandidateFactory candidates = new CandidateFactory();
    private final Object lock = new Object();
    private final Set<String> pendingUsers = new LinkedHashSet<>();
    private boolean pendingAll;
    private boolean closed;
    private Thread worker;

    public WaitingQueue(Supplier<Directory> directory, ConversationStore store, Duration sweep) {
        this.directory = directory;
        this.store = store;
        this.sweep = sweep;
    }

    /** The reason texts that an agent coming back or freeing capacity can lift (eligibility.drl, chat-capacity.drl). */
    static boolean liftedByAnAgentFreeingUp(String reason) {
        return reason.equals("away") || reason.startsWith("at capacity");
    }

    /** How a routing attempt ends for the queue: see {@link Attempt}. */
    public static Attempt attemptOf(Decision decision) {
        if (decision.assignee() != null) {
            return Attempt.ASSIGNED;
        }
        for (CandidateOutcome candidate : decision.candidates()) {
            if (!candidate.eligible() && !candidate.reasons().isEmpty()
                    && candidate.reasons().stream().allMatch(WaitingQueue::liftedByAnAgentFreeingUp)) {
                return Attempt.WAITS_FOR_AGENTS;
            }
        }
        return Attempt.SKIPPED;
    }

    /** Starts the draining thread; requests made before are kept. */
    public void start(Rerouter rerouter) {
        synchronized (lock) {
            if (worker != null || closed) {
                return;
            }
            worker = DaemonThreads.named("waiting-queue").newThread(() -> run(rerouter));
            worker.start();
        }
    }

    /** Everything may have changed (the directory, the settings, the rule set): every waiting channel is drained. */
    public void drainAll() {
        synchronized (lock) {
            pendingAll = true;
            lock.notifyAll();
        }
    }

    /** A user's chat load dropped (a chat closed or reassigned away): the channels that may choose them are drained. */
    public void userFreed(String userId) {
        synchronized (lock) {
            pendingUsers.add(userId);
            lock.notifyAll();
        }
    }

    private record Work(boolean all, Set<String> users) {}

    private void run(Rerouter rerouter) {
        long nextSweep = System.nanoTime() + sweep.toNanos();
        while (true) {
            Work work;
            synchronized (lock) {
                while (!closed && !pendingAll && pendingUsers.isEmpty()
                        && System.nanoTime() < nextSweep) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, Math.max(1, nextSweep - System.nanoTime()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                boolean sweepDue = System.nanoTime() >= nextSweep;
                work = new Work(pendingAll || sweepDue, Set.copyOf(pendingUsers));
                pendingAll = false;
                pendingUsers.clear();
                if (sweepDue) {
                    nextSweep = System.nanoTime() + sweep.toNanos();
                }
            }
            try {
                for (String channelId : channels(work)) {
                    if (closed()) {
                        return;
                    }
                    drainNow(channelId, rerouter);
                }
            } catch (RuntimeException e) {
                // The queue stays in the database: the next request or sweep drains it.
                LOG.warn("draining the waiting queue failed; the next sweep retries: {}", e.toString());
            }
        }
    }

    /** The channels a piece of work concerns that have waiting conversations, in id order. */
    private Set<String> channels(Work work) {
        List<String> waiting = store.waitingChannels();
        Set<String> channels = new TreeSet<>();
        if (work.all()) {
            channels.addAll(waiting);
            return channels;
        }
        Directory dir = directory.get();
        for (String channelId : waiting) {
            if (!work.users().isEmpty() && concernsAny(dir, channelId, work.users())) {
                channels.add(channelId);
            }
        }
        return channels;
    }

    /** Whether the channel's routing may choose one of these users: every contact-owner channel may. */
    private boolean concernsAny(Directory dir, String channelId, Set<String> userIds) {
        Channel channel = dir.channel(channelId).orElse(null);
        Inbox inbox = channel == null ? null : dir.inbox(channel.inboxId()).orElse(null);
        if (inbox == null) {
            return true; // the drain forgets its queue
        }
        RoutingSettings settings = dir.settings(channelId);
        if (!settings.assignsToUsersAndTeams()) {
            return true;
        }
        return candidates.userIds(dir, inbox, settings, null).stream().anyMatch(userIds::contains);
    }

    /**
     * Routes the channel's waiting conversations again, oldest first, until one waits for agents.
     * Holds the channel's queue lock throughout, so drains of one channel never overlap anywhere.
     */
    void drainNow(String channelId, Rerouter rerouter) {
        store.whileDraining(channelId, () -> {
            Directory dir = directory.get();
            if (dir.channel(channelId).isEmpty() || !dir.settings(channelId).autoAssign()) {
                store.stopWaiting(channelId); // back to manual triage (M1)
                return;
            }
            ConversationStore.Waiting after = null;
            while (true) {
                List<ConversationStore.Waiting> page = store.waiting(channelId, after, PAGE);
                for (ConversationStore.Waiting waiting : page) {
                    if (closed()) {
                        return; // the sweep of the next start goes on from here
                    }
                    if (rerouter.reroute(waiting.conversationId()) == Attempt.WAITS_FOR_AGENTS) {
                        return;
                    }
                }
                if (page.size() < PAGE) {
                    return;
                }
                after = page.get(page.size() - 1);
            }
        });
    }

    private boolean closed() {
        synchronized (lock) {
            return closed;
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (lock) {
            closed = true;
            running = worker;
            lock.notifyAll();
        }
        if (running != null) { // it stops after the conversation it is routing; not interrupted mid-transaction
            try {
                running.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
