package org.zooscope.gateway.upload;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.core.store.ObjectStore.ObjectWriter;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * One multipart upload as it streams in: the body is parsed as a stream ({@link MultipartReader}) and each
 * file part goes straight into its own S3 object ({@code uploads/{id}/source/{i}-{name}}) chunk by chunk, with the
 * request's limits (bytes over all files, number of files) checked on the bytes as they arrive, since a chunked
 * request has no length to check up front. Blocking (reads the body, writes S3): run it off the event loop.
 */
final class UploadSession {
    private static final int CHUNK = 64 * 1024;

    /** One stored file of the upload. */
    record Stored(String key, String name, long bytes) {
    }

    private final String uploadId;
    private final ObjectStore store;
    private final long maxBytes;
    private final int maxFiles;
    private final List<Stored> stored = new ArrayList<>();
    private ObjectWriter writer;
    private long received;

    UploadSession(String uploadId, ObjectStore store, long maxBytes, int maxFiles) {
        this.uploadId = uploadId;
        this.store = store;
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    /**
     * Reads the whole body and stores its file parts; other form fields are skipped.
     *
     * @return the files stored, in order
     * @throws ApiProblem for a body that breaks a limit or the protocol (400/413)
     */
    List<Stored> receive(InputStream body, String contentType) throws IOException {
        try {
            MultipartReader parts = new MultipartReader(body, MultipartReader.boundary(contentType));
            for (MultipartReader.Part part = parts.next(); part != null; part = parts.next()) {
                if (!"file".equals(part.name())) {
                    continue; // other form fields are skipped
                }
                if (part.filename() == null) {
                    throw ApiProblem.badRequest("part 'file' must be a file, not a form field");
                }
                storeFile(part);
            }
        } catch (MultipartReader.Malformed e) {
            throw ApiProblem.badRequest("the multipart body is malformed: " + e.getMessage());
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

    private void storeFile(MultipartReader.Part item) throws IOException {
        int index = stored.size();
        if (index >= maxFiles) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "too many files: more than " + maxFiles
                    + " slices sent, at most " + maxFiles + " are accepted");
        }
        String name = UploadController.safeName(item.filename(), index);
        String key = UploadIngest.sourceKey(uploadId, index, name);
        writer = store.writer(key, "application/octet-stream");
        byte[] buffer = new byte[CHUNK];
        try (InputStream in = item.content()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                received += n;
                if (received > maxBytes) {
                    throw tooLarge("over " + maxBytes + " bytes", maxBytes);
                }
                writer.write(buffer, 0, n);
            }
        }
        stored.add(new Stored(key, name, writer.finish()));
        writer = null;
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
