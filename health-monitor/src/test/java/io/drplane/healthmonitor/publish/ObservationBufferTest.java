package io.drplane.healthmonitor.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drplane.events.Event;
import io.drplane.events.EventType;
import io.drplane.events.SampleEvents;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ObservationBufferTest {

    private static Event<?> event(String id) {
        Event<?> sample = SampleEvents.event(EventType.HEALTH_OBSERVED);
        return new Event<>(id, sample.source(), sample.time(), sample.data());
    }

    @Test
    void shouldDropTheOldestWhenFullAndCountIt() throws Exception {
        ObservationBuffer buffer = new ObservationBuffer(2);
        buffer.add(event("1"));
        buffer.add(event("2"));
        buffer.add(event("3"));

        assertThat(buffer.dropped()).isEqualTo(1);
        assertThat(buffer.depth()).isEqualTo(2);
        assertThat(buffer.take(0, TimeUnit.MILLISECONDS).id()).isEqualTo("2");
        assertThat(buffer.take(0, TimeUnit.MILLISECONDS).id()).isEqualTo("3");
        assertThat(buffer.take(0, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void shouldPutBackAFailedSendFirstOrDropItWhenFull() throws Exception {
        ObservationBuffer buffer = new ObservationBuffer(2);
        buffer.add(event("2"));
        buffer.putBack(event("1"));
        assertThat(buffer.take(0, TimeUnit.MILLISECONDS).id()).isEqualTo("1");

        buffer.add(event("3"));
        buffer.putBack(event("old"));
        assertThat(buffer.dropped())
                .as("the put-back one is the oldest, so it is the one dropped")
                .isEqualTo(1);
        assertThat(buffer.take(0, TimeUnit.MILLISECONDS).id()).isEqualTo("2");
    }

    @Test
    void shouldRejectANonPositiveCapacity() {
        assertThatThrownBy(() -> new ObservationBuffer(0)).hasMessage("buffer capacity must be at least 1, was 0");
    }
}
