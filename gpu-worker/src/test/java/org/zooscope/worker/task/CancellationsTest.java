package org.zooscope.worker.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobCancelRequested;
import org.zooscope.core.events.Topics;

class CancellationsTest {

    @Test
    void everyPartitionOfTheControlTopicIsReadFromItsStart() throws Exception {
        String topic = Topics.JOBS_CONTROL.name();
        MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
        consumer.updatePartitions(topic, List.of(new PartitionInfo(topic, 0, null, null, null),
                new PartitionInfo(topic, 1, null, null, null)));
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        consumer.updateBeginningOffsets(Map.of(p0, 0L, p1, 0L));
        Cancellations cancellations = new Cancellations(consumer);
        consumer.schedulePollTask(() -> {
            consumer.addRecord(new ConsumerRecord<>(topic, 0, 0, "j-1",
                    EventJson.toBytes(new JobCancelRequested("j-1", Instant.EPOCH))));
            consumer.addRecord(new ConsumerRecord<>(topic, 1, 0, "j-2", "{not json".getBytes()));
        });
        Thread t = new Thread(cancellations, "cancellations");
        t.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> cancellations.isCancelled("j-1")
                    && cancellations.isCancelled("j-2"));
            assertThat(cancellations.isCancelled("j-3")).isFalse();
            assertThat(consumer.assignment()).containsExactlyInAnyOrder(p0, p1);
        } finally {
            cancellations.close();
            t.join(5_000);
        }
        assertThat(t.isAlive()).isFalse();
    }
}
