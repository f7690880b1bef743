package org.zooscope.core.modelpkg.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipSafetyTest {
    private static final byte[] YAML = "format_version: 0.5.4\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    @Test
    void readsAPlainPackageAndFindsItsDescription() throws IOException {
        Path zip = zip("ok.zip", "bioimageio.yaml", YAML, "weights.onnx", new byte[] {1, 2, 3});
        List<String> problems = new ArrayList<>();

        PackageContents c = ZipSafety.read(zip, PackageLimits.defaults(), problems).orElseThrow();

        assertThat(problems).isEmpty();
        assertThat(c.descriptionName()).isEqualTo("bioimageio.yaml");
        assertThat(c.file("./weights.onnx")).hasValueSatisfying(b -> assertThat(b).containsExactly(1, 2, 3));
    }

    @Test
    void acceptsAnEcosystemRdfYamlInsideOneFolder() throws IOException {
        Path zip = zip("eco.zip", "my-model/rdf.yaml", YAML, "my-model/test_input_0.npy", new byte[4]);
        List<String> problems = new ArrayList<>();

        PackageContents c = ZipSafety.read(zip, PackageLimits.defaults(), problems).orElseThrow();

        assertThat(c.descriptionName()).isEqualTo("rdf.yaml");
        assertThat(c.files()).containsKeys("rdf.yaml", "test_input_0.npy");
    }

    @Test
    void rejectsTraversalAndAbsolutePathsAndNamesEach() throws IOException {
        Path zip = zip("evil.zip", "bioimageio.yaml", YAML, "../../etc/cron.d/x", new byte[1], "/abs.txt", new byte[1],
                "a\\..\\b.txt", new byte[1]);
        List<String> problems = new ArrayList<>();

        assertThat(ZipSafety.read(zip, PackageLimits.defaults(), problems)).isEmpty();

        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).contains("../../etc/cron.d/x").contains("path traversal");
        assertThat(problems.get(1)).contains("absolute path");
        // the zip reader turns Windows separators into '/', so the hidden '..' is still found
        assertThat(problems.get(2)).contains("a/../b.txt").contains("path traversal");
    }

    @Test
    void rejectsSymbolicLinks() throws IOException {
        Path zip = tmp.resolve("link.zip");
        try (ZipArchiveOutputStream out = new ZipArchiveOutputStream(zip)) {
            ZipArchiveEntry yaml = new ZipArchiveEntry("bioimageio.yaml");
            out.putArchiveEntry(yaml);
            out.write(YAML);
            out.closeArchiveEntry();
            ZipArchiveEntry link = new ZipArchiveEntry("weights.onnx");
            link.setUnixMode(0120777);
            out.putArchiveEntry(link);
            out.write("/etc/passwd".getBytes(StandardCharsets.UTF_8));
            out.closeArchiveEntry();
        }
        List<String> problems = new ArrayList<>();

        assertThat(ZipSafety.read(zip, PackageLimits.defaults(), problems)).isEmpty();

        assertThat(problems).singleElement().asString().contains("weights.onnx").contains("symbolic link");
    }

    @Test
    void stopsInflatingAZipBombAtTheRatioLimit() throws IOException {
        Path zip = tmp.resolve("bomb.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("bioimageio.yaml"));
            out.write(YAML);
            out.putNextEntry(new ZipEntry("weights.onnx"));
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
            out.closeEntry();
        }
        assertThat(Files.size(zip)).as("64 MiB of zeros deflate to almost nothing").isLessThan(200_000);
        List<String> problems = new ArrayList<>();

        assertThat(ZipSafety.read(zip, PackageLimits.defaults(), problems)).isEmpty();

        assertThat(problems).singleElement().asString().contains("weights.onnx").contains("zip bomb");
    }

    @Test
    void enforcesTheTotalUnpackedSizeAndEntryCount() throws IOException {
        byte[] random = new byte[300_000];
        new java.util.Random(1).nextBytes(random);
        Path zip = zip("big.zip", "bioimageio.yaml", YAML, "a.bin", random, "b.bin", random);
        List<String> problems = new ArrayList<>();

        assertThat(ZipSafety.read(zip, new PackageLimits(1 << 20, 10, 500_000, 100), problems)).isEmpty();
        assertThat(problems).singleElement().asString().contains("unpacks to more than 500000 bytes");

        problems.clear();
        assertThat(ZipSafety.read(zip, new PackageLimits(1 << 20, 2, 1 << 20, 100), problems)).isEmpty();
        assertThat(problems).singleElement().asString().contains("3 entries; at most 2");
    }

    @Test
    void needsExactlyOneDescription() throws IOException {
        List<String> problems = new ArrayList<>();
        assertThat(ZipSafety.read(zip("none.zip", "weights.onnx", new byte[1]), PackageLimits.defaults(), problems)).isEmpty();
        assertThat(problems).singleElement().asString().contains("no description");
    }

    @Test
    void rejectsWhatIsNotAZip() throws IOException {
        Path notZip = Files.writeString(tmp.resolve("x.zip"), "hello");
        List<String> problems = new ArrayList<>();
        assertThat(ZipSafety.read(notZip, PackageLimits.defaults(), problems)).isEmpty();
        assertThat(problems).singleElement().asString().contains("not a readable zip");
    }

    private Path zip(String name, Object... entries) throws IOException {
        Path zip = tmp.resolve(name);
        try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
            for (int i = 0; i < entries.length; i += 2) {
                out.putNextEntry(new ZipEntry((String) entries[i]));
                out.write((byte[]) entries[i + 1]);
                out.closeEntry();
            }
        }
        return zip;
    }
}
