package org.zooscope.core.io;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.zooscope.core.volume.VoxelSize;

/**
 * Physical voxel size and stack layout from TIFF metadata: an ImageJ description ({@code unit=}, {@code spacing=},
 * {@code images=}, {@code channels=}), OME-XML ({@code PhysicalSizeX/Y/Z} with units, {@code SizeC}), and the TIFF
 * resolution tags. Precedence: OME-XML, then ImageJ, then resolution tags with ResolutionUnit centimetre. A
 * resolution in pixels per inch is ignored (it is a print setting, almost always 72 dpi, not a pixel size). When the
 * file gives x/y but no z spacing, z is set equal to x. Package-private.
 */
final class TiffMetadata {

    private static final Pattern OME_PIXELS = Pattern.compile("<(?:\\w+:)?Pixels\\b([^>]*)>", Pattern.DOTALL);

    private TiffMetadata() {
    }

    /** key=value lines of an ImageJ description, or an empty map if it is not one. */
    static Map<String, String> imagej(String description) {
        Map<String, String> m = new HashMap<>();
        if (description == null || !description.startsWith("ImageJ=")) {
            return m;
        }
        for (String line : description.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return m;
    }

    /** Attributes of the first OME {@code Pixels} element, or an empty map. */
    static Map<String, String> omePixels(String description) {
        Map<String, String> m = new HashMap<>();
        if (description == null || !description.contains("<OME")) {
            return m;
        }
        Matcher pm = OME_PIXELS.matcher(description);
        if (!pm.find()) {
            return m;
        }
        Matcher a = Pattern.compile("(\\w+)\\s*=\\s*\"([^\"]*)\"").matcher(pm.group(1));
        while (a.find()) {
            m.put(a.group(1), a.group(2));
        }
        return m;
    }

    static int intOr(Map<String, String> m, String key, int dflt) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static double doubleOr(Map<String, String> m, String key, double dflt) {
        String v = m.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            return d > 0 && Double.isFinite(d) ? d : dflt;
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static VoxelSize voxelSize(TiffFile tiff) {
        Map<String, String> ome = omePixels(tiff.description);
        double sx = doubleOr(ome, "PhysicalSizeX", Double.NaN);
        if (!Double.isNaN(sx)) {
            String unit = VoxelSize.normaliseUnit(ome.getOrDefault("PhysicalSizeXUnit", "µm"));
            double sy = doubleOr(ome, "PhysicalSizeY", sx);
            double sz = doubleOr(ome, "PhysicalSizeZ", Double.NaN);
            if (!VoxelSize.PIXEL.equals(unit)) {
                double f = factor(ome.getOrDefault("PhysicalSizeYUnit", "µm"), unit);
                sy *= f;
                sz = Double.isNaN(sz) ? sx : sz * factor(ome.getOrDefault("PhysicalSizeZUnit", "µm"), unit);
                return new VoxelSize(sx, sy, sz, unit);
            }
        }
        double px = 1 / tiff.xResolution;
        double py = Double.isNaN(tiff.yResolution) ? px : 1 / tiff.yResolution;
        boolean resOk = px > 0 && Double.isFinite(px) && py > 0 && Double.isFinite(py);
        Map<String, String> ij = imagej(tiff.description);
        String ijUnit = ij.get("unit");
        if (ijUnit != null && resOk) {
            String unit = VoxelSize.normaliseUnit(ijUnit.replace("\\u00B5", "µ").replace("\\u00b5", "µ"));
            if (!VoxelSize.PIXEL.equals(unit)) {
                double sz = doubleOr(ij, "spacing", px);
                return new VoxelSize(px, py, sz, unit);
            }
        }
        if (resOk && tiff.resolutionUnit == 3) {
            // pixels per centimetre -> micrometres
            double x = 1e4 * px;
            double y = 1e4 * py;
            double z = doubleOr(ij, "spacing", x);
            return new VoxelSize(x, y, z, "µm");
        }
        return VoxelSize.unknown();
    }

    /** Factor converting a value in {@code from} into {@code to}; 1 if either is unknown. */
    private static double factor(String from, String to) {
        VoxelSize a = new VoxelSize(1, 1, 1, from.toLowerCase(Locale.ROOT));
        VoxelSize b = new VoxelSize(1, 1, 1, to);
        double fa = a.nanometresPerUnit();
        double fb = b.nanometresPerUnit();
        return Double.isNaN(fa) || Double.isNaN(fb) ? 1 : fa / fb;
    }
}
