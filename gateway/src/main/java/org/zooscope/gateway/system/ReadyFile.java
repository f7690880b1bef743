package org.zooscope.gateway.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.zooscope.gateway.config.GatewayProperties;

/** Tells the local-stack launcher the gateway is up (the file named by {@code ZOOSCOPE_READY_FILE}). */
@Component
class ReadyFile {
    private static final Logger log = LoggerFactory.getLogger(ReadyFile.class);
    private final GatewayProperties props;

    ReadyFile(GatewayProperties props) {
        this.props = props;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ready() throws IOException {
        if (props.readyFile() != null && !props.readyFile().isBlank()) {
            Path p = Path.of(props.readyFile());
            Files.createDirectories(p.toAbsolutePath().getParent());
            Files.writeString(p, "ready\n");
        }
    }

    @EventListener(ContextClosedEvent.class)
    void closed() {
        try {
            if (props.readyFile() != null && !props.readyFile().isBlank()) {
                Files.deleteIfExists(Path.of(props.readyFile()));
            }
        } catch (IOException e) {
            log.warn("cannot delete ready file: {}", e.getMessage());
        }
    }
}
