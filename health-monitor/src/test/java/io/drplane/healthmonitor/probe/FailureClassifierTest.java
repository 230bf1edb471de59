package io.drplane.healthmonitor.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.events.ProbeOutcome;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void shouldClassifyTheWayTheJdkReportsFailures() {
        assertThat(FailureClassifier.classify(new CompletionException(new ConnectException("Connection refused"))))
                .isEqualTo(ProbeOutcome.REFUSED);
        ConnectException unresolved = new ConnectException();
        unresolved.initCause(new UnresolvedAddressException());
        assertThat(FailureClassifier.classify(new CompletionException(unresolved)))
                .isEqualTo(ProbeOutcome.DNS);
        assertThat(FailureClassifier.classify(new HttpConnectTimeoutException("HTTP connect timed out")))
                .isEqualTo(ProbeOutcome.TIMEOUT);
        assertThat(FailureClassifier.classify(new TimeoutException())).isEqualTo(ProbeOutcome.TIMEOUT);
        assertThat(FailureClassifier.classify(
                        new CompletionException(new SSLHandshakeException("PKIX path building failed"))))
                .isEqualTo(ProbeOutcome.TLS);
        assertThat(FailureClassifier.classify(new IllegalStateException("something else")))
                .isEqualTo(ProbeOutcome.ERROR);
    }

    @Test
    void shouldDescribeOnOneShortLine() {
        String detail =
                FailureClassifier.describe(new CompletionException(new ConnectException("Connection\nrefused")));
        assertThat(detail).isEqualTo("ConnectException: Connection refused");
    }
}
