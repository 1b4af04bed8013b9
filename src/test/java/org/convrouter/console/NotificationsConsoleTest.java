package org.convrouter.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import org.convrouter.http.TestServer;
import org.convrouter.outbox.MailDeliveryTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/** The console's Notifications page in headless Chromium: the R7 emails with their state, and the webhooks. */
class NotificationsConsoleTest {

    @TempDir
    Path folder;
    private TestServer server;
    private Browser browser;

    @BeforeEach
    void start() {
        if (!"true".equals(System.getenv("CI"))) {
            assumeThat(Browser.installed()).as("chromium and chromium-driver are installed").isTrue();
        }
        server = TestServer.start(folder); // no mail server: the email waits, pending
        browser = Browser.start(server.base());
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void r7_the_admin_sees_each_email_with_its_state_and_the_webhooks() {
        MailDeliveryTest.seedAwayOwner(server);
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"conv-console\",\"channelId\":\"mail\",\"contactId\":\"c1\","
                + "\"message\":{\"text\":\"<b>not markup</b>\"}}");
        server.admin("POST", "/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/crm\",\"secret\":\"0123456789abcdef\","
                + "\"events\":[\"conversation.closed\"]}");

        browser.signIn(TestServer.ADMIN, "#/notifications");
        browser.waitFor(By.cssSelector("[data-test=notification]"));
        assertThat(browser.text(By.cssSelector("[data-test=notification] [data-test=status]"))).isEqualTo("pending");
        assertThat(browser.text(By.cssSelector("[data-test=notification]"))).contains("conv-console", "ana@example.com",
                "New conversation assigned to you");
        assertThat(browser.driver().findElement(By.cssSelector("[data-test=notification] a")).getAttribute("href"))
                .endsWith("#/inbox/conv-console");
        browser.awaitText(By.id("mail-health"), "no mail server is configured");
        browser.awaitText(By.id("webhook-list"), "http://127.0.0.1:9/crm");
        assertThat(browser.text(By.id("webhook-list"))).contains("conversation.closed").doesNotContain("0123456789abcdef");
        assertThat(browser.driver().findElement(By.id("nav-notifications")).isDisplayed()).isTrue();
        browser.screenshot("notifications");

        // The link (the same the email carries) opens the conversation in the inbox.
        browser.click(By.cssSelector("[data-test=notification] a"));
        browser.awaitText(By.id("messages"), "<b>not markup</b>");
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
