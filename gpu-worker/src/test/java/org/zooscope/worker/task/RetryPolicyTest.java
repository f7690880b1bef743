package org.zooscope.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.zooscope.core.store.ObjectStore;

class RetryPolicyTest {
    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(120), Duration.ofMillis(200),
            Duration.ofSeconds(10));

    @Test
    void anUnreachableStoreIsRetriedForTheWholeOutageBudgetWithCappedWaits() {
        RuntimeException down = new UncheckedIOException(new IOException("Connection refused"));
        Duration waited = Duration.ZERO;
        int attempt = 1;
        RetryPolicy.Decision d = policy.after(down, attempt, waited);
        while (d.again()) {
            assertThat(d.outage()).isTrue();
            assertThat(d.pause()).isLessThanOrEqualTo(Duration.ofSeconds(10));
            waited = waited.plus(d.pause());
            d = policy.after(down, ++attempt, waited);
        }
        // far more than three tries, and only once the budget is spent
        assertThat(attempt).isGreaterThan(10);
        assertThat(waited).isBetween(Duration.ofSeconds(110), Duration.ofSeconds(120));
    }

    @Test
    void anUnknownFailureGetsItsFewTriesAndAWrongInputNone() {
        RuntimeException unknown = new IllegalStateException("the engine said no");
        assertThat(policy.after(unknown, 1, Duration.ZERO).again()).isTrue();
        assertThat(policy.after(unknown, 2, Duration.ofMillis(200)).again()).isTrue();
        assertThat(policy.after(unknown, 3, Duration.ofMillis(600)).again()).isFalse();
        assertThat(policy.after(new ObjectStore.NoSuchObjectException("jobs/j/input/0.f32"), 1, Duration.ZERO).again())
                .isFalse();
        assertThat(policy.after(new IllegalArgumentException("tile 9 of 4"), 1, Duration.ZERO).again()).isFalse();
    }

    @Test
    void theWorkersOwnWrongWorkIsNeverRetried() {
        for (RuntimeException wrong : new RuntimeException[] {new org.zooscope.worker.inference.ModelOutputException("NaN"),
                new org.zooscope.worker.inference.ModelRepository.InvalidModelException("bad sha"),
                new TileProcessor.InvalidTaskException("tile 99 outside"),
                new TileProcessor.InferenceFailedException(new ai.djl.translate.TranslateException("postprocess",
                        new org.zooscope.worker.inference.ModelOutputException("shape")))}) {
            assertThat(policy.after(wrong, 1, Duration.ZERO).again()).as(wrong.toString()).isFalse();
        }
    }
}
