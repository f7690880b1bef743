package org.zooscope.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The gateway: REST and SSE API, streaming uploads to S3, the web page. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GatewayApplication {

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", "true");
        SpringApplication.run(GatewayApplication.class, args);
    }
}
