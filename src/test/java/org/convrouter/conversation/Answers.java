package org.convrouter.conversation;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A change's answer as its caller over HTTP sees it: the value once durable, or the exception the change failed with. */
final class Answers {

    private Answers() {
    }

    static <T> T answered(CompletableFuture<T> change) {
        try {
            return change.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }
}
