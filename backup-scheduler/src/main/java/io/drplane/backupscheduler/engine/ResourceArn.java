package io.drplane.backupscheduler.engine;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource a backup rule protects, read from its ARN: what kind it is, where it lives and its name there.
 *
 * @param name the identifier the service's own API takes (DB instance or cluster identifier, volume id, table name)
 */
public record ResourceArn(String arn, Kind kind, String region, String account, String name) {

    public enum Kind {
        RDS_INSTANCE("an RDS DB instance"),
        RDS_CLUSTER("an Aurora DB cluster"),
        EBS_VOLUME("an EBS volume"),
        DYNAMODB_TABLE("a DynamoDB table"),
        /** Anything else AWS Backup protects (EFS, S3, FSx, ...): the aws-backup engine's only. */
        OTHER("a resource AWS Backup protects");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private static final Pattern RDS = Pattern.compile("arn:aws[a-z-]*:rds:([a-z0-9-]+):(\\d{12}):(db|cluster):(.+)");
    private static final Pattern EBS =
            Pattern.compile("arn:aws[a-z-]*:ec2:([a-z0-9-]+):(\\d{12}):volume/(vol-[0-9a-f]+)");
    private static final Pattern DYNAMODB =
            Pattern.compile("arn:aws[a-z-]*:dynamodb:([a-z0-9-]+):(\\d{12}):table/([a-zA-Z0-9_.-]{3,255})");

    public static final String SUPPORTED = "an RDS DB instance (arn:aws:rds:REGION:ACCOUNT:db:NAME), an Aurora cluster"
            + " (arn:aws:rds:REGION:ACCOUNT:cluster:NAME), an EBS volume (arn:aws:ec2:REGION:ACCOUNT:volume/vol-ID) or a"
            + " DynamoDB table (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME)";

    private static final Pattern ANY = Pattern.compile("arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):(\\d{0,12}):(.+)");

    /** The resource, or empty when the string is not an ARN at all. */
    public static Optional<ResourceArn> parse(String arn) {
        Matcher m = RDS.matcher(arn);
        if (m.matches()) {
            Kind kind = m.group(3).equals("db") ? Kind.RDS_INSTANCE : Kind.RDS_CLUSTER;
            return Optional.of(new ResourceArn(arn, kind, m.group(1), m.group(2), m.group(4)));
        }
        m = EBS.matcher(arn);
        if (m.matches()) {
            return Optional.of(new ResourceArn(arn, Kind.EBS_VOLUME, m.group(1), m.group(2), m.group(3)));
        }
        m = DYNAMODB.matcher(arn);
        if (m.matches()) {
            return Optional.of(new ResourceArn(arn, Kind.DYNAMODB_TABLE, m.group(1), m.group(2), m.group(3)));
        }
        m = ANY.matcher(arn);
        if (m.matches()) {
            String resource = m.group(3);
            String name = resource.substring(Math.max(resource.lastIndexOf('/'), resource.lastIndexOf(':')) + 1);
            return Optional.of(new ResourceArn(arn, Kind.OTHER, m.group(1), m.group(2), name));
        }
        return Optional.empty();
    }

    public static ResourceArn of(String arn) {
        return parse(arn).orElseThrow(() -> new IllegalArgumentException(arn + " is not an ARN"));
    }

    /** Whether the native engine can snapshot it. */
    public boolean nativelySupported() {
        return kind != Kind.OTHER;
    }
}
