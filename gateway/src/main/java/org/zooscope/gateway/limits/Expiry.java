package org.zooscope.gateway.limits;

import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.JobStatus;
import org.zooscope.core.events.UploadedVolume;
import org.zooscope.gateway.problem.ApiProblem;

/**
 * When uploads and results expire: an upload {@code retention} after it was made, a job's results {@code retention}
 * after the job ended (a job still running has no expiry yet). The {@link Sweeper} deletes the data of what expired;
 * the API answers {@code 410 Gone} for it from this rule, whether or not the sweeper has run yet.
 */
@Component
public class Expiry {
    private final LimitsProperties props;
    private final Clock clock;

    Expiry(LimitsProperties props, Clock clock) {
        this.props = props;
        this.clock = clock;
    }

    /** When the job's results expire; null while it has not ended. */
    public Instant of(JobStatus s) {
        return s.state().isFinal() && s.finishedAt() != null ? s.finishedAt().plus(props.retention()) : null;
    }

    /** When the upload expires. */
    public Instant of(UploadedVolume v) {
        return v.createdAt() == null ? null : v.createdAt().plus(props.retention());
    }

    public boolean passed(Instant expiresAt) {
        return expiresAt != null && !clock.instant().isBefore(expiresAt);
    }

    /** {@code 410 Gone} when the job's results expired. */
    public void checkResults(JobStatus s) {
        Instant at = of(s);
        if (passed(at)) {
            throw new ApiProblem(org.springframework.http.HttpStatus.GONE, "the results of job '" + s.jobId()
                    + "' expired at " + Quotas.at(at) + " (results are kept " + Quotas.human(props.retention())
                    + " after a job ends); run the job again for new ones");
        }
    }

    /** {@code 410 Gone} when the upload expired. */
    public void checkUpload(UploadedVolume v) {
        Instant at = of(v);
        if (passed(at)) {
            throw new ApiProblem(org.springframework.http.HttpStatus.GONE, "upload '" + v.uploadId() + "' expired at "
                    + Quotas.at(at) + " (uploads are kept " + Quotas.human(props.retention()) + "); upload the image again");
        }
    }
}
