package org.convrouter.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.convrouter.error.ConflictException;
import org.convrouter.store.Database;
import org.convrouter.store.JdbiContactStore;
import org.convrouter.store.JdbiDirectoryStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New contacts named by routing requests, between being named and being stored with a conversation. */
class PendingContactsTest {

    @TempDir
    Path dataDir;
    private Database database;
    private JdbiContactStore contacts;
    private DirectoryService directory;
    private final AtomicInteger ids = new AtomicInteger();

    @BeforeEach
    void open() {
        database = Database.embedded(dataDir);
        contacts = new JdbiContactStore(database.jdbi());
        directory = new DirectoryService(new JdbiDirectoryStore(database.jdbi()), contacts);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private ResolvedContact named(String email) {
        return directory.contactForRouting(email, "Kim", () -> "k" + ids.incrementAndGet());
    }

    /** What the conversation's write does with a new contact (JdbiConversationStore, in the same batch). */
    private void store(Contact contact) {
        if (contacts.find(contact.id()).isEmpty()) {
            contacts.save(contact);
        }
    }

    @Test
    void requestsInFlightShareTheNewContactAndAllFailingLeavesNothing() {
        ResolvedContact first = named("Kim@Customer.test");
        ResolvedContact second = named("kim@customer.test");
        assertThat(first.unsaved()).isTrue();
        assertThat(second.contact()).isSameAs(first.contact());
        assertThatThrownBy(() -> directory.createContact(new Contact("other", "kim@customer.test", "Kim", null, false)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("being stored");
        assertThatThrownBy(() -> directory.createContact(new Contact(first.contact().id(), "lee@customer.test", "Lee", null, false)))
                .as("its id is taken too").isInstanceOf(ConflictException.class);

        first.settled().settled(false);
        second.settled().settled(false);
        assertThat(contacts.findByEmail("kim@customer.test")).isEmpty();
        ResolvedContact later = named("kim@customer.test");
        assertThat(later.unsaved()).isTrue();
        assertThat(later.contact().id()).as("a fresh contact, as nothing was stored").isNotEqualTo(first.contact().id());
    }

    @Test
    void onceOneRequestStoredItLaterRequestsGetTheStoredContactWithItsChanges() {
        ResolvedContact first = named("kim@customer.test");
        ResolvedContact stillInFlight = named("kim@customer.test");
        store(first.contact());
        first.settled().settled(true);

        directory.updateContact(first.contact().id(), Map.of("name", "Kim Lee"));
        ResolvedContact later = named("kim@customer.test");
        assertThat(later.unsaved()).isFalse();
        assertThat(later.contact().name()).isEqualTo("Kim Lee");
        stillInFlight.settled().settled(true); // its insert-if-absent is a no-op; nothing left pending
        assertThat(named("kim@customer.test").contact().id()).isEqualTo(first.contact().id());
    }

    @Test
    void settlingNeverWaitsForTheDirectoryLock() throws Exception {
        // The group-commit writer settles contacts; it must not queue behind a slow directory write.
        ResolvedContact named = named("kim@customer.test");
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread slowDirectoryWrite = new Thread(() -> {
            synchronized (directory) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        slowDirectoryWrite.start();
        held.await();
        try {
            CompletableFuture<Void> settled = CompletableFuture.runAsync(() -> named.settled().settled(false));
            settled.get(10, TimeUnit.SECONDS); // completes while the directory's lock is held
            assertThat(settled).isDone();
        } finally {
            release.countDown();
            slowDirectoryWrite.join();
        }
    }
}
