package org.zooscope.core.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Measures the objects of a thresholded probability volume: the 3D connected components (6-connectivity: faces, not
 * edges or corners) of the voxels whose probability reaches the threshold, with each one's size, bounding box,
 * centroid and mean probability. Planes are fed one at a time in z order, so only two planes of labels are held
 * (union-find over provisional labels, statistics merged as labels join), whatever the depth. Not thread-safe.
 */
public final class ObjectMeasurer {
    private final int width;
    private final int height;
    private final double threshold;
    private int[] previous;
    private int[] current;
    private int z;
    private long foreground;
    private long total;

    // per provisional label (index 0 unused): union-find parent and the statistics of the set it roots
    private int[] parent = new int[1024];
    private long[] voxels = new long[1024];
    private double[] sumP = new double[1024];
    private double[] sumX = new double[1024];
    private double[] sumY = new double[1024];
    private double[] sumZ = new double[1024];
    private int[] min = new int[3 * 1024];
    private int[] max = new int[3 * 1024];
    private int labels;

    public ObjectMeasurer(int width, int height, double threshold) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("plane must be at least 1 x 1 but was " + width + " x " + height);
        }
        this.width = width;
        this.height = height;
        this.threshold = threshold;
        this.previous = new int[width * height];
        this.current = new int[width * height];
    }

    /** Adds the next plane (z = number of planes added so far). */
    public void addPlane(float[] probabilities) {
        if (probabilities.length != width * height) {
            throw new IllegalArgumentException("plane holds " + probabilities.length + " values, expected " + width * height);
        }
        Arrays.fill(current, 0);
        for (int y = 0, i = 0; y < height; y++) {
            for (int x = 0; x < width; x++, i++) {
                float p = probabilities[i];
                if (!(p >= threshold)) {
                    continue;
                }
                int label = 0;
                if (x > 0 && current[i - 1] != 0) {
                    label = join(label, current[i - 1]);
                }
                if (y > 0 && current[i - width] != 0) {
                    label = join(label, current[i - width]);
                }
                if (z > 0 && previous[i] != 0) {
                    label = join(label, previous[i]);
                }
                if (label == 0) {
                    label = newLabel();
                }
                current[i] = label;
                add(find(label), x, y, p);
                foreground++;
            }
        }
        int[] t = previous;
        previous = current;
        current = t;
        total += (long) width * height;
        z++;
    }

    /** The objects found so far, numbered 1.. by their bounding box's lowest corner (z, then y, then x). */
    public List<MeasuredObject> objects() {
        List<Integer> roots = new ArrayList<>();
        for (int l = 1; l <= labels; l++) {
            if (parent[l] == l) {
                roots.add(l);
            }
        }
        roots.sort(Comparator.<Integer>comparingInt(r -> min[3 * r + 2]).thenComparingInt(r -> min[3 * r + 1])
                .thenComparingInt(r -> min[3 * r]).thenComparingInt(r -> r));
        List<MeasuredObject> out = new ArrayList<>(roots.size());
        int id = 1;
        for (int r : roots) {
            double n = voxels[r];
            out.add(new MeasuredObject(id++, voxels[r], min[3 * r], min[3 * r + 1], min[3 * r + 2], max[3 * r],
                    max[3 * r + 1], max[3 * r + 2], sumX[r] / n, sumY[r] / n, sumZ[r] / n, sumP[r] / n));
        }
        return out;
    }

    /** Foreground voxels / all voxels seen. */
    public double volumeFraction() {
        return total == 0 ? 0 : foreground / (double) total;
    }

    public long foregroundVoxels() {
        return foreground;
    }

    private int join(int label, int other) {
        int b = find(other);
        if (label == 0) {
            return b;
        }
        int a = find(label);
        if (a == b) {
            return a;
        }
        int root = Math.min(a, b);
        int child = Math.max(a, b);
        parent[child] = root;
        voxels[root] += voxels[child];
        sumP[root] += sumP[child];
        sumX[root] += sumX[child];
        sumY[root] += sumY[child];
        sumZ[root] += sumZ[child];
        for (int k = 0; k < 3; k++) {
            min[3 * root + k] = Math.min(min[3 * root + k], min[3 * child + k]);
            max[3 * root + k] = Math.max(max[3 * root + k], max[3 * child + k]);
        }
        return root;
    }

    private int find(int l) {
        int r = l;
        while (parent[r] != r) {
            r = parent[r];
        }
        while (parent[l] != r) {
            int next = parent[l];
            parent[l] = r;
            l = next;
        }
        return r;
    }

    private int newLabel() {
        int l = ++labels;
        if (l >= parent.length) {
            int n = parent.length * 2;
            parent = Arrays.copyOf(parent, n);
            voxels = Arrays.copyOf(voxels, n);
            sumP = Arrays.copyOf(sumP, n);
            sumX = Arrays.copyOf(sumX, n);
            sumY = Arrays.copyOf(sumY, n);
            sumZ = Arrays.copyOf(sumZ, n);
            min = Arrays.copyOf(min, 3 * n);
            max = Arrays.copyOf(max, 3 * n);
        }
        parent[l] = l;
        min[3 * l] = Integer.MAX_VALUE;
        min[3 * l + 1] = Integer.MAX_VALUE;
        min[3 * l + 2] = Integer.MAX_VALUE;
        max[3 * l] = -1;
        max[3 * l + 1] = -1;
        max[3 * l + 2] = -1;
        return l;
    }

    private void add(int r, int x, int y, float p) {
        voxels[r]++;
        sumP[r] += p;
        sumX[r] += x;
        sumY[r] += y;
        sumZ[r] += z;
        min[3 * r] = Math.min(min[3 * r], x);
        min[3 * r + 1] = Math.min(min[3 * r + 1], y);
        min[3 * r + 2] = Math.min(min[3 * r + 2], z);
        max[3 * r] = Math.max(max[3 * r], x);
        max[3 * r + 1] = Math.max(max[3 * r + 1], y);
        max[3 * r + 2] = Math.max(max[3 * r + 2], z);
    }
}
