package org.zooscope.jobstream.serde;

import org.apache.kafka.common.serialization.Deserializer;
import org.zooscope.core.events.EventJson;

/** Reads a topic's JSON values; a value that does not parse becomes a {@link MalformedRecord} instead of an error. */
public final class LenientJsonDeserializer implements Deserializer<Object> {
    private final Class<?> type;

    public LenientJsonDeserializer(Class<?> type) {
        this.type = type;
    }

    @Override
    public Object deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return EventJson.fromBytes(data, type);
        } catch (EventJson.MalformedEventException | IllegalArgumentException e) {
            return new MalformedRecord(topic, e.getMessage());
        }
    }
}
