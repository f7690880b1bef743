package org.zooscope.core.modelpkg.check;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Every file the description names is in the package, and its sha256 is the one declared. Weights and test tensors
 * must be in the package (a test run cannot download); documentation, covers and attachments may be URLs.
 */
public final class FileCheck {
    private FileCheck() {
    }

    /** A file named by the description: where it is named, its source, its declared sha256 (nullable). */
    record Named(String field, String source, String sha256, boolean required) {
    }

    public static void check(Map<String, Object> raw, PackageContents contents, List<String> problems) {
        for (Named n : named(raw)) {
            if (n.source() == null || n.source().isBlank()) {
                continue;
            }
            if (n.source().startsWith("http://") || n.source().startsWith("https://")) {
                if (n.required()) {
                    problems.add(n.field() + " is a URL (" + n.source() + "); weights and test tensors must be in the package");
                }
                continue;
            }
            byte[] data = contents.file(n.source()).orElse(null);
            if (data == null) {
                problems.add("file '" + n.source() + "' named by " + n.field() + " is not in the package");
                continue;
            }
            if (n.sha256() != null && !n.sha256().equalsIgnoreCase(sha256(data))) {
                problems.add("file '" + n.source() + "' (" + n.field() + ") has sha256 " + sha256(data)
                        + " but the description declares " + n.sha256());
            }
        }
    }

    static List<Named> named(Map<String, Object> raw) {
        List<Named> out = new ArrayList<>();
        Map<String, Object> weights = map(raw.get("weights"));
        if (weights != null) {
            for (var e : weights.entrySet()) {
                Map<String, Object> w = map(e.getValue());
                if (w != null) {
                    out.add(new Named("weights." + e.getKey() + ".source", str(w.get("source")), str(w.get("sha256")),
                            e.getKey().equals("onnx")));
                }
            }
        }
        for (String key : List.of("test_inputs", "test_outputs")) {
            int i = 0;
            for (Object o : list(raw.get(key))) {
                out.add(new Named(key + "[" + i++ + "]", str(o), null, true));
            }
        }
        for (String key : List.of("inputs", "outputs")) {
            int i = 0;
            for (Object o : list(raw.get(key))) {
                Map<String, Object> tensor = map(o);
                Map<String, Object> test = tensor == null ? null : map(tensor.get("test_tensor"));
                if (test != null) {
                    out.add(new Named(key + "[" + i + "].test_tensor", str(test.get("source")), str(test.get("sha256")), true));
                }
                Map<String, Object> sample = tensor == null ? null : map(tensor.get("sample_tensor"));
                if (sample != null) {
                    out.add(new Named(key + "[" + i + "].sample_tensor", str(sample.get("source")), str(sample.get("sha256")), false));
                }
                i++;
            }
        }
        if (raw.get("documentation") instanceof String doc) {
            out.add(new Named("documentation", doc, null, false));
        }
        int c = 0;
        for (Object o : list(raw.get("covers"))) {
            out.add(new Named("covers[" + c++ + "]", str(o), null, false));
        }
        Object attachments = raw.get("attachments");
        List<Object> files = attachments instanceof Map<?, ?> m04 ? list(m04.get("files")) : list(attachments);
        int a = 0;
        for (Object o : files) {
            Map<String, Object> f = map(o);
            out.add(f == null ? new Named("attachments[" + a + "]", str(o), null, false)
                    : new Named("attachments[" + a + "]", str(f.get("source")), str(f.get("sha256")), false));
            a++;
        }
        return out;
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static String str(Object o) {
        return o == null ? null : String.valueOf(o);
    }
}
