package org.zooscope.core.modelpkg;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array (format 1.0–3.0) as float32 values in C order: how bioimage.io packages ship their
 * test tensors. Reads float32/float64/uint8/uint16/int32 little-endian; writes float32.
 */
public record NpyArray(long[] shape, float[] data) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public NpyArray {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " values but data has " + data.length);
        }
    }

    public static NpyArray read(byte[] bytes) throws IOException {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IOException("not a .npy file (wrong magic)");
        }
        int major = bytes[6];
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int offset;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(b.getShort(8));
            offset = 10;
        } else {
            headerLen = b.getInt(8);
            offset = 12;
        }
        if (offset + headerLen > bytes.length) {
            throw new IOException(".npy header is truncated");
        }
        String header = new String(bytes, offset, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new IOException(".npy header is malformed: " + header.strip());
        }
        if (f.find() && f.group(1).equals("True")) {
            throw new IOException(".npy arrays in Fortran order are not supported");
        }
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::strip).filter(x -> !x.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long count = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        String order = d.group(1);
        char kind = d.group(2).charAt(0);
        int size = Integer.parseInt(d.group(3));
        ByteBuffer data = ByteBuffer.wrap(bytes, offset + headerLen, bytes.length - offset - headerLen)
                .order(">".equals(order) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        if (data.remaining() < count * size) {
            throw new IOException(".npy data is truncated: " + data.remaining() + " bytes for " + count + " values");
        }
        float[] out = new float[Math.toIntExact(count)];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (kind + "" + size) {
                case "f4" -> data.getFloat();
                case "f8" -> (float) data.getDouble();
                case "u1" -> Byte.toUnsignedInt(data.get());
                case "u2" -> Short.toUnsignedInt(data.getShort());
                case "i4" -> data.getInt();
                case "i2" -> data.getShort();
                case "i1" -> data.get();
                default -> throw new IOException(".npy data type " + kind + size + " is not supported");
            };
        }
        return new NpyArray(shape, out);
    }

    public byte[] toBytes() {
        StringBuilder sh = new StringBuilder();
        for (long d : shape) {
            sh.append(d).append(", ");
        }
        String dims = shape.length == 1 ? shape[0] + "," : sh.substring(0, sh.length() - 2);
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        header = header + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xff);
        out.write(header.length() >> 8);
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            b.putFloat(v);
        }
        out.writeBytes(b.array());
        return out.toByteArray();
    }
}
