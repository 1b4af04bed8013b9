package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.convrouter.error.StorageFailedException;
import org.convrouter.error.TooManyRequestsException;
import org.junit.jupiter.api.Test;

/** A change the database did not store is told apart from a refusal: the client may retry it. */
class ErrorMapperTest {

    @Test
    void aChangeNotStoredAnswers503StorageFailed() {
        var failed = new StorageFailedException("did not happen", new IllegalStateException());
        assertThat(ErrorMapper.status(failed)).isEqualTo(503);
        assertThat(failed.code()).isEqualTo("storage_failed");
    }

    @Test
    void tooManyFailedAuthenticationsAnswer429TooManyRequests() {
        var tooMany = new TooManyRequestsException("slow down", 3);
        assertThat(ErrorMapper.status(tooMany)).isEqualTo(429);
        assertThat(tooMany.code()).isEqualTo(ErrorMapper.codeFor(429)).isEqualTo("too_many_requests");
        assertThat(tooMany.retryAfterSeconds()).isEqualTo(3);
    }
}
