package org.zooscope.core.modelpkg.check;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The files of a model package, by their relative path, as read from a zip that passed {@link ZipSafety}.
 *
 * @param descriptionName {@code bioimageio.yaml}, {@code rdf.yaml} or {@code *.bioimageio.yaml}: the description file
 */
public record PackageContents(Map<String, byte[]> files, String descriptionName) {

    public PackageContents {
        files = Collections.unmodifiableMap(new LinkedHashMap<>(files));
    }

    public Optional<byte[]> file(String relativePath) {
        return Optional.ofNullable(files.get(normalise(relativePath)));
    }

    public byte[] description() {
        return files.get(descriptionName);
    }

    /** The package-relative path a description means by {@code source}: leading {@code ./} removed. */
    public static String normalise(String source) {
        String s = source.replace('\\', '/');
        while (s.startsWith("./")) {
            s = s.substring(2);
        }
        return s;
    }
}
