"""Write a bioimage.io (format 0.5) model package for a trained checkpoint: zoo/<model-id>/."""
import datetime
import hashlib
import json
import os
import shutil

import numpy as np
import torch
import yaml
from PIL import Image

from . import data, losses
from .trainer import model_kwargs, size_step
from .unet import UNet

TEST_SIZE = 128    # test tensor height/width, unless the halo needs more (see test_size)
# The zoo's two tiers: what a model may cost per 512 x 512 tile through the worker on 2 CPU threads, and its package
# size. The fast tier is what a preview on CPU runs by default; the accurate tier is what a GPU worker runs in a
# fraction of that. A model's tier is in its settings (default fast) and its card (config.zooscope.tier).
TIERS = {"fast": {"max_bytes": 10_000_000, "max_ms_per_tile": 100},
         "accurate": {"max_bytes": 40_000_000, "max_ms_per_tile": 400}}


def tier(s):
    t = s.get("tier", "fast")
    if t not in TIERS:
        raise ValueError(f"{s['model_id']}: tier {t!r} is not one of {sorted(TIERS)}")
    return t


def tier_limits(t):
    """A tier's limits as a package's config.zooscope.tierLimits states them."""
    return {"msPer512Tile2Threads": TIERS[t]["max_ms_per_tile"], "packageBytes": TIERS[t]["max_bytes"]}


MAX_PACKAGE_BYTES = TIERS["fast"]["max_bytes"]
OPSET = 17


def size_min(halo, step):
    """Smallest input height/width: a legal size (multiple of the step) that leaves at least one step of output
    after the halo is discarded on both sides (bioimage.io 0.5 requires min size - 2 halo >= 1)."""
    return step * (2 * halo // step + 1)


def test_size(halo, step):
    """The test tensors' height/width: TEST_SIZE, or the smallest legal size above it that the halo leaves
    output in (the worker's consistency check refuses a test output that 2 halo covers)."""
    m = size_min(halo, step)
    return m if m >= TEST_SIZE else m + step * -(-(TEST_SIZE - m) // step)

DATA_INFO = {
    "isbi2012-membrane": dict(
        organism="Drosophila melanogaster (first instar larva, ventral nerve cord)",
        modality="electron microscopy", technique="ssTEM", staining="uranyl acetate / lead citrate (ssTEM)",
        voxel={"x": 4.0, "y": 4.0, "z": 50.0, "unit": "nm"},
        cite=[
            {"text": "Cardona et al. (2010) An integrated micro- and macroarchitectural analysis of the Drosophila brain "
                     "by computer-assisted serial section electron microscopy. PLoS Biol 8(10): e1000502 (ISBI 2012 training data)",
             "doi": "10.1371/journal.pbio.1000502"},
            {"text": "Arganda-Carreras et al. (2015) Crowdsourcing the creation of image segmentation algorithms for "
                     "connectomics. Front. Neuroanat. 9:142 (ISBI 2012 challenge)",
             "doi": "10.3389/fnana.2015.00142"},
        ],
        source="ISBI 2012 challenge data as redistributed in zhixuhao/unet @ b45af4d, data/membrane/ (MIT-licensed repository; data under ISBI 2012 terms, non-commercial)",
    ),
    "cdeep3m-mito": dict(
        organism="Mus musculus (brain)", modality="electron microscopy", technique="SBEM",
        staining="en bloc heavy-metal staining (SBEM)",
        voxel={"x": 5.9, "y": 5.9, "z": 40.0, "unit": "nm"},
        cite=[{"text": "Haberl et al. (2018) CDeep3M - Plug-and-Play cloud-based deep learning for image segmentation. "
                       "Nat Methods 15:677-680 (training data: CDeep3M mito demo volume)",
               "doi": "10.1038/s41592-018-0106-z"}],
        source="CRBS/cdeep3m @ abf9958 mito_testsample/ and CRBS/cdeep3m2 @ 67d6308 (UC Regents; research / non-profit use)",
    ),
}
DATA_INFO["cdeep3m2-mito"] = DATA_INFO["cdeep3m-mito"]
DATA_INFO["epfl-hippocampus-mito"] = dict(
    organism="Mus musculus (hippocampus CA1)", modality="electron microscopy", technique="FIB-SEM",
    staining="en bloc heavy-metal staining (FIB-SEM)",
    voxel={"x": 5.0, "y": 5.0, "z": 5.0, "unit": "nm"},
    cite=[{"text": "Lucchi et al. (2015) Learning structured models for segmentation of 2-D and 3-D imagery. "
                   "IEEE Trans Med Imaging 34(5):1096-1110 (EPFL CA1 hippocampus FIB-SEM volume)",
           "doi": "10.1109/TMI.2014.2376274"}],
    source="EPFL CVLab CA1 hippocampus FIB-SEM slices with third-party per-class masks, as redistributed in "
           "zhixuhao/unet pull request 242 @ 06680f0, data/epfl_train/ (raw data EPFL CVLab, research use)",
)
DATA_INFO["epfl-hippocampus-membranes"] = DATA_INFO["epfl-hippocampus-mito"]

ARCH_CITE = {"text": "Ronneberger, Fischer, Brox (2015) U-Net: Convolutional Networks for Biomedical Image Segmentation. MICCAI",
             "doi": "10.1007/978-3-319-24574-4_28"}


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def channel_names(frames):
    k = frames // 2
    return [f"z{d:+d}".replace("+", "p").replace("-", "m") if d else "z0" for d in range(-k, k + 1)]


def export_onnx(model, frames, path):
    model.eval()
    torch.onnx.export(model, torch.rand(1, frames, 256, 256), path, input_names=["input"], output_names=["prob"],
                      opset_version=OPSET,
                      dynamic_axes={"input": {0: "n", 2: "h", 3: "w"}, "prob": {0: "n", 2: "h", 3: "w"}})
    import onnx
    onnx.checker.check_model(onnx.load(path))


def check_halo(halo, rf, step, log=print):
    """2·halo must be a multiple of the size step (a core that is a multiple of the step stays a legal tile). A halo
    under the receptive-field radius is allowed but said: the package-size limit can force it (training/README.md)."""
    if halo < rf:
        log(f"note: halo {halo} px is under the receptive-field radius {rf} px (tiles differ slightly from the "
            "whole image; training/README.md, Halo)")
    if (2 * halo) % step:
        raise ValueError(f"2 x halo ({2 * halo}) is not a multiple of the size step {step}")


def receptive_field_radius(s, size=512):
    """Measured, not estimated: the largest distance from the centre pixel at which an input pixel still changes the
    centre output (gradient of a randomly initialised copy of the architecture, so no weight happens to be zero)."""
    torch.manual_seed(0)
    m = UNet(**model_kwargs(s)).eval()
    x = torch.rand(1, int(s["frames"]), size, size, requires_grad=True)
    m(x)[0, 0, size // 2, size // 2].backward()
    ys, xs = np.nonzero(x.grad.abs().sum(dim=(0, 1)).numpy())
    return int(max(np.abs(ys - size // 2).max(), np.abs(xs - size // 2).max()))


def pick_crop(mask, size=128):
    """Top-left corner of the size x size crop whose foreground fraction is closest to 0.3."""
    H, W = mask.shape
    best, pos = 9.0, (0, 0)
    for y in range(0, H - size + 1, size // 2):
        for x in range(0, W - size + 1, size // 2):
            f = mask[y:y + size, x:x + size].mean()
            if abs(f - 0.3) < best:
                best, pos = abs(f - 0.3), (y, x)
    return pos


def scale_range_np(x, lo_p, hi_p, eps=1e-6):
    lo, hi = np.percentile(x.astype(np.float64), [lo_p, hi_p])
    return ((x - np.float32(lo)) / np.float32(hi - lo + eps)).astype(np.float32)


def build(settings, info, ckpt, data_root, zoo_dir, scores=None, notes=None, timing=None, log=print):
    s = settings
    mid, frames = s["model_id"], int(s["frames"])
    out = os.path.join(zoo_dir, mid)
    os.makedirs(out, exist_ok=True)
    model = UNet(**model_kwargs(s), sigmoid=True)
    model.load_state_dict(torch.load(ckpt, map_location="cpu"))
    model.eval()
    torch.save(model.state_dict(), os.path.join(out, "weights.pt"))
    shutil.copyfile(os.path.join(os.path.dirname(__file__), "unet.py"), os.path.join(out, "unet.py"))
    export_onnx(model, frames, os.path.join(out, "weights.onnx"))

    # test tensors: a real 1 x C x ts x ts crop of the first set's held-out block, raw grey values as float32
    first = s["sets"][0]
    im, lab, zs = data.load_labelled(data_root, first["name"])
    z0, z1 = first["holdout_z"]
    hold = [i for i, z in enumerate(zs) if z0 <= z <= z1]
    zi = hold[len(hold) // 2]
    ts = test_size(int(s["halo"]), size_step(s))
    y, x = pick_crop(lab[zi], ts)
    raw = data.frame_stack(im, zi, frames)[:, y:y + ts, x:x + ts].astype(np.float32)[None]
    norm = s["normalisation"]
    pre = scale_range_np(raw, norm["min_percentile"], norm["max_percentile"])
    with torch.no_grad():
        prob = model(torch.from_numpy(pre)).numpy().astype(np.float32)
    np.save(os.path.join(out, "test_input.npy"), raw)
    np.save(os.path.join(out, "test_output.npy"), prob)
    # the exported graph (what the worker runs) must reproduce the test output as bioimage.io checks it
    from . import onnx_check
    worst, failing = onnx_check.check(os.path.join(out, "weights.onnx"), pre, prob)
    if failing:
        raise ValueError(f"{out}/weights.onnx: {failing} test output elements off by more than 1e-3 (max {worst:.2e})")
    log(f"[{mid}] weights.onnx reproduces test_output.npy (max |diff| {worst:.1e}, rtol = atol = 1e-3)")

    # cover: 512 x 512 held-out crop, input | probability (input normalised with whole-volume statistics)
    lo, hi = data.percentile_range(im, norm["min_percentile"], norm["max_percentile"])
    vol = data.scale_range(im, lo, hi)
    H, W = vol.shape[1:]
    cy, cx = max(0, (H - 512) // 2), max(0, (W - 512) // 2)
    st = data.frame_stack(vol, zi, frames)[:, cy:cy + 512, cx:cx + 512]
    with torch.no_grad():
        p = model(torch.from_numpy(np.ascontiguousarray(st))[None])[0, 0].numpy()
    left = (np.clip(st[frames // 2], 0, 1) * 255).astype(np.uint8)
    right = (np.clip(p, 0, 1) * 255).astype(np.uint8)
    cover = np.concatenate([left, np.full((left.shape[0], 8), 255, np.uint8), right], axis=1)
    Image.fromarray(cover).resize((cover.shape[1] // 2, cover.shape[0] // 2), Image.BILINEAR).save(
        os.path.join(out, "cover.png"), optimize=True)

    # data licences next to the (crop of) data shipped as test tensor
    lic_names = []
    for spec in s["sets"]:
        src = os.path.join(data_root, data.folder(spec["name"]), "SOURCE_LICENSE.txt")
        dst = f"DATA_LICENSE_{spec['name']}.txt"
        shutil.copyfile(src, os.path.join(out, dst))
        lic_names.append(dst)

    rdf = rdf_dict(s, info, out, lic_names, scores, timing)
    with open(os.path.join(out, "bioimageio.yaml"), "w") as f:
        f.write("# Generated by training/zooscope_train/package.py - do not edit by hand.\n")
        yaml.safe_dump(rdf, f, sort_keys=False, allow_unicode=True, width=110)
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write(card(rdf, notes))
    total = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    log(f"[{mid}] package written: {out} ({total / 1e6:.2f} MB)")
    limit = TIERS[tier(s)]["max_bytes"]
    if total >= limit:
        raise ValueError(f"{out}: {total} bytes, over the {tier(s)} tier's {limit}-byte limit (a smaller halo means "
                         "smaller test tensors)")
    return rdf


def rdf_dict(s, info, out, lic_names, scores, timing):
    mid, frames = s["model_id"], int(s["frames"])
    comp = s["component"]
    di = DATA_INFO[s["sets"][0]["name"]]
    norm = s["normalisation"]
    cites = [ARCH_CITE]
    if comp == "mitochondria":
        cites.append({"text": "Haberl et al. (2018) CDeep3M (training-augmentation scheme, multi-frame models)",
                      "doi": "10.1038/s41592-018-0106-z"})
    seen = set()
    for spec in s["sets"]:
        for c in DATA_INFO[spec["name"]]["cite"]:
            if c["doi"] not in seen:
                seen.add(c["doi"])
                cites.append(c)
    cites = [dict(t) for t in {json.dumps(c, sort_keys=True): c for c in cites}.values()]
    vox = di["voxel"]
    dims = "2D" if frames == 1 else "2.5D"
    structure = "membranes" if comp == "membranes" else "mitochondria"
    step, halo, rf = size_step(s), int(s.get("halo", 32)), receptive_field_radius(s)
    check_halo(halo, rf, step)
    smin = size_min(halo, step)
    space = lambda ax, scale: {"id": ax, "type": "space", "size": {"min": smin, "step": step},
                               "unit": "nanometer", "scale": scale}
    out_space = lambda ax, scale: {"id": ax, "type": "space", "size": {"tensor_id": "input", "axis_id": ax},
                                   "halo": halo, "unit": "nanometer", "scale": scale}
    f = lambda n: os.path.join(out, n)
    training = {
        "command": f"training/train {mid}",
        "settings_file": f"training/settings/{mid}.yaml",
        "seed": s["seed"], "steps": s["steps"], "batch_size": s["batch_size"], "patch_size": s["patch_size"],
        "optimizer": "AdamW", "lr": s["lr"], "weight_decay": s.get("weight_decay", 1e-4),
        "lr_schedule": f"linear warm-up {s.get('warmup_steps', 50)} steps, cosine decay to 0",
        "loss": losses.describe(s),
        "init_from": s.get("init_from"),
        "widen_from": s.get("widen_from"),
        "stopped_early_at_step": info.get("stopped_early_at_step"),
        "sets": [{"name": sp["name"], "holdout_z": sp["holdout_z"], "secondary": sp.get("secondary", 0),
                  "tertiary": sp.get("tertiary", 0)} for sp in s["sets"]],
        "noise_type": s["noise_type"],
        "checkpoint": "end of the fixed schedule (never selected on the held-out blocks)",
        "checkpoint_step": info["checkpoint_step"], "final_val_score": round(info["final_val_score"], 4),
        "select_metric": info["select_metric"], "train_seconds": info["train_seconds"],
        "params": info["params"], "torch_version": info["torch_version"],
    }
    zoo = {
        "tier": tier(s), "tierLimits": tier_limits(tier(s)),
        "component": comp, "structure": structure, "organism": di["organism"], "modality": di["modality"],
        "technique": di["technique"], "staining": di["staining"], "voxelSize": vox, "frames": frames, "dims": dims,
        "normalisation": {"op": "scale_range", "min_percentile": norm["min_percentile"],
                          "max_percentile": norm["max_percentile"], "eps": 1e-6,
                          "statistics": "computed once over the whole input volume (all slices, all pixels), "
                                        "numpy.percentile with linear interpolation",
                          "applies_to": "raw grey values (any bit depth) as float32"},
        "halo": halo, "receptiveFieldRadius": rf, "sizeMin": smin, "sizeStep": step,
        "architecture": model_kwargs(s),
        "frameOrder": "channel i holds slice z + i - frames//2; slices beyond the volume ends repeat the edge slice",
        "threshold": 0.5,
        "training": training,
    }
    if scores:
        zoo["scores"] = scores
    if timing:
        zoo["timing"] = timing
    # tags only from the bioimage.io tag vocabulary (modality, dims, network, framework, task, content)
    tags = ["electron-microscopy", "2d", "unet", "pytorch", "semantic-segmentation",
            "cell-membrane" if comp == "membranes" else "mitochondria",
            "brain" if comp == "mitochondria" else "tissue"]
    name = ("Zooscope membranes ISBI2012 " if comp == "membranes" else "Zooscope mitochondria SBEM ") + \
        ("2D" if frames == 1 else f"{frames}-frame 2.5D") + (" (accurate)" if tier(s) == "accurate" else "")
    scale = int(s.get("input_scale", 1))
    arch = f"base {s['base_channels']}, depth {s['depth']}" + (
        f", run at 1/{scale} resolution with a full-resolution refinement head" if scale > 1 else "")
    desc = (("Accurate-tier U-Net" if tier(s) == "accurate" else "Compact U-Net") + f" ({arch}, {info['params']} parameters) giving a {structure} probability map for "
            f"{di['technique']} electron micrographs at about {vox['x']} nm/px. "
            + ("Single-slice (2D) input." if frames == 1 else
               f"2.5D: {frames} neighbouring z-slices as input channels, prediction for the centre slice.")
            + " Trained by the Zooscope training tool with CDeep3M2-style augmentation.")
    rdf = {
        "format_version": "0.5.7",
        "type": "model",
        "id": mid,
        "name": name,
        "description": desc,
        # a new training of a model is a new version: a published identifier must keep naming the same weights
        "version": str(s.get("version", "0.1.0")),
        "timestamp": datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat(),
        "authors": [{"name": "Zooscope project"}],
        "cite": cites,
        "license": "CC-BY-NC-4.0",
        "tags": tags,
        "covers": ["cover.png"],
        "documentation": "README.md",
        "attachments": [{"source": n, "sha256": sha256(f(n))} for n in lic_names] +
                       [{"source": "unet.py", "sha256": sha256(f("unet.py"))}],
        "inputs": [{
            "id": "input",
            "description": f"raw EM grey values as float32, {frames} consecutive z-slice(s) as channels",
            "axes": [{"type": "batch"},
                     {"type": "channel", "channel_names": channel_names(frames),
                      "description": "z-frames centred on the predicted slice"},
                     space("y", vox["y"]), space("x", vox["x"])],
            "data": {"type": "float32"},
            "test_tensor": {"source": "test_input.npy", "sha256": sha256(f("test_input.npy"))},
            "preprocessing": [
                {"id": "scale_range", "kwargs": {"axes": ["batch", "channel", "y", "x"],
                                                 "min_percentile": float(norm["min_percentile"]),
                                                 "max_percentile": float(norm["max_percentile"]), "eps": 1.0e-6}},
                {"id": "ensure_dtype", "kwargs": {"dtype": "float32"}},
            ],
        }],
        "outputs": [{
            "id": "prob",
            "description": f"{structure} probability of the centre slice (sigmoid)",
            "axes": [{"type": "batch"}, {"type": "channel", "channel_names": [structure]},
                     out_space("y", vox["y"]), out_space("x", vox["x"])],
            "data": {"type": "float32", "range": [0.0, 1.0]},
            "test_tensor": {"source": "test_output.npy", "sha256": sha256(f("test_output.npy"))},
        }],
        "weights": {
            "onnx": {"source": "weights.onnx", "sha256": sha256(f("weights.onnx")), "opset_version": OPSET,
                     "parent": "pytorch_state_dict",
                     "comment": "torch.onnx.export, dynamic n/h/w, BatchNorm folded; input 'input' [n,C,h,w], output 'prob' [n,1,h,w]"},
            "pytorch_state_dict": {
                "source": "weights.pt", "sha256": sha256(f("weights.pt")),
                "architecture": {"source": "unet.py", "sha256": sha256(f("unet.py")), "callable": "UNet",
                                 "kwargs": {**model_kwargs(s), "sigmoid": True}},
                "pytorch_version": "1.13",
            },
        },
        "config": {"zooscope": zoo},
    }
    return rdf


def _fmt(v):
    return "n/a" if v is None else f"{v:.3f}"


MEASURE_NAMES = {"f1_2px": "F1 (2-px tolerance)", "v_rand": "V_rand (foreground-restricted)", "iou": "IoU",
                 "f1": "F1"}


def score_table(scores):
    """One row per data set (never pooled across sets): the component's measures without and with TTA x8."""
    ms = scores.get("measures", ["iou", "f1"])
    head = ["held-out set (z)"] + [MEASURE_NAMES[k] for k in ms] + [MEASURE_NAMES[k] + " TTA×8" for k in ms]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, m in scores["sets"].items():
        from .zoo_readme import z_text
        label = name + (f" (z {z_text(m['z'])})" if m.get("z") else "") + ("" if m.get("trained_on", True) else
                                                                           ", evaluation only")
        rows.append("| " + " | ".join([label] + [_fmt(m.get(k)) for k in ms] + [_fmt(m.get(k + "_tta")) for k in ms])
                    + " |")
    return "\n".join(rows)


def checkpoint_line(t):
    if "checkpoint_step" in t:
        return (f"shipped weights: step {t['checkpoint_step']}, the end of the fixed schedule (the held-out blocks "
                f"were only monitored, never used to choose weights; mean held-out {t['select_metric'].upper()} "
                f"there {t['final_val_score']}).")
    # packages trained before the fixed-schedule rule
    return (f"best checkpoint at step {t['best_step']} by mean held-out {t['select_metric'].upper()} "
            f"({t['best_val_score']}), i.e. chosen on the block its scores are reported on.")


def card(rdf, notes=None):
    z = rdf["config"]["zooscope"]
    t = z["training"]
    pre = rdf["inputs"][0]["preprocessing"][0]["kwargs"]
    lines = [f"# {rdf['name']} (`{rdf['id']}`)", "", rdf["description"], "",
             "![input | probability](cover.png)", "",
             "*Cover: held-out slice (centre 512×512 crop), input | probability.*", "",
             f"**Tier: {z.get('tier', 'fast')}** (at most {z['tierLimits']['msPer512Tile2Threads']} ms per 512×512 tile "
             f"on 2 CPU threads and {z['tierLimits']['packageBytes'] // 1_000_000} MB per package; the measured speed is "
             "under Evaluation)." if "tierLimits" in z else "", "",
             "## Input, output and preprocessing", "",
             f"* Input `input`: float32 `[n, {z['frames']}, h, w]`, channels = z-slices "
             f"{', '.join(rdf['inputs'][0]['axes'][1]['channel_names'])} (centre = predicted slice; "
             "slices beyond the volume ends repeat the edge slice).",
             f"* h and w: at least {z['sizeMin']}, multiples of {z['sizeStep']}.",
             f"* Output `prob`: float32 `[n, 1, h, w]`, {z['structure']} probability (sigmoid). "
             f"Discard a halo of {z['halo']} px on each side of a tile (receptive-field radius ≈ {z['receptiveFieldRadius']} px).",
             f"* Preprocessing: `scale_range` with `min_percentile: {pre['min_percentile']}`, "
             f"`max_percentile: {pre['max_percentile']}`, `eps: 1e-6`: "
             "`out = (x - p_lo) / (p_hi - p_lo + eps)`, no clipping. **The percentiles are computed once over the whole "
             "input volume** (all slices, all pixels, numpy linear-interpolation percentiles), as in training, where each "
             "training volume was normalised with its own whole-volume statistics. The test tensor is its own whole "
             "volume: `test_output.npy` = model(scale_range(`test_input.npy`)) with percentiles over the test tensor.",
             f"* Imaging: {z['technique']} ({z['modality']}), {z['organism']}, voxel "
             f"{z['voxelSize']['x']}×{z['voxelSize']['y']}×{z['voxelSize']['z']} nm; {z['dims']}. "
             "Use images at a similar pixel size.", "",
             "## Training", "",
             f"Reproduce with `{t['command']}` (settings in `{t['settings_file']}`; data from `--data`, default "
             "`../shared/data` relative to the repository root).", "",
             f"* seed {t['seed']}, {t['steps']} steps, batch {t['batch_size']}, patch {t['patch_size']}², "
             f"{t['optimizer']} lr {t['lr']} ({t['lr_schedule']}), weight decay {t['weight_decay']}, loss {t['loss']}.",
             (f"* Fine-tuned from the earlier weights `{t['init_from']}` (same architecture; the first model's "
              "training, before the augmentation fix, is described in `training/settings` at that commit), so training "
              "time adds to that model's." if str(t.get("init_from") or "").endswith(".pt") else
              f"* Fine-tuned from `{t['init_from']}` (all weights copied; the first convolution's weights on the centre "
              "frame, the extra frames start at zero), so training time adds to that model's."
              if t.get("init_from") else
              f"* Widened from `{t['widen_from']}` (Net2Net: every channel of that narrower net copied, the weights "
              "reading a copy split between the copies, so training starts from exactly what that model computes)."
              if t.get("widen_from") else "* Trained from scratch (random init)."),
             ("* Ran all steps." if t.get("stopped_early_at_step") is None else
              f"* **Not fine-tuned (0 of {t['steps']} steps, time limit on a shared, overloaded machine)**: the weights are "
              f"`{t.get('init_from')}`'s with zero weights on the extra frames, so this model computes exactly what the "
              "2D model computes. Re-run the training command to get the real multi-frame model."
              if t.get("stopped_early_at_step") == 0 else
              f"* **Stopped early at step {t['stopped_early_at_step']} of {t['steps']}** (time limit on a shared, "
              "overloaded machine); the shipped weights are those saved at its last validation."),
             f"* {t['params']} parameters; trained in {t['train_seconds']:.0f} s on 2 CPU threads "
             f"(torch {t['torch_version']}); " + checkpoint_line(t),
             "* Training sets (augmentation strengths: CDeep3M2 secondary 0–10 per op, tertiary = resize 0–10; "
             f"16 primary variants always; noise type: {t['noise_type']}):", ""]
    for sp in t["sets"]:
        lines.append(f"  * `{sp['name']}`: held-out z {sp['holdout_z'][0]}–{sp['holdout_z'][1]} (never trained on), "
                     f"secondary {sp['secondary']}, tertiary {sp['tertiary']}")
    lines += ["", "## Measured quality (held-out z blocks, threshold 0.5)", ""]
    if "scores" in z:
        sc = z["scores"]
        lines += [score_table(sc), "",
                  f"Foreground = {z['structure']}. Counts summed over the held-out slices of one set (never across sets); "
                  + ("F1 (2-px tolerance): a predicted membrane pixel is correct within 2 px of a true one and vice "
                     "versa; V_rand: the ISBI 2012 Rand F-score of the regions the membranes separate, on the true "
                     "non-membrane pixels. " if z["component"] == "membranes" else "") +
                  "'evaluation only' = a data set this model never trained on. "
                  f"Ensemble (mean of the 1/3/5-frame models of this component): see `zoo/README.md`. "
                  f"Reproduce: `{sc['command']}`.", ""]
    else:
        lines += ["(not evaluated yet: run `training/evaluate`)", ""]
    if "timing" in z:
        tm = z["timing"]
        lines += [(f"Speed through the Zooscope worker (ONNX Runtime, 2 CPU threads, one 512×512 tile): "
                   f"{tm['ort_512_ms']} ms (bare `OrtSession.run`: {tm['bare_ort_512_ms']} ms; `{tm['command']}`)."
                   if "ort_512_ms" in tm else
                   f"CPU speed (torch, 2 threads, one 512×512 tile): {tm['torch_512_ms']} ms."), ""]
    lines += ["## Output on far unlabelled slices", "",
              (notes or "(not inspected yet)"), "",
              "## Licence and credits", "",
              f"Model weights: {rdf['license']} (trained on non-commercial research data). Training data: "
              + "; ".join(sorted({DATA_INFO[sp['name']]['source'] for sp in t['sets']})) +
              ". The data licences are in the `DATA_LICENSE_*.txt` files of this package (the test tensors are crops "
              "of that data) and in `zoo/DATA_LICENSES.md`.", "", "Cite:", ""]
    for c in rdf["cite"]:
        lines.append(f"* {c['text']}. doi:{c['doi']}")
    lines.append("")
    return "\n".join(lines)
