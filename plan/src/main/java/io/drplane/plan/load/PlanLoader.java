package io.drplane.plan.load;

import io.drplane.plan.AliasTarget;
import io.drplane.plan.BackupPlan;
import io.drplane.plan.BackupRule;
import io.drplane.plan.Breaker;
import io.drplane.plan.Capacity;
import io.drplane.plan.Compute;
import io.drplane.plan.CopyAction;
import io.drplane.plan.Database;
import io.drplane.plan.DatabaseEndpoint;
import io.drplane.plan.Dns;
import io.drplane.plan.DnsRecordTarget;
import io.drplane.plan.DurationText;
import io.drplane.plan.FailoverPolicy;
import io.drplane.plan.Group;
import io.drplane.plan.HealthTarget;
import io.drplane.plan.Lifecycle;
import io.drplane.plan.Mode;
import io.drplane.plan.NotificationRoute;
import io.drplane.plan.Objectives;
import io.drplane.plan.Plan;
import io.drplane.plan.Region;
import io.drplane.plan.ReplicationLink;
import io.drplane.plan.RestoreTest;
import io.drplane.plan.RestoreValidation;
import io.drplane.plan.Strategy;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads a plan file into the immutable {@link Plan} and validates it. Every error names the path in the file,
 * the line, the bad value and what is allowed; all errors are collected before failing.
 */
public final class PlanLoader {

    public static final int SUPPORTED_VERSION = 1;
    /** The largest plan accepted, in characters: room for tens of thousands of groups. */
    public static final int PLAN_SIZE_LIMIT = 64 * 1024 * 1024;

    static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final String ID_ALLOWED =
            "expected lower-case letters, digits and '-', starting with a letter or digit, at most 63 characters";
    static final Pattern AWS_REGION = Pattern.compile("[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\\d");
    static final String AWS_REGION_ALLOWED = "expected an AWS region name like us-east-1 or eu-west-2";
    // Route 53 issues ids that start with Z; AWS emulators issue other upper-case ids, and a plan must run on them too.
    private static final Pattern HOSTED_ZONE = Pattern.compile("[A-Z0-9]{2,32}");
    private static final Pattern IAM_ROLE = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");
    /** What the native engine can snapshot: RDS instances and clusters, EBS volumes, DynamoDB tables. */
    private static final Pattern NATIVE_RESOURCE = Pattern.compile(
            "arn:aws[a-z-]*:(rds:[a-z0-9-]+:\\d{12}:(db|cluster):.+"
                    + "|ec2:[a-z0-9-]+:\\d{12}:volume/vol-[0-9a-f]+|dynamodb:[a-z0-9-]+:\\d{12}:table/[a-zA-Z0-9_.-]{3,255})");

    private static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:\\d{0,12}:.+");
    private static final Pattern EVENT_PATTERN = Pattern.compile("\\*|[a-z-]+\\.(\\*|[a-z-]+)");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern STATUS_RANGE = Pattern.compile("([1-5]\\d\\d)(?:-([1-5]\\d\\d))?");
    private static final Set<String> HTTP_METHODS = Set.of("GET", "HEAD", "POST", "OPTIONS");
    private static final Set<String> RECORD_TYPES = Set.of("A", "AAAA", "CNAME");

    private PlanLoader() {}

    public static Plan load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(reader, file.toString());
        } catch (NoSuchFileException e) {
            throw new PlanException(
                    file.toString(),
                    List.of(
                            new PlanError(
                                    "",
                                    0,
                                    file.toString(),
                                    "the plan file does not exist; give the path of a YAML plan (see examples/two-region-shop.yml)")));
        } catch (IOException e) {
            throw new PlanException(
                    file.toString(),
                    List.of(new PlanError("", 0, file.toString(), "the plan file cannot be read: " + e.getMessage())));
        }
    }

    public static Plan parse(String yaml, String sourceName) {
        return parse(new StringReader(yaml), sourceName);
    }

    private static Plan parse(Reader reader, String sourceName) {
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported by YamlMap with the path, with every other error
            options.setCodePointLimit(PLAN_SIZE_LIMIT); // SnakeYAML's 3 MB default is about 6,000 groups
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new PlanException(
                    sourceName,
                    List.of(new PlanError("", line, null, "the file is not valid YAML: " + e.getProblem())));
        } catch (YAMLException e) {
            throw new PlanException(
                    sourceName, List.of(new PlanError("", 0, null, "the file is not valid YAML: " + e.getMessage())));
        }
        Errors errors = new Errors();
        if (root == null) {
            errors.add("", null, null, "the plan is empty; it needs 'version', 'vantagePoints' and 'groups'");
            throw new PlanException(sourceName, errors.list());
        }
        Plan plan = readPlan(root, errors);
        if (!errors.isEmpty()) {
            throw new PlanException(sourceName, errors.list());
        }
        return plan;
    }

    private static Plan readPlan(Node root, Errors errors) {
        YamlMap map = YamlMap.of("", root, errors);
        if (map == null) {
            return null;
        }
        Integer version = map.integer("version", null, SUPPORTED_VERSION, SUPPORTED_VERSION);
        List<String> vantagePoints = map.strings("vantagePoints", true);
        unique(map, "vantagePoints", vantagePoints, "each vantage point once");
        for (int i = 0; i < vantagePoints.size(); i++) {
            if (!ID.matcher(vantagePoints.get(i)).matches()) {
                errors.add("vantagePoints[" + i + "]", map.node(), vantagePoints.get(i), ID_ALLOWED);
            }
        }
        List<Group> groups = map.list("groups", true, (g, i) -> readGroup(g, vantagePoints.size()));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < groups.size(); i++) {
            if (!ids.add(groups.get(i).id())) {
                errors.add(
                        "groups[" + i + "].id", map.node(), groups.get(i).id(), "group ids must be unique in the plan");
            }
        }
        map.finish();
        return new Plan(version == null ? 0 : version, vantagePoints, groups);
    }

    private static Group readGroup(YamlMap g, int vantageCount) {
        String id = g.matching("id", true, ID, ID_ALLOWED);
        String description = g.string("description", false);
        Strategy strategy = g.enumValue("strategy", Strategy.class, null);
        Mode mode = g.enumValue("mode", Mode.class, Mode.APPROVAL);
        Objectives objectives = g.object(
                "objectives",
                true,
                o -> new Objectives(
                        o.duration("rto", null, Duration.ofSeconds(1), Duration.ofDays(7)),
                        o.duration("rpo", null, Duration.ZERO, Duration.ofDays(7))));
        List<Region> regions = g.list("regions", true, (r, i) -> readRegion(r));
        checkRegions(g, strategy, regions);
        Set<String> regionNames = new HashSet<>();
        regions.forEach(r -> regionNames.add(r.name()));

        Duration rpo = objectives == null || objectives.rpo() == null ? Duration.ofMinutes(1) : objectives.rpo();
        List<ReplicationLink> replication = g.list("replication", false, (l, i) -> readLink(l, regionNames, rpo));
        unique(
                g,
                "replication",
                replication.stream().map(ReplicationLink::name).toList(),
                "link names must be unique in the group");

        Dns dns = g.object("dns", false, PlanLoader::readDns);
        if (dns != null) {
            for (int i = 0; i < regions.size(); i++) {
                if (regions.get(i).dnsRecord() == null) {
                    g.errors()
                            .add(
                                    g.child("regions[" + i + "].dnsRecord"),
                                    g.node(),
                                    null,
                                    "every region needs a dnsRecord when the group has 'dns'");
                }
            }
            if (dns.routing() == Dns.Routing.FAILOVER && regions.size() != 2) {
                g.error(
                        "dns",
                        "routing: failover",
                        "Route 53 failover routing has exactly one primary and one secondary record: "
                                + "use two regions, or routing: weighted");
            }
        }
        String defaultBackupRegion = regions.stream()
                .filter(r -> r.role() == Region.Role.PRIMARY)
                .map(Region::name)
                .findFirst()
                .orElse(regions.isEmpty() ? null : regions.get(0).name());
        BackupPlan backup = g.object("backup", false, b -> readBackup(b, regions, defaultBackupRegion, rpo, strategy));
        if (strategy == Strategy.BACKUP_AND_RESTORE && backup == null) {
            g.error(
                    "backup",
                    null,
                    "a backup-and-restore group needs a 'backup' plan: its recovery points are what it restores");
        }
        FailoverPolicy failover = g.has("failover")
                ? g.object("failover", false, f -> readFailover(f, vantageCount))
                : defaultFailoverPolicy(g);
        List<NotificationRoute> notifications = g.list("notifications", false, (n, i) -> readRoute(n));
        unique(
                g,
                "notifications",
                notifications.stream().map(NotificationRoute::name).toList(),
                "route names must be unique in the group");
        checkEscalations(g, notifications);
        if (id == null
                || strategy == null
                || objectives == null
                || objectives.rto() == null
                || objectives.rpo() == null
                || failover == null) {
            return null;
        }
        return new Group(
                id,
                description == null ? "" : description,
                strategy,
                mode,
                objectives,
                regions,
                replication,
                dns,
                backup,
                failover,
                notifications);
    }

    private static void checkEscalations(YamlMap g, List<NotificationRoute> routes) {
        Set<String> names = new HashSet<>();
        routes.forEach(r -> names.add(r.name()));
        for (int i = 0; i < routes.size(); i++) {
            NotificationRoute route = routes.get(i);
            if (route.escalation() != null
                    && (!names.contains(route.escalation().route())
                            || route.escalation().route().equals(route.name()))) {
                g.error(
                        "notifications[" + i + "].escalateTo",
                        route.escalation().route(),
                        "the name of another route of this group: " + names);
            }
        }
    }

    private static void checkRegions(YamlMap g, Strategy strategy, List<Region> regions) {
        unique(g, "regions", regions.stream().map(Region::name).toList(), "each region once per group");
        if (regions.size() < 2) {
            g.error(
                    "regions",
                    regions.size() + " region(s)",
                    "a group needs at least two regions: a primary and somewhere to fail over to");
        }
        long primaries =
                regions.stream().filter(r -> r.role() == Region.Role.PRIMARY).count();
        long actives =
                regions.stream().filter(r -> r.role() == Region.Role.ACTIVE).count();
        if (strategy == Strategy.MULTI_SITE) {
            if (actives != regions.size()) {
                g.error("regions", null, "in a multi-site group every region has role: active");
            }
        } else if (strategy != null) {
            if (primaries != 1 || actives > 0) {
                g.error(
                        "regions",
                        primaries + " primary",
                        "exactly one region has role: primary, the others role: standby");
            }
        }
        for (int i = 0; i < regions.size(); i++) {
            Region region = regions.get(i);
            String targetsPath = g.child("regions[" + i + "].targets");
            boolean targetsHadErrors =
                    g.errors().list().stream().anyMatch(e -> e.path().startsWith(targetsPath));
            if (region.role() != Region.Role.STANDBY && region.targets().isEmpty() && !targetsHadErrors) {
                g.errors()
                        .add(
                                targetsPath,
                                g.node(),
                                null,
                                "a " + YamlMap.wireName(region.role()) + " region needs at least one health target");
            }
        }
    }

    private static Region readRegion(YamlMap r) {
        String name = r.matching("name", true, AWS_REGION, AWS_REGION_ALLOWED);
        Region.Role role = r.enumValue("role", Region.Role.class, null);
        List<HealthTarget> targets = r.list("targets", false, (t, i) -> readTarget(t));
        unique(
                r,
                "targets",
                targets.stream().map(HealthTarget::name).toList(),
                "target names must be unique in a region");
        Database database = r.object("database", false, PlanLoader::readDatabase);
        Compute compute = r.object("compute", false, PlanLoader::readCompute);
        DnsRecordTarget dnsRecord = r.object("dnsRecord", false, PlanLoader::readDnsRecord);
        if (name == null || role == null) {
            return null;
        }
        return new Region(name, role, targets, database, compute, dnsRecord);
    }

    private static HealthTarget readTarget(YamlMap t) {
        String name = t.matching("name", true, ID, ID_ALLOWED);
        HealthTarget.Kind kind = t.enumValue("kind", HealthTarget.Kind.class, null);
        Duration interval =
                t.duration("interval", Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(30));
        if (kind == null) {
            return null;
        }
        URI url = null;
        String method = "GET";
        Map<String, String> headers = Map.of();
        int statusFrom = 200;
        int statusTo = 399;
        String bodyContains = null;
        String bodyRegex = null;
        boolean followRedirects = false;
        String host = null;
        int port = 0;
        Duration connectTimeout = Duration.ofSeconds(4);
        Duration responseTimeout = Duration.ofSeconds(2);
        String healthCheckId = null;
        String alarmName = null;
        String targetGroupArn = null;
        switch (kind) {
            case HTTP, HTTPS -> {
                String scheme = kind == HealthTarget.Kind.HTTP ? "http" : "https";
                url = t.uri("url", true, Set.of(scheme));
                method = t.string("method", false);
                if (method == null) {
                    method = "GET";
                } else if (!HTTP_METHODS.contains(method)) {
                    t.error(
                            "method",
                            method,
                            "expected one of: "
                                    + String.join(
                                            ", ", HTTP_METHODS.stream().sorted().toList()));
                }
                headers = t.stringMap("headers");
                String status = t.matching(
                        "expectStatus", false, STATUS_RANGE, "expected a status code or a range, like 200 or 200-399");
                if (status != null) {
                    var m = STATUS_RANGE.matcher(status);
                    m.matches();
                    statusFrom = Integer.parseInt(m.group(1));
                    statusTo = m.group(2) == null ? statusFrom : Integer.parseInt(m.group(2));
                    if (statusTo < statusFrom) {
                        t.error("expectStatus", status, "the range must go from low to high, like 200-399");
                    }
                }
                bodyContains = t.string("bodyContains", false);
                bodyRegex = t.string("bodyRegex", false);
                if (bodyRegex != null) {
                    try {
                        Pattern.compile(bodyRegex);
                    } catch (PatternSyntaxException e) {
                        t.error("bodyRegex", bodyRegex, "expected a Java regular expression: " + e.getDescription());
                    }
                }
                followRedirects = t.bool("followRedirects", false);
                connectTimeout =
                        t.duration("connectTimeout", connectTimeout, Duration.ofMillis(100), Duration.ofSeconds(30));
                responseTimeout =
                        t.duration("responseTimeout", responseTimeout, Duration.ofMillis(100), Duration.ofSeconds(60));
            }
            case TCP -> {
                host = t.string("host", true);
                Integer p = t.integer("port", null, 1, 65535);
                port = p == null ? 0 : p;
                connectTimeout =
                        t.duration("connectTimeout", connectTimeout, Duration.ofMillis(100), Duration.ofSeconds(30));
            }
            case ROUTE53_HEALTH_CHECK -> healthCheckId = t.matching(
                    "healthCheckId",
                    true,
                    Pattern.compile("[0-9a-f-]{1,64}"),
                    "expected a Route 53 health check id (hex digits and '-')");
            case CLOUDWATCH_ALARM -> alarmName = t.string("alarmName", true);
            case ELB_TARGET_HEALTH -> targetGroupArn = t.matching(
                    "targetGroupArn",
                    true,
                    ARN,
                    "expected a target group ARN, like arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/0123456789abcdef");
        }
        if (name == null || ((kind == HealthTarget.Kind.HTTP || kind == HealthTarget.Kind.HTTPS) && url == null)) {
            return null;
        }
        return new HealthTarget(
                name,
                kind,
                url,
                method,
                headers,
                statusFrom,
                statusTo,
                bodyContains,
                bodyRegex,
                followRedirects,
                host,
                port,
                interval,
                connectTimeout,
                responseTimeout,
                healthCheckId,
                alarmName,
                targetGroupArn);
    }

    private static Database readDatabase(YamlMap d) {
        Database.Kind kind = d.enumValue("kind", Database.Kind.class, null);
        String identifier = d.matching(
                "identifier",
                true,
                Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,62}|arn:aws[a-z-]*:rds:.+"),
                "expected an RDS identifier (letters, digits, '-', starting with a letter) or an RDS ARN");
        String global = null;
        if (kind == Database.Kind.AURORA_GLOBAL) {
            global = d.string("globalClusterIdentifier", true);
        }
        return kind == null || identifier == null ? null : new Database(kind, identifier, global);
    }

    private static Compute readCompute(YamlMap c) {
        String asg = c.string("autoScalingGroup", true);
        Capacity capacity = c.object("failoverCapacity", true, PlanLoader::readCapacity);
        Capacity standby = c.object("standbyCapacity", false, PlanLoader::readCapacity);
        return asg == null || capacity == null ? null : new Compute(asg, capacity, standby);
    }

    private static Capacity readCapacity(YamlMap cap) {
        Integer min = cap.integer("min", null, 0, 10_000);
        Integer desired = cap.integer("desired", null, 0, 10_000);
        Integer max = cap.integer("max", null, 0, 10_000);
        if (min == null || desired == null || max == null) {
            return null;
        }
        if (!(min <= desired && desired <= max)) {
            cap.error("desired", min + " <= " + desired + " <= " + max, "Auto Scaling needs min <= desired <= max");
            return null;
        }
        return new Capacity(min, desired, max);
    }

    private static DnsRecordTarget readDnsRecord(YamlMap d) {
        String setIdentifier = d.string("setIdentifier", true);
        AliasTarget alias = d.object("alias", false, a -> {
            String zone = a.matching(
                    "hostedZoneId",
                    true,
                    HOSTED_ZONE,
                    "expected a Route 53 hosted zone id (upper-case letters and digits), like Z35SXDOTRQ7X7K");
            String name = a.string("dnsName", true);
            boolean evaluate = a.bool("evaluateTargetHealth", true);
            return zone == null || name == null ? null : new AliasTarget(zone, name, evaluate);
        });
        List<String> values = d.strings("values", false);
        if (d.has("alias") == !values.isEmpty()) {
            d.error("values", null, "give either 'alias' or 'values', not both and not neither");
        }
        String healthCheckId = d.string("healthCheckId", false);
        return setIdentifier == null ? null : new DnsRecordTarget(setIdentifier, alias, values, healthCheckId);
    }

    private static Dns readDns(YamlMap d) {
        String zone = d.matching(
                "hostedZoneId",
                true,
                HOSTED_ZONE,
                "expected a Route 53 hosted zone id (upper-case letters and digits), like Z0123456789ABCDEFGHIJ");
        String recordName = d.matching(
                "recordName",
                true,
                Pattern.compile("([a-zA-Z0-9_-]+\\.)+[a-zA-Z]{2,}\\.?"),
                "expected a DNS name, like shop.example.com.");
        String type = d.string("recordType", false);
        if (type == null) {
            type = "A";
        } else if (!RECORD_TYPES.contains(type)) {
            d.error("recordType", type, "expected one of: A, AAAA, CNAME");
        }
        Dns.Routing routing = d.enumValue("routing", Dns.Routing.class, Dns.Routing.FAILOVER);
        Integer ttl = d.integer("ttl", 60, 0, 86_400);
        if (zone == null || recordName == null) {
            return null;
        }
        return new Dns(zone, recordName.endsWith(".") ? recordName : recordName + ".", type, routing, ttl);
    }

    private static ReplicationLink readLink(YamlMap l, Set<String> regions, Duration rpo) {
        String name = l.matching("name", true, ID, ID_ALLOWED);
        if (name != null && name.endsWith(ReplicationLink.REVERSED_SUFFIX)) {
            l.error(
                    "name",
                    name,
                    "a name that does not end in " + ReplicationLink.REVERSED_SUFFIX
                            + " (drplane names the reversed link that re-protect creates so)");
        }
        String from = l.string("from", true);
        String to = l.string("to", true);
        if (from != null && !regions.contains(from)) {
            l.error(
                    "from",
                    from,
                    "expected one of the group's regions: "
                            + String.join(", ", regions.stream().sorted().toList()));
        }
        if (to != null && !regions.contains(to)) {
            l.error(
                    "to",
                    to,
                    "expected one of the group's regions: "
                            + String.join(", ", regions.stream().sorted().toList()));
        }
        if (from != null && from.equals(to)) {
            l.error("to", to, "a link goes from one region to another");
        }
        ReplicationLink.Method method = l.enumValue("method", ReplicationLink.Method.class, null);
        Duration interval = l.duration("interval", Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofMinutes(5));
        Duration maxLag = l.duration("maxLagOnFailover", rpo, Duration.ZERO, Duration.ofDays(7));
        if (method == null) {
            return null;
        }
        DatabaseEndpoint source = null;
        DatabaseEndpoint target = null;
        String sourceResource = null;
        String targetResource = null;
        String ruleId = null;
        String heartbeatSchema = null;
        switch (method) {
            case HEARTBEAT, POSTGRES, MYSQL -> {
                source = l.object("source", true, e -> readEndpoint(e, method));
                target = l.object("target", true, e -> readEndpoint(e, method));
                if (method == ReplicationLink.Method.HEARTBEAT) {
                    heartbeatSchema = l.matching(
                            "heartbeatSchema",
                            false,
                            Pattern.compile("[a-z_][a-z0-9_]{0,62}"),
                            "expected a SQL schema name: lower-case letters, digits and '_'");
                    heartbeatSchema = heartbeatSchema == null ? "drplane" : heartbeatSchema;
                }
            }
            case CLOUDWATCH_RDS_REPLICA_LAG -> targetResource = l.string("targetResource", true);
            case CLOUDWATCH_AURORA_GLOBAL_DB_LAG -> targetResource = l.string("targetResource", true);
            case CLOUDWATCH_DYNAMODB_REPLICATION_LATENCY -> sourceResource = l.string("sourceResource", true);
            case CLOUDWATCH_S3_REPLICATION_LATENCY -> {
                sourceResource = l.string("sourceResource", true);
                targetResource = l.string("targetResource", true);
                ruleId = l.string("ruleId", true);
            }
        }
        if (name == null || from == null || to == null) {
            return null;
        }
        return new ReplicationLink(
                name,
                from,
                to,
                method,
                interval,
                maxLag,
                source,
                target,
                sourceResource,
                targetResource,
                ruleId,
                heartbeatSchema);
    }

    /**
     * How a secret is named in the plan, never written: an environment variable, a file (a mounted secret), an AWS
     * Secrets Manager secret or an SSM SecureString parameter; {@code ${NAME}} is kept as an environment variable.
     */
    private static final Pattern SECRET_REFERENCE =
            Pattern.compile("env:[A-Za-z_][A-Za-z0-9_]*|\\$\\{[A-Za-z_][A-Za-z0-9_]*}"
                    + "|file:/[^\\s]+|secretsmanager:[A-Za-z0-9/_+=.@:-]+|ssm:[A-Za-z0-9/_.-]+");

    private static final String SECRET_REFERENCES =
            "env:NAME, ${NAME}, file:/path, secretsmanager:ID or ssm:/parameter-name";

    /** A secret setting: a reference, or an error that does not repeat the value. */
    private static String secretReference(YamlMap map, String key, boolean required, String what) {
        String value = map.string(key, required);
        if (value != null && !SECRET_REFERENCE.matcher(value).matches()) {
            map.error(
                    key,
                    "(not repeated here)",
                    what + " is a secret and is not written in the plan: give a reference, " + SECRET_REFERENCES);
            return null;
        }
        return value;
    }

    private static DatabaseEndpoint readEndpoint(YamlMap e, ReplicationLink.Method method) {
        String jdbcUrl = e.string("jdbcUrl", true);
        if (jdbcUrl != null) {
            boolean postgres = jdbcUrl.startsWith("jdbc:postgresql://");
            boolean mysql = jdbcUrl.startsWith("jdbc:mysql://") || jdbcUrl.startsWith("jdbc:mariadb://");
            if ((method == ReplicationLink.Method.POSTGRES && !postgres)
                    || (method == ReplicationLink.Method.MYSQL && !mysql)
                    || (method == ReplicationLink.Method.HEARTBEAT && !postgres && !mysql)) {
                e.error(
                        "jdbcUrl",
                        jdbcUrl,
                        "method " + YamlMap.wireName(method) + " needs a "
                                + (method == ReplicationLink.Method.POSTGRES
                                        ? "jdbc:postgresql://"
                                        : method == ReplicationLink.Method.MYSQL
                                                ? "jdbc:mysql:// or jdbc:mariadb://"
                                                : "jdbc:postgresql://, jdbc:mysql:// or jdbc:mariadb://")
                                + " URL");
                jdbcUrl = null;
            } else if (jdbcUrl.toLowerCase(Locale.ROOT).contains("password=")) {
                e.error(
                        "jdbcUrl",
                        "(a URL with a password, not repeated here)",
                        "no password in the URL: put a reference (env:NAME or secretsmanager:ID) in 'password'");
                jdbcUrl = null;
            }
        }
        String username = e.string("username", false);
        String password = e.string("password", false);
        if (password != null && !SECRET_REFERENCE.matcher(password).matches()) {
            e.error(
                    "password",
                    "(not repeated here)",
                    "passwords are not written in the plan: give a reference, " + SECRET_REFERENCES);
            password = null;
        }
        return jdbcUrl == null ? null : new DatabaseEndpoint(jdbcUrl, username, password);
    }

    private static BackupPlan readBackup(
            YamlMap b, List<Region> groupRegions, String defaultRegion, Duration groupRpo, Strategy strategy) {
        Set<String> regions = new HashSet<>();
        groupRegions.forEach(r -> regions.add(r.name()));
        String region = b.string("region", false);
        if (region == null) {
            region = defaultRegion;
        } else if (!regions.contains(region)) {
            b.error(
                    "region",
                    region,
                    "expected one of the group's regions: "
                            + String.join(", ", regions.stream().sorted().toList()));
        }
        String vault = b.matching(
                "vault",
                true,
                Pattern.compile("[a-zA-Z0-9\\-_]{2,50}"),
                "expected a backup vault name: 2 to 50 letters, digits, '-' or '_'");
        List<String> resources = b.strings("resources", true);
        for (int i = 0; i < resources.size(); i++) {
            if (!ARN.matcher(resources.get(i)).matches()) {
                b.errors()
                        .add(
                                b.child("resources[" + i + "]"),
                                b.node(),
                                resources.get(i),
                                "expected the ARN of a resource to back up, like arn:aws:rds:us-east-1:123456789012:db:shop-db");
            }
        }
        BackupPlan.Engine engine = b.enumValue("engine", BackupPlan.Engine.class, BackupPlan.Engine.NATIVE);
        if (engine == BackupPlan.Engine.NATIVE) {
            for (int i = 0; i < resources.size(); i++) {
                String arn = resources.get(i);
                if (ARN.matcher(arn).matches() && !NATIVE_RESOURCE.matcher(arn).matches()) {
                    b.errors()
                            .add(
                                    b.child("resources[" + i + "]"),
                                    b.node(),
                                    arn,
                                    "the native engine backs up an RDS DB instance (arn:aws:rds:REGION:ACCOUNT:db:NAME),"
                                            + " an Aurora cluster (...:cluster:NAME), an EBS volume"
                                            + " (arn:aws:ec2:REGION:ACCOUNT:volume/vol-ID) or a DynamoDB table"
                                            + " (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME); use engine: aws-backup for"
                                            + " other resources");
                }
            }
        }
        String roleAllowed = "the ARN of the IAM role AWS Backup assumes, like"
                + " arn:aws:iam::123456789012:role/service-role/AWSBackupDefaultServiceRole";
        String iamRole = b.matching("iamRole", false, IAM_ROLE, "expected " + roleAllowed);
        if (engine == BackupPlan.Engine.AWS_BACKUP && !b.has("iamRole")) {
            b.error("iamRole", null, "the aws-backup engine needs " + roleAllowed);
        }
        final String backupRegion = region;
        List<BackupRule> rules = b.list("rules", true, (r, i) -> readRule(r, regions, backupRegion, groupRpo, engine));
        unique(b, "rules", rules.stream().map(BackupRule::name).toList(), "rule names must be unique in a backup plan");
        if (strategy == Strategy.BACKUP_AND_RESTORE && backupRegion != null) {
            // a backup-and-restore group restores in its standby region from a copy there (AWS Backup Audit
            // Manager's cross-region copy control); a copy of a rule that cannot meet the group's RPO does not count
            for (Region standby : groupRegions) {
                boolean copied = rules.stream()
                        .filter(rule -> rule.rpo().compareTo(groupRpo) <= 0)
                        .anyMatch(rule ->
                                rule.copyTo().stream().anyMatch(c -> c.region().equals(standby.name())));
                if (!standby.name().equals(backupRegion) && !copied) {
                    b.error(
                            "rules",
                            null,
                            "a backup-and-restore group restores in " + standby.name()
                                    + " from a copy there: give a rule with an RPO within the group's ("
                                    + DurationText.of(groupRpo) + ") a copyTo " + standby.name());
                }
            }
        }
        List<RestoreTest> restoreTests =
                b.list("restoreTests", false, (t, i) -> readRestoreTest(t, rules, backupRegion));
        unique(
                b,
                "restoreTests",
                restoreTests.stream().map(RestoreTest::name).toList(),
                "restore test names must be unique in a backup plan");
        return vault == null || region == null
                ? null
                : new BackupPlan(region, vault, engine, iamRole, resources, rules, restoreTests);
    }

    private static RestoreTest readRestoreTest(YamlMap t, List<BackupRule> rules, String backupRegion) {
        String name = t.matching("name", true, ID, ID_ALLOWED);
        String schedule = t.string("schedule", true);
        if (schedule != null) {
            ScheduleExpressions.problem(schedule).ifPresent(problem -> t.error("schedule", schedule, problem));
        }
        String ruleName = t.string("rule", true);
        BackupRule rule = rules.stream()
                .filter(r -> r.name().equals(ruleName))
                .findFirst()
                .orElse(null);
        if (ruleName != null && rule == null) {
            t.error(
                    "rule",
                    ruleName,
                    "expected one of the plan's backup rules: "
                            + String.join(
                                    ", ", rules.stream().map(BackupRule::name).toList()));
        }
        List<String> where = new ArrayList<>();
        if (backupRegion != null) {
            where.add(backupRegion);
        }
        if (rule != null) {
            rule.copyTo().forEach(c -> where.add(c.region()));
        }
        // by default where a failover would restore: the rule's first copy region
        String fallback = rule == null || rule.copyTo().isEmpty()
                ? backupRegion
                : rule.copyTo().get(0).region();
        String region = t.string("region", false);
        if (region == null) {
            region = fallback;
        } else if (rule != null && !where.contains(region)) {
            t.error(
                    "region",
                    region,
                    "a restore test restores where the rule's recovery points are: " + String.join(", ", where));
        }
        RestoreTest.Pick pick = t.enumValue("recoveryPoint", RestoreTest.Pick.class, RestoreTest.Pick.LATEST);
        Duration window = t.duration("window", Duration.ofDays(7), Duration.ofHours(1), Duration.ofDays(365));
        RestoreValidation validation = t.object("validation", false, PlanLoader::readRestoreValidation);
        if (name == null || schedule == null || rule == null || region == null) {
            return null;
        }
        return new RestoreTest(name, schedule, ruleName, region, pick, window, validation);
    }

    /** A read-only query: SELECT or WITH, one statement, so a restore test can never change what it checks. */
    private static final Pattern READ_ONLY_SQL = Pattern.compile("(?is)\\s*(select|with)\\b[^;]*;?\\s*");

    private static RestoreValidation readRestoreValidation(YamlMap v) {
        String sql = v.matching(
                "sql",
                true,
                READ_ONLY_SQL,
                "one read-only query (SELECT ... or WITH ...), such as SELECT count(*) FROM orders");
        String database = v.matching("database", true, DATABASE_NAME, "a database name: letters, digits and '_'");
        Integer minimum = v.integer("minimum", 1, 0, Integer.MAX_VALUE);
        String username = secretReference(v, "username", true, "the database user");
        String password = secretReference(v, "password", true, "the database password");
        if (sql == null || database == null || username == null || password == null) {
            return null;
        }
        return new RestoreValidation(sql.strip(), database, minimum, username, password);
    }

    private static final Pattern DATABASE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    /**
     * Errors when a rule cannot keep its promise: the schedule's largest gap plus the completion window is the oldest
     * its newest recovery point can get, and that must fit in the rule's RPO; a recovery point must outlive that gap
     * (AWS Backup Audit Manager's frequency and retention controls, checked before anything runs).
     */
    private static void checkRuleCanMeetItsRpo(
            YamlMap r,
            String schedule,
            ZoneId zone,
            Duration completion,
            Duration rpo,
            Lifecycle lifecycle,
            List<CopyAction> copies) {
        Duration gap = ScheduleExpressions.largestGap(schedule, zone).orElse(null);
        if (gap == null || completion == null || rpo == null) {
            return;
        }
        Duration worst = gap.plus(completion);
        if (worst.compareTo(rpo) > 0) {
            r.error(
                    "rpo",
                    DurationText.of(rpo),
                    "the schedule runs at best every " + DurationText.of(gap)
                            + " and a job may take its completion window ("
                            + DurationText.of(completion) + "), so the newest recovery point can be "
                            + DurationText.of(worst) + " old: back up more often, or give the rule an rpo of at least "
                            + DurationText.of(worst) + " (the group's RPO applies when the rule has none)");
        }
        checkRetention(r, "lifecycle", lifecycle, worst);
        for (int i = 0; i < copies.size(); i++) {
            checkRetention(r, "copyTo[" + i + "].lifecycle", copies.get(i).lifecycle(), worst);
        }
    }

    private static void checkRetention(YamlMap r, String key, Lifecycle lifecycle, Duration worst) {
        Integer days = lifecycle == null ? null : lifecycle.deleteAfterDays();
        if (days != null && Duration.ofDays(days).compareTo(worst) <= 0) {
            r.errors()
                    .add(
                            r.child(key + ".deleteAfterDays"),
                            r.node(),
                            Integer.toString(days),
                            "recovery points would be deleted before the next one is sure to exist ("
                                    + DurationText.of(worst) + " apart at worst): keep them longer than that");
        }
    }

    private static BackupRule readRule(
            YamlMap r, Set<String> regions, String backupRegion, Duration groupRpo, BackupPlan.Engine engine) {
        String name = r.matching("name", true, ID, ID_ALLOWED);
        String schedule = r.string("schedule", true);
        boolean scheduleValid = false;
        if (schedule != null) {
            Optional<String> problem = ScheduleExpressions.problem(schedule);
            problem.ifPresent(p -> r.error("schedule", schedule, p));
            scheduleValid = problem.isEmpty();
            if (scheduleValid && engine == BackupPlan.Engine.AWS_BACKUP && schedule.startsWith("rate(")) {
                // AWS Backup's ScheduleExpression takes cron() only; a rate's phase would be drplane's guess
                r.error(
                        "schedule",
                        schedule,
                        "the aws-backup engine takes cron() only (AWS Backup has no rate()): write it as cron, like "
                                + ScheduleExpressions.cronFor(schedule));
                scheduleValid = false;
            }
        }
        ZoneId zone = ZoneOffset.UTC;
        String zoneName = r.string("scheduleTimezone", false);
        if (zoneName != null) {
            try {
                zone = ZoneId.of(zoneName).normalized(); // "UTC" and "Z" alike
            } catch (DateTimeException e) {
                r.error("scheduleTimezone", zoneName, "an IANA time zone, like Europe/Berlin or America/New_York");
            }
        }
        // AWS Backup defaults: start within 8 hours, complete within 7 days; the start window is at least 1 hour.
        Duration start = r.duration("startWindow", Duration.ofHours(8), Duration.ofMinutes(60), Duration.ofDays(35));
        Duration completion =
                r.duration("completionWindow", Duration.ofDays(7), Duration.ofMinutes(120), Duration.ofDays(100));
        if (start != null && completion != null && completion.compareTo(start) <= 0) {
            r.error(
                    "completionWindow",
                    YamlMap.format(completion),
                    "the completion window must be longer than the start window (" + YamlMap.format(start) + ")");
        }
        // a rule without its own rpo promises the group's; an unreadable one is reported once, not checked further
        Duration rpo = r.has("rpo") ? r.duration("rpo", null, Duration.ofMinutes(1), Duration.ofDays(400)) : groupRpo;
        Lifecycle lifecycle = r.has("lifecycle")
                ? r.object("lifecycle", false, PlanLoader::readLifecycle)
                : new Lifecycle(null, null);
        List<CopyAction> copies = r.list("copyTo", false, (c, i) -> {
            String region = c.string("region", true);
            if (region != null && !regions.contains(region)) {
                c.error(
                        "region",
                        region,
                        "expected one of the group's regions: "
                                + String.join(", ", regions.stream().sorted().toList()));
            } else if (region != null && region.equals(backupRegion)) {
                c.error(
                        "region",
                        region,
                        "a cross-region copy goes to another region than the backup's (" + backupRegion + ")");
            }
            String vault = c.string("vault", true);
            Lifecycle copyLifecycle = c.has("lifecycle")
                    ? c.object("lifecycle", false, PlanLoader::readLifecycle)
                    : new Lifecycle(null, null);
            return region == null || vault == null || copyLifecycle == null
                    ? null
                    : new CopyAction(region, vault, copyLifecycle);
        });
        if (scheduleValid) {
            checkRuleCanMeetItsRpo(r, schedule, zone, completion, rpo, lifecycle, copies);
        }
        if (name == null || schedule == null || lifecycle == null || rpo == null) {
            return null;
        }
        return new BackupRule(name, schedule, zone, start, completion, rpo, lifecycle, copies);
    }

    private static Lifecycle readLifecycle(YamlMap l) {
        Integer cold = l.has("moveToColdStorageAfterDays")
                ? l.integer("moveToColdStorageAfterDays", null, 1, 36_500)
                : nothing(l, "moveToColdStorageAfterDays");
        Integer delete = l.has("deleteAfterDays")
                ? l.integer("deleteAfterDays", null, 1, 36_500)
                : nothing(l, "deleteAfterDays");
        if (cold != null && delete != null && delete < cold + 90) {
            l.error(
                    "deleteAfterDays",
                    Integer.toString(delete),
                    "AWS Backup keeps a recovery point in cold storage for at least 90 days: "
                            + "deleteAfterDays must be at least moveToColdStorageAfterDays + 90 = " + (cold + 90)
                            + ", or leave out moveToColdStorageAfterDays");
            return null;
        }
        return new Lifecycle(cold, delete);
    }

    private static Integer nothing(YamlMap map, String key) {
        map.raw(key); // an allowed key that is absent
        return null;
    }

    private static FailoverPolicy defaultFailoverPolicy(YamlMap group) {
        group.raw("failover");
        return new FailoverPolicy(
                null,
                Duration.ofSeconds(15),
                Duration.ofSeconds(30),
                defaultBreaker(),
                Duration.ofMinutes(30),
                1,
                Duration.ofHours(24));
    }

    private static Breaker defaultBreaker() {
        return new Breaker(10, 50, 3, Duration.ofSeconds(30), 2);
    }

    private static FailoverPolicy readFailover(YamlMap f, int vantageCount) {
        Integer quorum = null;
        if (f.has("quorum")) {
            String value = f.string("quorum", true);
            if (value != null && !value.equals("majority")) {
                quorum = f.integer("quorum", null, 1, Math.max(1, vantageCount));
            }
        } else {
            f.raw("quorum");
        }
        if (quorum != null && quorum <= vantageCount / 2) {
            f.error(
                    "quorum",
                    Integer.toString(quorum),
                    "a quorum must be more than half of the " + vantageCount
                            + " vantage points, or two halves of a partition could each decide; use majority or at least "
                            + (vantageCount / 2 + 1));
        }
        Duration staleness =
                f.duration("staleness", Duration.ofSeconds(15), Duration.ofSeconds(1), Duration.ofMinutes(10));
        Duration lagStaleness =
                f.duration("lagStaleness", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofMinutes(30));
        Breaker breaker = f.has("breaker")
                ? f.object(
                        "breaker",
                        false,
                        b -> new Breaker(
                                b.integer("slidingWindow", 10, 1, 1000),
                                b.integer("failureRateThreshold", 50, 1, 100),
                                b.integer("consecutiveFailures", 3, 1, 1000),
                                b.duration(
                                        "openWait", Duration.ofSeconds(30), Duration.ofSeconds(1), Duration.ofHours(1)),
                                b.integer("halfOpenSuccesses", 2, 1, 100)))
                : nothingThen(f, "breaker", defaultBreaker());
        Duration cooldown = f.duration("cooldown", Duration.ofMinutes(30), Duration.ZERO, Duration.ofDays(7));
        Integer maxFailovers = f.integer("maxFailovers", 1, 1, 100);
        Duration window =
                f.duration("failoverWindow", Duration.ofHours(24), Duration.ofMinutes(1), Duration.ofDays(30));
        Duration maxClockSkew = f.duration(
                "maxClockSkew", FailoverPolicy.DEFAULT_MAX_CLOCK_SKEW, Duration.ofMillis(100), Duration.ofMinutes(5));
        if (maxClockSkew != null && staleness != null && maxClockSkew.compareTo(staleness) >= 0) {
            f.error(
                    "maxClockSkew",
                    DurationText.of(maxClockSkew),
                    "the clock skew allowed must be less than the staleness bound (" + staleness.toSeconds()
                            + " s), or an observation from the future would count as fresh after its vantage point"
                            + " went quiet");
        }
        Duration approvalExpiry = f.duration(
                "approvalExpiry", FailoverPolicy.DEFAULT_APPROVAL_EXPIRY, Duration.ofMinutes(1), Duration.ofHours(24));
        return new FailoverPolicy(
                quorum, staleness, lagStaleness, breaker, cooldown, maxFailovers, window, maxClockSkew, approvalExpiry);
    }

    private static <T> T nothingThen(YamlMap map, String key, T value) {
        map.raw(key);
        return value;
    }

    private static NotificationRoute readRoute(YamlMap n) {
        String name = n.matching("name", true, ID, ID_ALLOWED);
        NotificationRoute.Channel channel = n.enumValue("channel", NotificationRoute.Channel.class, null);
        URI url = null;
        String secret = null;
        String topicArn = null;
        List<String> to = List.of();
        if (channel != null) {
            switch (channel) {
                    // A Slack incoming webhook's URL is its credential: anyone who has it can post to the channel.
                case SLACK -> secret = secretReference(n, "url", true, "a Slack incoming webhook URL");
                case WEBHOOK -> {
                    url = n.uri("url", true, Set.of("https", "http"));
                    // optional: the webhook is signed (Standard Webhooks) with this secret
                    secret = n.has("secret") ? secretReference(n, "secret", false, "a webhook signing secret") : null;
                }
                case PAGERDUTY -> secret = secretReference(n, "routingKey", true, "a PagerDuty Events v2 routing key");
                case SNS -> topicArn = n.matching(
                        "topicArn",
                        true,
                        ARN,
                        "expected an SNS topic ARN, like arn:aws:sns:us-east-1:123456789012:dr-alerts");
                case EMAIL -> {
                    to = n.strings("to", true);
                    for (int i = 0; i < to.size(); i++) {
                        if (!EMAIL.matcher(to.get(i)).matches()) {
                            n.errors().add(n.child("to[" + i + "]"), n.node(), to.get(i), "expected an e-mail address");
                        }
                    }
                }
            }
        }
        List<String> events = n.strings("events", false);
        for (int i = 0; i < events.size(); i++) {
            if (!EVENT_PATTERN.matcher(events.get(i)).matches()) {
                n.errors()
                        .add(
                                n.child("events[" + i + "]"),
                                n.node(),
                                events.get(i),
                                "expected an event type without prefix and version, like failover.held, or a family, like failover.*");
            }
        }
        NotificationRoute.Grouping grouping = new NotificationRoute.Grouping(
                n.duration(
                        "groupWait",
                        NotificationRoute.Grouping.DEFAULT.groupWait(),
                        Duration.ZERO,
                        Duration.ofHours(1)),
                n.duration(
                        "groupInterval",
                        NotificationRoute.Grouping.DEFAULT.groupInterval(),
                        Duration.ofSeconds(1),
                        Duration.ofHours(24)),
                n.duration(
                        "repeatInterval",
                        NotificationRoute.Grouping.DEFAULT.repeatInterval(),
                        Duration.ofMinutes(1),
                        Duration.ofDays(7)));
        NotificationRoute.Escalation escalation = null;
        if (n.has("escalateAfter") || n.has("escalateTo")) {
            Duration after = n.duration("escalateAfter", null, Duration.ofSeconds(1), Duration.ofDays(1));
            String escalateTo = n.matching("escalateTo", true, ID, "the name of another route of this group");
            if (after != null && escalateTo != null) { // a missing one is reported by its reader
                escalation = new NotificationRoute.Escalation(after, escalateTo);
            }
        }
        NotificationRoute.WebhookFormat format = n.enumValue(
                "format", NotificationRoute.WebhookFormat.class, NotificationRoute.WebhookFormat.CLOUDEVENTS);
        if (name == null || channel == null) {
            return null;
        }
        return new NotificationRoute(
                name,
                channel,
                url,
                secret,
                topicArn,
                to,
                events.isEmpty() ? List.of("failover.*", "rpo.breached") : events,
                grouping,
                escalation,
                format);
    }

    private static void unique(YamlMap map, String key, List<String> values, String allowed) {
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        for (String value : values) {
            if (value != null && !seen.add(value)) {
                duplicates.add(value);
            }
        }
        for (String duplicate : duplicates) {
            map.error(key, duplicate, allowed);
        }
    }
}
