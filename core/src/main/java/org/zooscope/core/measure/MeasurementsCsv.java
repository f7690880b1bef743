package org.zooscope.core.measure;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.zooscope.core.volume.VoxelSize;

/**
 * Writes measured objects as CSV, one row per object: the table spreadsheet users and pandas read. Volumes are in
 * the voxel size's unit cubed, or in voxels when the physical size is not known (the {@code volume_unit} column says
 * which); coordinates are voxel indices.
 */
public final class MeasurementsCsv {
    public static final String HEADER = "id,voxels,volume,volume_unit,x_min,y_min,z_min,x_max,y_max,z_max,"
            + "centroid_x,centroid_y,centroid_z,mean_probability";

    private MeasurementsCsv() {
    }

    public static void write(List<MeasuredObject> objects, VoxelSize voxelSize, OutputStream out) throws IOException {
        boolean known = voxelSize != null && voxelSize.isKnown();
        double voxelVolume = known ? voxelSize.x() * voxelSize.y() * voxelSize.z() : 1;
        String unit = known ? voxelSize.unit() + "^3" : "voxel";
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write(HEADER);
        w.write('\n');
        for (MeasuredObject o : objects) {
            w.write(String.format(Locale.ROOT, "%d,%d,%.6g,%s,%d,%d,%d,%d,%d,%d,%.3f,%.3f,%.3f,%.4f\n", o.id(), o.voxels(),
                    o.voxels() * voxelVolume, unit, o.minX(), o.minY(), o.minZ(), o.maxX(), o.maxY(), o.maxZ(),
                    o.centroidX(), o.centroidY(), o.centroidZ(), o.meanProbability()));
        }
        w.flush();
    }
}
