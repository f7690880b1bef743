package org.zooscope.jobstream.admission;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.events.Admission;
import org.zooscope.core.events.JobProgress;
import org.zooscope.jobstream.serde.MalformedRecord;
import org.zooscope.jobstream.topology.JobTopology;
import org.zooscope.jobstream.topology.WorkCommits;

/**
 * Admits jobs in one order for the whole service: at most {@code capacity} run at once (the workers are shared by
 * every running job, so more would only slow each one down and make waiting jobs look like running ones); the rest
 * wait, oldest first, and hear their position whenever it changes. Answers go to each job's own state machine on the
 * progress topic, keyed by job id. Runs on the single partition of the admission topic.
 */
public final class AdmissionProcessor implements Processor<String, Object, String, Object> {
    private static final Logger log = LoggerFactory.getLogger(AdmissionProcessor.class);
    private static final String STATE = "state";

    private final int capacity;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, AdmissionState> store;

    public AdmissionProcessor(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("at least one job must be able to run, not " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = context.getStateStore(JobTopology.ADMISSION_STORE);
    }

    @Override
    public void process(Record<String, Object> record) {
        AdmissionState state = store.get(STATE);
        state = state == null ? AdmissionState.empty() : state;
        AdmissionState next;
        if (record.value() instanceof Admission.Waiting w) {
            if (state.knows(w.jobId())) {
                return; // redelivered
            }
            next = state.withWaiting(w.jobId());
        } else if (record.value() instanceof Admission.Released r) {
            if (!state.knows(r.jobId())) {
                return;
            }
            next = state.without(r.jobId());
        } else {
            log.warn("unreadable admission record {}: {}", record.key(),
                    record.value() instanceof MalformedRecord m ? m.reason() : record.value());
            return;
        }
        List<String> admitted = new ArrayList<>();
        next = next.admit(capacity, admitted);
        store.put(STATE, next);
        for (String jobId : admitted) {
            forward(new JobProgress.Admitted(jobId));
        }
        // positions move for everyone behind a change; a new job learns its own
        boolean moved = !admitted.isEmpty() || record.value() instanceof Admission.Released;
        for (int i = 0; i < next.waiting().size(); i++) {
            String jobId = next.waiting().get(i);
            if (moved || jobId.equals(((Admission) record.value()).jobId())) {
                forward(new JobProgress.Queued(jobId, i + 1));
            }
        }
    }

    private void forward(JobProgress p) {
        WorkCommits.forward(context, new Record<>(p.jobId(), p, context.currentSystemTimeMs()), JobTopology.ADMISSION_ANSWERS_SINK);
    }
}
