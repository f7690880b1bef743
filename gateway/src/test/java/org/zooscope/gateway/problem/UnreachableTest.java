package org.zooscope.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class UnreachableTest {
    @Test
    void namesTheDependencyThatIsDownAndNothingForOtherFailures() {
        assertThat(Unreachable.dependency(SdkClientException.create("Unable to execute HTTP request",
                new ConnectException("Connection refused")))).isEqualTo("the object store (S3)");
        assertThat(Unreachable.dependency(new UncheckedIOException("model search failed", new ConnectException("refused"))))
                .contains("catalogue");
        assertThat(Unreachable.dependency(new UncheckedIOException("job search failed", new ConnectException("refused"))))
                .isEqualTo("the catalogue of finished jobs (OpenSearch)");
        assertThat(Unreachable.dependency(new IllegalArgumentException("threshold 2"))).isNull();
        assertThat(Unreachable.dependency(new IllegalStateException("a bug"))).isNull();
    }
}
