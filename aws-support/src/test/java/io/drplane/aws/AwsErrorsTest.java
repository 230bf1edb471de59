package io.drplane.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {

    @Test
    void shouldRetryThrottlingServerErrorsIoAndTimeoutsOnly() {
        assertThat(AwsErrors.retryable(aws(400, "Throttling"))).isTrue();
        assertThat(AwsErrors.retryable(aws(400, "PriorRequestNotComplete"))).isTrue();
        assertThat(AwsErrors.retryable(aws(503, "ServiceUnavailable"))).isTrue();
        assertThat(AwsErrors.retryable(SdkClientException.create("connection reset")))
                .isTrue();
        assertThat(AwsErrors.retryable(new CallTimedOutException("slow"))).isTrue();

        assertThat(AwsErrors.retryable(aws(403, "AccessDenied"))).isFalse();
        assertThat(AwsErrors.retryable(aws(400, "InvalidParameterValue"))).isFalse();
        assertThat(AwsErrors.retryable(aws(404, "DBInstanceNotFound"))).isFalse();
        assertThat(AwsErrors.retryable(
                        CallNotPermittedException.createCallNotPermittedException(CircuitBreaker.ofDefaults("rds"))))
                .isFalse();
    }

    @Test
    void shouldNameAFailureByAwsErrorCodeWithItsRequestId() {
        AwsCallException failure = AwsErrors.describe(aws(403, "AccessDenied"));

        assertThat(failure.errorCode()).isEqualTo("AccessDenied");
        assertThat(failure.getMessage()).isEqualTo("AccessDenied: no");
        assertThat(failure.requestId()).isEqualTo("req-1");
        assertThat(failure.retryable()).isFalse();
    }

    @Test
    void shouldTellALookupThatFoundNothingFromAFailure() {
        assertThat(AwsErrors.notFound(AwsErrors.describe(aws(404, "DBSnapshotNotFound"))))
                .isTrue();
        assertThat(AwsErrors.notFound(AwsErrors.describe(aws(404, "DBClusterNotFoundFault"))))
                .isTrue();
        assertThat(AwsErrors.notFound(AwsErrors.describe(aws(400, "InvalidVolume.NotFound"))))
                .isTrue();
        assertThat(AwsErrors.notFound(AwsErrors.describe(aws(400, "ResourceNotFoundException"))))
                .isTrue();
        assertThat(AwsErrors.notFound(AwsErrors.describe(aws(403, "AccessDenied"))))
                .isFalse();
        assertThat(AwsErrors.notFound(AwsErrors.describe(aws(400, "Throttling"))))
                .isFalse();
    }

    private static AwsServiceException aws(int status, String code) {
        return AwsServiceException.builder()
                .statusCode(status)
                .requestId("req-1")
                .awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code)
                        .errorMessage(code + ": no")
                        .build())
                .build();
    }
}
