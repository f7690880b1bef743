package org.zooscope.gateway.modelupload;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.ModelRegistered;
import org.zooscope.core.events.Topics;
import org.zooscope.core.modelpkg.ModelCard;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.check.ModelPackageValidator.ValidPackage;
import org.zooscope.core.store.ObjectStore;
import org.zooscope.gateway.identifier.IdentifierService;
import org.zooscope.gateway.problem.ApiProblem;
import org.zooscope.catalog.search.ModelSearch;

/**
 * The zoo's write side: stores a validated package under {@code models/{id}/{version}/} (as the seeder does) and
 * announces it on {@link Topics#MODELS_REGISTERED}, private to its owner; a curator publishes it to everyone. A model
 * id belongs to whoever first stored it, and a stored version is never replaced (citations must keep meaning the same
 * files): a new upload needs a new version.
 */
@Component
public class ModelRegistry {
    /** The description the services read (gpu-worker, job-stream); a package's {@code rdf.yaml} is also stored as this. */
    static final String DESCRIPTION = "bioimageio.yaml";

    private final ObjectStore store;
    private final KafkaTemplate<String, byte[]> kafka;
    private final ModelSearch search;
    private final IdentifierService identifiers;

    public ModelRegistry(ObjectStore store, KafkaTemplate<String, byte[]> kafka, ModelSearch search, IdentifierService identifiers) {
        this.store = store;
        this.kafka = kafka;
        this.search = search;
        this.identifiers = identifiers;
    }

    /** Where a version's files live. */
    public static String prefix(String id, String version) {
        return org.zooscope.core.store.StorageKeys.Models.prefix(id, version);
    }

    /** Stores and announces a valid package for {@code ownerHash}; answers the card as indexed. */
    public Map<String, Object> register(ValidPackage pkg, String ownerHash) throws Exception {
        ModelDescription d = pkg.description();
        String id = ModelIds.of(d.id());
        Optional<Map<String, Object>> existing = search.get(id);
        if (existing.isPresent()) {
            Object owner = existing.get().get("owner");
            if (owner == null || !owner.equals(ownerHash)) {
                throw new ApiProblem(HttpStatus.CONFLICT, "model id '" + id + "' belongs to another owner; choose another id");
            }
        }
        String prefix = prefix(id, d.version());
        if (!store.list(prefix).isEmpty()) {
            throw new ApiProblem(HttpStatus.CONFLICT, "model '" + id + "' version " + d.version()
                    + " is already stored and versions are immutable; upload it with a new version");
        }
        try {
            for (var f : pkg.contents().files().entrySet()) {
                store.put(prefix + f.getKey(), f.getValue(), "application/octet-stream");
            }
            if (!pkg.contents().descriptionName().equals(DESCRIPTION)) {
                store.put(prefix + DESCRIPTION, pkg.contents().description(), "application/yaml");
            }
            Map<String, Object> card = new LinkedHashMap<>(ModelCard.of(d));
            card.put("id", id);
            card.put("identifier", ModelCard.identifier(id, d.version()));
            announce(new ModelRegistered(id, d.version(), prefix, card, false, Instant.now(), ownerHash));
            card.put("published", false);
            return card;
        } catch (Exception e) {
            // half a package in S3 is worse than none: the upload failed, so nothing of it stays
            store.deletePrefix(prefix);
            throw e;
        }
    }

    /** A curator's action: the model becomes visible to everyone, with its DataCite metadata (and DOI when configured). */
    public Map<String, Object> publish(String id) throws Exception {
        Map<String, Object> doc = search.get(id).orElseThrow(() -> ApiProblem.notFound("model '" + id + "' is not in the zoo"));
        String packageKey = String.valueOf(doc.get("packageKey"));
        Map<String, Object> card = new LinkedHashMap<>(doc);
        for (String internal : List.of("packageKey", "published", "registeredAt", "owner")) {
            card.remove(internal);
        }
        Map<String, Object> published = identifiers.publish(card, packageKey);
        Object owner = doc.get("owner");
        announce(new ModelRegistered(id, String.valueOf(doc.get("version")), packageKey, published, true, Instant.now(),
                owner == null ? null : owner.toString()));
        Map<String, Object> answer = new LinkedHashMap<>(published);
        answer.put("published", true);
        return answer;
    }

    private void announce(ModelRegistered event) throws Exception {
        kafka.send(Topics.MODELS_REGISTERED.name(), event.modelId(), EventJson.toBytes(event)).get(30, TimeUnit.SECONDS);
    }
}
