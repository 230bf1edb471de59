package io.drplane.coordinator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class CoordinatorLoopTest {

    @Test
    void shouldNameTheSendFailureBehindAProducerInAnErrorState() {
        KafkaException e = new KafkaException(
                "Cannot execute transactional method because we are in an error state",
                new RecordTooLargeException("The message is 3600000 bytes when serialized"));

        assertThat(Failures.causes(e))
                .isEqualTo("Cannot execute transactional method because we are in an error state"
                        + " <- RecordTooLargeException: The message is 3600000 bytes when serialized");
    }
}
