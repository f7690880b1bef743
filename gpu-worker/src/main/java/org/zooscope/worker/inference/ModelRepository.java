package org.zooscope.worker.inference;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zooscope.core.modelpkg.InvalidModelPackageException;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.process.ModelProcessing;
import org.zooscope.core.modelpkg.ModelDescriptionParser;
import org.zooscope.core.modelpkg.TileTensors;
import org.zooscope.core.store.ObjectStore;

/**
 * Loads model packages from S3 ({@code models/<id>/<version>/}) once per worker and keeps them: description parsed,
 * weights checked against their sha256, the package validated against its ONNX graph ({@link PackageValidator}),
 * the weights loaded into ONNX Runtime through DJL on the chosen device. Thread-safe; models are shared, predictors
 * are not (see {@link PredictorCache}).
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
            log.info("inference device: GPU ({} CUDA device(s) visible to ONNX Runtime {})", gpus, engine.getVersion());
            return Device.gpu();
        }
        if ("gpu".equals(wanted)) {
            log.warn("GPU inference was asked for but ONNX Runtime {} sees no CUDA device (CPU build without -Pgpu, "
                    + "no GPU, or no CUDA 12/cuDNN 9 libraries): falling back to the CPU", engine.getVersion());
        } else {
            log.info("inference device: CPU (ONNX Runtime {})", engine.getVersion());
        }
        return Device.cpu();
    }

    /** The model stored under {@code packageKey} (a prefix ending in '/'), loading it on first use. */
    public LoadedModel get(String packageKey) {
        return models.computeIfAbsent(packageKey, this::loadFromStore);
    }

    private LoadedModel loadFromStore(String packageKey) {
        try {
            byte[] yaml = store.get(packageKey + "bioimageio.yaml");
            ModelDescription d = parse(packageKey, yaml);
            Path dir = cacheDir.resolve(packageKey.replaceAll("[^A-Za-z0-9._/-]", "_"));
            Files.createDirectories(dir);
            byte[] weights = store.get(packageKey + d.weightsSource());
            checkSha(packageKey, d, weights);
            Path file = dir.resolve("weights.onnx");
            Files.write(file, weights);
            return load(packageKey, d, yaml, file, device, intraOpThreads);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A package in a local directory (the benchmark, the package tests), validated and loaded like one from S3. */
    public static LoadedModel loadDirectory(Path packageDir, Device device, int intraOpThreads) throws IOException {
        byte[] yaml = Files.readAllBytes(packageDir.resolve("bioimageio.yaml"));
        String key = packageDir.toString();
        ModelDescription d = parse(key, yaml);
        Path weights = packageDir.resolve(d.weightsSource());
        checkSha(key, d, Files.readAllBytes(weights));
        return load(key, d, yaml, weights, device, intraOpThreads);
    }

    private static ModelDescription parse(String key, byte[] yaml) {
        try {
            return ModelDescriptionParser.parse(new ByteArrayInputStream(yaml));
        } catch (InvalidModelPackageException e) {
            throw new InvalidModelException("model package " + key + " is invalid: " + e.getMessage());
        }
    }

    private static void checkSha(String key, ModelDescription d, byte[] weights) {
        if (d.weightsSha256() != null && !d.weightsSha256().equalsIgnoreCase(sha256(weights))) {
            throw new InvalidModelException("weights of " + key + " do not match their declared sha256");
        }
    }

    private static LoadedModel load(String key, ModelDescription d, byte[] yaml, Path weights, Device device,
                                    int intraOpThreads) {
        ModelSignature sig = PackageValidator.signature(weights, TileTensors.of(d));
        List<String> problems = PackageValidator.problems(d, yaml, sig);
        if (!problems.isEmpty()) {
            throw new InvalidModelException("model package " + key + " cannot run: " + String.join("; ", problems));
        }
        long t0 = System.nanoTime();
        ZooModel<TileInput, TileOutput> model;
        try {
            model = loadOnnx(weights, d, device, intraOpThreads);
        } catch (EngineException e) {
            if (!device.isGpu()) {
                throw e;
            }
            // a CUDA provider that is present but cannot start (driver, cuDNN) must not take the worker down
            log.warn("cannot load model {} on the GPU ({}): falling back to the CPU", d.id(), e.getMessage());
            model = loadOnnx(weights, d, Device.cpu(), intraOpThreads);
        }
        log.info("loaded model {} ({} frame(s), halo {}, batch {}) on {} in {} ms", d.id(), d.frames(), d.halo(),
                sig.batchable() ? "dynamic" : "1", model.getNDManager().getDevice(), (System.nanoTime() - t0) / 1_000_000);
        return new LoadedModel(key, d, ModelProcessing.of(d), sig, model);
    }

    private static ZooModel<TileInput, TileOutput> loadOnnx(Path weights, ModelDescription d, Device device,
                                                            int intraOpThreads) {
        try {
            return Criteria.builder()
                    .setTypes(TileInput.class, TileOutput.class)
                    .optModelPath(weights)
                    .optEngine("OnnxRuntime")
                    .optDevice(device)
                    .optTranslator(new TileTranslator(TileTensors.of(d)))
                    .optOption("intraOpNumThreads", Integer.toString(intraOpThreads))
                    .optOption("interOpNumThreads", "1")
                    .optOption("optLevel", "ALL_OPT")
                    .build()
                    .loadModel();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ai.djl.repository.zoo.ModelNotFoundException | ai.djl.MalformedModelException e) {
            throw new InvalidModelException("ONNX Runtime cannot load " + weights.getFileName() + ": " + e.getMessage());
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
    public static final class InvalidModelException extends RuntimeException
            implements org.zooscope.core.failure.Failures.Fatal {
        public InvalidModelException(String message) {
            super(message);
        }
    }
}
