package org.zooscope.infra.stack;

import java.time.Duration;
import org.zooscope.infra.process.ManagedProcess;

/** One process of the local stack: a server or a service. */
public interface Server {

    String name();

    /** Starts the process unless it already runs. */
    void start();

    /** True once the process answers as it should (a probe, not a guess). */
    boolean isReady();

    ManagedProcess process();

    /** One line for {@code ./zooscope status}. */
    String endpoint();

    default boolean stop() {
        return process().stop(Duration.ofSeconds(30));
    }
}
