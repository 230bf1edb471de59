package io.drplane.localstack.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.drplane.plan.Group;
import io.drplane.plan.Plan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The application drplane protects, simulated on this machine: a web tier per region of the plan
 * ({@link SimulatedRegion}), the database's replication lag ({@link LagFeed}), and a control API that game days
 * (and people, with curl) use to break things:
 * <pre>
 * GET  /sim                                          the state of everything
 * POST /sim/regions/{region}/dark?on=true|false      the whole region goes dark, or comes back
 * POST /sim/regions/{region}/instances/{n}?mode=M    one instance: OK, STOPPED, FAILING, HANGING, SLOW
 * POST /sim/regions/{region}/instances?mode=M        every instance of the region
 * POST /sim/regions/{region}/cut-off/{vantage}?on=.. one vantage point loses (or regains) the region
 * POST /sim/links/{link}/lag?seconds=S               the replica's lag (when the database is not real)
 * POST /sim/database/replay?on=true|false            the real replica replays, or stops replaying (its lag grows)
 * POST /sim/aws/backup/throttle?on=true|false        AWS throttles every call of the backup scheduler, or stops
 * POST /sim/regions/reset                            every region healthy again (the database as it is)
 * POST /sim/reset                                    everything healthy, replay on, lag 0, AWS not throttled
 * </pre>
 */
public final class SimulatedApp implements AutoCloseable {

    public static final int INSTANCES_PER_REGION = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, SimulatedRegion> regions = new LinkedHashMap<>();
    private final LagFeed lag;
    private final ReplicatedDatabase database;
    private final DatabaseMirror mirror;
    private final HttpServer control;
    private final AwsFaultProxy backupAws;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "sim-lag-feed");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param realDatabase a real PostgreSQL pair (when installed) behind the lag, rather than a number
     * @param primaries    each group's primary region as the emulator was seeded (the plan's, unless the coordinator
     *                     last knew another)
     */
    public SimulatedApp(
            Plan plan, URI awsEndpoint, int controlPort, boolean realDatabase, Map<String, String> primaries) {
        for (String region : plan.regions()) {
            regions.put(region, new SimulatedRegion(region, INSTANCES_PER_REGION));
        }
        // the real database stands for one group's RDS instances, as the emulator holds them after seeding
        Group mirroredGroup = DatabaseMirror.mirrored(plan.groups()).orElse(null);
        if (realDatabase) {
            List<String> regionNames = List.copyOf(plan.regions());
            String writer = mirroredGroup == null
                    ? regionNames.get(0)
                    : primaries.getOrDefault(
                            mirroredGroup.id(), mirroredGroup.primary().name());
            String reader = mirroredGroup == null
                    ? regionNames.get(regionNames.size() > 1 ? 1 : 0)
                    : mirroredGroup.regions().stream()
                            .filter(r -> r.database() != null && !r.name().equals(writer))
                            .findFirst()
                            .orElseThrow()
                            .name();
            this.database = new ReplicatedDatabase(writer, reader);
        } else {
            this.database = null;
        }
        this.mirror = database != null && mirroredGroup != null
                ? new DatabaseMirror(mirroredGroup, awsEndpoint, database)
                : null;
        this.lag = new LagFeed(plan, awsEndpoint, database, mirroredGroup == null ? null : mirroredGroup.id());
        this.backupAws = new AwsFaultProxy(awsEndpoint);
        try {
            control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), controlPort), 16);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(
                    "cannot listen on 127.0.0.1:" + controlPort + " for the simulation's control API", e);
        }
        control.createContext("/sim", this::handle);
        control.start();
        timer.scheduleAtFixedRate(lag::publish, 0, 5, TimeUnit.SECONDS);
    }

    public SimulatedRegion region(String name) {
        SimulatedRegion region = regions.get(name);
        if (region == null) {
            throw new IllegalArgumentException("no simulated region '" + name + "'; regions: " + regions.keySet());
        }
        return region;
    }

    public LagFeed lag() {
        return lag;
    }

    /** What the database is, in one line for the start-up output. */
    public String database() {
        return database != null
                ? database.describe() + " (lag measured on the replica, as RDS measures ReplicaLag)"
                : "simulated: no real database, its lag is a number (0 s, or what a game day sets)";
    }

    /** Where a restored copy of the simulated primary answers ({@code host:port}), when the database is real. */
    public Optional<String> restoredDatabaseAddress() {
        return database == null ? Optional.empty() : Optional.of(database.restoredAddress());
    }

    /** Where the backup scheduler reaches AWS: the emulator, through a proxy a game day can make throttle. */
    public URI backupAwsEndpoint() {
        return backupAws.endpoint();
    }

    public URI controlUrl() {
        return URI.create("http://127.0.0.1:" + control.getAddress().getPort() + "/sim");
    }

    public void reset() {
        healRegions();
        backupAws.throttle(false);
        if (database != null) {
            database.replay(true);
        } else {
            lag.links().forEach(l -> lag.lag(l, 0));
        }
    }

    /** Every region lit, every instance OK, every vantage point connected; the database and its lag untouched. */
    public void healRegions() {
        regions.values().forEach(r -> {
            r.dark(false);
            r.allInstances(InstanceMode.OK);
            r.cutOff().forEach(v -> r.cutOff(v, false));
        });
    }

    public Map<String, Object> state() {
        Map<String, Object> state = new LinkedHashMap<>();
        Map<String, Object> byRegion = new LinkedHashMap<>();
        regions.forEach((name, r) -> byRegion.put(
                name,
                Map.of(
                        "front",
                        r.url("/").toString(),
                        "dark",
                        r.dark(),
                        "instances",
                        r.modes().stream().map(Enum::name).toList(),
                        "cutOffVantagePoints",
                        List.copyOf(r.cutOff()))));
        state.put("regions", byRegion);
        state.put("database", database != null ? "postgresql" : "simulated");
        if (database != null) {
            state.put("databasePrimaryRegion", database.writerRegion());
            state.put("databaseReplicaRegion", database.replicating() ? database.readerRegion() : "none");
            state.put("replayPaused", database.paused());
            state.put("ordersPlaced", database.orders());
        }
        try {
            state.put("replicaLagSeconds", lag.lags());
        } catch (RuntimeException e) {
            state.put("replicaLagSeconds", "not measurable now: " + e.getMessage());
        }
        state.put("backupAwsThrottled", backupAws.throttling());
        state.put("backupAwsThrottledCalls", backupAws.throttledCalls());
        state.put("lagNotSimulated", lag.unfed());
        return state;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] path =
                    exchange.getRequestURI().getPath().replaceAll("/+$", "").split("/");
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            try {
                if (exchange.getRequestMethod().equals("POST")) {
                    change(path, query);
                } else if (!exchange.getRequestMethod().equals("GET") || path.length != 2) {
                    throw new IllegalArgumentException("unknown: " + exchange.getRequestMethod() + " "
                            + exchange.getRequestURI().getPath());
                }
                answer(exchange, 200, JSON.writeValueAsBytes(state()));
            } catch (IllegalArgumentException e) {
                answer(exchange, 400, JSON.writeValueAsBytes(Map.of("error", e.getMessage())));
            } catch (RuntimeException e) {
                // never a closed connection without an answer: the game day says what the simulation could not do
                answer(exchange, 500, JSON.writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage()))));
            }
        }
    }

    private void change(String[] path, Map<String, String> query) {
        // path[0] is "", path[1] is "sim"
        if (path.length == 3 && path[2].equals("reset")) {
            reset();
        } else if (path.length == 4 && path[2].equals("regions") && path[3].equals("reset")) {
            healRegions();
        } else if (path.length == 5 && path[2].equals("regions") && path[4].equals("dark")) {
            region(path[3]).dark(Boolean.parseBoolean(query.getOrDefault("on", "true")));
        } else if (path.length == 5 && path[2].equals("regions") && path[4].equals("instances")) {
            region(path[3]).allInstances(mode(query));
        } else if (path.length == 6 && path[2].equals("regions") && path[4].equals("instances")) {
            region(path[3]).instance(Integer.parseInt(path[5]), mode(query));
        } else if (path.length == 6 && path[2].equals("regions") && path[4].equals("cut-off")) {
            region(path[3]).cutOff(path[5], Boolean.parseBoolean(query.getOrDefault("on", "true")));
        } else if (path.length == 5
                && path[2].equals("aws")
                && path[3].equals("backup")
                && path[4].equals("throttle")) {
            backupAws.throttle(Boolean.parseBoolean(query.getOrDefault("on", "true")));
        } else if (path.length == 4 && path[2].equals("database") && path[3].equals("replay")) {
            if (database == null) {
                throw new IllegalArgumentException(
                        "the database is simulated (PostgreSQL is not installed): set a lag with POST /sim/links/{link}/lag");
            }
            database.replay(Boolean.parseBoolean(query.getOrDefault("on", "true")));
        } else if (path.length == 5 && path[2].equals("links") && path[4].equals("lag")) {
            lag.lag(path[3], Double.parseDouble(query.getOrDefault("seconds", "0")));
            lag.publish();
        } else {
            throw new IllegalArgumentException("unknown change: POST " + String.join("/", path));
        }
    }

    private static InstanceMode mode(Map<String, String> query) {
        String mode = query.get("mode");
        try {
            return InstanceMode.valueOf(String.valueOf(mode).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mode=" + mode + " is not one of " + List.of(InstanceMode.values()));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(
                        eq < 0 ? pair : pair.substring(0, eq),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (control != null) {
            control.stop(0);
        }
        regions.values().forEach(SimulatedRegion::close);
        lag.close();
        if (backupAws != null) {
            backupAws.close();
        }
        if (mirror != null) {
            mirror.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
