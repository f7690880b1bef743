package org.zooscope.worker.inference;

import ai.djl.engine.Engine;
import ai.onnxruntime.OrtEnvironment;

/**
 * The process's one ONNX Runtime environment. DJL's engine must create it (with its threading options) before anyone
 * else asks for it, or DJL's engine fails to start; so every direct use of ONNX Runtime goes through here.
 */
public final class OrtEnv {
    private OrtEnv() {
    }

    public static OrtEnvironment get() {
        Engine.getEngine("OnnxRuntime");
        return OrtEnvironment.getEnvironment();
    }
}
