package org.zooscope.core.events;

/**
 * Where one plane of an upload's pixels lies: {@code width × height} samples in {@code encoding} (e.g. {@code uint16le};
 * see {@link org.zooscope.core.io.PlaneEncoding}) from byte {@code offset} of the object at {@code key} — a page of the
 * file as uploaded, or a plane decoded from it. Read with {@link org.zooscope.core.store.UploadPlanes}.
 */
public record StoredPlane(String key, long offset, String encoding) {
}
