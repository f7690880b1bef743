package org.zooscope.core.events;

import java.time.Instant;

/** A task that could not be done, kept for inspection with the reason and how many times it was tried. */
public record DeadLetter(String topic, String key, String value, String reason, int attempts, Instant at) {
}
