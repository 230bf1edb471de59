package io.drplane.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.drplane.coordinator.view.ApiJson;
import org.junit.jupiter.api.Test;

class LiveStatusTest {

    @Test
    void shouldSayEachRegionsStateWithItsVotesTheLagAndTheLastDecision() throws Exception {
        String json =
                """
                {"group":"shop","primary":"us-east-1","analysis":"PRIMARY_REGION_DOWN",
                 "regions":{"us-east-1":"DOWN","us-west-2":"UP"},
                 "vantagePoints":{"us-east-1|a":{"breakers":["OPEN"]},"us-east-1|b":{"breakers":["OPEN"]},"us-east-1|c":{"breakers":["CLOSED"]},
                                  "us-west-2|a":{"breakers":["CLOSED"]},"us-west-2|b":{"breakers":["CLOSED"]},"us-west-2|c":{"breakers":["CLOSED"]}},
                 "lag":{"orders-db":{"status":"MEASURED","lagMillis":0,"observedAt":"2026-11-22T02:00:00Z"}},
                 "recoveryPoints":{"us-east-1":"2026-11-22T01:24:00.899Z","us-west-2":"2026-11-22T01:24:00.899Z"},
                 "failover":{"to":"us-west-2","steps":[{"name":"promote-database","status":"ISSUED","attempt":1}]},
                 "timeline":[{"time":"2026-11-22T02:00:01Z","type":"failover.started","reasonCode":"FAILOVER_AUTOMATIC",
                              "reason":"the primary us-east-1 is down by quorum."}]}
                """;

        assertThat(LiveStatus.line(ApiJson.group(json)))
                .isEqualTo("shop: primary us-east-1, PRIMARY_REGION_DOWN"
                        + " | us-east-1 DOWN (1 of 3 vantage points see it up); us-west-2 UP (3 of 3 vantage points see it up)"
                        + " | lag orders-db MEASURED 0 ms | failover to us-west-2: promote-database ISSUED (attempt 1)"
                        + " | backups us-east-1 2026-11-22T01:24Z, us-west-2 2026-11-22T01:24Z"
                        + " | last: failover.started FAILOVER_AUTOMATIC: the primary us-east-1 is down by quorum.");
    }
}
