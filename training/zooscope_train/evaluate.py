"""Evaluate shipped zoo packages on the held-out z blocks (with and without 8x TTA, and the 1/3/5-frame
ensemble per component), look at the far unlabelled slices, and write scores into the packages' yaml,
model cards and zoo/README.md."""
import json
import os
import time

import numpy as np
import torch
import yaml
from PIL import Image

from . import data, metrics, package
from .trainer import add_counts, predict_slice, scores, summarise, setup_threads
from .unet import UNet

MODEL_IDS = ["membrane-isbi-2d", "membrane-isbi-3f", "membrane-isbi-5f", "mito-sbem-2d", "mito-sbem-3f", "mito-sbem-5f",
             "mito-sbem-2d-accurate"]


def tier_of(z):
    """A package's tier (config.zooscope.tier); packages built before tiers existed are the fast ones."""
    return z.get("tier", "fast")


def load_package(zoo, mid):
    with open(os.path.join(zoo, mid, "bioimageio.yaml")) as f:
        rdf = yaml.safe_load(f)
    kw = rdf["weights"]["pytorch_state_dict"]["architecture"]["kwargs"]
    model = UNet(**{k: v for k, v in kw.items() if k != "sigmoid"}, sigmoid=False)
    sd = torch.load(os.path.join(zoo, mid, "weights.pt"), map_location="cpu")
    model.load_state_dict(sd)
    model.eval()
    return rdf, model


class VolumeCache:
    def __init__(self, root):
        self.root, self.c = root, {}

    def labelled(self, name, lo_p, hi_p):
        key = ("l", name, lo_p, hi_p)
        if key not in self.c:
            im, lab, zs = data.load_labelled(self.root, name)
            lo, hi = data.percentile_range(im, lo_p, hi_p)
            self.c[key] = (data.scale_range(im, lo, hi), lab, zs)
        return self.c[key]

    def far(self, name, lo_p, hi_p):
        key = ("f", name, lo_p, hi_p)
        if key not in self.c:
            im, zs = data.load_far(self.root, name)
            lo, hi = data.percentile_range(im, lo_p, hi_p)
            self.c[key] = (data.scale_range(im, lo, hi), zs)
        return self.c[key]


def ort_timing(zoo, mid):
    """The model's ONNX Runtime speed on a 512² tile from <zoo>/onnxruntime-512.tsv (written from gpu-worker/bench),
    or None. That, not torch eager, is what a preview runs on."""
    path = os.path.join(zoo, "onnxruntime-512.tsv")
    if not os.path.exists(path):
        return None
    for line in open(path):
        f = line.strip().split("\t")
        if len(f) == 3 and f[0] == mid:
            return {"ort_512_ms": round(1000 / float(f[1]), 1), "bare_ort_512_ms": round(1000 / float(f[2]), 1),
                    "threads": 2, "command": "gpu-worker/bench --sizes 512 --seconds 5"}
    return None


def time_512(model, frames, reps=3):
    x = torch.rand(1, frames, 512, 512)
    with torch.no_grad():
        model(x)
        ts = []
        for _ in range(reps):
            t = time.time()
            model(x)
            ts.append(time.time() - t)
    return round(1000 * float(np.median(ts)), 1)


def tiling(z):
    """A package's tiling as the service runs it: its declared halo and size step (from config.zooscope)."""
    return {"halo": int(z["halo"]), "step": int(z["sizeStep"])}


def far_preview(model, frames, cache, name, norm, out_png, max_slices=3, max_eval=3, tile=None):
    """Predict up to ``max_eval`` far unlabelled slices (context from the whole far volume); preview 3 of them."""
    vol, zs = cache.far(name, norm["min_percentile"], norm["max_percentile"])
    fg, panels = [], []
    ev_idx = np.unique(np.linspace(0, len(zs) - 1, min(max_eval, len(zs))).round().astype(int))
    pick = ev_idx[np.unique(np.linspace(0, len(ev_idx) - 1, min(max_slices, len(ev_idx))).round().astype(int))]
    for i in ev_idx:
        p = predict_slice(model, data.frame_stack(vol, i, frames), **(tile or {}))
        fg.append(float((p >= 0.5).mean()))
        if i in pick:
            a = (np.clip(vol[i], 0, 1) * 255).astype(np.uint8)
            b = (p * 255).astype(np.uint8)
            panels.append(np.concatenate([a, np.full((a.shape[0], 8), 255, np.uint8), b], axis=1))
    img = np.concatenate([np.pad(pn, ((0, 8), (0, 0)), constant_values=255) for pn in panels], axis=0)
    Image.fromarray(img).save(out_png)
    return {"set": name, "z": [zs[0], zs[-1]], "slices": len(ev_idx), "fg_fraction": round(float(np.mean(fg)), 4)}


# evaluation-only blocks: data sets a component's models are scored on besides their training sets (a model that
# trains on one of them uses that set's own held-out block, which is the same block)
EXTRA_EVAL = {
    "membranes": {"epfl-hippocampus-membranes": [135, 164]},    # EPFL FIB-SEM, other lab: last 5 of 27 slices
    "mitochondria": {"epfl-hippocampus-mito": [135, 164]},
}
MEASURES = {"membranes": ["f1_2px", "v_rand", "iou", "f1"], "mitochondria": ["iou", "f1"]}


def eval_sets(z):
    """(set name, held-out z block, trained on that set) for every block a package is scored on."""
    out = [(sp["name"], list(sp["holdout_z"]), True) for sp in z["training"]["sets"]]
    names = {n for n, _, _ in out}
    out += [(n, hz, False) for n, hz in EXTRA_EVAL.get(z["component"], {}).items() if n not in names]
    return out


def _round(d):
    return {k: round(float(v), 4) for k, v in d.items()}


def evaluate(zoo, data_root, ids, runs_dir, tta=True, threads=2, notes_file=None, command=None, log=print,
             reuse=True):
    """Scores every package on each of its held-out blocks, one data set at a time (never pooled across sets):
    mitochondria IoU / F1, membranes F1 with a 2-px tolerance, foreground-restricted V_rand and pixel IoU / F1
    (``metrics.py``), each without and with 8x TTA; the same for the mean of a component's 1/3/5-frame models.
    Held-out probabilities are cached per package (``<runs>/eval``) and reused while the weights and tiling are
    unchanged; only blocks missing from the cache are predicted."""
    setup_threads(threads)
    cache = VolumeCache(data_root)
    probs = {}     # (component, set, frames, tta) -> list of prob slices
    masks = {}     # (component, set) -> list of masks
    results = {}
    far_dir = os.path.join(runs_dir, "far")
    os.makedirs(far_dir, exist_ok=True)
    notes = {}
    if notes_file and os.path.exists(notes_file):
        with open(notes_file) as f:
            notes = yaml.safe_load(f) or {}
    cache_dir = os.path.join(runs_dir, "eval")
    os.makedirs(cache_dir, exist_ok=True)
    ttas = [False, True] if tta else [False]
    for mid in ids:
        t0 = time.time()
        rdf, model = load_package(zoo, mid)
        z = rdf["config"]["zooscope"]
        if "tier" not in z:  # written by package.py since tiers exist; older packages are the fast tier
            z["tier"] = tier_of(z)
            z["tierLimits"] = package.tier_limits(z["tier"])
        frames, comp, norm = int(z["frames"]), z["component"], z["normalisation"]
        wsha = rdf["weights"]["pytorch_state_dict"]["sha256"]
        cj, cn = os.path.join(cache_dir, mid + ".json"), os.path.join(cache_dir, mid + ".npz")
        cached, arrays = {}, {}
        if reuse and os.path.exists(cj) and os.path.exists(cn):
            c = json.load(open(cj))
            # the halo changes tiled predictions: same weights under another halo are evaluated again
            if c.get("weights_sha256") == wsha and c.get("tiling") == tiling(z):
                cached = c
                npz = np.load(cn)
                arrays = {k: npz[k] for k in npz.files}
        per = {}
        predicted = 0
        for name, hz, trained in eval_sets(z):
            vol, lab, zs = cache.labelled(name, norm["min_percentile"], norm["max_percentile"])
            hold = [i for i, zz in enumerate(zs) if hz[0] <= zz <= hz[1]]
            masks[(comp, name)] = [lab[zi] for zi in hold]
            m = {}
            for use_tta in ttas:
                key = f"{name}_{hz[0]}_{hz[1]}_{int(use_tta)}"
                if key not in arrays:
                    plist = [predict_slice(model, data.frame_stack(vol, zi, frames, zs=zs), tta=use_tta, **tiling(z))
                             for zi in hold]
                    arrays[key] = np.stack(plist).astype(np.float16)
                    predicted += 1
                plist = list(arrays[key].astype(np.float32))
                if tier_of(z) == "fast":  # the ensembles are the fast tier's 1/3/5-frame models
                    probs[(comp, name, frames, use_tta)] = plist
                sc_ = metrics.block_scores(comp, plist, masks[(comp, name)])
                sfx = "_tta" if use_tta else ""
                m.update({k + sfx: v for k, v in _round(sc_).items()})
            for k in list(m):
                if not k.endswith("_tta"):
                    m.setdefault(k + "_tta", None)
            m.update({"holdout_z": hz, "z": [zs[i] for i in hold], "slices": len(hold), "trained_on": trained})
            per[name] = m
        if predicted or "far_slices" not in cached:
            np.savez_compressed(cn, **arrays)
        far = cached.get("far_slices")
        if far is None:
            far = []
            for sp in z["training"]["sets"]:
                if "far" in data.DATASETS[sp["name"]]:
                    far.append(far_preview(model, frames, cache, sp["name"], norm,
                                           os.path.join(far_dir, f"{mid}_{sp['name']}.png"), tile=tiling(z)))
        # the ONNX Runtime figure when there is one; torch eager only as a fallback (it is not what previews run)
        timing = ort_timing(zoo, mid) or cached.get("timing") or \
            {"torch_512_ms": time_512(model, frames), "threads": threads, "note": "torch eager CPU: indicative only"}
        sc = {"threshold": 0.5, "tta": tta, "measures": MEASURES[comp], "sets": per, "far_slices": far,
              "command": "training/evaluate",
              "note": ("scores per data set over the pixels of its held-out z block (never pooled across sets): "
                       + ("F1 with a 2-px tolerance (f1_2px), foreground-restricted Rand F-score (v_rand), "
                          "pixel IoU / F1" if comp == "membranes" else "foreground IoU / F1")
                       + "; TTA = mean of 8 rotations/flips; images tiled as the service tiles them: 512 px cores, "
                       f"the declared halo ({z['halo']} px)")}
        json.dump({"weights_sha256": wsha, "tiling": tiling(z), "far_slices": far, "timing": timing}, open(cj, "w"),
                  indent=1)
        z["scores"], z["timing"] = sc, timing
        results[mid] = {"component": comp, "frames": frames, "tier": tier_of(z), "scores": sc, "timing": timing,
                        "eval_seconds": round(time.time() - t0, 1)}
        write_package_text(zoo, mid, rdf, notes.get(mid))
        log(f"[{mid}] " + "; ".join(f"{n}: " + " ".join(f"{k} {v[k]}" for k in MEASURES[comp] + [k + '_tta' for k in MEASURES[comp]])
                                   for n, v in per.items()) + f" far={far} ({results[mid]['eval_seconds']} s)")
    # ensembles: mean probability of the 1/3/5-frame models of a component, per data set
    ens = {}
    for comp in sorted({r["component"] for r in results.values()}):
        fr = sorted(r["frames"] for r in results.values() if r["component"] == comp and r["tier"] == "fast")
        if fr != [1, 3, 5]:
            continue
        e = {}
        for (c_, name, f_, use_tta) in list(probs):
            if c_ != comp or f_ != 1 or not all((comp, name, f, use_tta) in probs for f in (3, 5)):
                continue
            pm = [np.mean([probs[(comp, name, f, use_tta)][k] for f in (1, 3, 5)], axis=0)
                  for k in range(len(masks[(comp, name)]))]
            sfx = "_tta" if use_tta else ""
            e.setdefault(name, {}).update({k + sfx: v for k, v in
                                           _round(metrics.block_scores(comp, pm, masks[(comp, name)])).items()})
        ens[comp] = e
    out = {"models": results, "ensembles": ens, "command": command}
    with open(os.path.join(runs_dir, "eval.json"), "w") as f:
        json.dump(out, f, indent=1)
    return out


def write_package_text(zoo, mid, rdf, note):
    d = os.path.join(zoo, mid)
    with open(os.path.join(d, "bioimageio.yaml"), "w") as f:
        f.write("# Generated by training/zooscope_train/package.py - do not edit by hand.\n")
        yaml.safe_dump(rdf, f, sort_keys=False, allow_unicode=True, width=110)
    with open(os.path.join(d, "README.md"), "w") as f:
        f.write(package.card(rdf, note))
