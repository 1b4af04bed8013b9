package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.convrouter.error.StorageBusyException;
import org.convrouter.error.StorageFailedException;
import org.convrouter.error.StorageUnconfirmedException;
import org.junit.jupiter.api.Test;

/** Storage outcomes a client must tell apart: not stored (retry), not known (read back first), busy (retry shortly). */
class ErrorMapperTest {

    @Test
    void aChangeNotStoredAndAChangeNotConfirmedAnswer503WithTheirOwnCodes() {
        var failed = new StorageFailedException("did not happen", new IllegalStateException());
        var unconfirmed = new StorageUnconfirmedException("may still be stored", new IllegalStateException());
        assertThat(ErrorMapper.status(failed)).isEqualTo(503);
        assertThat(ErrorMapper.status(unconfirmed)).isEqualTo(503);
        assertThat(failed.code()).isEqualTo("storage_failed");
        assertThat(unconfirmed.code()).isEqualTo("storage_unconfirmed");
    }

    @Test
    void aChangeRefusedWhileTooManyWaitToBeStoredAnswers503StorageBusyWithWhenToRetry() throws Exception {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            ErrorMapper.install(config);
            config.routes.post("/busy", ctx -> {
                throw new StorageBusyException(4096);
            });
        }).start("127.0.0.1", 0);
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.port() + "/busy")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(answer.body()).contains("\"code\":\"storage_busy\"").contains("4096 changes are waiting");
        } finally {
            app.stop();
        }
    }
}
