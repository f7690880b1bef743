package org.zooscope.gateway.job;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.Topics;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.JobStatus;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * The latest status of every job, read from the compacted status topic from its beginning (each gateway instance in
 * its own consumer group), and a live stream of changes for SSE. A status never replaces a newer one with more
 * progress: progress never goes backwards, even when events arrive out of order.
 */
@Component
class JobStatusCache {
    private static final Logger log = LoggerFactory.getLogger(JobStatusCache.class);

    private final Map<String, JobStatus> latest = new ConcurrentHashMap<>();
    private final Sinks.Many<JobStatus> changes = Sinks.many().multicast().directBestEffort();

    @KafkaListener(topics = "zooscope.jobs.status", groupId = "zooscope-gateway-${random.uuid}",
            properties = {"auto.offset.reset=earliest", "isolation.level=read_committed"})
    void onStatus(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            update(Topics.JOBS_STATUS.value(record.value()));
        } catch (EventJson.MalformedEventException e) {
            log.warn("ignoring unreadable status for job {}: {}", record.key(), e.getMessage());
        }
    }

    void update(JobStatus status) {
        JobStatus merged = latest.merge(status.jobId(), status, (old, now) -> {
            if (old.state().isFinal()) {
                return old;
            }
            if (!now.state().isFinal() && now.progress() < old.progress()) {
                return old;
            }
            return now;
        });
        if (merged == status) {
            changes.tryEmitNext(status);
        }
    }

    /** Every job's latest status. */
    java.util.Collection<JobStatus> all() {
        return java.util.Collections.unmodifiableCollection(latest.values());
    }

    Optional<JobStatus> get(String jobId) {
        return Optional.ofNullable(latest.get(jobId));
    }

    Flux<JobStatus> changes(String jobId) {
        return changes.asFlux().filter(s -> s.jobId().equals(jobId));
    }
}
