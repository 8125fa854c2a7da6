package io.tidings.sink.kafka.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A sink's producer settings: Tidings' fixed ones for delivery guarantees, then the sink's own. */
final class ProducerSettings {

    private ProducerSettings() {
    }

    static Map<String, Object> of(ObjectNode target, List<String> secrets) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.path("bootstrap_servers").asText());
        // How long a send may wait for the topic's metadata: a broker that is down, a topic that is missing.
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "tidings-" + target.path("topic").asText());
        target.path("properties").fields().forEachRemaining(setting -> settings.put(setting.getKey(),
                setting.getValue().asText().replace("${secret}", secrets.isEmpty() ? "" : secrets.get(0))));
        // What delivery means here is not the sink's to change.
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return settings;
    }
}
