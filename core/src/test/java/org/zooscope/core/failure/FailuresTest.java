package org.zooscope.core.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.store.ObjectStore;

/** The one decision every stage (preprocessing, workers, assembly, the gateway's 503s) takes its retries from. */
class FailuresTest {

    /** A stage's own "the work is wrong" exception, as the worker's invalid-task and bad-model-output ones are. */
    static final class WrongWork extends RuntimeException implements Failures.Fatal {
        WrongWork(String message) {
            super(message);
        }
    }

    /** A wrapper such as an inference engine's checked exception. */
    static final class Wrapped extends RuntimeException {
        Wrapped(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    @Test
    void theEnvironmentFailingIsRetriedAndIsAnOutage() {
        for (Throwable t : new Throwable[] {new IOException("connection reset"), new TimeoutException(),
                new UncheckedIOException(new SocketTimeoutException("read")),
                software.amazon.awssdk.core.exception.SdkClientException.create("Unable to execute HTTP request"),
                new Wrapped(new IOException("disk"))}) {
            assertThat(Failures.isRetriable(t)).as(t.toString()).isTrue();
            assertThat(Failures.isTransient(t)).as(t.toString()).isTrue();
        }
    }

    @Test
    void wrongWorkIsFatalEvenInsideATransientLookingWrapper() {
        for (Throwable t : new Throwable[] {new WrongWork("tile 99 outside the grid"),
                new EventJson.MalformedEventException("TileTask", new IOException("x")),
                new ObjectStore.NoSuchObjectException("jobs/j/input/0.f32"), new IllegalArgumentException("bad"),
                new ImageReadException(ImageReadException.Kind.EMPTY, "a.tif", null, "no pixels"), new Wrapped(new WrongWork("NaN output")),
                new UncheckedIOException(new IOException("read", new WrongWork("shape")))}) {
            assertThat(Failures.isRetriable(t)).as(t.toString()).isFalse();
            assertThat(Failures.isTransient(t)).as(t.toString()).isFalse();
        }
    }

    @Test
    void unknownFailuresGetAFewTriesButAreNoOutage() {
        // e.g. ONNX Runtime's "Failed to allocate memory": a retry may land when memory is free again
        RuntimeException engine = new IllegalStateException("Failed to allocate memory for requested buffer");
        assertThat(Failures.isRetriable(engine)).isTrue();
        assertThat(Failures.isTransient(engine)).isFalse();
    }

    @Test
    void theReasonIsTheFirstLineOfTheFirstMessage() {
        assertThat(Failures.reason(new Wrapped(new WrongWork("returned NaN\nat line 2")))).isEqualTo("returned NaN");
        assertThat(Failures.reason(new RuntimeException((String) null))).isEqualTo("RuntimeException");
    }
}
