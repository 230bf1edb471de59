package io.drplane.runtime;

import io.drplane.events.Event;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Who this process is: the service (health-monitor, failover-coordinator, ...) and the instance name
 * ({@code DRPLANE_INSTANCE}; for a health monitor, its vantage point). Becomes the CloudEvents source.
 */
@ConfigurationProperties("drplane")
public class ServiceIdentity {

    private String service = "unknown";
    private String instance = defaultInstance();

    public String getService() {
        return service;
    }

    public void setService(String service) {
        this.service = service;
    }

    public String getInstance() {
        return instance;
    }

    public void setInstance(String instance) {
        this.instance = instance;
    }

    /** The CloudEvents source of what this instance publishes, for example {@code /drplane/health-monitor/us-east-2a}. */
    public URI source() {
        return Event.sourceOf(service, instance);
    }

    /** The Kafka consumer group of this service: instances of one service share it. */
    public String consumerGroup() {
        return "drplane-" + service;
    }

    private static String defaultInstance() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "local";
        }
    }
}
