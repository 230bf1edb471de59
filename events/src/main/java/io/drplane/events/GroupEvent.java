package io.drplane.events;

/** An event about one failover group; the group is the CloudEvents subject and the Kafka key. */
public interface GroupEvent extends EventData {

    String group();

    @Override
    default String subject() {
        return group();
    }
}
