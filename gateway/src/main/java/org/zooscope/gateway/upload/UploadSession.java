package org.zooscope.gateway.upload;

import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.ObjectStore.ObjectWriter;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * One multipart upload as it streams in: each file part goes straight into its own S3 object
 * ({@code uploads/{id}/source/{i}-{name}}), chunk by chunk, with the request's limits (bytes over all files, number of
 * files) checked on the bytes as they arrive, since a chunked request has no length to check up front. Fed one
 * chunk at a time, in order, by a single thread at a time; blocking (S3 writes).
 */
final class UploadSession {
    /** A piece of a multipart body, copied off the network buffer. {@code file}: the part is a file, not a field. */
    record Chunk(String partName, boolean file, String filename, byte[] bytes, boolean lastOfPart) {
    }

    /** One stored file of the upload. */
    record Stored(String key, String name, long bytes) {
    }

    private final String uploadId;
    private final ObjectStore store;
    private final long maxBytes;
    private final int maxFiles;
    private final List<Stored> stored = new ArrayList<>();
    private boolean inPart;
    private boolean skipping;
    private ObjectWriter writer;
    private String key;
    private String name;
    private long received;

    UploadSession(String uploadId, ObjectStore store, long maxBytes, int maxFiles) {
        this.uploadId = uploadId;
        this.store = store;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    void accept(Chunk c) {
        if (!inPart) {
            startPart(c);
        }
        if (!skipping && c.bytes().length > 0) {
            received += c.bytes().length;
            if (received > maxBytes) {
                throw tooLarge("over " + maxBytes + " bytes", maxBytes);
            }
            writer.write(c.bytes(), 0, c.bytes().length);
        }
        if (c.lastOfPart()) {
            if (!skipping) {
                stored.add(new Stored(key, name, writer.finish()));
                writer = null;
            }
            inPart = false;
        }
    }

    private void startPart(Chunk c) {
        inPart = true;
        skipping = !"file".equals(c.partName());
        if (skipping) {
            return; // other form fields are ignored
        }
        if (!c.file()) {
            throw ApiProblem.badRequest("part 'file' must be a file, not a form field");
        }
        int index = stored.size();
        if (index >= maxFiles) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "too many files: more than " + maxFiles
                    + " slices sent, at most " + maxFiles + " are accepted");
        }
        name = UploadController.safeName(c.filename(), index);
        key = UploadIngest.sourceKey(uploadId, index, name);
        writer = store.writer(key, "application/octet-stream");
    }

    /** The files stored, in order; a 400 if there was none or one is empty. */
    List<Stored> files() {
        if (inPart) {
            throw ApiProblem.badRequest("the multipart body ended inside a part");
        }
        if (stored.isEmpty()) {
            throw ApiProblem.badRequest("no file: send the image as multipart part 'file'");
        }
        for (Stored s : stored) {
            if (s.bytes() == 0) {
                throw ApiProblem.badRequest("file '" + s.name() + "' is empty");
            }
        }
        return List.copyOf(stored);
    }

    /** Drops a half-written part; the caller removes the upload's stored objects. */
    void abort() {
        if (writer != null) {
            writer.abort();
            writer = null;
        }
    }

    static ApiProblem tooLarge(String what, long maxBytes) {
        return new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "the upload is larger than this server accepts: " + what
                + " sent, at most " + maxBytes + " bytes in one upload; send a smaller region");
    }
}
