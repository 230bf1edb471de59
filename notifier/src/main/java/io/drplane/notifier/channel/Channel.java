package io.drplane.notifier.channel;

import io.drplane.notifier.alert.Dispatch;
import io.drplane.notifier.delivery.DeliveryException;

/** One destination of a route: turns a dispatch into the destination's message and sends it once. */
public interface Channel {

    /** Sends once; {@link io.drplane.notifier.delivery.Deliverer} retries. */
    void send(Dispatch dispatch) throws DeliveryException;

    /** Sends per second the destination allows. */
    double perSecond();

    /** Names the destination in logs and rate limits, with no credential in it. */
    String destination();
}
