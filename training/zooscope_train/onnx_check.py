"""Run a package's weights.onnx without ONNX Runtime (not packaged for Debian bookworm): a small interpreter over torch
functional ops for the few operators the exported U-Nets use. It checks the exported graph (BatchNorm folded) on the
test input as bioimage.io does: rtol = atol = 1e-3 against test_output.npy."""
import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper


def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _pads(p):
    """ONNX [y0, x0, y1, x1] conv pads -> (y, x) symmetric padding (the export writes symmetric pads only)."""
    if not p:
        return (0, 0)
    assert p[0] == p[2] and p[1] == p[3], p
    return (p[0], p[1])


def run(path, x):
    g = onnx.load(path).graph
    env = {i.name: torch.from_numpy(numpy_helper.to_array(i).copy()) for i in g.initializer}
    env[g.input[0].name] = torch.from_numpy(np.ascontiguousarray(x, np.float32))
    with torch.no_grad():
        for n in g.node:
            a, ins = _attrs(n), [env[i] if i else None for i in n.input]
            op = n.op_type
            if op == "Constant":
                out = torch.from_numpy(numpy_helper.to_array(a["value"]).copy())
            elif op == "Conv":
                out = F.conv2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, stride=tuple(a.get("strides", [1, 1])),
                               padding=_pads(a.get("pads")), dilation=tuple(a.get("dilations", [1, 1])),
                               groups=a.get("group", 1))
            elif op == "ConvTranspose":
                out = F.conv_transpose2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None,
                                         stride=tuple(a.get("strides", [1, 1])), padding=_pads(a.get("pads")),
                                         dilation=tuple(a.get("dilations", [1, 1])), groups=a.get("group", 1))
            elif op == "Relu":
                out = F.relu(ins[0])
            elif op == "Sigmoid":
                out = torch.sigmoid(ins[0])
            elif op == "MaxPool":
                assert not a.get("ceil_mode", 0)
                out = F.max_pool2d(ins[0], tuple(a["kernel_shape"]), tuple(a.get("strides", a["kernel_shape"])),
                                   _pads(a.get("pads")))
            elif op == "AveragePool":
                assert not a.get("ceil_mode", 0)
                out = F.avg_pool2d(ins[0], tuple(a["kernel_shape"]), tuple(a.get("strides", a["kernel_shape"])),
                                   _pads(a.get("pads")))
            elif op == "Concat":
                out = torch.cat(ins, dim=a["axis"])
            elif op == "Pad":
                assert a.get("mode", b"constant") in (b"constant", "constant"), a
                p = [int(v) for v in ins[1]]
                k = len(p) // 2  # ONNX [b0, b1, ..., e0, e1, ...] -> torch (last axis first) pairs
                tp = []
                for d in reversed(range(k)):
                    tp += [p[d], p[d + k]]
                out = F.pad(ins[0], tp, value=float(ins[2]) if len(ins) > 2 and ins[2] is not None else 0.0)
            else:
                raise NotImplementedError(op)
            env[n.output[0]] = out
    return env[g.output[0].name].numpy()


def check(path, x, want, rtol=1e-3, atol=1e-3):
    """Largest |got - want| and how many elements fail |got - want| <= atol + rtol |want|."""
    got = run(path, x)
    diff = np.abs(got - want)
    return float(diff.max()), int((diff > atol + rtol * np.abs(want)).sum())
