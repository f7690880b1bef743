package org.zooscope.core.modelpkg.check;

import java.util.List;
import org.zooscope.core.modelpkg.NpyArray;

/**
 * Runs a package's ONNX weights for the validating test run. The implementation (ONNX Runtime) lives where the
 * runtime is a dependency; core only knows this interface, so it stays free of native libraries.
 */
public interface ModelRunner {

    /** Loads the weights; a load failure is a problem of the package, reported with the runtime's message. */
    Session open(byte[] onnxWeights) throws RunException;

    /** A loaded model. Inputs are fed by position, as bioimage.io's ONNX adapter does, not by name. */
    interface Session extends AutoCloseable {
        List<TensorInfo> inputs();

        List<TensorInfo> outputs();

        /** Runs the first input, answers the first output. */
        NpyArray run(NpyArray input) throws RunException;

        @Override
        void close();
    }

    /** One graph input or output: its name, element type ({@code float32}, ...) and shape (-1 for a free axis). */
    record TensorInfo(String name, String elementType, long[] shape) {
    }

    final class RunException extends Exception {
        public RunException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
