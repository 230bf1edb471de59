package io.drplane.localstack.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated web tier over real HTTP: the front routes around broken instances, a dark region refuses, a cut-off vantage point hears nothing. */
class SimulatedRegionIT {

    private final SimulatedRegion region = new SimulatedRegion("us-east-1", 3);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @AfterEach
    void close() {
        region.close();
    }

    @Test
    void shouldRouteAroundBrokenInstancesLikeALoadBalancer() throws Exception {
        region.instance(1, InstanceMode.STOPPED);
        region.instance(2, InstanceMode.FAILING);
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> answer = get("v1");
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("ok us-east-1-3\n");
        }

        region.instance(3, InstanceMode.HANGING);
        HttpResponse<String> none = get("v1");
        assertThat(none.statusCode()).isEqualTo(503);
        assertThat(none.body()).isEqualTo("no healthy targets in us-east-1\n");

        region.allInstances(InstanceMode.OK);
        assertThat(get("v1").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseConnectionsWhenDarkAndComeBackOnTheSamePort() throws Exception {
        region.dark(true);
        assertThatThrownBy(() -> get("v1")).isInstanceOf(ConnectException.class);

        region.dark(false);
        assertThat(get("v1").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldLeaveOnlyTheCutOffVantagePointWithoutAnAnswer() throws Exception {
        region.cutOff("v2", true);

        assertThat(get("v1").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> get("v2")).isInstanceOf(HttpTimeoutException.class);

        region.cutOff("v2", false);
        assertThat(get("v2").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> get(String vantage) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(region.url("/healthz"))
                        .timeout(Duration.ofSeconds(2))
                        .header("X-Drplane-Vantage-Point", vantage)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
