package org.zooscope.jobstream.serde;

/** A record that did not parse as its topic's type: kept as a value so the job it belongs to fails visibly. */
public record MalformedRecord(String topic, String reason) {
}
