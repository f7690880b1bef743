package org.zooscope.gateway.modelupload;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.zooscope.core.modelpkg.NpyArray;
import org.zooscope.core.modelpkg.check.ModelRunner;

/** The validating test run on ONNX Runtime (CPU, one thread per session: uploads are rare, previews are not). */
public final class OrtModelRunner implements ModelRunner {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();

    @Override
    public Session open(byte[] onnxWeights) throws RunException {
        try {
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            OrtSession session = env.createSession(onnxWeights, options);
            try {
                return new OrtRun(env, session, OrtRun.describe(session.getInputInfo()), OrtRun.describe(session.getOutputInfo()));
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException | RuntimeException e) {
            throw new RunException(message(e), e);
        }
    }

    private static String message(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private record OrtRun(OrtEnvironment env, OrtSession session, List<TensorInfo> inputs, List<TensorInfo> outputs)
            implements Session {

        private static List<ModelRunner.TensorInfo> describe(Map<String, NodeInfo> nodes) {
            List<ModelRunner.TensorInfo> out = new ArrayList<>();
            for (NodeInfo n : nodes.values()) {
                if (n.getInfo() instanceof ai.onnxruntime.TensorInfo t) {
                    out.add(new ModelRunner.TensorInfo(n.getName(), typeName(t.type), t.getShape()));
                } else {
                    out.add(new ModelRunner.TensorInfo(n.getName(), "not a tensor", new long[0]));
                }
            }
            return out;
        }

        private static String typeName(OnnxJavaType type) {
            return switch (type) {
                case FLOAT -> "float32";
                case DOUBLE -> "float64";
                case FLOAT16 -> "float16";
                default -> type.name().toLowerCase(Locale.ROOT);
            };
        }

        @Override
        public NpyArray run(NpyArray input) throws RunException {
            String name = session.getInputNames().iterator().next();
            try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(input.data()), input.shape());
                 OrtSession.Result result = session.run(Map.of(name, x))) {
                OnnxValue value = result.get(0);
                if (!(value instanceof OnnxTensor y)) {
                    throw new RunException("the first output is not a tensor", null);
                }
                long[] shape = y.getInfo().getShape();
                float[] data;
                if (y.getInfo().type == OnnxJavaType.FLOAT) {
                    FloatBuffer fb = y.getFloatBuffer();
                    data = new float[fb.remaining()];
                    fb.get(data);
                } else if (y.getInfo().type == OnnxJavaType.DOUBLE) {
                    DoubleBuffer db = y.getDoubleBuffer();
                    data = new float[db.remaining()];
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) db.get(i);
                    }
                } else {
                    throw new RunException("the first output is " + y.getInfo().type + ", not a float tensor", null);
                }
                return new NpyArray(shape, data);
            } catch (OrtException | RuntimeException e) {
                throw new RunException(message(e), e);
            }
        }

        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                // closing releases native memory; a failure here leaves nothing the caller could act on
            }
        }
    }
}
