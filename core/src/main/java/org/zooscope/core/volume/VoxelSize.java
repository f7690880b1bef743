package org.zooscope.core.volume;

import java.util.Locale;
import java.util.Objects;

/**
 * Physical size of one voxel along x, y and z, in {@code unit}.
 *
 * <p>Units are normalised on construction to one of {@code "pm", "Å", "nm", "µm", "mm", "cm", "m"}, or
 * {@code "pixel"} when the size is not known (see {@link #unknown()}). Immutable and thread-safe.
 *
 * @param x size along x (columns), &gt; 0
 * @param y size along y (rows), &gt; 0
 * @param z size along z (planes), &gt; 0
 * @param unit length unit of x, y and z
 */
public record VoxelSize(double x, double y, double z, String unit) {

    /** The unit used when the physical size is not known. */
    public static final String PIXEL = "pixel";

    public VoxelSize {
        Objects.requireNonNull(unit, "unit");
        if (!(x > 0) || !(y > 0) || !(z > 0) || Double.isInfinite(x) || Double.isInfinite(y) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("voxel size must be finite and > 0 but was " + x + " x " + y + " x " + z);
        }
        unit = normaliseUnit(unit);
    }

    /** 1 × 1 × 1 pixel: the physical size is not known. */
    public static VoxelSize unknown() {
        return new VoxelSize(1, 1, 1, PIXEL);
    }

    /** Whether this carries a physical size (unit is not {@code "pixel"}). */
    public boolean isKnown() {
        return !PIXEL.equals(unit);
    }

    /** This voxel size with a different z spacing (same unit). */
    public VoxelSize withZ(double newZ) {
        return new VoxelSize(x, y, newZ, unit);
    }

    /** Nanometres per unit, or NaN for {@code "pixel"}. */
    public double nanometresPerUnit() {
        return switch (unit) {
            case "pm" -> 1e-3;
            case "Å" -> 0.1;
            case "nm" -> 1;
            case "µm" -> 1e3;
            case "mm" -> 1e6;
            case "cm" -> 1e7;
            case "m" -> 1e9;
            default -> Double.NaN;
        };
    }

    /** The same size in nanometres; unknown sizes stay unknown. */
    public VoxelSize toNanometres() {
        if (!isKnown()) {
            return this;
        }
        double f = nanometresPerUnit();
        return new VoxelSize(x * f, y * f, z * f, "nm");
    }

    /** The unit as spelled by OME-NGFF / UDUNITS-2 ({@code "nanometer"}, ...), or null for {@code "pixel"}. */
    public String ngffUnit() {
        return switch (unit) {
            case "pm" -> "picometer";
            case "Å" -> "angstrom";
            case "nm" -> "nanometer";
            case "µm" -> "micrometer";
            case "mm" -> "millimeter";
            case "cm" -> "centimeter";
            case "m" -> "meter";
            default -> null;
        };
    }

    /**
     * Maps the spellings found in TIFF, ImageJ, OME and MRC metadata to a canonical unit; anything unrecognised
     * becomes {@code "pixel"}.
     */
    public static String normaliseUnit(String raw) {
        String u = raw.trim().toLowerCase(Locale.ROOT);
        return switch (u) {
            case "pm", "picometer", "picometre" -> "pm";
            case "å", "a", "angstrom", "ångström", "\u212b" -> "Å";
            case "nm", "nanometer", "nanometre", "nanometers", "nanometres" -> "nm";
            case "µm", "μm", "um", "micron", "microns", "micrometer", "micrometre", "micrometers", "micrometres",
                    "\\u00b5m" -> "µm";
            case "mm", "millimeter", "millimetre" -> "mm";
            case "cm", "centimeter", "centimetre" -> "cm";
            case "m", "meter", "metre" -> "m";
            default -> PIXEL;
        };
    }
}
