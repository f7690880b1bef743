package org.zooscope.catalog;

import org.apache.hc.core5.http.HttpHost;
import org.opensearch.client.json.jackson.JacksonJsonpMapper;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.transport.httpclient5.ApacheHttpClient5TransportBuilder;
import org.zooscope.core.events.EventJson;

/** Builds the OpenSearch client used by the indexer (and the gateway's search). */
public final class OpenSearchClients {
    private OpenSearchClients() {
    }

    public static OpenSearchClient connect(String url) {
        try {
            var transport = ApacheHttpClient5TransportBuilder.builder(HttpHost.create(url))
                    .setMapper(new JacksonJsonpMapper(EventJson.mapper()))
                    .build();
            return new OpenSearchClient(transport);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("OpenSearch URL is not valid: " + url, e);
        }
    }
}
