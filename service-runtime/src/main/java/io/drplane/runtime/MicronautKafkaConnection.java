package io.drplane.runtime;

import io.drplane.kafka.KafkaClientConfig;
import io.micronaut.configuration.kafka.config.KafkaDefaultConfiguration;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Gives micronaut-kafka's clients (its health check's admin client among them) the connection settings drplane's own
 * clients use, from the one {@link KafkaClientConfig}: a service that reaches a secured cluster reaches it with both.
 */
@Singleton
class MicronautKafkaConnection implements BeanCreatedEventListener<KafkaDefaultConfiguration> {

    private final BeanProvider<KafkaClientConfig> kafka;

    MicronautKafkaConnection(BeanProvider<KafkaClientConfig> kafka) {
        this.kafka = kafka;
    }

    @Override
    public KafkaDefaultConfiguration onCreated(BeanCreatedEvent<KafkaDefaultConfiguration> event) {
        KafkaDefaultConfiguration configuration = event.getBean();
        configuration.getConfig().putAll(kafka.get().common());
        return configuration;
    }
}
