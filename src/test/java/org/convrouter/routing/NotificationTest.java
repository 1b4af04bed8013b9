package org.convrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A subject a rule makes is cut to what the notifications table stores, never splitting an emoji. */
class NotificationTest {

    @Test
    void aSubjectLongerThanTheColumnIsCutToIt() {
        assertThat(new Notification("email", "ana", "ana@example.com", "s".repeat(600), "t").subject())
                .hasSize(Notification.MAX_SUBJECT);
        assertThat(new Notification("email", "ana", "ana@example.com", "s".repeat(500), "t").subject()).hasSize(500);
        assertThat(new Notification("email", "ana", "ana@example.com", null, "t").subject()).isNull();
    }

    @Test
    void aCutNeverLeavesHalfAnEmoji() {
        String subject = "s".repeat(499) + "\uD83D\uDE00" + "more";
        assertThat(new Notification("email", "ana", "ana@example.com", subject, "t").subject()).isEqualTo("s".repeat(499));
    }
}
