package org.zooscope.worker.task;

import java.time.Duration;
import org.zooscope.core.failure.Failures;

/**
 * When a failed tile task is tried again, and after how long: while the store or the network is down
 * ({@link Failures#isTransient}), for as long as {@code outageBudget} — an outage shorter than it costs time, not the
 * job; other retriable failures for {@code maxAttempts} tries; fatal ones never. Waits double from
 * {@code firstBackoff} up to {@code maxBackoff}. Pure.
 */
record RetryPolicy(int maxAttempts, Duration outageBudget, Duration firstBackoff, Duration maxBackoff) {

    /** Try again after {@code pause}, or give up ({@code pause} null); {@code outage} says which budget applied. */
    record Decision(Duration pause, boolean outage) {
        boolean again() {
            return pause != null;
        }
    }

    /** What to do after the {@code attempt}-th failure, {@code waited} after the first try started. */
    Decision after(Throwable failure, int attempt, Duration waited) {
        boolean retriable = Failures.isRetriable(failure);
        boolean outage = retriable && Failures.isTransient(failure);
        Duration wait = firstBackoff.multipliedBy(1L << Math.min(20, attempt - 1));
        wait = wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
        boolean again = outage ? waited.plus(wait).compareTo(outageBudget) <= 0 : retriable && attempt < maxAttempts;
        return new Decision(again ? wait : null, outage);
    }
}
