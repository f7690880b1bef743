package org.zooscope.gateway.upload;

/** What {@code POST /api/v1/uploads} answers: the stored volume's id and shape. */
public record UploadView(String id, int width, int height, int depth, String dtype, long bytes) {
}
