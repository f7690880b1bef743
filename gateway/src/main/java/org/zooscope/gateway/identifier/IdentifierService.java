package org.zooscope.gateway.identifier;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Year;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.config.GatewayProperties;
import org.zooscope.gateway.modelupload.ModelZooProperties;

/**
 * Gives a model version that is being published its citable identity: DataCite metadata stored next to the package
 * ({@code datacite.json}), and, when the deployment configures a DataCite account, a minted DOI that then becomes the
 * card's {@code identifier}. Without an account the identifier stays Zooscope's own ({@code zooscope:model/id/version}).
 */
@Component
public class IdentifierService {
    private static final Logger log = LoggerFactory.getLogger(IdentifierService.class);

    private final ObjectStore store;
    private final ModelZooProperties.DataCite settings;
    private final String publicUrl;
    private final DataCiteClient client;

    public IdentifierService(ObjectStore store, ModelZooProperties zoo, GatewayProperties gateway) {
        this.store = store;
        this.settings = zoo.datacite();
        this.publicUrl = gateway.publicUrl().replaceAll("/+$", "");
        this.client = settings.enabled()
                ? new DataCiteClient(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(), settings.apiUrl(),
                        settings.username(), settings.password())
                : null;
    }

    /** The card as published: with {@code landingPage}, and with {@code doi} and a DOI identifier when one is minted. */
    public Map<String, Object> publish(Map<String, Object> card, String packageKey) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>(card);
        String id = String.valueOf(card.get("id"));
        String landing = publicUrl + "/models/" + id;
        out.put("landingPage", landing);
        String doi = client == null ? null : DataCiteMetadata.doi(settings.prefix(), id, String.valueOf(card.get("version")));
        Map<String, Object> metadata = DataCiteMetadata.of(out, doi, landing, settings.publisher(), Year.now(ZoneOffset.UTC).getValue());
        store.put(packageKey + "datacite.json", EventJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(metadata),
                "application/json");
        if (client != null) {
            String minted = client.register(metadata);
            log.info("minted DOI {} for model {} version {}", minted, id, card.get("version"));
            out.put("doi", minted);
            out.put("identifier", "https://doi.org/" + minted);
        }
        return out;
    }
}
