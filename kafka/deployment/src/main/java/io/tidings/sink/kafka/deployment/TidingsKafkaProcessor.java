package io.tidings.sink.kafka.deployment;

import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.FeatureBuildItem;

/** The kafka kind's build steps: it is listed among the application's features. */
class TidingsKafkaProcessor {

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem("tidings-kafka");
    }
}
