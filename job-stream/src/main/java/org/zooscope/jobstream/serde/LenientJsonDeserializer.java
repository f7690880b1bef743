package org.zooscope.jobstream.serde;

import org.apache.kafka.common.serialization.Deserializer;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.Topics;

/** Reads a topic's JSON values; a value that does not parse becomes a {@link MalformedRecord} instead of an error. */
public final class LenientJsonDeserializer implements Deserializer<Object> {
    private final Class<?> type;

    public LenientJsonDeserializer(Class<?> type) {
        this.type = type;
    }

    /** Reads a topic's values as the type the topic declares. */
    public static LenientJsonDeserializer of(Topics.Topic<?> topic) {
        return new LenientJsonDeserializer(topic.valueType());
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
