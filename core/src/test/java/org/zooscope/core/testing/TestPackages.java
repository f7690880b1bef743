package org.zooscope.core.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds package zips for tests from a fixture folder, with files replaced or removed to break them on purpose. Shared
 * by the gateway's validation tests and the system tests through core's test-jar ({@code org/zooscope/core/testing}).
 */
public final class TestPackages {
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final String descriptionName;

    private TestPackages(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            for (Path f : list.sorted().toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        descriptionName = files.containsKey("rdf.yaml") ? "rdf.yaml" : "bioimageio.yaml";
    }

    /**
     * A fixture folder on the test class path, e.g. {@code /models/skeleton-smooth}: a folder, or one inside a jar
     * (core's test-jar carries the tiling fixtures under {@code /packages}).
     */
    public static TestPackages of(String fixture) throws IOException {
        URL url = TestPackages.class.getResource(fixture);
        if (url == null) {
            throw new IOException("no fixture " + fixture + " on the class path");
        }
        try {
            URI uri = url.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return new TestPackages(Path.of(uri));
            }
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return new TestPackages(jar.provider().getPath(uri));
            } catch (FileSystemAlreadyExistsException open) {
                return new TestPackages(FileSystems.getFileSystem(uri).provider().getPath(uri));
            }
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    public byte[] file(String name) {
        return files.get(name);
    }

    /** Replaces a file as is: its declared sha256 no longer matches. */
    public TestPackages replace(String name, byte[] data) {
        files.put(name, data);
        return this;
    }

    /** Replaces a file and updates the sha256 the description declares for it, so only the content is wrong. */
    public TestPackages replaceDeclared(String name, byte[] data) {
        String description = new String(files.get(descriptionName), StandardCharsets.UTF_8);
        files.put(descriptionName, description.replace(sha256(files.get(name)), sha256(data)).getBytes(StandardCharsets.UTF_8));
        files.put(name, data);
        return this;
    }

    public TestPackages editDescription(String from, String to) {
        String description = new String(files.get(descriptionName), StandardCharsets.UTF_8);
        if (!description.contains(from)) {
            throw new IllegalArgumentException("the description has no '" + from + "'");
        }
        files.put(descriptionName, description.replace(from, to).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public TestPackages remove(String name) {
        files.remove(name);
        return this;
    }

    public TestPackages add(String name, byte[] data) {
        files.put(name, data);
        return this;
    }

    public Path zip(Path target) throws IOException {
        try (OutputStream f = Files.newOutputStream(target); ZipOutputStream out = new ZipOutputStream(f)) {
            for (var e : files.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return target;
    }

    /** A zip that holds the package plus a 64 MiB file of zeros: it inflates far beyond any sane ratio. */
    public Path zipWithBomb(Path target) throws IOException {
        try (OutputStream f = Files.newOutputStream(target); ZipOutputStream out = new ZipOutputStream(f)) {
            for (var e : files.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
            }
            out.putNextEntry(new ZipEntry("attachment.bin"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
        }
        return target;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
