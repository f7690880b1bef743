package org.zooscope.worker.bench;

import ai.djl.Device;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.zooscope.core.events.Augmentation;
import org.zooscope.core.modelpkg.ModelDescription;
import org.zooscope.core.modelpkg.ModelTiling;
import org.zooscope.core.process.Processing;
import org.zooscope.core.quality.AgreementScore;
import org.zooscope.core.tiling.Stitcher;
import org.zooscope.core.tiling.Tile;
import org.zooscope.core.tiling.TileExtractor;
import org.zooscope.core.tiling.TileGrid;
import org.zooscope.core.tiling.ZContext;
import org.zooscope.core.volume.DataType;
import org.zooscope.core.volume.FloatVolume;
import org.zooscope.core.volume.VoxelSize;
import org.zooscope.worker.inference.LoadedModel;
import org.zooscope.worker.inference.ModelRepository;
import org.zooscope.worker.inference.PredictorCache;
import org.zooscope.worker.inference.TileInference;

/**
 * Does the label-free score ({@link AgreementScore}) rank models as their true quality does? Runs every zoo package
 * on every labelled block of the project's data whose labels are of the model's structure — held-out blocks, blocks
 * the model trained on, the same blocks at the wrong pixel size (half and double), and another organism and
 * microscope (EPFL CA1 FIB-SEM) — through the worker's own inference ({@link TileInference}: tiles cut and stitched
 * as a preview cuts them, the whole block's normalisation, the test-time augmentation variants with their mean and
 * variance), scores each output with the labels (IoU, F1 at 0.5) and without them (every estimator of
 * {@link AgreementScore}), and prints the table and the Spearman rank correlation of each estimator with the true
 * IoU. The labels are read only for the true scores. Not part of the build (it needs the data); run it with
 * {@code gpu-worker/validate-recommendations [--data DIR] [--augmentation standard|full|fast] [--threads N]}.
 */
public final class RecommendationValidation {
    private RecommendationValidation() {
    }

    /** A labelled block: its images, a foreground mask from its labels, and which structure the labels mark. */
    record Block(String name, String structure, String kind, FloatVolume image, boolean[][] labels) {
    }

    record Row(String model, String block, String structure, String kind, double iou, double f1, double agreement,
               double softDice, double confidence, double foreground) {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.offline", "true");
        Path data = Path.of("../shared/data");
        Path zoo = Path.of("zoo");
        Augmentation augmentation = Augmentation.STANDARD;
        int threads = Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--zoo" -> zoo = Path.of(args[++i]);
                case "--augmentation" -> augmentation = Augmentation.parse(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (augmentation == Augmentation.NONE) {
            throw new IllegalArgumentException("the agreement needs test-time augmentation: give fast, standard or full");
        }
        List<Block> blocks = blocks(data);
        List<Path> packages = WorkerBenchmark.discover(zoo);
        List<Row> rows = new ArrayList<>();
        TileInference inference = new TileInference(4, 1L << 24);
        long t0 = System.nanoTime();
        for (Path p : packages) {
            try (LoadedModel model = ModelRepository.loadDirectory(p, Device.cpu(), threads);
                 PredictorCache predictors = new PredictorCache()) {
                String structure = String.valueOf(model.description().zooscope().get("component"));
                for (Block b : blocks) {
                    if (b.structure().equals(structure)) {
                        Row r = run(model, predictors, inference, b, augmentation);
                        rows.add(r);
                        System.err.printf(Locale.ROOT, "%s on %s: IoU %.3f, agreement %.3f, soft Dice %.3f, confidence %.3f (%.0f s)%n",
                                r.model(), r.block(), r.iou(), r.agreement(), r.softDice(), r.confidence(),
                                (System.nanoTime() - t0) / 1e9);
                    }
                }
            }
        }
        print(rows, augmentation);
    }

    private static Row run(LoadedModel model, PredictorCache predictors, TileInference inference, Block b,
                           Augmentation augmentation) throws Exception {
        ModelDescription d = model.description();
        FloatVolume v = b.image();
        int w = v.width();
        int h = v.height();
        int frames = d.frames();
        int[] variants = augmentation.variantIndices(frames);
        // normalised with the whole block's statistics, as a job normalises with its whole input's
        Processing.Bound pre = model.processing().preprocessing().bind(v);
        TileGrid grid = ModelTiling.layout(d, w, h, ModelTiling.DEFAULT_TILE_SIZE).grid(w, h);
        AgreementScore score = new AgreementScore(variants.length);
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long positive = 0;
        Stitcher means = new Stitcher(w, h, grid);
        Stitcher variances = new Stitcher(w, h, grid);
        for (int z = 0; z < v.depth(); z++) {
            int[] zs = ZContext.frames(z, v.depth(), frames);
            float[][] planes = new float[frames][];
            for (int c = 0; c < frames; c++) {
                planes[c] = v.plane(zs[c]);
            }
            List<TileInference.Item> items = new ArrayList<>();
            for (Tile t : grid.tiles()) {
                int pw = grid.paddedWidth(t);
                int ph = grid.paddedHeight(t);
                float[] in = TileExtractor.extractFrames(planes, w, h, grid, t);
                pre.apply(z, in, 0, frames, pw * ph);
                items.add(new TileInference.Item(in, frames, ph, pw, d.previewChannel()));
            }
            List<TileInference.Result> results = inference.run(model, predictors, items, variants);
            means.reset();
            variances.reset();
            for (int k = 0; k < grid.tiles().size(); k++) {
                means.add(grid.tiles().get(k), results.get(k).mean());
                variances.add(grid.tiles().get(k), results.get(k).variance());
            }
            float[] mean = means.result();
            score.add(mean, variances.result());
            boolean[] truth = b.labels()[z];
            for (int i = 0; i < mean.length; i++) {
                boolean p = mean[i] >= 0.5f;
                if (p && truth[i]) {
                    tp++;
                } else if (p) {
                    fp++;
                } else if (truth[i]) {
                    fn++;
                }
                if (p) {
                    positive++;
                }
            }
        }
        double iou = tp + fp + fn == 0 ? 1 : (double) tp / (tp + fp + fn);
        double f1 = 2 * tp + fp + fn == 0 ? 1 : 2.0 * tp / (2 * tp + fp + fn);
        return new Row(d.id(), b.name(), b.structure(), b.kind(), iou, f1, score.agreement(), score.softDice(),
                score.confidence(), (double) positive / score.pixels());
    }

    // ---- data --------------------------------------------------------------------------------------------------

    /** Every labelled block; README of the data gives the polarities (each reader below says which it expects). */
    static List<Block> blocks(Path data) throws IOException {
        List<Block> out = new ArrayList<>();
        Path isbi = data.resolve("isbi2012-membrane/train");
        IntPredicate membraneIsZero = s -> s == 0;
        Block isbiHeld = block("isbi 25-29", "membranes", "held out", range(25, 29).stream()
                .map(z -> isbi.resolve("image/" + z + ".png")).toList(), range(25, 29).stream()
                .map(z -> isbi.resolve("label/" + z + ".png")).toList(), membraneIsZero);
        out.add(isbiHeld);
        out.add(block("isbi 10-14", "membranes", "trained on", range(10, 14).stream()
                .map(z -> isbi.resolve("image/" + z + ".png")).toList(), range(10, 14).stream()
                .map(z -> isbi.resolve("label/" + z + ".png")).toList(), membraneIsZero));
        out.add(rescaled(isbiHeld, 0.5));
        out.add(rescaled(isbiHeld, 2));
        Path epfl = data.resolve("epfl-hippocampus/epfl_train");
        IntPredicate over127 = s -> s > 127;
        // the EPFL slices with masks come in a few contiguous runs: 0-3, 45-48, 161-164
        for (int from : new int[] {0, 45, 161}) {
            List<Integer> zs = range(from, from + 3);
            List<Path> images = zs.stream().map(z -> epfl.resolve(String.format("slices/training%04d.png", z))).toList();
            for (String[] s : new String[][] {{"membranes", "membranes"}, {"mitochondria", "mitochondrion"}}) {
                out.add(cropped(block("epfl " + from + "-" + (from + 3), s[0], "other organism and microscope", images,
                        zs.stream().map(z -> epfl.resolve(String.format("%s/training%04d.png", s[1], z))).toList(), over127)));
            }
        }
        // cdeep3m-mito labels are palette indices: 1 = mitochondrion
        Block sbem1 = sbem(data, "cdeep3m-mito", 10, 13, "held out", s -> s == 1);
        out.add(cropped(sbem1));
        out.add(cropped(sbem(data, "cdeep3m-mito", 20, 23, "trained on", s -> s == 1)));
        Block sbem2 = sbem(data, "cdeep3m2-mito", 36, 39, "held out", s -> s == 255);
        out.add(cropped(sbem2));
        out.add(cropped(sbem(data, "cdeep3m2-mito", 24, 27, "trained on", s -> s == 255)));
        out.add(rescaled(sbem1, 0.5));
        out.add(rescaled(sbem2, 0.5));
        out.add(cropped(rescaled(sbem1, 2)));
        out.add(cropped(rescaled(sbem2, 2)));
        return out;
    }

    private static Block sbem(Path data, String set, int from, int to, String kind, IntPredicate mito) throws IOException {
        Path dir = data.resolve(set + "/training");
        return block(set + " " + from + "-" + to, "mitochondria", kind, range(from, to).stream()
                .map(z -> dir.resolve(String.format("images/images.%03d.png", z))).toList(), range(from, to).stream()
                .map(z -> dir.resolve(String.format("labels/mitos_3D.%03d.png", z))).toList(), mito);
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> r = new ArrayList<>();
        for (int z = from; z <= to; z++) {
            r.add(z);
        }
        return r;
    }

    private static Block block(String name, String structure, String kind, List<Path> images, List<Path> labels,
                               IntPredicate foreground) throws IOException {
        List<float[]> planes = new ArrayList<>();
        boolean[][] masks = new boolean[labels.size()][];
        int w = 0;
        int h = 0;
        for (int z = 0; z < images.size(); z++) {
            BufferedImage im = read(images.get(z));
            w = im.getWidth();
            h = im.getHeight();
            planes.add(grey(im));
            int[] raw = im.getRaster().getSamples(0, 0, w, h, 0, (int[]) null);
            BufferedImage lab = read(labels.get(z));
            // the label's own samples: palette indices for a palette PNG, grey values otherwise (band 0)
            raw = lab.getRaster().getSamples(0, 0, w, h, 0, raw);
            masks[z] = new boolean[w * h];
            for (int i = 0; i < raw.length; i++) {
                masks[z][i] = foreground.test(raw[i]);
            }
        }
        return new Block(name, structure, kind, new FloatVolume(w, h, planes, DataType.UINT8, VoxelSize.unknown()),
                masks);
    }

    private static BufferedImage read(Path p) throws IOException {
        BufferedImage im = ImageIO.read(p.toFile());
        if (im == null) {
            throw new IOException(p + " is not an image");
        }
        return im;
    }

    /** Grey values: a palette image's colours (the cdeep3m2 images are palette grey), else band 0 (L of LA). */
    private static float[] grey(BufferedImage im) {
        Raster r = im.getRaster();
        int w = im.getWidth();
        int h = im.getHeight();
        int[] s = r.getSamples(0, 0, w, h, 0, (int[]) null);
        float[] out = new float[w * h];
        IndexColorModel palette = im.getColorModel() instanceof IndexColorModel icm ? icm : null;
        for (int i = 0; i < s.length; i++) {
            out[i] = palette == null ? s[i] : palette.getRed(s[i]);
        }
        return out;
    }

    /** The central 512 × 512 of each slice: every block costs about the same (2 shared cores). */
    static Block cropped(Block b) {
        FloatVolume v = b.image();
        int w = v.width();
        int h = v.height();
        int side = Math.min(SIDE, Math.min(w, h));
        int x0 = (w - side) / 2;
        int y0 = (h - side) / 2;
        List<float[]> planes = new ArrayList<>();
        boolean[][] masks = new boolean[v.depth()][];
        for (int z = 0; z < v.depth(); z++) {
            float[] p = v.plane(z);
            float[] o = new float[side * side];
            boolean[] m = new boolean[side * side];
            for (int y = 0; y < side; y++) {
                System.arraycopy(p, (y0 + y) * w + x0, o, y * side, side);
                System.arraycopy(b.labels()[z], (y0 + y) * w + x0, m, y * side, side);
            }
            planes.add(o);
            masks[z] = m;
        }
        String name = w == side && h == side ? b.name() : b.name() + " (centre " + side + "²)";
        return new Block(name, b.structure(), b.kind(), new FloatVolume(side, side, planes, DataType.UINT8,
                VoxelSize.unknown()), masks);
    }

    private static final int SIDE = 512;

    /**
     * The block as if imaged at another pixel size: 0.5 = 2 × 2 averaged (labels: at least half of the four), 2 = the
     * central half enlarged twice (bilinear; labels nearest).
     */
    static Block rescaled(Block b, double factor) {
        FloatVolume v = b.image();
        int w = v.width();
        int h = v.height();
        List<float[]> planes = new ArrayList<>();
        boolean[][] masks = new boolean[v.depth()][];
        int ow;
        int oh;
        if (factor == 0.5) {
            ow = w / 2;
            oh = h / 2;
            for (int z = 0; z < v.depth(); z++) {
                float[] p = v.plane(z);
                float[] o = new float[ow * oh];
                boolean[] m = new boolean[ow * oh];
                for (int y = 0; y < oh; y++) {
                    for (int x = 0; x < ow; x++) {
                        int a = 2 * y * w + 2 * x;
                        o[y * ow + x] = (p[a] + p[a + 1] + p[a + w] + p[a + w + 1]) / 4;
                        boolean[] l = b.labels()[z];
                        int n = (l[a] ? 1 : 0) + (l[a + 1] ? 1 : 0) + (l[a + w] ? 1 : 0) + (l[a + w + 1] ? 1 : 0);
                        m[y * ow + x] = n >= 2;
                    }
                }
                planes.add(o);
                masks[z] = m;
            }
        } else if (factor == 2) {
            ow = w;
            oh = h;
            int x0 = w / 4;
            int y0 = h / 4;
            for (int z = 0; z < v.depth(); z++) {
                float[] p = v.plane(z);
                float[] o = new float[ow * oh];
                boolean[] m = new boolean[ow * oh];
                for (int y = 0; y < oh; y++) {
                    double sy = y0 + (y + 0.5) / 2 - 0.5;
                    int iy = (int) Math.floor(sy);
                    double fy = sy - iy;
                    for (int x = 0; x < ow; x++) {
                        double sx = x0 + (x + 0.5) / 2 - 0.5;
                        int ix = (int) Math.floor(sx);
                        double fx = sx - ix;
                        double top = p[iy * w + ix] * (1 - fx) + p[iy * w + ix + 1] * fx;
                        double bottom = p[(iy + 1) * w + ix] * (1 - fx) + p[(iy + 1) * w + ix + 1] * fx;
                        o[y * ow + x] = (float) (top * (1 - fy) + bottom * fy);
                        m[y * ow + x] = b.labels()[z][(y0 + y / 2) * w + x0 + x / 2];
                    }
                }
                planes.add(o);
                masks[z] = m;
            }
        } else {
            throw new IllegalArgumentException("factor must be 0.5 or 2 but was " + factor);
        }
        return new Block(b.name() + (factor == 0.5 ? " at half size" : " at double size"), b.structure(),
                "wrong pixel size (" + (factor == 0.5 ? "×0.5" : "×2") + ")",
                new FloatVolume(ow, oh, planes, DataType.UINT8, VoxelSize.unknown()), masks);
    }

    // ---- statistics --------------------------------------------------------------------------------------------

    private static void print(List<Row> rows, Augmentation augmentation) {
        System.out.println("| model | block | kind | IoU | F1 | agreement | soft Dice | confidence | foreground |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| `%s` | %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", r.model(),
                    r.block(), r.kind(), r.iou(), r.f1(), r.agreement(), r.softDice(), r.confidence(), r.foreground());
        }
        Map<String, ToDoubleFunction<Row>> estimators = new LinkedHashMap<>();
        estimators.put("agreement", Row::agreement);
        estimators.put("soft Dice", Row::softDice);
        estimators.put("confidence", Row::confidence);
        System.out.println();
        System.out.println("Spearman rank correlation with the true IoU (augmentation " + augmentation.wire() + "; n pairs):");
        System.out.println("| estimator | all (n=" + rows.size() + ") | membranes | mitochondria | same block, pairs of models ranked right |");
        System.out.println("|---|---|---|---|---|");
        for (var e : estimators.entrySet()) {
            List<Row> mem = rows.stream().filter(r -> r.structure().equals("membranes")).toList();
            List<Row> mito = rows.stream().filter(r -> r.structure().equals("mitochondria")).toList();
            System.out.printf(Locale.ROOT, "| %s | %.3f | %.3f (n=%d) | %.3f (n=%d) | %s |%n", e.getKey(),
                    spearman(rows, Row::iou, e.getValue()), spearman(mem, Row::iou, e.getValue()), mem.size(),
                    spearman(mito, Row::iou, e.getValue()), mito.size(), concordance(rows, e.getValue()));
        }
    }

    /** Of the pairs of models run on the same block, how many the estimator orders as their IoU does. */
    static String concordance(List<Row> rows, ToDoubleFunction<Row> estimator) {
        int right = 0;
        int pairs = 0;
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                Row a = rows.get(i);
                Row b = rows.get(j);
                if (!a.block().equals(b.block()) || !a.structure().equals(b.structure()) || a.iou() == b.iou()) {
                    continue;
                }
                pairs++;
                if (Math.signum(a.iou() - b.iou()) == Math.signum(estimator.applyAsDouble(a) - estimator.applyAsDouble(b))) {
                    right++;
                }
            }
        }
        return right + "/" + pairs;
    }

    static double spearman(List<Row> rows, ToDoubleFunction<Row> x, ToDoubleFunction<Row> y) {
        if (rows.size() < 3) {
            return Double.NaN;
        }
        double[] rx = ranks(rows.stream().mapToDouble(x).toArray());
        double[] ry = ranks(rows.stream().mapToDouble(y).toArray());
        return pearson(rx, ry);
    }

    /** Ranks 1..n, ties given their mean rank. */
    static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] r = new double[v.length];
        int i = 0;
        while (i < v.length) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[order[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return r;
    }

    private static double pearson(double[] a, double[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
