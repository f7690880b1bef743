package org.zooscope.core.modelpkg;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.zooscope.core.tiling.AxisSize;
import org.zooscope.core.volume.VoxelSize;

/**
 * What Zooscope needs from a bioimage.io model description (format 0.4 or 0.5), normalised to one shape:
 * a single image input {@code [batch, channel, y, x]} (or channel-last) whose channels are z-frames, and a
 * probability output.
 *
 * @param frames        number of input channels: 1 for a 2D model, 3 or 5 for a 2.5D model (neighbouring slices); for
 *                      a 3D model the planes of its z block, which Zooscope feeds as frames (see {@code depth})
 * @param inputChannels the input's channel names as declared (empty when the description names none)
 * @param minSize       smallest spatial input size the model accepts (y and x)
 * @param step          spatial input sizes must be {@code minSize + k * step}; 0 means fixed at {@code minSize}
 * @param inputY,inputX the sizes the input accepts on each spatial axis, as declared (tiles are cut to them)
 * @param inputLayout,outputLayout the tensors' axis order (channel first or last); everything else is channel-first
 * @param halo          input pixels at each spatial border of the output the model itself marks as unreliable (an
 *                      output halo declared at a coarser scale is counted in input pixels)
 * @param outputChannels number of output channels (1 for a sigmoid map; several for softmax classes)
 * @param outputChannelNames the output's channel names as declared (empty when the description names none)
 * @param preprocessing the declared input ops, in order
 * @param postprocessing the declared output ops, in order
 * @param weightsSource file name of the ONNX weights inside the package
 * @param config        the {@code config} section as parsed (Zooscope's own metadata is under {@code zooscope})
 * @param axesPixelSize the input's pixel size as its space axes declare it (format 0.5 {@code scale} and {@code unit}),
 *                      null when they declare none (format 0.4 has no such field)
 * @param depth         a 3D model's z block ({@code [batch, channel, z, y, x]}: one channel, the z size it is run at, odd,
 *                      its centre output slice kept); 0 for a model without a z axis
 * @param inputZ        a 3D model's z sizes as declared (its test input's must be one); null without a z axis
 * @param outputScale   how many input pixels one output pixel spans on y and x: 1, or e.g. 2 for an output at half
 *                      the input's resolution (upsampled onto the input's grid, see {@link TileTensors})
 */
public record ModelDescription(String formatVersion, String id, String name, String description, String version,
                               String license, List<String> tags, String inputName, int frames,
                               List<String> inputChannels, int minSize, int step, AxisSize inputY, AxisSize inputX,
                               TensorLayout inputLayout, TensorLayout outputLayout, String outputName, int outputChannels,
                               List<String> outputChannelNames, int halo, List<Op> preprocessing, List<Op> postprocessing,
                               String weightsSource, String weightsSha256, Integer opsetVersion,
                               FileRef testInput, FileRef testOutput, List<String> covers, List<Map<String, Object>> cite,
                               List<Map<String, Object>> authors, Map<String, Object> config,
                               VoxelSize axesPixelSize, int depth, AxisSize inputZ, int outputScale) {

    /** One declared pre- or postprocessing op, with its bioimage.io id (0.5 names) and kwargs. */
    public record Op(String id, Map<String, Object> kwargs) {
    }

    /** A file of the package, with the sha256 the description declares for it (null when it declares none). */
    public record FileRef(String source, String sha256) {
    }

    /** Zooscope's own metadata ({@code config.zooscope}), or an empty map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> zooscope() {
        Object z = config == null ? null : config.get("zooscope");
        return z instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /**
     * Whether the input channels are z-frames of the image (a 2D or 2.5D model, as Zooscope feeds them): one channel,
     * a 3D model's z block, or as many as the card's {@code config.zooscope.frames}. Otherwise they are channels of one
     * image (nuclei and membranes, say), which a one-channel volume does not have.
     */
    public boolean channelsAreFrames() {
        return frames == 1 || depth > 0 || zooscope().get("frames") instanceof Number n && n.intValue() == frames;
    }

    /**
     * The output channel a preview shows: the card's {@code config.zooscope.outputChannel}, else the first channel not
     * named as background (a {@code [background, foreground]} softmax shows its foreground), else the first.
     */
    public int previewChannel() {
        if (zooscope().get("outputChannel") instanceof Number n) {
            return n.intValue();
        }
        for (int c = 0; c < outputChannelNames.size(); c++) {
            String name = outputChannelNames.get(c).toLowerCase(Locale.ROOT);
            if (!name.equals("background") && !name.equals("bg") && !name.equals("back")) {
                return c;
            }
        }
        return 0;
    }

    /** The input channels, by name where the description names them, for messages. */
    public String channelList() {
        return inputChannels.isEmpty() ? frames + " unnamed" : String.join(", ", inputChannels);
    }

    /** The smallest size at or above {@code wanted} that the model accepts. */
    public int acceptedSize(int wanted) {
        if (wanted <= minSize || step == 0) {
            return minSize;
        }
        int k = (wanted - minSize + step - 1) / step;
        return minSize + k * step;
    }

    /**
     * The pixel size the model was trained at: its input axes' declared {@code scale} and {@code unit}, else the card's
     * {@code config.zooscope.voxelSize} ({@code {x, y, z, unit}}); empty when neither states a length.
     */
    public Optional<VoxelSize> trainedPixelSize() {
        if (axesPixelSize != null && axesPixelSize.isKnown()) {
            return Optional.of(axesPixelSize);
        }
        if (zooscope().get("voxelSize") instanceof Map<?, ?> v && v.get("x") instanceof Number x
                && v.get("unit") instanceof String unit) {
            double y = v.get("y") instanceof Number n ? n.doubleValue() : x.doubleValue();
            double z = v.get("z") instanceof Number n ? n.doubleValue() : x.doubleValue();
            try {
                VoxelSize s = new VoxelSize(x.doubleValue(), y, z, unit);
                return s.isKnown() ? Optional.of(s) : Optional.empty();
            } catch (IllegalArgumentException e) {
                return Optional.empty(); // a size that makes no sense is taken as none
            }
        }
        return Optional.empty();
    }
}
