package org.zooscope.core.modelpkg.check;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;

/**
 * Reads an uploaded zip into memory only as far as it is safe: no path traversal, no absolute paths, no links, no
 * duplicate names, at most {@link PackageLimits} entries and bytes, and no entry that inflates beyond the ratio limit
 * (counted on the bytes actually inflated, since a bomb's headers lie). Every unsafe entry is reported, then nothing is
 * returned: a package with one unsafe entry is not read at all.
 */
public final class ZipSafety {
    /** Entries smaller than this are never called bombs: tiny text files compress very well. */
    private static final long RATIO_FLOOR = 1 << 20;
    private static final List<String> DESCRIPTION_NAMES = List.of("bioimageio.yaml", "rdf.yaml");

    private ZipSafety() {
    }

    public static Optional<PackageContents> read(Path zip, PackageLimits limits, List<String> problems) {
        int before = problems.size();
        try {
            long size = Files.size(zip);
            if (size > limits.maxPackageBytes()) {
                problems.add("the package is " + size + " bytes; at most " + limits.maxPackageBytes() + " are accepted");
                return Optional.empty();
            }
        } catch (IOException e) {
            problems.add("the package cannot be read: " + e.getMessage());
            return Optional.empty();
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipFile zf = ZipFile.builder().setPath(zip).get()) {
            List<ZipArchiveEntry> entries = Collections.list(zf.getEntries());
            if (entries.size() > limits.maxEntries()) {
                problems.add("the package has " + entries.size() + " entries; at most " + limits.maxEntries() + " are accepted");
                return Optional.empty();
            }
            long total = 0;
            for (ZipArchiveEntry e : entries) {
                String name = e.getName();
                String unsafe = unsafeName(name);
                if (unsafe != null) {
                    problems.add("zip entry '" + printable(name) + "' is rejected: " + unsafe);
                    continue;
                }
                if (e.isUnixSymlink()) {
                    problems.add("zip entry '" + name + "' is a symbolic link; packages must contain plain files only");
                    continue;
                }
                if (e.isDirectory()) {
                    continue;
                }
                if (files.containsKey(name)) {
                    problems.add("zip entry '" + name + "' appears twice");
                    continue;
                }
                if (!zf.canReadEntryData(e)) {
                    problems.add("zip entry '" + name + "' uses an unsupported compression method or encryption");
                    continue;
                }
                long compressed = Math.max(e.getCompressedSize(), 1);
                long budget = limits.maxUnpackedBytes() - total;
                long ratioCap = Math.max(RATIO_FLOOR, compressed * limits.maxCompressionRatio());
                byte[] data;
                try (InputStream in = zf.getInputStream(e)) {
                    data = readAtMost(in, Math.min(budget, ratioCap));
                }
                if (data == null) {
                    if (budget <= ratioCap) {
                        problems.add("the package unpacks to more than " + limits.maxUnpackedBytes() + " bytes (at '" + name + "')");
                        return Optional.empty();
                    }
                    problems.add("zip entry '" + name + "' inflates more than " + limits.maxCompressionRatio()
                            + " times its compressed size of " + compressed + " bytes: a zip bomb");
                    continue;
                }
                total += data.length;
                files.put(name, data);
            }
        } catch (IOException | RuntimeException e) {
            problems.add("the package is not a readable zip file: " + e.getMessage());
            return Optional.empty();
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return describedPackage(stripCommonFolder(files), problems);
    }

    private static Optional<PackageContents> describedPackage(Map<String, byte[]> files, List<String> problems) {
        List<String> found = new ArrayList<>();
        for (String name : files.keySet()) {
            if (DESCRIPTION_NAMES.contains(name) || (!name.contains("/") && name.endsWith(".bioimageio.yaml"))) {
                found.add(name);
            }
        }
        if (found.isEmpty()) {
            problems.add("the package has no description: expected bioimageio.yaml (or rdf.yaml) at its top level");
            return Optional.empty();
        }
        if (found.size() > 1) {
            problems.add("the package has several descriptions " + found + "; exactly one is expected");
            return Optional.empty();
        }
        return Optional.of(new PackageContents(files, found.get(0)));
    }

    /** Zips made by "compress folder" put everything under one folder: read them as if it were the root. */
    private static Map<String, byte[]> stripCommonFolder(Map<String, byte[]> files) {
        String prefix = null;
        for (String name : files.keySet()) {
            int slash = name.indexOf('/');
            if (slash < 0) {
                return files;
            }
            String first = name.substring(0, slash + 1);
            if (prefix == null) {
                prefix = first;
            } else if (!prefix.equals(first)) {
                return files;
            }
        }
        if (prefix == null) {
            return files;
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (var e : files.entrySet()) {
            out.put(e.getKey().substring(prefix.length()), e.getValue());
        }
        return out;
    }

    /** Why a name is unsafe, or null when it is a plain relative path. */
    static String unsafeName(String name) {
        if (name.isEmpty()) {
            return "empty name";
        }
        if (name.indexOf('\0') >= 0 || name.chars().anyMatch(c -> c < 0x20)) {
            return "control characters in the name";
        }
        if (name.contains("\\")) {
            return "backslashes in the name (a Windows path)";
        }
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            return "absolute path";
        }
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                return "path traversal ('..')";
            }
        }
        return null;
    }

    private static String printable(String name) {
        return name.replaceAll("\\p{Cntrl}", "?");
    }

    /** All of {@code in}, or null when it holds more than {@code max} bytes. */
    private static byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            n += r;
            if (n > max) {
                return null;
            }
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }
}
