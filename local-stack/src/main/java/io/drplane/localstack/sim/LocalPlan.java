package io.drplane.localstack.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * The plan the local stack's services read: the user's plan with what only exists on a laptop put in. HTTP(S)
 * targets point at the simulated regions' fronts (plain HTTP, probed every second); Route 53 hosted zone and health
 * check ids are the emulator's; targets the emulator cannot answer truthfully are left out (Route 53 health checks:
 * moto reports every one healthy). Every change is listed at the top of the file and returned for the output.
 */
public final class LocalPlan {

    private final List<String> changes = new ArrayList<>();
    private boolean validateRestores;

    /** The local user and password restore tests validate with (references in the plan, values in the scheduler). */
    public static final String DRILL_USER_ENV = "DRPLANE_LOCAL_DRILL_USER";

    public static final String DRILL_PASSWORD_ENV = "DRPLANE_LOCAL_DRILL_PASSWORD";

    /** With a real database: restore tests without a validation get one, a SQL count on the restored copy. */
    public LocalPlan validateRestores(boolean on) {
        this.validateRestores = on;
        return this;
    }

    /**
     * @param fronts    region name to its simulated front
     * @param idsInAws  plan id to emulator id (hosted zones, health checks)
     * @param receivers the local notification receivers' base URL: webhook routes point there (null: unchanged)
     */
    @SuppressWarnings("unchecked")
    public Path write(
            Path userPlan,
            Path output,
            Function<String, SimulatedRegion> fronts,
            Map<String, String> idsInAws,
            URI receivers) {
        Map<String, Object> root;
        try {
            root = new Yaml(new LoaderOptions()).load(Files.readString(userPlan, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Object g : (List<Object>) root.getOrDefault("groups", List.of())) {
            Map<String, Object> group = (Map<String, Object>) g;
            String id = String.valueOf(group.get("id"));
            for (Object r : (List<Object>) group.getOrDefault("regions", List.of())) {
                Map<String, Object> region = (Map<String, Object>) r;
                String name = String.valueOf(region.get("name"));
                Iterator<Object> targets =
                        ((List<Object>) region.getOrDefault("targets", new ArrayList<>())).iterator();
                while (targets.hasNext()) {
                    Map<String, Object> target = (Map<String, Object>) targets.next();
                    String kind = String.valueOf(target.get("kind"));
                    String where = id + "/" + name + "/" + target.get("name");
                    if (kind.equals("http") || kind.equals("https")) {
                        URI original = URI.create(String.valueOf(target.get("url")));
                        URI local = fronts.apply(name)
                                .url(
                                        original.getRawPath() == null
                                                        || original.getRawPath().isEmpty()
                                                ? "/"
                                                : original.getRawPath());
                        target.put("kind", "http");
                        target.put("url", local.toString());
                        target.put("interval", "1s");
                        target.remove("tls");
                        changes.add(where + ": " + original + " -> " + local + " (the simulated " + name
                                + " front), probed every 1s");
                    } else {
                        targets.remove();
                        changes.add(where + ": " + kind + " target left out ("
                                + (kind.equals("route53-health-check")
                                        ? "the emulator reports every Route 53 health check healthy"
                                        : "nothing local answers it")
                                + ")");
                    }
                }
                Map<String, Object> record = (Map<String, Object>) region.get("dnsRecord");
                if (record != null && record.get("healthCheckId") != null) {
                    substitute(record, "healthCheckId", idsInAws, where(id, name, "dnsRecord.healthCheckId"));
                }
            }
            Map<String, Object> backup = (Map<String, Object>) group.get("backup");
            if (backup != null && validateRestores) {
                for (Object t : (List<Object>) backup.getOrDefault("restoreTests", List.of())) {
                    Map<String, Object> test = (Map<String, Object>) t;
                    if (test.get("validation") == null) {
                        Map<String, Object> validation = new java.util.LinkedHashMap<>();
                        validation.put("sql", "SELECT count(*) FROM orders");
                        validation.put("database", ReplicatedDatabase.RESTORED_DATABASE);
                        validation.put("minimum", 1);
                        validation.put("username", "env:" + DRILL_USER_ENV);
                        validation.put("password", "env:" + DRILL_PASSWORD_ENV);
                        test.put("validation", validation);
                        changes.add(id + "/backup/restoreTests/" + test.get("name")
                                + ": validated with SELECT count(*) FROM orders on a dump of the simulated primary,"
                                + " restored every 30 s (moto's restored instances hold no data)");
                    }
                }
            }
            compressFailoverPolicy(id, group);
            Map<String, Object> dns = (Map<String, Object>) group.get("dns");
            if (dns != null) {
                substitute(dns, "hostedZoneId", idsInAws, id + "/dns.hostedZoneId");
            }
            for (Object n : (List<Object>) group.getOrDefault("notifications", List.of())) {
                Map<String, Object> route = (Map<String, Object>) n;
                compressGrouping(id, route);
                if ("webhook".equals(String.valueOf(route.get("channel"))) && receivers != null) {
                    URI local = receivers.resolve("/webhook/" + route.get("name"));
                    changes.add(id + "/notifications/" + route.get("name") + ": " + route.get("url") + " -> " + local
                            + " (the local webhook receiver)");
                    route.put("url", local.toString());
                }
            }
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setIndent(2);
        options.setIndicatorIndent(0);
        StringBuilder text = new StringBuilder("# Written by `drplane up` from ")
                .append(userPlan.toAbsolutePath())
                .append(" for the local stack; do not edit.\n# What differs from it:\n");
        changes.forEach(c -> text.append("#   ").append(c).append('\n'));
        text.append(new Yaml(options).dump(root));
        try {
            Files.createDirectories(output.toAbsolutePath().getParent());
            Files.writeString(output, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return output;
    }

    /**
     * A game day lasts a minute or two: Slack, e-mail and webhook routes wait {@value #LOCAL_GROUP_WAIT} (not 30 s)
     * before their first message and {@value #LOCAL_GROUP_INTERVAL} (not 5 m) between changes, so the page and the
     * resolve show up while one watches.
     */
    private void compressGrouping(String group, Map<String, Object> route) {
        String channel = String.valueOf(route.get("channel"));
        if (!List.of("slack", "email", "webhook").contains(channel)) {
            return;
        }
        Object wait = route.put("groupWait", LOCAL_GROUP_WAIT);
        Object interval = route.put("groupInterval", LOCAL_GROUP_INTERVAL);
        changes.add(group + "/notifications/" + route.get("name") + ": groupWait " + (wait == null ? "30s" : wait)
                + " -> " + LOCAL_GROUP_WAIT + ", groupInterval " + (interval == null ? "5m" : interval) + " -> "
                + LOCAL_GROUP_INTERVAL + " (game-day time)");
    }

    /**
     * Game-day time for the anti-flap guards: a cooldown of {@value #LOCAL_COOLDOWN} (not 30 m) and at least
     * {@value #LOCAL_MAX_FAILOVERS} failovers per {@value #LOCAL_FAILOVER_WINDOW} (not 1 per 24 h), so a failover,
     * re-protect, a failback and another failover fit in a minute or two on one stack. The breakers' hysteresis, which
     * is what holds a flapping region, is the plan's.
     */
    @SuppressWarnings("unchecked")
    private void compressFailoverPolicy(String group, Map<String, Object> root) {
        Map<String, Object> failover = (Map<String, Object>) root.get("failover");
        if (failover == null) {
            failover = new java.util.LinkedHashMap<>();
            root.put("failover", failover);
        }
        Object cooldown = failover.put("cooldown", LOCAL_COOLDOWN);
        Object window = failover.put("failoverWindow", LOCAL_FAILOVER_WINDOW);
        Object max = failover.get("maxFailovers");
        int planned = max instanceof Number n ? n.intValue() : 1;
        failover.put("maxFailovers", Math.max(planned, LOCAL_MAX_FAILOVERS));
        changes.add(group + "/failover: cooldown " + (cooldown == null ? "30m" : cooldown) + " -> " + LOCAL_COOLDOWN
                + ", maxFailovers " + planned + " per failoverWindow " + (window == null ? "24h" : window) + " -> "
                + Math.max(planned, LOCAL_MAX_FAILOVERS) + " per " + LOCAL_FAILOVER_WINDOW
                + " (game-day time: a failover, a failback and another failover within a minute or two)");
    }

    static final String LOCAL_COOLDOWN = "10s";
    static final String LOCAL_FAILOVER_WINDOW = "1m";
    static final int LOCAL_MAX_FAILOVERS = 2;

    static final String LOCAL_GROUP_WAIT = "2s";
    static final String LOCAL_GROUP_INTERVAL = "10s";

    public List<String> changes() {
        return List.copyOf(changes);
    }

    private void substitute(Map<String, Object> map, String key, Map<String, String> ids, String where) {
        String planId = String.valueOf(map.get(key));
        String local = ids.get(planId);
        if (local != null) {
            map.put(key, local);
            changes.add(where + ": " + planId + " -> " + local + " (the emulator's id)");
        }
    }

    private static String where(String group, String region, String what) {
        return group + "/" + region + "/" + what;
    }
}
