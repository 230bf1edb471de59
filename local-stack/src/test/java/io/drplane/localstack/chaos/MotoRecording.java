package io.drplane.localstack.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * moto's request recorder: every AWS call the emulator answers while recording, read back to count the calls that
 * change something. What the chaos suite counts "issued twice" against.
 */
final class MotoRecording {

    /** One call that changes AWS: its operation and its whole request body (identical bodies are the same call). */
    record Mutation(String operation, String body) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ACTION = Pattern.compile("(?:^|&)Action=([A-Za-z0-9]+)");
    /** Route 53 speaks REST-XML: the change is the path, not an action parameter. */
    private static final Pattern ROUTE53_CHANGE = Pattern.compile("/2013-04-01/hostedzone/[^/]+/rrset/?$");
    /** The simulated application feeds the replica's lag to CloudWatch: a write, but not drplane's. */
    private static final List<String> NOT_DRPLANE = List.of("PutMetricData");

    private final URI moto;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    MotoRecording(URI moto) {
        this.moto = moto;
    }

    /** Forgets what was recorded and records from now on. */
    void start() {
        post("reset-recording");
        post("start-recording");
    }

    /** The calls that changed AWS since {@link #start()}, in the order moto answered them. */
    List<Mutation> mutations() {
        String recording = call("GET", "download-recording");
        List<Mutation> mutations = new ArrayList<>();
        for (String line : recording.split("\n")) {
            if (!line.isBlank()) {
                mutation(line).ifPresent(mutations::add);
            }
        }
        return mutations;
    }

    private static Optional<Mutation> mutation(String line) {
        try {
            JsonNode entry = JSON.readTree(line);
            String body = entry.path("body").isNull() ? "" : entry.path("body").asText("");
            if (entry.path("body_encoded").asBoolean(false)) {
                body = new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            }
            String path = URI.create(entry.path("url").asText()).getPath();
            if (entry.path("method").asText().equals("POST")
                    && ROUTE53_CHANGE.matcher(path).find()) {
                return Optional.of(new Mutation("ChangeResourceRecordSets", body));
            }
            Matcher action = ACTION.matcher(body);
            if (!action.find()) {
                return Optional.empty();
            }
            String operation = URLDecoder.decode(action.group(1), StandardCharsets.UTF_8);
            boolean reads =
                    operation.startsWith("Describe") || operation.startsWith("List") || operation.startsWith("Get");
            return reads || NOT_DRPLANE.contains(operation)
                    ? Optional.empty()
                    : Optional.of(new Mutation(operation, body));
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable recording line: " + line, e);
        }
    }

    private void post(String what) {
        call("POST", what);
    }

    private String call(String method, String what) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(moto.resolve("/moto-api/recorder/" + what))
                            .timeout(Duration.ofSeconds(30))
                            .method(method, HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
