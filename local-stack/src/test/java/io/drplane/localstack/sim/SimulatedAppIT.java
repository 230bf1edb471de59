package io.drplane.localstack.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.drplane.localstack.Ports;
import io.drplane.plan.load.PlanLoader;
import io.drplane.testsupport.MotoServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The simulation's control API over real HTTP, with the lag published to moto's CloudWatch: what game days (and
 * people, with curl) break and heal.
 */
class SimulatedAppIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimulatedApp app = new SimulatedApp(
            PlanLoader.load(Path.of("../examples/two-region-shop.yml").toAbsolutePath()),
            MotoServer.shared().endpoint(),
            Ports.free(1),
            false,
            Map.of());
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void shouldHealTheRegionsAndLeaveTheDatabaseAsItIs() throws Exception {
        post("links/orders-db/lag?seconds=600");
        post("regions/us-east-1/dark?on=true");
        post("regions/us-west-2/instances?mode=FAILING");
        post("regions/us-west-2/cut-off/eu-west-1a?on=true");

        JsonNode healed = post("regions/reset").body();

        assertThat(healed.at("/regions/us-east-1/dark").asBoolean()).isFalse();
        assertThat(healed.at("/regions/us-west-2/instances").toString()).isEqualTo("[\"OK\",\"OK\",\"OK\"]");
        assertThat(healed.at("/regions/us-west-2/cutOffVantagePoints").isEmpty())
                .isTrue();
        assertThat(healed.at("/replicaLagSeconds/orders-db").asDouble())
                .as("the lag is the database's, not a region's")
                .isEqualTo(600.0);

        JsonNode reset = post("reset").body();

        assertThat(reset.at("/replicaLagSeconds/orders-db").asDouble()).isZero();
    }

    @Test
    void shouldRefuseAnUnknownChangeNamingIt() throws Exception {
        Answer answer = post("regions/us-east-1/explode");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().path("error").asText())
                .isEqualTo("unknown change: POST /sim/regions/us-east-1/explode");
    }

    private Answer post(String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(app.controlUrl().resolve("/sim/" + path))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private record Answer(int status, JsonNode body) {}
}
