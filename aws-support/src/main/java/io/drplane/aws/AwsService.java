package io.drplane.aws;

/** The AWS services drplane calls; each has its own circuit breaker and rate limiter. */
public enum AwsService {
    RDS("rds"),
    AUTO_SCALING("autoscaling"),
    ROUTE53("route53"),
    EC2("ec2"),
    DYNAMODB("dynamodb"),
    BACKUP("backup"),
    /** GetCallerIdentity only: the account an ARN of another region's resource is in. */
    STS("sts");

    private final String iamPrefix;

    AwsService(String iamPrefix) {
        this.iamPrefix = iamPrefix;
    }

    /** The service's prefix in IAM actions, for example {@code rds} in {@code rds:PromoteReadReplica}. */
    public String iamPrefix() {
        return iamPrefix;
    }
}
