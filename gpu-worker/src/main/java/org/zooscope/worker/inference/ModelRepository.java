package org.zooscope.worker.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.modelpkg.InvalidModelPackageException;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.store.ObjectStore;

/**
 * Loads model packages from S3 ({@code models/<id>/<version>/}) once per worker and keeps them: description parsed,
 * weights checked against their sha256, ONNX weights loaded into ONNX Runtime through DJL on the chosen device.
 * Thread-safe; models are shared, predictors are not (see {@link PredictorCache}).
 */
public final class ModelRepository implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ModelRepository.class);

    private final ObjectStore store;
    private final Path cacheDir;
    private final Device device;
    private final int intraOpThreads;
    private final Map<String, LoadedModel> models = new ConcurrentHashMap<>();

    public ModelRepository(ObjectStore store, Path cacheDir, Device device, int intraOpThreads) {
        this.store = store;
        this.cacheDir = cacheDir;
        this.device = device;
        this.intraOpThreads = intraOpThreads;
    }

    /** GPU when asked for and present; otherwise CPU, saying why. */
    public static Device chooseDevice(String wanted) {
        Engine engine = Engine.getEngine("OnnxRuntime");
        int gpus = engine.getGpuCount();
        if ("gpu".equals(wanted) && gpus > 0) {
            log.info("inference device: GPU ({} visible to ONNX Runtime)", gpus);
            return Device.gpu();
        }
        if ("gpu".equals(wanted)) {
            log.warn("GPU inference was asked for but ONNX Runtime sees no CUDA device (CPU build or no GPU): using the CPU");
        } else {
            log.info("inference device: CPU");
        }
        return Device.cpu();
    }

    /** The model stored under {@code packageKey} (a prefix ending in '/'), loading it on first use. */
    public LoadedModel get(String packageKey) {
        return models.computeIfAbsent(packageKey, this::load);
    }

    private LoadedModel load(String packageKey) {
        try {
            ModelDescription d = ModelDescriptionParser.parse(new ByteArrayInputStream(store.get(packageKey + "bioimageio.yaml")));
            Path dir = cacheDir.resolve(packageKey.replaceAll("[^A-Za-z0-9._/-]", "_"));
            Files.createDirectories(dir);
            byte[] weights = store.get(packageKey + d.weightsSource());
            if (d.weightsSha256() != null && !d.weightsSha256().equalsIgnoreCase(sha256(weights))) {
                throw new InvalidModelException("weights of " + packageKey + " do not match their declared sha256");
            }
            Path file = dir.resolve("weights.onnx");
            Files.write(file, weights);
            long t0 = System.nanoTime();
            ZooModel<TileInput, TileOutput> model = Criteria.builder()
                    .setTypes(TileInput.class, TileOutput.class)
                    .optModelPath(file)
                    .optEngine("OnnxRuntime")
                    .optDevice(device)
                    .optTranslator(new TileTranslator())
                    .optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
                    .optOption("interOpNumThreads", "1")
                    .optOption("optLevel", "ALL_OPT")
                    .build()
                    .loadModel();
            log.info("loaded model {} ({} frames, halo {}) in {} ms", d.id(), d.frames(), d.halo(),
                    (System.nanoTime() - t0) / 1_000_000);
            return new LoadedModel(packageKey, d, model);
        } catch (InvalidModelPackageException e) {
            throw new InvalidModelException("model package " + packageKey + " is invalid: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ai.djl.repository.zoo.ModelNotFoundException | ai.djl.MalformedModelException e) {
            throw new InvalidModelException("ONNX Runtime cannot load " + packageKey + ": " + e.getMessage());
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        models.values().forEach(LoadedModel::close);
        models.clear();
    }

    /** A model that cannot be used: retrying will not help. */
    public static final class InvalidModelException extends RuntimeException {
        public InvalidModelException(String message) {
            super(message);
        }
    }
}
