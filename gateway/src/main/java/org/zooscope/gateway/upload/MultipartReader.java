package org.zooscope.gateway.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A {@code multipart/form-data} body (RFC 7578) read as a stream, part by part, each part's content an
 * {@link InputStream} that ends at the next delimiter. The delimiter is searched with Boyer–Moore–Horspool, which looks
 * at about one byte in every delimiter length: the general-purpose parser this replaces compared every byte of the
 * body and was a third of the gateway's CPU on a large upload. One 64 KiB buffer; nothing is held beyond it. Not
 * thread-safe. Violations of the format are {@link Malformed}, naming what is wrong.
 */
final class MultipartReader {
    static final int BUFFER = 64 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;

    /** The body breaks the multipart format. */
    static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    /** One part: its form field name, its file name (null for a plain form field) and its content. */
    record Part(String name, String filename, InputStream content) {
    }

    private final InputStream in;
    /** CRLF, "--", the boundary: what ends a part's content. */
    private final byte[] delimiter;
    private final int[] shift = new int[256];
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    private boolean eof;
    private Content current;
    private boolean done;

    MultipartReader(InputStream in, String boundary) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        java.util.Arrays.fill(shift, delimiter.length);
        for (int i = 0; i < delimiter.length - 1; i++) {
            shift[delimiter[i] & 0xFF] = delimiter.length - 1 - i;
        }
        // the body may start with the first boundary line itself: read as if a CRLF came before it
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    /** The boundary of a {@code multipart/form-data} content type, or a {@link Malformed} saying it has none. */
    static String boundary(String contentType) throws Malformed {
        if (contentType != null) {
            for (String param : contentType.split(";")) {
                String p = param.trim();
                if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
                    String b = unquote(p.substring(9).trim());
                    if (!b.isEmpty() && b.length() <= 70) {
                        return b;
                    }
                }
            }
        }
        throw new Malformed("the multipart content type has no usable boundary");
    }

    /** The next part (the previous one's unread content skipped), or null after the closing delimiter. */
    Part next() throws IOException {
        if (done) {
            return null;
        }
        if (current != null) {
            current.transferTo(java.io.OutputStream.nullOutputStream());
        } else {
            // the preamble, up to the first delimiter
            new Content().transferTo(java.io.OutputStream.nullOutputStream());
        }
        // after a delimiter: "--" closes the body, else transport padding and CRLF open a part
        if (!fill(2)) {
            throw new Malformed("the body ends right after a boundary");
        }
        if (buf[pos] == '-' && buf[pos + 1] == '-') {
            done = true;
            current = null;
            return null;
        }
        String line = line();
        if (!line.isBlank()) {
            throw new Malformed("unexpected characters after a boundary");
        }
        String name = null;
        String filename = null;
        int headerBytes = 0;
        for (String h = line(); !h.isEmpty(); h = line()) {
            headerBytes += h.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new Malformed("a part's headers are longer than " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Content-Disposition")) {
                for (String param : h.substring(colon + 1).split(";")) {
                    int eq = param.indexOf('=');
                    if (eq < 0) {
                        continue;
                    }
                    String key = param.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                    String value = unquote(param.substring(eq + 1).trim());
                    if (key.equals("name")) {
                        name = value;
                    } else if (key.equals("filename")) {
                        filename = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
                    }
                }
            }
        }
        if (name == null) {
            throw new Malformed("a part has no Content-Disposition name");
        }
        current = new Content();
        return new Part(name, filename, current);
    }

    /** One header line (ISO-8859-1, CRLF removed), read from the buffer. */
    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!fill(1)) {
                throw new Malformed("the body ends inside a part's headers");
            }
            byte b = buf[pos++];
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            if (sb.length() > MAX_HEADER_BYTES) {
                throw new Malformed("a part's header line is longer than " + MAX_HEADER_BYTES + " bytes");
            }
            sb.append((char) (b & 0xFF));
        }
    }

    /** Makes at least {@code n} bytes available from {@code pos}; false when the body ends first. */
    private boolean fill(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        while (limit < n && !eof) {
            int r = in.read(buf, limit, buf.length - limit);
            if (r < 0) {
                eof = true;
            } else {
                limit += r;
            }
        }
        return limit - pos >= n;
    }

    /** Index of the delimiter in {@code buf[from, limit)}, or -1 (Boyer–Moore–Horspool). */
    private int find(int from) {
        int m = delimiter.length;
        int last = m - 1;
        int i = from;
        while (i + last < limit) {
            int j = last;
            while (buf[i + j] == delimiter[j]) {
                if (j == 0) {
                    return i;
                }
                j--;
            }
            i += shift[buf[i + last] & 0xFF];
        }
        return -1;
    }

    /** A part's content: up to the next delimiter, which it consumes. */
    private final class Content extends InputStream {
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] dst, int off, int len) throws IOException {
            if (ended) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            while (true) {
                int at = find(pos);
                if (at >= 0) {
                    if (at == pos) {
                        pos += delimiter.length;
                        ended = true;
                        return -1;
                    }
                    int n = Math.min(len, at - pos);
                    System.arraycopy(buf, pos, dst, off, n);
                    pos += n;
                    return n;
                }
                // no delimiter here: all but a possible start of one is content
                int safe = limit - pos - (delimiter.length - 1);
                if (safe > 0) {
                    int n = Math.min(len, safe);
                    System.arraycopy(buf, pos, dst, off, n);
                    pos += n;
                    return n;
                }
                if (eof) {
                    throw new Malformed("the body ends inside a part, before its closing boundary");
                }
                fill(limit - pos + 1);
            }
        }
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
