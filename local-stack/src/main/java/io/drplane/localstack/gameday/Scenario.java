package io.drplane.localstack.gameday;

import io.drplane.plan.WireName;
import java.util.Arrays;

/** The failures a game day can inject, and what a correct control plane does about each. */
public enum Scenario {
    INSTANCE_STOPPED(
            "one web instance of the primary stops; the load balancer's other instances carry on", Expect.NO_FAILOVER),
    APP_STOPPED("the application fails on every instance of the primary (HTTP 500)", Expect.FAILOVER),
    REGION_OUTAGE("the whole primary region goes dark (connections refused)", Expect.FAILOVER),
    OBSERVER_PARTITION("one vantage point loses the primary region while the others still see it", Expect.NO_FAILOVER),
    FLAPPING("the primary's health flips every second", Expect.AT_MOST_ONE_FAILOVER),
    LAG_SPIKE("the replica falls more than a minute behind, then the primary's application fails", Expect.HELD),
    APPROVAL(
            "the primary's application fails in a group that needs a person's approval; the game day approves",
            Expect.FAILOVER),
    BACKUP_MISSED(
            "AWS throttles every call of the backup scheduler until the next run's start window closes",
            Expect.BACKUP_MISSED),
    RESTORE_TEST("the next scheduled restore test restores the newest copy in the DR region", Expect.RESTORE_TESTED),
    FAILBACK(
            "the plan's primary region goes dark and the group fails over; the region comes back, is re-protected, and"
                    + " a person fails back to it",
            Expect.FAILED_BACK);

    /** What should happen. */
    public enum Expect {
        FAILOVER("a failover that completes"),
        NO_FAILOVER("no failover"),
        AT_MOST_ONE_FAILOVER("at most one failover, no thrash"),
        HELD("the failover held with its reason"),
        BACKUP_MISSED("the run reported missed, the RPO breached and the on-call told; the RPO met again once AWS"
                + " answers"),
        RESTORE_TESTED("a restore test that passes within the RTO"),
        FAILED_BACK("back on the plan's primary, re-protected both ways, re-protect within "
                + FailbackGameDay.REPROTECT_GOAL_SECONDS + " s and a failback RPO of 0");

        private final String text;

        Expect(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    private final String description;
    private final Expect expect;

    Scenario(String description, Expect expect) {
        this.description = description;
        this.expect = expect;
    }

    public String description() {
        return description;
    }

    public Expect expect() {
        return expect;
    }

    /** A game day about backups (followed on the backup topic), not about a failover. */
    public boolean backup() {
        return expect == Expect.BACKUP_MISSED || expect == Expect.RESTORE_TESTED;
    }

    /** The name on the command line: {@code region-outage}. */
    public String cliName() {
        return WireName.of(this);
    }

    public static Scenario fromCli(String name) {
        for (Scenario s : values()) {
            if (s.cliName().equals(name) || s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no scenario '" + name + "'; scenarios: "
                + String.join(
                        ", ", Arrays.stream(values()).map(Scenario::cliName).toList()));
    }
}
