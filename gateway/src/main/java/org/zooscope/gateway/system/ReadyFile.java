package org.zooscope.gateway.system;

import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.zooscope.core.lifecycle.ReadyMarker;
import org.zooscope.gateway.config.GatewayProperties;

/** Tells the local-stack launcher and the probes the gateway is up (the file named by {@code ZOOSCOPE_READY_FILE}). */
@Component
class ReadyFile {
    private static final Logger log = LoggerFactory.getLogger(ReadyFile.class);
    private final ReadyMarker marker;

    ReadyFile(GatewayProperties props) {
        this.marker = ReadyMarker.cleared(props.readyFile());
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() {
        marker.mark();
    }

    @EventListener(ContextClosedEvent.class)
    void closed() {
        try {
            marker.clear();
        } catch (UncheckedIOException e) {
            log.warn(e.getMessage());
        }
    }
}
