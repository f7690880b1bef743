"""Readers for the labelled EM volumes in ``<data>`` (default ``../shared/data`` from the repo root).

Every reader returns slices as a (Z, H, W) uint8 image stack, a (Z, H, W) uint8 foreground mask
(1 = the structure the model segments) and the list of z indices. Label polarity differs per set:

* ``isbi2012-membrane``: label PNG grey value **0 = membrane** (foreground), 255 = other.
* ``cdeep3m-mito``: palette PNG, **palette index 1 = mitochondrion**, read as indices (never converted to grey).
* ``cdeep3m2-mito``: label grey value **255 = mitochondrion**.
* ``epfl-hippocampus-mito`` / ``epfl-hippocampus-membranes``: EPFL CA1 hippocampus FIB-SEM (5 nm isotropic), the
  third-party per-class masks ``epfl_train/mitochondrion`` / ``epfl_train/membranes`` (grey + alpha PNG),
  **grey > 127 = class**. Its 27 slices are not contiguous in z (training0000..0164 with gaps): frame context
  only reaches slices whose z really is next to the centre slice (``frame_stack(..., zs=...)``).
"""
import os
import re

import numpy as np
from PIL import Image


def _png_indices(path):
    im = Image.open(path)
    if im.mode == "P":
        return np.array(im)  # palette indices, not colours
    return np.array(im.convert("L"))


def _grey(path):
    im = Image.open(path)
    if im.mode == "P":  # palette grey PNG (cdeep3m2 images): map indices to their grey colour
        return np.array(im.convert("L"))
    if im.mode not in ("L", "I;16", "I", "F"):
        im = im.convert("L")
    return np.array(im)


def _numbered(folder, pattern):
    out = {}
    for name in os.listdir(folder):
        m = re.fullmatch(pattern, name)
        if m:
            out[int(m.group(1))] = os.path.join(folder, name)
    return dict(sorted(out.items()))


DATASETS = {
    "isbi2012-membrane": dict(
        component="membranes",
        images=("train/image", r"(\d+)\.png"),
        labels=("train/label", r"(\d+)\.png"),
        label_rule="value == 0 is membrane",
        far=("test_unlabelled", r"(\d+)\.png"),
    ),
    "cdeep3m-mito": dict(
        component="mitochondria",
        images=("training/images", r"images\.(\d+)\.png"),
        labels=("training/labels", r"mitos_3D\.(\d+)\.png"),
        label_rule="palette index 1 is mitochondrion",
        far=("testset", r"images\.(\d+)\.png"),
    ),
    "cdeep3m2-mito": dict(
        component="mitochondria",
        images=("training/images", r"images\.(\d+)\.png"),
        labels=("training/labels", r"mitos_3D\.(\d+)\.png"),
        label_rule="value 255 is mitochondrion",
        far=("testset", r"images\.(\d+)\.png"),
    ),
    "epfl-hippocampus-mito": dict(
        component="mitochondria", folder="epfl-hippocampus",
        images=("epfl_train/slices", r"training(\d+)\.png"),
        labels=("epfl_train/mitochondrion", r"training(\d+)\.png"),
        label_rule="grey value > 127 is mitochondrion",
    ),
    "epfl-hippocampus-membranes": dict(
        component="membranes", folder="epfl-hippocampus",
        images=("epfl_train/slices", r"training(\d+)\.png"),
        labels=("epfl_train/membranes", r"training(\d+)\.png"),
        label_rule="grey value > 127 is membrane",
    ),
}


def folder(name):
    """The data folder a set is read from (the two EPFL sets share one)."""
    return DATASETS[name].get("folder", name)


def _label_to_mask(name, arr):
    if name == "isbi2012-membrane":
        return (arr == 0).astype(np.uint8)
    if name == "cdeep3m-mito":
        return (arr == 1).astype(np.uint8)
    if name == "cdeep3m2-mito":
        return (arr == 255).astype(np.uint8)
    if name.startswith("epfl-hippocampus-"):
        return (arr > 127).astype(np.uint8)
    raise KeyError(name)


def load_labelled(data_root, name):
    """Return (images uint8 [Z,H,W], mask uint8 [Z,H,W], z list)."""
    spec = DATASETS[name]
    base = os.path.join(data_root, folder(name))
    imgs = _numbered(os.path.join(base, spec["images"][0]), spec["images"][1])
    labs = _numbered(os.path.join(base, spec["labels"][0]), spec["labels"][1])
    zs = sorted(set(imgs) & set(labs))
    if not zs:
        raise FileNotFoundError(f"no labelled slices for {name} under {base}")
    im = np.stack([_grey(imgs[z]) for z in zs])
    lab = np.stack([_label_to_mask(name, _png_indices(labs[z])) for z in zs])
    return im, lab, zs


def load_far(data_root, name):
    """Unlabelled far slices (SBEM testset z 80-90, ISBI test volume). Returns (images [Z,H,W], z list)."""
    spec = DATASETS[name]
    base = os.path.join(data_root, folder(name))
    files = _numbered(os.path.join(base, spec["far"][0]), spec["far"][1])
    zs = list(files)
    return np.stack([_grey(files[z]) for z in zs]), zs


def percentile_range(vol, lo, hi):
    """Statistics of the bioimage.io ``scale_range`` op over the whole volume (numpy linear percentiles)."""
    v = vol.astype(np.float64)
    return float(np.percentile(v, lo)), float(np.percentile(v, hi))


def scale_range(vol, lo_val, hi_val, eps=1e-6):
    return ((vol.astype(np.float32) - np.float32(lo_val)) / np.float32(hi_val - lo_val + eps)).astype(np.float32)


def contiguous_run(zs, zi):
    """Index range [a, b] around index zi over which the z values in ``zs`` are consecutive."""
    a = b = zi
    while a > 0 and zs[a - 1] == zs[a] - 1:
        a -= 1
    while b < len(zs) - 1 and zs[b + 1] == zs[b] + 1:
        b += 1
    return a, b


def frame_stack(vol, zi, frames, zmin=0, zmax=None, zs=None):
    """Channels = slices zi-k..zi+k (k = frames//2), indices clamped to [zmin, zmax] (edge slice replicated).
    With ``zs`` (the z value of each index) also clamped to the run of consecutive z around zi, so a volume with
    gaps in z never feeds a far slice as a neighbour."""
    if zmax is None:
        zmax = vol.shape[0] - 1
    if zs is not None:
        a, b = contiguous_run(zs, zi)
        zmin, zmax = max(zmin, a), min(zmax, b)
    k = frames // 2
    idx = [min(max(zi + d, zmin), zmax) for d in range(-k, k + 1)]
    return vol[idx]
