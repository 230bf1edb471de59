package io.drplane.notifier.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * One HTTP POST, classified the way a notifier must: 2xx delivered; 408, 429, 5xx and I/O errors worth a retry (with
 * the {@code Retry-After} the server gave, in seconds or as a date); any other status refused for good. Nothing here
 * retries: {@link Deliverer} does.
 */
public final class HttpSender {

    private static final int BODY_IN_ERROR = 200;

    private final HttpClient client;
    private final Duration timeout;

    public HttpSender(Duration timeout) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.timeout = timeout;
    }

    /** Posts {@code body}; answers the response body. {@code what} names the destination in errors (no secret). */
    public String post(URI uri, Map<String, String> headers, String body, String what) throws DeliveryException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(timeout).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw DeliveryException.transientFailure(
                    what + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.transientFailure(what + ": interrupted");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return response.body();
        }
        String answer = shorten(response.body());
        String said = what + ": HTTP " + status + (answer.isEmpty() ? "" : " " + answer);
        if (status == 408 || status == 429 || status >= 500) {
            Duration wait = response.headers()
                    .firstValue("Retry-After")
                    .map(HttpSender::retryAfter)
                    .orElse(null);
            throw new DeliveryException(said, false, wait);
        }
        throw DeliveryException.permanentFailure(said);
    }

    static Duration retryAfter(String value) {
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    private static String shorten(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= BODY_IN_ERROR ? oneLine : oneLine.substring(0, BODY_IN_ERROR) + "…";
    }
}
