package io.drplane.notifier;

/** Plans for the notifier's tests: group {@code shop} with the routes a team on call would have. */
public final class NotifierPlans {

    private NotifierPlans() {}

    /**
     * {@code chat} (Slack, failover.*, rpo.breached, backup.*; escalates critical alerts to {@code pager-escalation}
     * after 10 minutes), {@code pager} (PagerDuty, failover.held and failover.failed), {@code pager-escalation}
     * (PagerDuty, nothing of its own), {@code hook} (webhook, everything) and {@code mail} (e-mail, failover.*); the
     * channels' addresses come from the arguments.
     */
    public static String shop(String webhookUrl, String format, String extraRoutes) {
        return group("shop", webhookUrl, format, "", extraRoutes);
    }

    /** The same for group {@code group}, with {@code grouping} (like {@code groupWait: 1s}) on chat and hook. */
    public static String group(String group, String webhookUrl, String format, String grouping, String extraRoutes) {
        return """
                version: 1
                vantagePoints: [v1, v2, v3]
                groups:
                  - id: %s
                    strategy: pilot-light
                    mode: automatic
                    objectives: { rto: 15m, rpo: 1m }
                    regions:
                      - { name: us-east-1, role: primary, targets: [ { name: web, kind: https, url: "https://use1.example.com/" } ] }
                      - { name: us-west-2, role: standby, targets: [ { name: web, kind: https, url: "https://usw2.example.com/" } ] }
                    notifications:
                      - name: chat
                        channel: slack
                        url: env:NOTIFIER_TEST_SLACK_URL
                        events: [failover.*, rpo.breached, backup.*]
                        escalateAfter: 10m
                        escalateTo: pager-escalation
                        %s
                      - name: pager
                        channel: pagerduty
                        routingKey: env:NOTIFIER_TEST_PD_KEY
                        events: [failover.held, failover.failed]
                      - name: pager-escalation
                        channel: pagerduty
                        routingKey: env:NOTIFIER_TEST_PD_KEY
                        events: [none.none]
                      - name: hook
                        channel: webhook
                        url: "%s"
                        format: %s
                        secret: env:NOTIFIER_TEST_WEBHOOK_SECRET
                        events: ["*"]
                        %s
                %s
                """
                .formatted(group, grouping, webhookUrl, format, grouping, extraRoutes);
    }
}
