package io.drplane.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Plan files for tests: one group over us-east-1 (primary) and us-west-2 (standby), watched by vantage points v1, v2, v3. */
public final class TestPlans {

    private TestPlans() {}

    /** Only health targets: enough to watch regions and take operator requests. */
    public static Path minimal(Path dir, String group, String mode) {
        return write(
                dir,
                group + "-minimal.yml",
                """
                version: 1
                vantagePoints: [v1, v2, v3]
                groups:
                  - id: %s
                    strategy: pilot-light
                    mode: %s
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - { name: us-east-1, role: primary, targets: [ { name: web, kind: https, url: "https://use1.example.com/" } ] }
                      - { name: us-west-2, role: standby, targets: [ { name: web, kind: https, url: "https://usw2.example.com/" } ] }
                """
                        .formatted(group, mode));
    }

    /** A warm standby with a database, compute, a replication link and Route 53 failover records: the whole runbook. */
    public static Path warmStandby(Path dir, String group, String mode) {
        return write(
                dir,
                group + "-" + mode + ".yml",
                """
                version: 1
                vantagePoints: [v1, v2, v3]
                groups:
                  - id: %s
                    strategy: warm-standby
                    mode: %s
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - name: us-east-1
                        role: primary
                        targets: [ { name: web, kind: https, url: "https://use1.example.com/health" } ]
                        database: { kind: rds-instance, identifier: shop-db }
                        compute: { autoScalingGroup: web-use1, failoverCapacity: { min: 2, desired: 4, max: 8 } }
                        dnsRecord: { setIdentifier: use1, alias: { hostedZoneId: Z35SXDOTRQ7X7K, dnsName: use1-alb.example.com } }
                      - name: us-west-2
                        role: standby
                        targets: [ { name: web, kind: https, url: "https://usw2.example.com/health" } ]
                        database: { kind: rds-instance, identifier: shop-db-replica }
                        compute: { autoScalingGroup: web-usw2, failoverCapacity: { min: 2, desired: 4, max: 8 } }
                        dnsRecord: { setIdentifier: usw2, alias: { hostedZoneId: Z1H1FL5HABSF5, dnsName: usw2-alb.example.com } }
                    replication:
                      - { name: orders-db, from: us-east-1, to: us-west-2, method: cloudwatch-rds-replica-lag, targetResource: shop-db-replica }
                    dns: { hostedZoneId: Z0SHOP, recordName: shop.example.com., routing: failover }
                """
                        .formatted(group, mode));
    }

    private static Path write(Path dir, String name, String yaml) {
        try {
            return Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
