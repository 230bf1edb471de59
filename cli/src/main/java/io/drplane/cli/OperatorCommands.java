package io.drplane.cli;

import io.drplane.coordinator.view.ApiJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drplane status|approve|abort|switchover|failback|drill}: the coordinator's HTTP API from a terminal. Changes need an
 * operate token ({@code --token} or {@code DRPLANE_API_TOKEN}); the coordinator records them as operator events.
 */
final class OperatorCommands {

    private OperatorCommands() {}

    /** What every API command shares: where the coordinator is, and the token. */
    static class Api {
        @Option(
                names = "--url",
                defaultValue = "${env:DRPLANE_COORDINATOR_URL:-http://127.0.0.1:8086}",
                description = "the coordinator's HTTP address (default: ${DEFAULT-VALUE})")
        String url;

        @Option(
                names = "--token",
                defaultValue = "${env:DRPLANE_API_TOKEN}",
                description = "bearer token (default: $DRPLANE_API_TOKEN)")
        String token;

        int call(CommandLine.Model.CommandSpec spec, String method, String path, String body) {
            return call(spec, method, path, body, answer -> answer);
        }

        /**
         * Sends the request; a 2xx answer goes to standard output through {@code view}, any other, as the coordinator
         * gave it, to standard error. Exit code 0 or 1.
         */
        int call(
                CommandLine.Model.CommandSpec spec,
                String method,
                String path,
                String body,
                UnaryOperator<String> view) {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(url).resolve(path)).timeout(Duration.ofSeconds(15));
            if (token != null && !token.isBlank()) {
                request.header("Authorization", "Bearer " + token);
            }
            request = body == null
                    ? request.GET()
                    : request.header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body));
            try {
                HttpResponse<String> response =
                        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
                boolean ok = response.statusCode() < 300;
                if (ok) {
                    out.print(view.apply(response.body()));
                    out.println();
                } else {
                    err.println(response.body());
                }
                out.flush();
                err.flush();
                return ok ? 0 : 1;
            } catch (IOException e) {
                err.println("cannot reach the coordinator at " + url + ": " + e.getMessage());
                err.flush();
                return 1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 1;
            }
        }
    }

    static String json(String... pairs) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                continue;
            }
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"')
                    .append(pairs[i])
                    .append("\":\"")
                    .append(pairs[i + 1].replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return json.append('}').toString();
    }

    @Command(
            name = "status",
            description = "Show groups: regions by quorum, analysis, failover in progress, recent decisions.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Mixin
        Api api = new Api();

        @Parameters(index = "0", arity = "0..1", paramLabel = "GROUP", description = "one group in detail")
        String group;

        @Option(names = "--json", description = "print the API's JSON, for scripts")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            return api.call(
                    spec,
                    "GET",
                    group == null ? "/groups" : "/groups/" + group,
                    null,
                    body -> json ? body : readable(body));
        }

        private String readable(String body) {
            try {
                return (group == null ? StatusView.groups(ApiJson.groups(body)) : StatusView.group(ApiJson.group(body)))
                        .stripTrailing();
            } catch (IllegalArgumentException e) {
                return body; // not the API's JSON: shown as it came
            }
        }
    }

    /** A change to one group: the group, an optional comment, and where the API is. */
    abstract static class GroupChange implements Callable<Integer> {
        @CommandLine.Mixin
        Api api = new Api();

        @Parameters(index = "0", paramLabel = "GROUP")
        String group;

        @Option(names = "--comment", description = "why, for the record")
        String comment;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract String action();

        String body() {
            return json("comment", comment);
        }

        @Override
        public Integer call() {
            return api.call(spec, "POST", "/groups/" + group + "/" + action(), body());
        }
    }

    /** A change that moves a group to a region. */
    abstract static class RegionChange extends GroupChange {
        @Option(names = "--to", required = true, description = "the target region")
        String region;

        @Override
        String body() {
            return json("targetRegion", region, "comment", comment);
        }
    }

    @Command(
            name = "approve",
            description = "Approve the failover a group holds now, past the reason it is held for (approval mode, or a"
                    + " refusal a person may override); the approval holds for the plan's approvalExpiry.")
    static final class Approve extends GroupChange {
        @Option(
                names = "--failover-id",
                description = "the failover you mean (as `drplane status GROUP` shows it); refused if another is held")
        String failoverId;

        @Override
        String action() {
            return "approve";
        }

        @Override
        String body() {
            return json("failoverId", failoverId, "comment", comment);
        }
    }

    @Command(name = "abort", description = "Abort the failover in progress for a group.")
    static final class Abort extends GroupChange {
        @Override
        String action() {
            return "abort";
        }
    }

    @Command(
            name = "switchover",
            description = "Planned switchover to another region: waits for zero lag, then runs the runbook.")
    static final class Switchover extends RegionChange {
        @Override
        String action() {
            return "switchover";
        }
    }

    @Command(
            name = "failback",
            description = "Planned switchover back to the plan's primary region: it starts once that region replicates"
                    + " again (re-protect) and the lag is zero, so nothing is lost.")
    static final class Failback extends GroupChange {
        @Override
        String action() {
            return "failback";
        }
    }

    @Command(
            name = "drill",
            description = "Drill: decide and run the failover to a region with dry-run commands; nothing changes.")
    static final class Drill extends RegionChange {
        @Override
        String action() {
            return "drill";
        }
    }
}
