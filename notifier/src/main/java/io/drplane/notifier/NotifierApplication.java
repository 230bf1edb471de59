package io.drplane.notifier;

import io.drplane.runtime.DrplaneService;

/** Sends decisions, RPO breaches and failed backups to Slack, webhooks, PagerDuty, SNS and e-mail. */
public final class NotifierApplication {

    public static final String SERVICE = "notifier";

    private NotifierApplication() {}

    public static void main(String[] args) {
        DrplaneService.run(SERVICE, NotifierApplication.class, args);
    }
}
