package org.convrouter.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A batch's completions run once each, in a row; one that blocks does not hold up the rest. */
@Timeout(30)
class BatchAnswersTest {

    @Test
    void a_completion_that_blocks_hands_the_rest_of_its_batch_to_another_thread() throws Exception {
        CountDownLatch stuck = new CountDownLatch(1);
        CountDownLatch blocking = new CountDownLatch(1);
        CompletableFuture<String> next = new CompletableFuture<>();
        try (BatchAnswers answers = new BatchAnswers()) {
            answers.answer(List.of(() -> {
                blocking.countDown();
                await(stuck); // an answer written to a client that does not read
            }, () -> next.complete(Thread.currentThread().getName())));
            assertThat(blocking.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(next.get(5, TimeUnit.SECONDS)).isEqualTo("group-commit-answers");
            assertThat(stuck.getCount()).isEqualTo(1); // still blocked: the second ran beside it
            stuck.countDown();
        }
    }

    @Test
    void every_completion_runs_exactly_once_across_many_batches_some_of_them_helped() {
        int batches = 2_000;
        int perBatch = 16;
        AtomicIntegerArray runs = new AtomicIntegerArray(batches * perBatch);
        AtomicIntegerArray lastInBatch = new AtomicIntegerArray(batches);
        try (BatchAnswers answers = new BatchAnswers()) {
            for (int b = 0; b < batches; b++) {
                List<Runnable> completions = new ArrayList<>();
                for (int i = 0; i < perBatch; i++) {
                    int batch = b;
                    int index = i;
                    completions.add(() -> {
                        runs.incrementAndGet(batch * perBatch + index);
                        lastInBatch.accumulateAndGet(batch, index, Math::max);
                        if (index == 3 && batch % 100 == 0) {
                            sleep(60); // long enough for the watchdog to add a thread to this batch
                        }
                    });
                }
                answers.answer(completions);
            }
        } // close() waits for what was handed over
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("completion %d", i).isEqualTo(1);
        }
        for (int b = 0; b < batches; b++) {
            assertThat(lastInBatch.get(b)).isEqualTo(perBatch - 1);
        }
    }

    @Test
    void once_closed_a_batch_is_answered_on_the_callers_thread() {
        BatchAnswers answers = new BatchAnswers();
        answers.close();
        List<String> ranOn = new ArrayList<>();
        answers.answer(List.of(() -> ranOn.add(Thread.currentThread().getName())));
        assertThat(ranOn).containsExactly(Thread.currentThread().getName());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
