package io.drplane.cli;

import io.drplane.events.TopicSpec;
import io.drplane.kafka.ServiceAcls;
import io.drplane.kafka.TopicProvisioner;
import io.drplane.plan.Plan;
import io.drplane.plan.load.PlanLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drplane topics apply}: create or update every topic of the plan's regions, idempotently. */
@Command(name = "topics", description = "Manage drplane's Kafka topics.", subcommands = TopicsCommand.Apply.class)
public final class TopicsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "apply",
            description = "Create missing topics, raise low partition counts, fix configs. Safe to run again.")
    static final class Apply implements Callable<Integer> {
        @CommandLine.Mixin
        KafkaOptions kafkaOptions = new KafkaOptions();

        @Option(
                names = {"-p", "--plan"},
                defaultValue = "${env:DRPLANE_PLAN:-examples/two-region-shop.yml}",
                description = "the plan whose regions get command topics (default: ${DEFAULT-VALUE})")
        Path plan;

        @Option(
                names = "--replication-factor",
                description = "replication factor of new topics (default: 3, or the broker count if smaller)")
        Short replicationFactor;

        @Option(
                names = "--principal",
                paramLabel = "SERVICE=PRINCIPAL",
                description = "also grant a service's principal the ACLs it needs and no more, for example"
                        + " failover-coordinator=User:drplane-coordinator or region-executor/us-east-1=User:exec-use1;"
                        + " services: health-monitor, replication-tracker, backup-scheduler, failover-coordinator,"
                        + " region-executor/REGION, notifier, operator. Repeatable; needs an admin principal")
        Map<String, String> principals = new LinkedHashMap<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Plan loaded = PlanLoader.load(plan);
            PrintWriter out = spec.commandLine().getOut();
            try (Admin admin = Admin.create(kafkaOptions.config().admin(30_000))) {
                TopicProvisioner provisioner = new TopicProvisioner(admin);
                short rf = replicationFactor != null ? replicationFactor : provisioner.defaultReplicationFactor();
                TopicProvisioner.Result result = provisioner.apply(TopicSpec.all(loaded.regions()), rf);
                print(out, result);
                List<AclBinding> acls = new ArrayList<>();
                principals.forEach((service, principal) -> {
                    String[] parts = service.split("/", 2);
                    List<AclBinding> granted = ServiceAcls.of(
                            ServiceAcls.Service.of(parts[0]),
                            principal,
                            parts.length > 1 ? parts[1] : null,
                            List.copyOf(loaded.regions()));
                    out.printf("acls       %s (%s): %d%n", principal, service, granted.size());
                    acls.addAll(granted);
                });
                if (!acls.isEmpty()) {
                    admin.createAcls(acls).all().get(30, TimeUnit.SECONDS); // an ACL that exists is left as it is
                    out.printf("%d ACL(s) applied for %d principal(s)%n", acls.size(), principals.size());
                }
            }
            return 0;
        }

        static void print(PrintWriter out, TopicProvisioner.Result result) {
            result.created().forEach(t -> out.println("created    " + t));
            result.partitionsRaised().forEach(t -> out.println("raised     " + t));
            result.configsChanged().forEach(t -> out.println("configured " + t));
            result.warnings().forEach(t -> out.println("warning    " + t));
            out.printf(
                    "%d created, %d raised, %d config change(s), %d unchanged%n",
                    result.created().size(),
                    result.partitionsRaised().size(),
                    result.configsChanged().size(),
                    result.unchanged().size());
            out.flush();
        }
    }
}
