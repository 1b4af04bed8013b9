package org.convrouter.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.convrouter.http.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (headless Chromium), against the whole service on a free
 * port. The directory is made through the API; each test makes the conversations it needs, so the
 * tests do not depend on their order. Screenshots land in {@code target/screenshots/}.
 *
 * <p>The fixture: ana and bo (paid seats) are primary members of team {@code support}, cy (no
 * seat) a secondary one; di (service) is the primary member of team {@code billing}; eve (sales)
 * is in no team. Inbox {@code main} is open to every user, inbox {@code vip} only to team support.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConsoleBrowserTest {

    @TempDir
    static Path folder;

    static TestServer server;
    static Browser browser;
    static String ana;
    static String bo;
    static String di;
    static String integration;

    /** Saves a screenshot of every failing test, named after it. */
    @RegisterExtension
    final TestWatcher failureShots = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (browser != null) {
                browser.screenshot("FAILED-" + context.getRequiredTestMethod().getName());
            }
        }
    };

    @BeforeAll
    static void start() {
        boolean ci = "true".equals(System.getenv("CI"));
        if (!ci) {
            assumeThat(Browser.installed()).as("chromium and chromium-driver are installed (apt-get install chromium chromium-driver)")
                    .isTrue();
        }
        deleteOldScreenshots();
        server = TestServer.start(folder);
        ana = user("ana", "Ana", "service", true);
        bo = user("bo", "Bo", "sales", true);
        user("cy", "Cy", "none", true);
        di = user("di", "Di", "service", false);
        user("eve", "Eve", "sales", true);
        server.admin("POST", "/api/v1/teams", "{\"id\":\"support\",\"name\":\"Support\",\"primaryMembers\":[\"ana\",\"bo\"],"
                + "\"secondaryMembers\":[\"cy\"]}");
        server.admin("POST", "/api/v1/teams", "{\"id\":\"billing\",\"name\":\"Billing\",\"primaryMembers\":[\"di\"]}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"main\",\"name\":\"Main\"}");
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"vip\",\"name\":\"VIP\",\"teams\":[\"support\"]}");
        channel("web-chat", "main", "chat", "Website chat");
        channel("help-mail", "main", "email", "help@example.com");
        channel("team-chat", "main", "chat", "Support chat");
        channel("vip-mail", "vip", "email", "vip@example.com");
        server.admin("PUT", "/api/v1/channels/team-chat/routing",
                "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"teams\":[\"support\"]},\"onlyAvailable\":true}");
        integration = server.admin("POST", "/api/v1/integration-tokens", "{\"name\":\"widget\"}").get("token").asText();
        browser = Browser.start(server.base());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void no_script_errors_or_policy_violations(TestInfo test) {
        if (browser != null) {
            assertThat(browser.consoleErrors()).as("browser console errors in %s", test.getDisplayName()).isEmpty();
        }
    }

    // --- the tests -----------------------------------------------------------------------------

    @Test
    void M2_a_user_takes_a_new_conversation_from_the_unassigned_view_without_reloading() {
        browser.signIn(bo, "#/inbox");
        assertThat(browser.text(By.id("whoami"))).isEqualTo("Bo (bo)");
        new Select(browser.waitFor(By.id("inbox-select"))).selectByValue("main");
        browser.waitFor(By.cssSelector("#view-unassigned[aria-selected=true]"));

        // It arrives while the page is open: the polled list shows it.
        conversation("take-1", "help-mail", "erin@customer.test", "Erin", "Where is my parcel?");
        By item = item("take-1");
        browser.awaitText(item, "Erin");
        browser.click(item);
        browser.awaitText(By.cssSelector("[data-test=message-text]"), "Where is my parcel?");
        browser.awaitText(By.id("assignee"), "Unassigned");
        browser.click(By.id("take"));

        browser.awaitText(By.id("assignee"), "Bo (you)");
        browser.await(ExpectedConditions.invisibilityOfElementLocated(item));
        browser.click(By.id("view-mine"));
        browser.awaitText(item, "Bo (you)");
        browser.screenshot("inbox-taken");
        assertThat(server.admin("GET", "/api/v1/conversations/take-1", null).at("/assignee/id").asText()).isEqualTo("bo");
    }

    @Test
    void M5_reassigning_in_a_team_restricted_inbox_offers_only_the_targets_the_rules_allow() {
        conversation("vip-1", "vip-mail", "gina@customer.test", "Gina", "Please call me about the contract.");
        server.admin("POST", "/api/v1/conversations/vip-1/assignment", "{\"assignee\":{\"type\":\"user\",\"id\":\"ana\"}}");

        browser.signIn(ana, "#/inbox");
        new Select(browser.waitFor(By.id("inbox-select"))).selectByValue("vip");
        browser.click(By.id("view-mine"));
        browser.click(item("vip-1"));
        browser.awaitText(By.id("assignee"), "Ana (you)");
        Select owner = new Select(browser.waitFor(By.id("owner-select")));

        Set<String> offered = new TreeSet<>();
        for (WebElement option : owner.getOptions()) {
            if (!option.getAttribute("value").isEmpty()) {
                offered.add(option.getAttribute("value"));
            }
        }
        Set<String> allowed = new TreeSet<>();
        for (JsonNode t : server.admin("GET", "/api/v1/conversations/vip-1/assignment-targets", null).get("items")) {
            if (t.get("allowed").asBoolean() && !(t.get("type").asText().equals("user") && t.get("id").asText().equals("ana"))) {
                allowed.add(t.get("type").asText() + ":" + t.get("id").asText());
            }
        }
        assertThat(offered).isEqualTo(allowed).containsExactly("team:support", "user:bo", "user:cy");
        browser.click(By.cssSelector("#owner-refused summary"));
        assertThat(browser.text(By.id("owner-refused"))).contains("Eve (eve): not a member of a team with access to this inbox",
                "Billing (team): not a team with access to this inbox");

        owner.selectByValue("user:bo");
        browser.screenshot("inbox-reassign");
        browser.click(By.id("owner-assign"));
        browser.awaitText(By.id("assignee"), "Bo");
        assertThat(browser.text(By.id("owner-controls"))).contains("Only its assignee or an admin can reassign it.");
        assertThat(server.admin("GET", "/api/v1/conversations/vip-1", null).at("/assignee/id").asText()).isEqualTo("bo");
    }

    @Test
    void M2_the_admin_gives_an_unassigned_conversation_to_a_team_and_replies_on_behalf_of_a_user() {
        conversation("adm-1", "vip-mail", "jon@customer.test", "Jon", "Can someone from support help?");
        browser.signIn(TestServer.ADMIN, "#/inbox");
        assertThat(browser.driver().findElements(By.id("view-mine"))).as("the admin token has no Mine").isEmpty();
        new Select(browser.waitFor(By.id("inbox-select"))).selectByValue("vip");
        browser.click(item("adm-1"));
        browser.awaitText(By.id("assignee"), "Unassigned");
        Select owner = new Select(browser.waitFor(By.id("owner-select")));
        assertThat(owner.getOptions()).extracting(o -> o.getAttribute("value"))
                .containsExactly("", "user:ana", "user:bo", "user:cy", "team:support");
        owner.selectByValue("team:support");
        browser.click(By.id("owner-assign"));
        browser.awaitText(By.id("assignee"), "Team Support");

        new Select(browser.waitFor(By.id("reply-as"))).selectByValue("bo");
        browser.type(By.id("reply-text"), "Bo here, from support.");
        browser.click(By.id("reply-send"));
        browser.awaitText(By.id("messages"), "Bo here, from support.");
        assertThat(browser.driver().findElements(By.cssSelector("[data-test=message] .author")))
                .extracting(WebElement::getText).containsExactly("Jon", "Bo");
        JsonNode after = server.admin("GET", "/api/v1/conversations/adm-1", null);
        assertThat(after.at("/assignee/type").asText()).isEqualTo("team");
        assertThat(after.at("/messages/1/authorUserId").asText()).isEqualTo("bo");
    }

    @Test
    void M2_a_refused_assignment_keeps_its_reason_on_screen_and_the_admin_must_choose_who_replies() {
        user("fay", "Fay", "service", true);
        conversation("refuse-1", "help-mail", "kim@customer.test", "Kim", "Is anyone there?");
        try {
            browser.signIn(TestServer.ADMIN, "#/inbox");
            new Select(browser.waitFor(By.id("inbox-select"))).selectByValue("main");
            browser.click(item("refuse-1"));
            browser.awaitText(By.id("assignee"), "Unassigned");

            // M3: a reply would assign it, so the console does not pick the replier for the admin.
            assertThat(new Select(browser.waitFor(By.id("reply-as"))).getFirstSelectedOption().getAttribute("value")).isEmpty();
            browser.type(By.id("reply-text"), "Yes, we are here.");
            browser.click(By.id("reply-send"));
            browser.awaitText(By.id("reply-error"), "Choose who replies.");
            assertThat(server.admin("GET", "/api/v1/conversations/refuse-1", null).get("messages")).hasSize(1);

            // Fay is offered, then leaves before the admin clicks: the rules refuse, and the reason stays.
            new Select(browser.waitFor(By.id("owner-select"))).selectByValue("user:fay");
            server.admin("PATCH", "/api/v1/users/fay", "{\"active\":false}");
            browser.click(By.id("owner-assign"));
            browser.awaitText(By.id("owner-error"), "deactivated");
            // The controls are redrawn from the refreshed targets (Fay is no longer offered) ...
            browser.await(d -> d.findElements(By.cssSelector("#owner-select option[value='user:fay']")).isEmpty());
            // ... and the reason is still there.
            assertThat(browser.text(By.id("owner-error"))).contains("deactivated");
            assertThat(browser.text(By.id("assignee"))).contains("Unassigned");
            assertThat(server.admin("GET", "/api/v1/conversations/refuse-1", null).get("assignee").isNull()).isTrue();

            // Once the conversation itself changes, the old refusal no longer applies.
            browser.click(By.id("close-conversation"));
            browser.awaitText(By.id("conv-meta"), "closed");
            browser.await(d -> !d.findElement(By.id("owner-error")).isDisplayed());
        } finally {
            server.admin("PATCH", "/api/v1/users/fay", "{\"active\":true}");
        }
    }

    @Test
    void R2_saving_routing_settings_that_name_a_seatless_user_shows_the_error_at_that_user_and_saves_nothing() {
        JsonNode before = server.admin("GET", "/api/v1/channels/web-chat/routing", null);
        browser.signIn(TestServer.ADMIN, "#/routing");
        new Select(browser.waitFor(By.id("channel-select"))).selectByValue("web-chat");
        browser.waitFor(By.id("routing-form"));

        // Users without a paid seat are shown, not selectable, with the reason.
        assertThat(browser.waitFor(By.id("user-cy")).isEnabled()).isFalse();
        assertThat(browser.text(By.cssSelector("[data-user-id=cy]"))).contains("no paid seat");
        assertThat(browser.waitFor(By.id("only-available")).isSelected()).as("only available users, by default").isTrue();

        browser.click(By.id("auto-assign"));
        browser.click(By.id("user-bo"));
        browser.click(By.id("user-eve"));
        browser.click(By.id("team-support"));
        // Eve loses her seat while the form is open.
        server.admin("PATCH", "/api/v1/users/eve", "{\"seat\":\"none\"}");
        try {
            browser.click(By.id("routing-save"));
            browser.awaitText(By.cssSelector("[data-error-for='user:eve']"), "no paid seat");
            assertThat(browser.text(By.id("routing-error"))).contains("Nothing was saved");
            assertThat(browser.waitFor(By.id("user-eve")).getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(browser.driver().findElement(By.cssSelector("[data-error-for='user:bo']")).isDisplayed()).isFalse();
            browser.script("document.getElementById('assign-to-field').scrollIntoView()");
            browser.screenshot("routing-r2-error");
            assertThat(server.admin("GET", "/api/v1/channels/web-chat/routing", null)).as("nothing half-saved").isEqualTo(before);

            // Untick her and the same form saves.
            browser.click(By.id("user-eve"));
            browser.click(By.id("routing-save"));
            browser.awaitText(By.id("routing-status"), "Saved");
            JsonNode saved = server.admin("GET", "/api/v1/channels/web-chat/routing", null);
            assertThat(saved.get("autoAssign").asBoolean()).isTrue();
            assertThat(saved.at("/assignTo/users").toString()).isEqualTo("[\"bo\"]");
            assertThat(saved.at("/assignTo/teams").toString()).isEqualTo("[\"support\"]");
        } finally {
            server.admin("PATCH", "/api/v1/users/eve", "{\"seat\":\"sales\"}");
        }
    }

    @Test
    void R2_the_fallback_user_of_a_chat_channel_offers_only_users_with_a_paid_seat() {
        browser.signIn(TestServer.ADMIN, "#/routing/web-chat");
        browser.waitFor(By.id("routing-form"));
        browser.click(By.id("assign-to-owner"));
        Select fallback = new Select(browser.waitFor(By.id("fallback-user")));
        List<String> disabled = new ArrayList<>();
        for (WebElement option : fallback.getOptions()) {
            if (!option.isEnabled()) {
                disabled.add(option.getAttribute("value") + ": " + option.getText());
            }
        }
        assertThat(disabled).singleElement().asString().startsWith("cy: Cy (cy)").contains("no paid seat");
        fallback.selectByValue("di");
        browser.click(By.id("routing-save"));
        browser.awaitText(By.id("routing-status"), "Saved");
        JsonNode saved = server.admin("GET", "/api/v1/channels/web-chat/routing", null);
        assertThat(saved.at("/assignTo/type").asText()).isEqualTo("contact_owner");
        assertThat(saved.at("/assignTo/fallbackUser").asText()).isEqualTo("di");
    }

    @Test
    void the_rules_page_reports_a_broken_rule_file_with_its_line_and_shows_a_decision() throws IOException {
        conversation("routed-1", "team-chat", "hal@customer.test", "Hal", "Is anyone there?");
        browser.signIn(TestServer.ADMIN, "#/rules");
        browser.waitFor(By.cssSelector("#reload-status[data-status=ok]"));
        assertThat(browser.text(By.id("rules-files"))).contains("eligibility.drl", "strategy.drl", "manual-assignment.drl");
        String version = browser.text(By.id("rules-version"));
        assertThat(browser.text(By.id("rules-history-table"))).contains(version + " (active)");

        Path broken = server.rulesDir().resolve("broken.drl");
        Files.writeString(broken, "package policy;\n\nrule \"Half written\"\nwhen\n    $c : NoSuchFact( )\nthen\nend\n");
        try {
            browser.click(By.id("rules-reload"));
            browser.waitFor(By.cssSelector("#reload-status[data-status=failed]"));
            browser.awaitText(By.id("reload-errors"), "broken.drl:5:");
            assertThat(browser.text(By.id("reload-errors"))).contains("NoSuchFact");
            assertThat(browser.text(By.id("rules-version"))).as("the previous version stays active").isEqualTo(version);

            // The decision view: the summary, every candidate with its reasons, the rules that fired.
            browser.type(By.id("decision-conversation"), "routed-1");
            browser.click(By.id("decision-show"));
            browser.awaitText(By.cssSelector("[data-test=candidate][data-user-id=cy]"), "no paid seat");
            assertThat(browser.text(By.id("decision-summary-text"))).isEqualTo(
                    server.admin("GET", "/api/v1/conversations/routed-1/decision", null).get("summary").asText());
            assertThat(browser.text(By.cssSelector("[data-test=candidate][data-user-id=ana]"))).contains("eligible");
            assertThat(browser.text(By.id("decision-fired")))
                    .contains("Chat, bot and Messenger conversations go to the least busy eligible user");
            browser.script("window.scrollTo(0, 0)");
            browser.screenshot("rules-broken-file");
            browser.script("document.getElementById('lookup-heading').scrollIntoView()");
            browser.screenshot("rules-decision");
        } finally {
            Files.deleteIfExists(broken);
            server.admin("POST", "/api/v1/rules/reload", null);
        }
    }

    @Test
    void a_long_conversation_shows_its_latest_messages_and_loads_the_earlier_ones_on_request() {
        conversation("long-1", "help-mail", "lena@customer.test", "Lena", "m0");
        for (int i = 1; i <= 120; i++) {
            server.admin("POST", "/api/v1/conversations/long-1/replies", "{\"text\":\"m" + i + "\",\"byUserId\":\"ana\"}");
        }
        browser.signIn(ana, "#/inbox");
        browser.click(By.id("view-all"));
        browser.click(item("long-1"));
        browser.awaitText(By.id("earlier-messages"), "Show earlier messages (71 more)");
        By texts = By.cssSelector("[data-test=message-text]");
        assertThat(browser.driver().findElements(texts)).hasSize(50).first().extracting(WebElement::getText).isEqualTo("m71");

        browser.click(By.id("earlier-messages")); // the 100 before the first shown: 71 of them
        browser.await(ExpectedConditions.numberOfElementsToBe(texts, 121));
        assertThat(browser.driver().findElements(By.id("earlier-messages"))).isEmpty();
        assertThat(browser.driver().findElements(texts)).extracting(WebElement::getText)
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(0, 120).mapToObj(i -> "m" + i).toList());
        browser.screenshot("earlier-messages");
    }

    @Test
    void customer_and_user_text_is_shown_as_text_never_as_markup() {
        String evil = "<img src=x onerror=alert(1)>";
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"xss-1\",\"channelId\":\"help-mail\","
                + "\"contact\":{\"email\":\"mallory@customer.test\",\"name\":\"<b>Mallory</b><script>alert(2)</script>\"},"
                + "\"message\":{\"subject\":\"<i>urgent</i>\",\"text\":\"" + evil + "\"}}");
        server.admin("POST", "/api/v1/conversations/xss-1/replies",
                "{\"text\":\"<script>alert(3)</script> we are on it\",\"byUserId\":\"ana\"}");

        browser.signIn(ana, "#/inbox");
        browser.click(By.id("view-all"));
        browser.awaitText(item("xss-1"), "<b>Mallory</b><script>alert(2)</script>");
        browser.click(item("xss-1"));
        browser.awaitText(By.id("messages"), evil);
        List<WebElement> texts = browser.driver().findElements(By.cssSelector("[data-test=message-text]"));
        assertThat(texts).extracting(WebElement::getText).containsExactly(evil, "<script>alert(3)</script> we are on it");
        assertThat(browser.text(By.cssSelector(".message-subject"))).isEqualTo("<i>urgent</i>");
        browser.awaitText(By.id("conv-title"), "<b>Mallory</b><script>alert(2)</script>");
        assertThat(browser.driver().findElements(By.cssSelector("#page img, #page b, #page i, #page script"))).isEmpty();
        assertThatThrownBy(() -> browser.driver().switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        browser.screenshot("xss-as-text");
    }

    @Test
    void M3_a_reply_assigns_the_unassigned_conversation_then_it_closes_and_the_agent_switches_availability() {
        conversation("reply-1", "help-mail", "ivy@customer.test", "Ivy", "My invoice is wrong.");
        browser.signIn(di, "#/inbox");
        WebElement availability = browser.waitFor(By.id("availability"));
        assertThat(availability.isSelected()).isFalse();
        browser.click(By.id("availability"));
        browser.await(d -> server.admin("GET", "/api/v1/users/di", null).get("available").asBoolean());
        assertThat(browser.waitFor(By.id("availability")).isSelected()).isTrue();

        browser.click(item("reply-1"));
        browser.awaitText(By.id("assignee"), "Unassigned");
        assertThat(browser.text(By.id("reply-hint"))).contains("assigns it to you");
        browser.type(By.id("reply-text"), "Sorry about that, Ivy. A corrected invoice is on its way.");
        browser.click(By.id("reply-send"));
        browser.awaitText(By.id("assignee"), "Di (you)");
        browser.awaitText(By.id("messages"), "A corrected invoice is on its way.");
        browser.click(By.id("close-conversation"));
        browser.awaitText(By.id("conv-meta"), "closed");
        assertThat(browser.waitFor(By.id("reply-send")).isEnabled()).isFalse();

        JsonNode closed = server.admin("GET", "/api/v1/conversations/reply-1", null);
        assertThat(closed.get("status").asText()).isEqualTo("closed");
        assertThat(closed.at("/assignmentHistory/0/cause").asText()).isEqualTo("reply");
        assertThat(closed.at("/assignee/id").asText()).isEqualTo("di");

        // Why it was waiting: the conversation's routing decision on its own page.
        browser.click(By.id("decision-link"));
        browser.awaitText(By.id("decision-summary-text"), "automatic assignment is off");
        assertThat(browser.currentUrl()).endsWith("#/decision/reply-1");
    }

    @Test
    void sign_in_keeps_the_token_out_of_the_url_refuses_unusable_tokens_and_hides_admin_pages_from_users() {
        browser.openSignedOut("#/inbox");
        browser.type(By.id("token"), "usr_not-a-real-token");
        browser.click(By.id("sign-in-submit"));
        browser.awaitText(By.id("sign-in-error"), "Unknown or revoked token.");
        browser.type(By.id("token"), integration);
        browser.click(By.id("sign-in-submit"));
        browser.awaitText(By.id("sign-in-error"), "integration token");

        browser.signIn(bo, "#/routing");
        assertThat(browser.driver().findElement(By.id("nav-routing")).isDisplayed()).isFalse();
        assertThat(browser.driver().findElement(By.id("nav-rules")).isDisplayed()).isFalse();
        browser.awaitText(By.id("admin-only"), "needs the admin token");
        assertThat(browser.currentUrl()).doesNotContain(bo);
        assertThat(browser.script("return sessionStorage.getItem('convrouter.token')")).isEqualTo(bo);
        // The API refuses the admin screens' calls to a user token, whatever the page shows.
        assertThat(server.get("/api/v1/channels/web-chat/routing", bo).status()).isEqualTo(403);
        assertThat(server.get("/api/v1/rules", bo).status()).isEqualTo(403);

        browser.click(By.id("sign-out"));
        browser.waitFor(By.id("token"));
        assertThat(browser.script("return sessionStorage.getItem('convrouter.token')")).isNull();
    }

    @Test
    void an_analyst_token_starts_on_the_rules_page_and_sees_neither_the_inbox_nor_the_routing_settings() {
        String analyst = server.admin("POST", "/api/v1/analyst-tokens", "{\"name\":\"Pricing team\"}").get("token").asText();
        browser.openSignedOut("");
        browser.type(By.id("token"), analyst);
        browser.click(By.id("sign-in-submit"));
        browser.awaitText(By.id("whoami"), "Pricing team (analyst)");
        browser.waitFor(By.cssSelector("#reload-status[data-status=ok]"));
        assertThat(browser.currentUrl()).endsWith("#/rules");
        assertThat(browser.driver().findElement(By.id("nav-rules")).isDisplayed()).isTrue();
        assertThat(browser.driver().findElement(By.id("nav-inbox")).isDisplayed()).isFalse();
        assertThat(browser.driver().findElement(By.id("nav-routing")).isDisplayed()).isFalse();

        browser.driver().get(server.base() + "/#/inbox");
        browser.awaitText(By.id("admin-only"), "needs the admin token or a user token");
        browser.click(By.id("sign-out"));
        browser.waitFor(By.id("token"));
    }

    // --- helpers -------------------------------------------------------------------------------

    private static void deleteOldScreenshots() {
        try (var shots = Files.list(Files.createDirectories(Browser.SCREENSHOTS))) {
            for (Path shot : shots.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.delete(shot);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void R11_R10_the_admin_sets_a_chat_capacity_and_the_inbox_shows_how_long_a_chat_has_waited() {
        user("fay", "Fay", "service", true);
        server.admin("POST", "/api/v1/inboxes", "{\"id\":\"queue\",\"name\":\"Queue\"}");
        channel("fay-chat", "queue", "chat", "Fay's chat");
        server.admin("PUT", "/api/v1/channels/fay-chat/routing",
                "{\"autoAssign\":true,\"assignTo\":{\"type\":\"users_and_teams\",\"users\":[\"fay\"]},\"onlyAvailable\":true}");
        browser.signIn(TestServer.ADMIN, "#/users");
        By capacity = By.id("capacity-fay");
        assertThat(browser.waitFor(capacity).getAttribute("value")).as("no limit").isEmpty();
        browser.type(capacity, "1");
        browser.click(By.cssSelector("tr[data-id=fay] button"));
        browser.awaitText(By.cssSelector("tr[data-id=fay] [role=status]"), "saved");
        assertThat(server.admin("GET", "/api/v1/users/fay", null).path("chatCapacity").asInt()).isEqualTo(1);

        conversation("fay-1", "fay-chat", "gus@customer.test", "Gus", "First");
        conversation("fay-2", "fay-chat", "hal@customer.test", "Hal", "Second"); // fay is at capacity: it waits
        browser.signIn(TestServer.ADMIN, "#/inbox");
        new Select(browser.waitFor(By.id("inbox-select"))).selectByValue("queue");
        browser.click(By.id("view-unassigned"));
        browser.awaitText(By.cssSelector("[data-id='fay-2'] [data-test=waiting]"), "waiting < 1 min");
    }

    private static By item(String conversationId) {
        return By.cssSelector("[data-test=conversation-item][data-id='" + conversationId + "']");
    }

    private static String user(String id, String name, String seat, boolean available) {
        return server.admin("POST", "/api/v1/users", "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"email\":\"" + id
                + "@example.com\",\"seat\":\"" + seat + "\",\"available\":" + available + "}").get("token").asText();
    }

    private static void channel(String id, String inbox, String kind, String name) {
        server.admin("POST", "/api/v1/channels",
                "{\"id\":\"" + id + "\",\"inboxId\":\"" + inbox + "\",\"kind\":\"" + kind + "\",\"name\":\"" + name + "\"}");
    }

    private static void conversation(String id, String channel, String email, String name, String text) {
        server.admin("POST", "/api/v1/conversations", "{\"id\":\"" + id + "\",\"channelId\":\"" + channel
                + "\",\"contact\":{\"email\":\"" + email + "\",\"name\":\"" + name + "\"},\"message\":{\"text\":\"" + text + "\"}}");
    }
}
