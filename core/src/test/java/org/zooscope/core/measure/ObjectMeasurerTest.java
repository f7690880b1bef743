package org.zooscope.core.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.zooscope.core.volume.VoxelSize;

class ObjectMeasurerTest {

    @Test
    void diagonalNeighboursAreSeparateObjectsButFacesInZJoin() {
        int w = 4;
        int h = 3;
        float[] z0 = new float[w * h];
        float[] z1 = new float[w * h];
        z0[0] = 0.9f;          // (0,0,0)
        z0[w + 1] = 0.8f;      // (1,1,0): touches (0,0,0) only at an edge -> its own object
        z1[w + 1] = 0.6f;      // (1,1,1): face neighbour of (1,1,0) in z -> same object
        z0[3] = 0.4f;          // below the threshold
        ObjectMeasurer m = new ObjectMeasurer(w, h, 0.5);
        m.addPlane(z0);
        m.addPlane(z1);

        List<MeasuredObject> objects = m.objects();
        assertThat(objects).hasSize(2);
        assertThat(objects.get(0).voxels()).isEqualTo(1);
        MeasuredObject b = objects.get(1);
        assertThat(b.voxels()).isEqualTo(2);
        assertThat(b.minZ()).isZero();
        assertThat(b.maxZ()).isEqualTo(1);
        assertThat(b.centroidZ()).isEqualTo(0.5);
        assertThat(b.meanProbability()).isCloseTo(0.7, within(1e-6));
        assertThat(m.volumeFraction()).isCloseTo(3.0 / 24, within(1e-12));
    }

    @Test
    void aUShapeMergesWhenItsArmsMeetLater() {
        // two arms that start apart in row 0 and join in row 2: labels given early must merge with their statistics
        String[] rows = {"X.X", "X.X", "XXX"};
        float[] plane = new float[9];
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                plane[y * 3 + x] = rows[y].charAt(x) == 'X' ? 1 : 0;
            }
        }
        ObjectMeasurer m = new ObjectMeasurer(3, 3, 0.5);
        m.addPlane(plane);
        assertThat(m.objects()).singleElement().satisfies(o -> {
            assertThat(o.voxels()).isEqualTo(7);
            assertThat(o.maxX()).isEqualTo(2);
            assertThat(o.maxY()).isEqualTo(2);
            assertThat(o.centroidX()).isCloseTo(1.0, within(1e-12));
        });
    }

    @Test
    void agreesWithAFloodFillOnARandomVolume() {
        int w = 37;
        int h = 29;
        int d = 7;
        Random r = new Random(7);
        float[][] planes = new float[d][w * h];
        for (float[] p : planes) {
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextFloat();
            }
        }
        double threshold = 0.62; // near the 3D percolation range: many objects, some large and winding
        ObjectMeasurer m = new ObjectMeasurer(w, h, threshold);
        for (float[] p : planes) {
            m.addPlane(p);
        }
        List<long[]> expected = floodFill(planes, w, h, threshold);
        List<MeasuredObject> actual = m.objects();
        assertThat(actual).hasSize(expected.size());
        // compare as sorted (voxels, sum of x, sum of z) triples: independent of numbering
        List<String> a = actual.stream().map(o -> o.voxels() + ":" + Math.round(o.centroidX() * o.voxels())
                + ":" + Math.round(o.centroidZ() * o.voxels())).sorted().toList();
        List<String> e = expected.stream().map(x -> x[0] + ":" + x[1] + ":" + x[2]).sorted().toList();
        assertThat(a).isEqualTo(e);
        assertThat(actual).extracting(MeasuredObject::id).isSorted();
    }

    @Test
    void csvHasOneRowPerObjectWithPhysicalVolume() throws Exception {
        ObjectMeasurer m = new ObjectMeasurer(2, 1, 0.5);
        m.addPlane(new float[] {1, 0});
        m.addPlane(new float[] {1, 1});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MeasurementsCsv.write(m.objects(), new VoxelSize(2, 2, 10, "nm"), out);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).isEqualTo(MeasurementsCsv.HEADER);
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith("1,3,120.000,nm^3,0,0,0,1,0,1,");
    }

    /** Breadth-first flood fill with 6-connectivity: {voxels, sum x, sum z} per component. */
    private static List<long[]> floodFill(float[][] planes, int w, int h, double threshold) {
        int d = planes.length;
        boolean[] seen = new boolean[w * h * d];
        List<long[]> out = new ArrayList<>();
        int[][] steps = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
        for (int start = 0; start < seen.length; start++) {
            int sz = start / (w * h);
            if (seen[start] || !(planes[sz][start % (w * h)] >= threshold)) {
                continue;
            }
            long[] c = new long[3];
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            queue.add(start);
            seen[start] = true;
            while (!queue.isEmpty()) {
                int v = queue.poll();
                int z = v / (w * h);
                int y = (v % (w * h)) / w;
                int x = v % w;
                c[0]++;
                c[1] += x;
                c[2] += z;
                for (int[] s : steps) {
                    int nx = x + s[0];
                    int ny = y + s[1];
                    int nz = z + s[2];
                    if (nx < 0 || ny < 0 || nz < 0 || nx >= w || ny >= h || nz >= d) {
                        continue;
                    }
                    int n = nz * w * h + ny * w + nx;
                    if (!seen[n] && planes[nz][ny * w + nx] >= threshold) {
                        seen[n] = true;
                        queue.add(n);
                    }
                }
            }
            out.add(c);
        }
        out.sort(Comparator.comparingLong(x -> x[0]));
        return out;
    }
}
