package io.tidings.sink.kafka.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A sink's producer settings: Tidings' fixed ones for delivery guarantees, then the sink's own. */
final class ProducerSettings {

    // The most a sink may set: the kind's longest attempt, and so its stream's lease, is sized from them.
    static final int MAX_BLOCK_MS = 10_000;
    static final int DELIVERY_TIMEOUT_MS = 30_000;

    private ProducerSettings() {
    }

    /** A time setting the sink may lower but not raise, or null if its properties keep within them. */
    static String raisedBound(ObjectNode properties) {
        for (Map.Entry<String, Integer> bound : Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS).entrySet()) {
            String value = properties.path(bound.getKey()).asText(String.valueOf(bound.getValue()));
            if (!value.matches("\\d{1,9}") || Integer.parseInt(value) > bound.getValue()) {
                return bound.getKey();
            }
        }
        return null;
    }

    static Map<String, Object> of(ObjectNode target, List<String> secrets) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, target.path("bootstrap_servers").asText());
        // How long a send may wait for the topic's metadata: a broker that is down, a topic that is missing.
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
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
