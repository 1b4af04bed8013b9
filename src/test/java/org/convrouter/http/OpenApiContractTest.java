package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The checker TestServer runs on every answer tells answers the document allows from ones it does not. */
class OpenApiContractTest {

    private static final String JSON = "application/json";
    private static final String USER = "{\"id\":\"ana\",\"name\":\"Ana\",\"email\":\"ana@example.com\",\"seat\":\"service\","
            + "\"available\":true,\"active\":true,\"chatCapacity\":null,\"openChats\":0,\"lastChatAssignedAt\":%s}";
    private static final String CONVERSATION = "{\"id\":\"c1\",\"channelId\":\"ch\",\"inboxId\":\"in\",\"contactId\":null,"
            + "\"status\":\"open\",\"assignee\":%s,\"decisionId\":null,\"createdAt\":\"2026-01-05T09:30:00.123456Z\","
            + "\"messages\":[],\"messageCount\":0,\"messagesLink\":\"/api/v1/conversations/c-1/messages\",\"assignmentHistory\":[]}";

    private final OpenApiContract contract = OpenApiContract.get();

    @Test
    void aUserAsDocumentedPassesWithOrWithoutItsNullableTimestamp() {
        assertThat(contract.problems("GET", "/api/v1/users/ana", 200, JSON, USER.formatted("null"))).isEmpty();
        assertThat(contract.problems("GET", "/api/v1/users/ana?x=1", 200, JSON,
                USER.formatted("\"2026-01-05T09:30:00.123456Z\""))).isEmpty();
    }

    @Test
    void aMissingRequiredFieldAWrongTypeOrANullWhereNoneIsAllowedIsCaught() {
        assertThat(contract.problems("GET", "/api/v1/users/ana", 200, JSON, USER.formatted("null").replace(",\"openChats\":0", "")))
                .singleElement().asString().contains("openChats");
        assertThat(contract.problems("GET", "/api/v1/users/ana", 200, JSON, USER.formatted("null").replace("\"openChats\":0",
                "\"openChats\":\"0\""))).singleElement().asString().contains("openChats");
        assertThat(contract.problems("GET", "/api/v1/users/ana", 200, JSON, USER.formatted("\"yesterday\""))).isNotEmpty();
        assertThat(contract.problems("GET", "/api/v1/users/ana", 200, JSON, USER.formatted("null").replace("\"Ana\"", "null")))
                .singleElement().asString().contains("name");
    }

    @Test
    void aNullableReferenceTakesNullOrAValidObjectOnly() {
        String path = "/api/v1/conversations/c1";
        assertThat(contract.problems("GET", path, 200, JSON, CONVERSATION.formatted("null"))).isEmpty();
        assertThat(contract.problems("GET", path, 200, JSON, CONVERSATION.formatted("{\"type\":\"user\",\"id\":\"ana\"}"))).isEmpty();
        assertThat(contract.problems("GET", path, 200, JSON, CONVERSATION.formatted("{\"type\":\"robot\",\"id\":\"ana\"}")))
                .isNotEmpty();
        assertThat(contract.problems("GET", path, 200, JSON, CONVERSATION.formatted("{\"type\":\"user\"}"))).isNotEmpty();
    }

    @Test
    void aPropertyTheDocumentDoesNotNameIsCaughtAlsoThroughAllOfAndArrays() {
        String detail = CONVERSATION.formatted("null");
        assertThat(contract.problems("GET", "/api/v1/conversations/c1", 200, JSON, detail.replace("{\"id\"", "{\"secret\":1,\"id\"")))
                .singleElement().asString().contains("$.secret");
        String page = "{\"items\":[" + USER.formatted("null") + "," + USER.formatted("null").replace("{\"id\"", "{\"x\":1,\"id\"")
                + "],\"nextCursor\":null}";
        assertThat(contract.problems("GET", "/api/v1/users", 200, JSON, page)).singleElement().asString().contains("$.items[1].x");
        String withToken = USER.formatted("null").replace("{\"id\"", "{\"token\":\"usr_x\",\"id\"");
        assertThat(contract.problems("POST", "/api/v1/users", 201, JSON, withToken)).isEmpty();
        String error = "{\"error\":{\"code\":\"refused\",\"message\":\"no\",\"details\":[{\"anything\":1}]}}";
        assertThat(contract.problems("POST", "/api/v1/users", 422, JSON, error)).isEmpty();
    }

    @Test
    void errorsMustHaveTheErrorShapeWhetherTheOperationListsTheStatusOrNot() {
        String error = "{\"error\":{\"code\":\"not_found\",\"message\":\"no user x\",\"details\":[]}}";
        assertThat(contract.problems("GET", "/api/v1/users/x", 404, JSON, error)).isEmpty();
        assertThat(contract.problems("GET", "/api/v1/users/x", 503, JSON, error.replace("not_found", "storage_failed"))).isEmpty();
        assertThat(contract.problems("GET", "/api/v1/users/x", 404, JSON, "{\"message\":\"no user x\"}")).isNotEmpty();
        assertThat(contract.problems("GET", "/api/v1/users/x", 503, JSON, "{\"message\":\"down\"}")).isNotEmpty();
        assertThat(contract.problems("GET", "/api/v1/users/x", 404, JSON, error.replace("not_found", "gone"))).isNotEmpty();
    }

    @Test
    void aSuccessTheDocumentDoesNotListOrAnotherContentTypeIsCaught() {
        assertThat(contract.problems("GET", "/api/v1/users/ana", 202, JSON, USER.formatted("null"))).isNotEmpty();
        assertThat(contract.problems("GET", "/api/v1/users/ana", 200, "text/html", "<p>ana</p>")).isNotEmpty();
    }

    @Test
    void literalPathsWinOverTemplatesAndUndocumentedCallsAreLeftToOpenApiTest() {
        String state = "{\"version\":\"v1\",\"activatedAt\":\"2026-01-05T09:30:00Z\",\"files\":[],\"lastReload\":"
                + "{\"status\":\"ok\",\"at\":\"2026-01-05T09:30:00Z\",\"triggeredBy\":\"start-up\",\"errors\":[]}}";
        assertThat(contract.problems("GET", "/api/v1/rules", 200, JSON, state)).isEmpty();
        assertThat(contract.problems("GET", "/api/v1/rules/history", 200, JSON, state)).isNotEmpty();
        assertThat(contract.problems("GET", "/no/such/thing", 200, JSON, "{}")).isEmpty();
        assertThat(contract.problems("DELETE", "/api/v1/users/ana", 405, JSON, "{}")).isEmpty();
    }

    @Test
    void checkFailsTheTestWithTheDifferences() {
        assertThatThrownBy(() -> contract.check("GET", "/api/v1/users/ana", 200, JSON, "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("openChats").hasMessageContaining("openapi.yaml");
    }
}
