package org.convrouter.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.convrouter.error.StorageFailedException;
import org.convrouter.error.StorageUnconfirmedException;
import org.junit.jupiter.api.Test;

/** Storage outcomes a client must tell apart: not stored (retry) and not known (read back first). */
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
}
