package org.zooscope.gateway.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;
import org.zooscope.core.io.ImageReadException;
import org.zooscope.core.io.ReadLimits;
import org.zooscope.core.io.VolumeHeader;
import org.zooscope.core.io.VolumeReader;
import org.zooscope.gateway.config.GatewayProperties;

/**
 * The bundled sample images ({@code zooscope.samples-dir}, the repository's {@code samples/}): every readable image
 * there, described by the row that names it in the folder's README table (what it shows, source and licence). Only
 * these files can be picked, by name, so a request can never reach outside the folder.
 */
@Component
public class SampleCatalog {
    private static final Pattern ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|([^|]*)\\|\\s*$");

    private final Path dir;

    SampleCatalog(GatewayProperties props) {
        this.dir = Path.of(props.samplesDir());
    }

    /** One sample: its file name, shape and attribution. */
    public record Sample(String name, int width, int height, int depth, String dtype, long bytes, String description,
                         String source) {
    }

    public List<Sample> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        Map<String, String[]> notes = readme();
        List<Sample> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || name.endsWith(".md")) {
                    continue;
                }
                try {
                    VolumeHeader h = VolumeReader.header(f, ReadLimits.defaults());
                    String[] note = notes.getOrDefault(name, new String[] {"", ""});
                    out.add(new Sample(name, h.width(), h.height(), h.depth(), h.dataType().name().toLowerCase(),
                            Files.size(f), note[0], note[1]));
                } catch (ImageReadException e) {
                    // not an image (a script, a licence): not a sample
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }

    /** The file of the sample with this name, when there is one. */
    public Optional<Path> file(String name) {
        return list().stream().filter(s -> s.name().equals(name)).findFirst().map(s -> dir.resolve(s.name()));
    }

    private Map<String, String[]> readme() {
        Map<String, String[]> notes = new HashMap<>();
        Path readme = dir.resolve("README.md");
        if (!Files.isRegularFile(readme)) {
            return notes;
        }
        try {
            for (String line : Files.readAllLines(readme)) {
                Matcher m = ROW.matcher(line);
                if (m.matches()) {
                    notes.put(m.group(1), new String[] {clean(m.group(2)), clean(m.group(3))});
                }
            }
        } catch (IOException e) {
            return notes;
        }
        return notes;
    }

    /** Markdown emphasis and code marks off: the page shows plain text. */
    private static String clean(String md) {
        return md.replaceAll("[`*]", "").strip();
    }
}
