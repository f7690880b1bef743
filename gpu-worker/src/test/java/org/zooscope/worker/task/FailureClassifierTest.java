package org.zooscope.worker.task;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.worker.inference.ModelOutputException;
import org.zooscope.worker.inference.ModelRepository;

class FailureClassifierTest {

    @Test
    void transientFailuresAreRetried() {
        assertThat(FailureClassifier.isRetriable(new IOException("connection reset"))).isTrue();
        assertThat(FailureClassifier.isRetriable(new TimeoutException())).isTrue();
        assertThat(FailureClassifier.isRetriable(new java.io.UncheckedIOException(new SocketTimeoutException("read")))).isTrue();
        assertThat(FailureClassifier.isRetriable(
                software.amazon.awssdk.core.exception.SdkClientException.create("unable to reach S3"))).isTrue();
        assertThat(FailureClassifier.isRetriable(new IllegalStateException("Failed to allocate memory for requested buffer"))).isTrue();
        // an engine failure inside DJL's checked exception keeps its cause's class
        assertThat(FailureClassifier.isRetriable(new TileProcessor.InferenceFailedException(
                new TranslateException("run failed", new IOException("disk"))))).isTrue();
    }

    @Test
    void failuresThatRetryingCannotFixAreFatal() {
        assertThat(FailureClassifier.isRetriable(new ModelOutputException("NaN"))).isFalse();
        assertThat(FailureClassifier.isRetriable(new ModelRepository.InvalidModelException("bad sha"))).isFalse();
        assertThat(FailureClassifier.isRetriable(new TileProcessor.InvalidTaskException("tile 99 outside"))).isFalse();
        assertThat(FailureClassifier.isRetriable(new EventJson.MalformedEventException("TileTask", new IOException("x")))).isFalse();
        assertThat(FailureClassifier.isRetriable(new ObjectStore.NoSuchObjectException("jobs/j/input/0.f32"))).isFalse();
        // the fatal cause wins even when wrapped in a transient-looking exception
        assertThat(FailureClassifier.isRetriable(new TileProcessor.InferenceFailedException(
                new TranslateException("postprocess", new ModelOutputException("shape"))))).isFalse();
    }

    @Test
    void unknownFailuresAreRetriedBecauseTheAttemptBudgetBoundsThem() {
        assertThat(FailureClassifier.isRetriable(new RuntimeException("?"))).isTrue();
    }

    @Test
    void reasonIsOneLineWithTheType() {
        assertThat(FailureClassifier.reason(new ModelOutputException("returned NaN\nat line 2")))
                .isEqualTo("ModelOutputException: returned NaN");
    }
}
