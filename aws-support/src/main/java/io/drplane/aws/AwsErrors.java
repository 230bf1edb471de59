package io.drplane.aws;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Which AWS failures are worth another attempt, and how a failure is named in a {@code command.failed}. */
public final class AwsErrors {

    /** Throttling codes across RDS, Auto Scaling and Route 53 (Query and REST-XML protocols). */
    private static final Set<String> THROTTLING = Set.of(
            "Throttling",
            "ThrottlingException",
            "ThrottledException",
            "RequestThrottled",
            "RequestThrottledException",
            "RequestLimitExceeded",
            "TooManyRequestsException",
            "PriorRequestNotComplete",
            "Rate exceeded",
            "SlowDown");

    private AwsErrors() {}

    /**
     * Retry on throttling, on 5xx, on I/O errors and on time-outs; never on access denied, validation errors or
     * anything else the caller must fix first; never on an open circuit (that is what the circuit is for).
     */
    public static boolean retryable(Throwable error) {
        if (error instanceof AwsServiceException aws) {
            return throttling(aws) || aws.statusCode() >= 500;
        }
        if (error instanceof CallTimedOutException
                || error instanceof ApiCallTimeoutException
                || error instanceof TimeoutException) {
            return true;
        }
        if (error instanceof RequestNotPermitted) {
            return true;
        }
        if (error instanceof CallNotPermittedException) {
            return false;
        }
        return error instanceof SdkClientException;
    }

    public static boolean throttling(AwsServiceException aws) {
        String code =
                aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
        return aws.isThrottlingException() || aws.statusCode() == 429 || (code != null && THROTTLING.contains(code));
    }

    /** Whether the failure says the thing looked for does not exist (RDS, EC2, DynamoDB and AWS Backup spellings). */
    public static boolean notFound(AwsCallException failure) {
        String code = failure.errorCode();
        return code != null
                && (code.endsWith("NotFound") || code.endsWith("NotFoundFault") || code.endsWith("NotFoundException"));
    }

    /** The final failure of a call, named for the command result. */
    static AwsCallException describe(Throwable error) {
        if (error instanceof AwsCallException done) {
            return done;
        }
        if (error instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null || aws.awsErrorDetails().errorCode() == null
                    ? "HTTP" + aws.statusCode()
                    : aws.awsErrorDetails().errorCode();
            String message =
                    aws.awsErrorDetails() == null || aws.awsErrorDetails().errorMessage() == null
                            ? aws.getMessage()
                            : aws.awsErrorDetails().errorMessage();
            return new AwsCallException(code, message, aws.requestId(), retryable(aws), false, aws);
        }
        if (error instanceof CallNotPermittedException open) {
            return new AwsCallException("CircuitOpen", open.getMessage(), null, true, false, open);
        }
        if (error instanceof RequestNotPermitted limited) {
            return new AwsCallException("RateLimited", limited.getMessage(), null, true, false, limited);
        }
        if (error instanceof CallTimedOutException || error instanceof ApiCallTimeoutException) {
            return new AwsCallException("TimeLimitExceeded", error.getMessage(), null, true, true, error);
        }
        if (error instanceof SdkClientException client) {
            return new AwsCallException("ClientError", client.getMessage(), null, true, false, client);
        }
        return new AwsCallException(
                error.getClass().getSimpleName(), String.valueOf(error.getMessage()), null, false, false, error);
    }
}
