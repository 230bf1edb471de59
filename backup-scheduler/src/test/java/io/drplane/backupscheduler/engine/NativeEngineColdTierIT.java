package io.drplane.backupscheduler.engine;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.drplane.aws.ResilienceSettings;
import io.drplane.backupscheduler.MotoRegions;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native engine's cold tier: EBS snapshots move to the archive tier with {@code ModifySnapshotTier}, which moto
 * does not serve, so EC2's query protocol is answered by WireMock; RDS snapshots have no cold tier and cost no call.
 */
class NativeEngineColdTierIT {

    private final WireMockServer ec2 = new WireMockServer(options().dynamicPort());
    private RegionClients east;
    private NativeEngine engine;

    @BeforeEach
    void start() {
        ec2.start();
        east = new RegionClients(
                "us-east-1",
                Optional.of(URI.create(ec2.baseUrl())),
                MotoRegions.CREDENTIALS,
                ResilienceSettings.defaults(),
                List.of());
        engine = new NativeEngine(Map.of("us-east-1", east), Instant::now);
    }

    @AfterEach
    void stop() {
        east.close();
        ec2.stop();
    }

    @Test
    void shouldMoveAnEbsSnapshotToTheArchiveTier() {
        ec2.stubFor(post(urlEqualTo("/"))
                .withRequestBody(containing("Action=ModifySnapshotTier"))
                .willReturn(xml(
                        200,
                        "<ModifySnapshotTierResponse><requestId>r</requestId>"
                                + "<snapshotId>snap-0123</snapshotId><tieringStartTime>2026-12-05T09:00:00.000Z"
                                + "</tieringStartTime></ModifySnapshotTierResponse>")));

        assertThat(engine.archive(point("snap-0123", ResourceArn.Kind.EBS_VOLUME)))
                .isTrue();

        ec2.verify(postRequestedFor(urlEqualTo("/"))
                .withRequestBody(containing("Action=ModifySnapshotTier"))
                .withRequestBody(containing("SnapshotId=snap-0123"))
                .withRequestBody(containing("StorageTier=archive")));
    }

    @Test
    void shouldTakeASnapshotArchivedAlreadyAsDone() {
        ec2.stubFor(post(urlEqualTo("/"))
                .willReturn(xml(
                        400,
                        "<Response><Errors><Error><Code>IncorrectState</Code><Message>The snapshot is already"
                                + " archived.</Message></Error></Errors><RequestID>r</RequestID></Response>")));

        assertThat(engine.archive(point("snap-0456", ResourceArn.Kind.EBS_VOLUME)))
                .isTrue();
    }

    @Test
    void shouldLeaveAnRdsSnapshotWhereItIsWithoutACall() {
        assertThat(engine.archive(point("drplane-shop-weekly-x", ResourceArn.Kind.RDS_INSTANCE)))
                .isFalse();
        assertThat(ec2.getAllServeEvents()).isEmpty();
    }

    private static RecoveryPoint point(String id, ResourceArn.Kind kind) {
        return new RecoveryPoint(id, "us-east-1", kind, "shop", "weekly", id, Instant.now(), true, null);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder xml(int status, String body) {
        return aResponse()
                .withStatus(status)
                .withHeader("Content-Type", "text/xml")
                .withBody(body);
    }
}
