package org.zooscope.infra.provision;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.events.EventJson;
import org.zooscope.core.events.ModelRegistered;
import org.zooscope.core.events.Topics;
import org.zooscope.core.modelpkg.InvalidModelPackageException;
import org.zooscope.core.modelpkg.ModelCard;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.store.ObjectStore;

/**
 * Loads the bundled model packages ({@code zoo/<id>/bioimageio.yaml} and files) into S3 under
 * {@code models/<id>/<version>/} and announces each on {@link Topics#MODELS_REGISTERED}. Idempotent: the keys and the
 * events are the same every time.
 */
public final class ModelSeeder {
    private static final Logger log = LoggerFactory.getLogger(ModelSeeder.class);

    private ModelSeeder() {
    }

    public static List<String> seed(Path zooDir, ObjectStore store, String bootstrap) {
        List<Path> packages = packagesIn(zooDir);
        List<String> ids = new ArrayList<>();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (Path dir : packages) {
                ModelRegistered event = upload(dir, store);
                producer.send(new ProducerRecord<>(Topics.MODELS_REGISTERED.name(), event.modelId(), EventJson.toBytes(event)));
                ids.add(event.modelId());
            }
            producer.flush();
        }
        log.info("seeded {} bundled models: {}", ids.size(), ids);
        return ids;
    }

    /** Uploads one package directory and returns the event that announces it. */
    public static ModelRegistered upload(Path dir, ObjectStore store) {
        ModelDescription d;
        try (InputStream in = Files.newInputStream(dir.resolve("bioimageio.yaml"))) {
            d = ModelDescriptionParser.parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidModelPackageException e) {
            throw new IllegalStateException("bundled model " + dir.getFileName() + " is invalid: " + e.getMessage(), e);
        }
        String prefix = org.zooscope.core.store.StorageKeys.Models.prefix(d.id(), d.version());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                store.put(prefix + f.getFileName(), f, "application/octet-stream");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ModelRegistered(d.id(), d.version(), prefix, ModelCard.of(d), true, Instant.now());
    }

    static List<Path> packagesIn(Path zooDir) {
        if (!Files.isDirectory(zooDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(zooDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("bioimageio.yaml"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
