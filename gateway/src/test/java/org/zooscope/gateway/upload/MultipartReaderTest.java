package org.zooscope.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
    private static final String B = "----zooscopeBoundary7MA4YWxkTrZu0gW";

    private static byte[] body(String preamble, Object... nameFileContent) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(preamble.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < nameFileContent.length; i += 3) {
            String file = nameFileContent[i + 1] == null ? "" : "; filename=\"" + nameFileContent[i + 1] + "\"";
            out.writeBytes(("--" + B + "\r\nContent-Disposition: form-data; name=\"" + nameFileContent[i] + "\"" + file
                    + "\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes((byte[]) nameFileContent[i + 2]);
            out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.writeBytes(("--" + B + "--\r\nepilogue").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    /** Reads every part, the body handed over in small irregular pieces, as a network delivers it. */
    private static List<byte[]> parts(byte[] body, List<String> names) throws IOException {
        InputStream trickle = new ByteArrayInputStream(body) {
            private final Random r = new Random(7);

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(3000)));
            }
        };
        MultipartReader reader = new MultipartReader(trickle, B);
        List<byte[]> out = new ArrayList<>();
        for (MultipartReader.Part p = reader.next(); p != null; p = reader.next()) {
            names.add(p.name() + "/" + p.filename());
            out.add(p.content().readAllBytes());
        }
        return out;
    }

    @Test
    void everyPartComesOutByteForByteWhateverItHolds() throws IOException {
        // content larger than the buffer, with near-delimiters ("\r\n--" and most of the boundary) inside
        byte[] big = new byte[3 * MultipartReader.BUFFER + 123];
        new Random(1).nextBytes(big);
        byte[] near = ("\r\n--" + B.substring(0, B.length() - 1) + "x").getBytes(StandardCharsets.ISO_8859_1);
        for (int at : new int[] {0, MultipartReader.BUFFER - 5, 2 * MultipartReader.BUFFER - 30, big.length - near.length}) {
            System.arraycopy(near, 0, big, at, near.length);
        }
        byte[] small = "abc".getBytes(StandardCharsets.ISO_8859_1);
        List<String> names = new ArrayList<>();

        List<byte[]> got = parts(body("a preamble\r\n", "file", "a.tif", big, "note", null, small,
                "file", "zwölf.png", new byte[0]), names);

        assertThat(names).containsExactly("file/a.tif", "note/null", "file/zwölf.png");
        assertThat(got.get(0)).isEqualTo(big);
        assertThat(got.get(1)).isEqualTo(small);
        assertThat(got.get(2)).isEmpty();
    }

    @Test
    void aPartLeftUnreadIsSkipped() throws IOException {
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(body("", "x", null, new byte[100_000],
                "file", "b.tif", "B".getBytes(StandardCharsets.ISO_8859_1))), B);
        assertThat(reader.next().name()).isEqualTo("x");
        MultipartReader.Part file = reader.next();
        assertThat(file.content().readAllBytes()).containsExactly('B');
        assertThat(reader.next()).isNull();
    }

    @Test
    void aBodyCutShortOrWithoutBoundaryIsMalformed() {
        byte[] whole = body("", "file", "a.tif", new byte[5000]);
        byte[] cut = java.util.Arrays.copyOf(whole, 3000);
        assertThatThrownBy(() -> parts(cut, new ArrayList<>())).isInstanceOf(MultipartReader.Malformed.class)
                .hasMessageContaining("ends inside a part");
        assertThatThrownBy(() -> MultipartReader.boundary("multipart/form-data"))
                .isInstanceOf(MultipartReader.Malformed.class).hasMessageContaining("boundary");
        assertThatThrownBy(() -> parts("no boundary here".getBytes(StandardCharsets.ISO_8859_1), new ArrayList<>()))
                .isInstanceOf(MultipartReader.Malformed.class);
    }

    @Test
    void theBoundaryMayBeQuoted() throws MultipartReader.Malformed {
        assertThat(MultipartReader.boundary("multipart/form-data; charset=utf-8; boundary=\"" + B + "\"")).isEqualTo(B);
    }
}
