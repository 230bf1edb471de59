package io.drplane.executor.action;

import io.drplane.aws.Attempts;
import io.drplane.aws.AwsCallException;
import io.drplane.aws.AwsCalls;
import io.drplane.events.Command;
import io.drplane.events.CommandFailed;
import io.drplane.events.CommandResult;
import io.drplane.events.CommandSucceeded;
import io.drplane.events.CreateReplica;
import io.drplane.events.EventType;
import io.drplane.events.FailoverGlobalCluster;
import io.drplane.events.FenceDatabase;
import io.drplane.events.PromoteReplica;
import io.drplane.events.Reason;
import io.drplane.events.ReasonCode;
import io.drplane.events.SetCapacity;
import io.drplane.events.SnapshotDatabase;
import io.drplane.events.SwitchDns;
import io.drplane.events.Verify;
import io.drplane.executor.aws.AwsClients;
import io.drplane.plan.Dns;
import io.drplane.plan.Plan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out one command in one region and says how it went, as the {@code command.succeeded} or
 * {@code command.failed} to publish. Plain code with no Kafka in it: the executor service and the break-glass
 * {@code drplane failover --direct} both use it.
 */
public final class CommandRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CommandRunner.class);

    private final String region;
    private final Plan plan;
    private final boolean dryRunAlways;
    private final Clock clock;
    private final DatabasePromoter databases;
    private final CapacityScaler capacity;
    private final DnsSwitcher dns;
    private final EndStateVerifier verifier;
    private final DatabaseReprotector reprotector;

    /**
     * @param dryRunAlways dry run for every command whatever it says (an executor started in dry-run mode)
     * @param pollInterval how often waits for an end state look again
     */
    public CommandRunner(
            AwsClients clients, AwsCalls calls, Plan plan, boolean dryRunAlways, Duration pollInterval, Clock clock) {
        this.region = clients.region();
        this.plan = plan;
        this.dryRunAlways = dryRunAlways;
        this.clock = clock;
        Waiting waiting = new Waiting(pollInterval);
        this.databases = new DatabasePromoter(clients.rds(), calls, waiting);
        this.capacity = new CapacityScaler(clients.autoScaling(), calls, waiting);
        this.dns = new DnsSwitcher(clients.route53(), calls, waiting);
        this.verifier = new EndStateVerifier(databases, capacity, dns);
        this.reprotector = new DatabaseReprotector(clients.rds(), clients.sts(), calls, waiting, databases);
    }

    public String region() {
        return region;
    }

    public CommandResult run(Command command) {
        Instant started = clock.instant();
        boolean dryRun = dryRunAlways || command.dryRun();
        Attempts attempts = new Attempts();
        CommandContext context = new CommandContext(
                dryRun, attempts, started.plusMillis(Math.max(1_000, command.timeoutMillis())), clock);
        EventType type = EventType.of(command.getClass());
        try {
            Outcome outcome = carryOut(command, type, context);
            Instant finished = clock.instant();
            Reason reason =
                    switch (outcome.kind()) {
                        case ALREADY_IN_DESIRED_STATE -> Reason.of(
                                ReasonCode.ALREADY_IN_DESIRED_STATE, outcome.summary());
                        case WOULD_CHANGE -> Reason.of(
                                ReasonCode.DRY_RUN, "Dry run, nothing was changed. " + outcome.summary());
                        case CHANGED, VERIFIED -> Reason.of(ReasonCode.STEP_SUCCEEDED, outcome.summary());
                    };
            LOG.info(
                    "{} {} for {} in {}: {}",
                    type.typeName(),
                    command.commandId(),
                    command.group(),
                    region,
                    reason.message());
            return new CommandSucceeded(
                    command.group(),
                    command.commandId(),
                    command.failoverId(),
                    region,
                    command.epoch(),
                    type,
                    started,
                    finished,
                    Duration.between(started, finished).toMillis(),
                    attempts.reported(),
                    dryRun,
                    reason,
                    outcome.asMap());
        } catch (AwsCallException e) {
            ReasonCode code = e.timedOut() ? ReasonCode.STEP_TIMED_OUT : ReasonCode.AWS_ERROR;
            return failed(
                    command,
                    type,
                    started,
                    attempts,
                    e.errorCode(),
                    e.getMessage(),
                    e.requestId(),
                    e.retryable(),
                    code);
        } catch (StepFailedException e) {
            return failed(
                    command,
                    type,
                    started,
                    attempts,
                    e.errorCode(),
                    e.getMessage(),
                    null,
                    e.retryable(),
                    ReasonCode.STEP_FAILED);
        } catch (RuntimeException e) {
            LOG.error("{} {} for {} failed unexpectedly", type.typeName(), command.commandId(), command.group(), e);
            return failed(
                    command,
                    type,
                    started,
                    attempts,
                    "InternalError",
                    e.getClass().getSimpleName() + ": " + e.getMessage(),
                    null,
                    false,
                    ReasonCode.STEP_FAILED);
        }
    }

    private Outcome carryOut(Command command, EventType type, CommandContext context) {
        if (command instanceof PromoteReplica promote) {
            return databases.promote(promote, context);
        } else if (command instanceof FailoverGlobalCluster global) {
            return databases.failOverGlobal(global, context);
        } else if (command instanceof SetCapacity scale) {
            return capacity.scale(scale, context);
        } else if (command instanceof SwitchDns switchDns) {
            return dns.switchTo(switchDns, context);
        } else if (command instanceof Verify verify) {
            // a group without DNS verifies its database and capacity; a DNS check then says the plan has no dns
            Dns groupDns = plan.group(command.group()).map(g -> g.dns()).orElse(null);
            return verifier.verify(
                    verify,
                    groupDns == null ? null : groupDns.hostedZoneId(),
                    groupDns == null ? null : groupDns.recordName(),
                    context);
        } else if (command instanceof SnapshotDatabase snapshot) {
            return reprotector.snapshot(snapshot, context);
        } else if (command instanceof FenceDatabase fence) {
            return reprotector.fence(fence, context);
        } else if (command instanceof CreateReplica create) {
            return reprotector.createReplica(create, context);
        }
        throw new StepFailedException("UnknownCommand", "no handler for " + type.typeName(), false);
    }

    private CommandFailed failed(
            Command command,
            EventType type,
            Instant started,
            Attempts attempts,
            String errorCode,
            String message,
            String requestId,
            boolean retryable,
            ReasonCode code) {
        Instant finished = clock.instant();
        String sentence = type.typeName() + " failed in " + region + " after " + attempts.reported() + " attempt(s): "
                + errorCode + ": " + message + (message.endsWith(".") ? "" : ".");
        LOG.warn("{} {} for {}: {}", type.typeName(), command.commandId(), command.group(), sentence);
        return new CommandFailed(
                command.group(),
                command.commandId(),
                command.failoverId(),
                region,
                command.epoch(),
                type,
                started,
                finished,
                Duration.between(started, finished).toMillis(),
                attempts.reported(),
                errorCode,
                message,
                requestId,
                retryable,
                Reason.of(code, sentence));
    }
}
