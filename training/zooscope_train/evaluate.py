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

from . import data, package
from .trainer import add_counts, predict_slice, scores, summarise, setup_threads
from .unet import UNet

MODEL_IDS = ["membrane-isbi-2d", "membrane-isbi-3f", "membrane-isbi-5f", "mito-sbem-2d", "mito-sbem-3f", "mito-sbem-5f"]


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


def evaluate(zoo, data_root, ids, runs_dir, tta=True, threads=2, notes_file=None, command=None, log=print,
             reuse=True):
    setup_threads(threads)
    cache = VolumeCache(data_root)
    probs = {}     # (component, set, frames, tta) -> list of prob slices
    masks = {}
    results = {}
    far_dir = os.path.join(runs_dir, "far")
    os.makedirs(far_dir, exist_ok=True)
    notes = {}
    if notes_file and os.path.exists(notes_file):
        with open(notes_file) as f:
            notes = yaml.safe_load(f) or {}
    cache_dir = os.path.join(runs_dir, "eval")
    os.makedirs(cache_dir, exist_ok=True)
    for mid in ids:
        t0 = time.time()
        rdf, model = load_package(zoo, mid)
        z = rdf["config"]["zooscope"]
        frames, comp, norm = int(z["frames"]), z["component"], z["normalisation"]
        wsha = rdf["weights"]["pytorch_state_dict"]["sha256"]
        cj, cn = os.path.join(cache_dir, mid + ".json"), os.path.join(cache_dir, mid + ".npz")
        cached = None
        if reuse and os.path.exists(cj) and os.path.exists(cn):
            cached = json.load(open(cj))
            # the halo changes tiled predictions: same weights under another halo are evaluated again
            if cached.get("weights_sha256") != wsha or cached.get("tiling") != tiling(z) or \
                    (tta and not cached["scores"]["tta"]):
                cached = None
        if cached is not None:  # same weights already evaluated: reuse scores and held-out probabilities
            npz = np.load(cn)
            for sp in z["training"]["sets"]:
                vol, lab, zs = cache.labelled(sp["name"], norm["min_percentile"], norm["max_percentile"])
                hold = [i for i, zz in enumerate(zs) if sp["holdout_z"][0] <= zz <= sp["holdout_z"][1]]
                masks[(comp, sp["name"])] = [lab[zi] for zi in hold]
                for use_tta in ([False, True] if cached["scores"]["tta"] else [False]):
                    arr = npz[f"{sp['name']}_{int(use_tta)}"].astype(np.float32)
                    probs[(comp, sp["name"], frames, use_tta)] = list(arr)
            sc, timing = cached["scores"], cached["timing"]
            log(f"[{mid}] reused cached evaluation {cj}")
        else:
            per = {}
            tot = {False: {}, True: {}}
            arrays = {}
            for sp in z["training"]["sets"]:
                vol, lab, zs = cache.labelled(sp["name"], norm["min_percentile"], norm["max_percentile"])
                hold = [i for i, zz in enumerate(zs) if sp["holdout_z"][0] <= zz <= sp["holdout_z"][1]]
                m = {}
                for use_tta in ([False, True] if tta else [False]):
                    c = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
                    plist = []
                    for zi in hold:
                        p = predict_slice(model, data.frame_stack(vol, zi, frames), tta=use_tta, **tiling(z))
                        plist.append(p)
                        c = add_counts(c, scores(p, lab[zi]))
                    probs[(comp, sp["name"], frames, use_tta)] = plist
                    arrays[f"{sp['name']}_{int(use_tta)}"] = np.stack(plist).astype(np.float16)
                    masks[(comp, sp["name"])] = [lab[zi] for zi in hold]
                    tot[use_tta] = add_counts(tot[use_tta], c)
                    r = summarise(c)
                    sfx = "_tta" if use_tta else ""
                    m["iou" + sfx], m["f1" + sfx] = round(r["iou"], 4), round(r["f1"], 4)
                m.setdefault("iou_tta", None)
                m.setdefault("f1_tta", None)
                m["slices"] = len(hold)
                per[sp["name"]] = m
            allr = {}
            for use_tta in tot:
                if tot[use_tta]:
                    r = summarise(tot[use_tta])
                    sfx = "_tta" if use_tta else ""
                    allr["iou" + sfx], allr["f1" + sfx] = round(r["iou"], 4), round(r["f1"], 4)
            far = []
            for sp in z["training"]["sets"]:
                far.append(far_preview(model, frames, cache, sp["name"], norm,
                                       os.path.join(far_dir, f"{mid}_{sp['name']}.png"), tile=tiling(z)))
            # the ONNX Runtime figure when there is one; torch eager only as a fallback (it is not what previews run)
            timing = ort_timing(zoo, mid) or {"torch_512_ms": time_512(model, frames), "threads": threads,
                                              "note": "torch eager CPU: indicative only"}
            sc = {"threshold": 0.5, "tta": tta, "sets": per, "all": allr, "far_slices": far,
                  "command": "training/evaluate",
                  "note": "foreground IoU/F1 over pooled pixels of the held-out z block(s); TTA = mean of 8 rotations/flips; "
                          f"images tiled as the service tiles them: 512 px cores, the declared halo ({z['halo']} px)"}
            json.dump({"weights_sha256": wsha, "tiling": tiling(z), "scores": sc, "timing": timing}, open(cj, "w"),
                      indent=1)
            np.savez_compressed(cn, **arrays)
        timing = ort_timing(zoo, mid) or timing
        z["scores"], z["timing"] = sc, timing
        results[mid] = {"component": comp, "frames": frames, "scores": sc, "timing": timing,
                        "eval_seconds": round(time.time() - t0, 1)}
        write_package_text(zoo, mid, rdf, notes.get(mid))
        log(f"[{mid}] {json.dumps(sc['all'])} far={sc['far_slices']} {timing} ({results[mid]['eval_seconds']} s)")
    # ensembles: mean of the 1/3/5-frame models of a component
    ens = {}
    for comp in sorted({r["component"] for r in results.values()}):
        fr = sorted(r["frames"] for r in results.values() if r["component"] == comp)
        if fr != [1, 3, 5]:
            continue
        e = {}
        have_tta = all(results[m]["scores"]["tta"] for m in results if results[m]["component"] == comp)
        for use_tta in ([False, True] if have_tta else [False]):
            tot_c = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
            for (c_, name, f_, t_), _ in list(probs.items()):
                if c_ != comp or f_ != 1 or t_ != use_tta:
                    continue
                c = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
                for k, msk in enumerate(masks[(comp, name)]):
                    p = np.mean([probs[(comp, name, f, use_tta)][k] for f in (1, 3, 5)], axis=0)
                    c = add_counts(c, scores(p, msk))
                r = summarise(c)
                sfx = "_tta" if use_tta else ""
                e.setdefault(name, {})
                e[name]["iou" + sfx], e[name]["f1" + sfx] = round(r["iou"], 4), round(r["f1"], 4)
                tot_c = add_counts(tot_c, c)
            r = summarise(tot_c)
            sfx = "_tta" if use_tta else ""
            e.setdefault("all", {})
            e["all"]["iou" + sfx], e["all"]["f1" + sfx] = round(r["iou"], 4), round(r["f1"], 4)
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
