package org.zooscope.gateway.job;

import org.springframework.http.HttpStatus;
import org.zooscope.core.events.Region;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * A job's {@code input.roi} over an upload: it chooses slices ({@code z}, {@code depth}); the plane is always whole, so
 * {@code x}, {@code y}, {@code width} and {@code height} are left out or span it. Pure.
 */
final class UploadSlices {

    private UploadSlices() {
    }

    /** The region of {@code upload} the job runs on: all of it without a roi. */
    static Region of(JobRequest.Roi roi, UploadedVolume upload) {
        if (roi == null) {
            return new Region(0, 0, 0, upload.width(), upload.height(), upload.depth());
        }
        if (!spans(roi.x(), 0) || !spans(roi.y(), 0) || !spans(roi.width(), upload.width())
                || !spans(roi.height(), upload.height())) {
            throw ApiProblem.badRequest("roi over an upload chooses slices only: give z and depth, and leave out x, y, "
                    + "width and height (or give the whole plane, 0, 0, " + upload.width() + ", " + upload.height() + ")");
        }
        int z = roi.z() == null ? 0 : roi.z();
        int depth = roi.depth() == null ? upload.depth() - z : roi.depth();
        Region r = new Region(0, 0, z, upload.width(), upload.height(), depth);
        String problem = r.problemWithin(upload.width(), upload.height(), upload.depth());
        if (problem != null) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "roi: " + problem + " of upload '"
                    + upload.uploadId() + "'");
        }
        return r;
    }

    private static boolean spans(Integer given, int whole) {
        return given == null || given == whole;
    }
}
