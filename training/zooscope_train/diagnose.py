"""Why a zoo model scores what it scores: measurements that separate the model from its labels.

1. Label tolerance: each held-out block's labels scored against themselves after a 1-px change (erosion, dilation,
   shift by one pixel). When a 1-px disagreement along every boundary already costs more than the gap to a quality
   target, that target asks for near pixel-exact agreement with hand-drawn boundaries.
2. Fit: each shipped model scored on (up to 6 of) its own training slices, next to its held-out score. A model that
   scores no better on the slices it was trained on than on unseen ones is limited by what it can fit, not by
   over-fitting.
3. Overfit (``--overfit STEPS``, the 2D models only): the same architecture trained on just 2 training slices without
   any augmentation (primary variant 0 only, no secondary or tertiary op), with a linear warm-up and cosine decay of
   the learning rate to 0, the training loss logged every ``--log-every`` steps; then scored on those 2 slices (how
   far it can memorise its labels) and on the usual held-out block (how much 2 slices already buy). Only a loss that
   has flattened while the rate was still well above 0 and stays there as it decays is a sign of capacity; a loss
   still falling when the rate reaches 0 says the budget, not the net, set the score.

Writes ``<runs>/diagnose.json`` and ``<zoo>/DIAGNOSIS.md``.
"""
import copy
import json
import os
import time

import numpy as np
import torch
import yaml
from scipy import ndimage

from . import data, trainer
from .evaluate import VolumeCache, load_package, tiling
from .trainer import add_counts, predict_slice, scores, summarise


def _counts(pred, mask):
    return scores(pred.astype(np.float32), mask)


def label_tolerance(cache, set_name, holdout_z):
    """IoU/F1 of the held-out labels against themselves eroded, dilated and shifted by 1 px."""
    _, lab, zs = cache.labelled(set_name, 1.0, 99.5)
    hold = [i for i, z in enumerate(zs) if holdout_z[0] <= z <= holdout_z[1]]
    cross = ndimage.generate_binary_structure(2, 1)
    changes = {
        "eroded 1 px": lambda m: ndimage.binary_erosion(m, cross),
        "dilated 1 px": lambda m: ndimage.binary_dilation(m, cross),
        "shifted 1 px": lambda m: np.roll(m, 1, axis=1),
    }
    out = {}
    for name, change in changes.items():
        c = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
        for i in hold:
            m = lab[i].astype(bool)
            c = add_counts(c, _counts(change(m), m))
        out[name] = {k: round(v, 4) for k, v in summarise(c).items()}
    out["foreground_fraction"] = round(float(lab[hold].mean()), 4)
    return out


def _spread(items, n):
    idx = np.unique(np.linspace(0, len(items) - 1, min(n, len(items))).round().astype(int))
    return [items[i] for i in idx]


def fit(zoo, cache, mid, max_slices=6):
    """The shipped model on its own training slices (threshold 0.5, no TTA) vs its held-out score."""
    rdf, model = load_package(zoo, mid)
    z = rdf["config"]["zooscope"]
    frames, norm = int(z["frames"]), z["normalisation"]
    out = {}
    for sp in z["training"]["sets"]:
        vol, lab, zs = cache.labelled(sp["name"], norm["min_percentile"], norm["max_percentile"])
        h0, h1 = sp["holdout_z"]
        train = [i for i, zz in enumerate(zs) if not (h0 <= zz <= h1)]
        c = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
        picked = _spread(train, max_slices)
        for i in picked:
            stack = data.frame_stack(vol, i, frames, min(train), max(train))
            c = add_counts(c, scores(predict_slice(model, stack, **tiling(z)), lab[i]))
        held = z["scores"]["sets"][sp["name"]]
        out[sp["name"]] = {"train_z": [zs[i] for i in picked],
                           "train": {k: round(v, 4) for k, v in summarise(c).items()},
                           "held_out": {"iou": held["iou"], "f1": held["f1"]}}
    return out


def overfit(settings, data_root, runs_dir, zoo, steps, threads, log, log_every=100):
    """Train a model's architecture (its training ``settings``) on 2 training slices of its first set, without
    augmentation; score it on those slices and on the held-out block; return the training-loss curve too."""
    s = copy.deepcopy(settings)
    mid = s["model_id"]
    sp = s["sets"][0]
    _, _, zs = data.load_labelled(data_root, sp["name"])
    h0, h1 = sp["holdout_z"]
    train = [z for z in zs if not (h0 <= z <= h1)]
    # the 2 training slices farthest from the held-out block (neighbouring slices would flatter the held-out score)
    two = train[:2] if h0 > train[0] else train[-2:]
    sp.update({"secondary": 0, "tertiary": 0, "primary_variants": [0], "train_z": [two[0], two[-1]]})
    s.update({"model_id": f"diagnose-{mid}", "sets": [sp], "steps": steps, "val_every": steps,
              "log_every": max(1, min(log_every, steps)),
              "warmup_steps": max(1, min(int(s.get("warmup_steps", 50)), steps // 20))})
    s.pop("init_from", None)
    t0 = time.time()
    info = trainer.train(s, data_root, runs_dir, threads=threads, log=log)
    model = trainer.UNet(**trainer.model_kwargs(s))
    model.load_state_dict(torch.load(trainer.checkpoint_path(runs_dir, s["model_id"]), map_location="cpu"))
    model.eval()
    ts = trainer.TrainingSet(data_root, sp, s["normalisation"])
    frames = int(s["frames"])
    c_train, c_held = {"tp": 0.0, "fp": 0.0, "fn": 0.0}, {"tp": 0.0, "fp": 0.0, "fn": 0.0}
    for i in ts.train:
        c_train = add_counts(c_train, scores(predict_slice(model, data.frame_stack(ts.vol, i, frames, ts.tmin, ts.tmax)),
                                             ts.lab[i]))
    for i in ts.holdout:
        c_held = add_counts(c_held, scores(predict_slice(model, data.frame_stack(ts.vol, i, frames)), ts.lab[i]))
    shipped = _zooscope_config(zoo, mid)["scores"]["sets"][sp["name"]]
    return {"set": sp["name"], "train_z": two, "steps": steps, "seconds": round(time.time() - t0, 1),
            "lr": float(s["lr"]), "warmup_steps": s["warmup_steps"], "augmentation": "none (primary variant 0 only)",
            "loss_curve": info["loss_curve"],
            "train": {k: round(v, 4) for k, v in summarise(c_train).items()},
            "held_out": {k: round(v, 4) for k, v in summarise(c_held).items()},
            "shipped_held_out": {"iou": shipped["iou"], "f1": shipped["f1"]}}


def halo_sweep(zoo, cache, mid, halos, pad=192, log=print):
    """A package's held-out IoU (no TTA, pooled over its sets) tiled with 512 px cores under each halo, next to one
    whole-image pass and one whole-image pass mirror-padded by ``pad`` px (what a border tile sees), with how far
    each tiled map is from the whole-image one."""
    rdf, model = load_package(zoo, mid)
    z = rdf["config"]["zooscope"]
    frames, norm, step = int(z["frames"]), z["normalisation"], int(z["sizeStep"])
    slices = []
    for sp in z["training"]["sets"]:
        vol, lab, zs = cache.labelled(sp["name"], norm["min_percentile"], norm["max_percentile"])
        slices += [(vol, i, lab[i]) for i, zz in enumerate(zs) if sp["holdout_z"][0] <= zz <= sp["holdout_z"][1]]

    def whole(st, p):
        st = np.pad(st, ((0, 0), (p, p), (p, p)), mode="reflect") if p else st
        t, (h, w) = trainer.pad_to(torch.from_numpy(np.ascontiguousarray(st))[None], step)
        with torch.no_grad():
            out = torch.sigmoid(model(t))[0, 0, :h, :w].numpy()
        return out[p:h - p, p:w - p] if p else out

    ref = [whole(data.frame_stack(v, i, frames), 0) for v, i, _ in slices]
    out = {}
    for key in ["whole image", f"whole image, mirror-padded {pad} px"] + [f"halo {h}" for h in halos]:
        c, dmax, dis = {"tp": 0.0, "fp": 0.0, "fn": 0.0}, 0.0, 0
        for (v, i, m), pw in zip(slices, ref):
            st = data.frame_stack(v, i, frames)
            if key == "whole image":
                p = pw
            elif key.startswith("whole"):
                p = whole(st, pad)
            else:
                p = predict_slice(model, st, halo=int(key.split()[1]), step=step)
            dmax, dis = max(dmax, float(np.abs(p - pw).max())), dis + int(((p >= 0.5) != (pw >= 0.5)).sum())
            c = add_counts(c, scores(p, m))
        out[key] = {"iou": round(summarise(c)["iou"], 4), "max_abs_diff_vs_whole": round(dmax, 4),
                    "px_differing_at_0.5_vs_whole": dis}
        log(f"[halo] {mid} {key} {json.dumps(out[key])}")
    return out


def _zooscope_config(zoo, mid):
    """A package's ``config.zooscope`` (metadata only: the weights are loaded where a model runs)."""
    with open(os.path.join(zoo, mid, "bioimageio.yaml")) as f:
        return yaml.safe_load(f)["config"]["zooscope"]


CURVE_POINTS = (0.1, 0.25, 0.5, 0.75, 0.9, 1.0)


def curve_points(curve):
    """The logged entries nearest to each fraction of the run in CURVE_POINTS."""
    last = curve[-1]["step"]
    return [min(curve, key=lambda p: abs(p["step"] - f * last)) for f in CURVE_POINTS]


def _row(*cells):
    return "| " + " | ".join(str(c) for c in cells) + " |"


def write_markdown(path, res, command):
    lines = ["# Why the zoo models score what they score", "",
             f"Written by `{command}` (see `training/README.md`). Foreground IoU / F1 at threshold 0.5, pixels pooled, no TTA.",
             "", "## 1. Label tolerance: the held-out labels against themselves after a 1-px change", "",
             _row("set", "held-out z", "foreground", "eroded 1 px", "dilated 1 px", "shifted 1 px"),
             _row("---", "---", "---", "---", "---", "---")]
    for name, r in res["labels"].items():
        lines.append(_row(name, f"{r['holdout_z'][0]}–{r['holdout_z'][1]}", f"{r['foreground_fraction']:.1%}",
                          *[f"{r[k]['iou']:.3f} / {r[k]['f1']:.3f}" for k in ("eroded 1 px", "dilated 1 px",
                                                                               "shifted 1 px")]))
    lines += ["", "Read: a prediction that matches every label boundary to within one pixel can still score this low.",
              "", "## 2. Fit: each shipped model on its own training slices vs the held-out block", "",
              _row("model", "set", "training slices (z)", "train IoU / F1", "held-out IoU / F1"),
              _row("---", "---", "---", "---", "---")]
    for mid, sets in res["fit"].items():
        for name, r in sets.items():
            lines.append(_row(f"`{mid}`", name, ", ".join(str(z) for z in r["train_z"]),
                              f"{r['train']['iou']:.3f} / {r['train']['f1']:.3f}",
                              f"{r['held_out']['iou']:.3f} / {r['held_out']['f1']:.3f}"))
    if res.get("overfit"):
        lines += ["", "## 3. Overfit: the same architecture trained on 2 slices, no augmentation", "",
                  _row("model", "set", "trained on z", "steps", "those 2 slices IoU / F1", "held-out IoU / F1",
                       "shipped model held-out IoU / F1"),
                  _row("---", "---", "---", "---", "---", "---", "---")]
        for mid, r in res["overfit"].items():
            lines.append(_row(f"`{mid}`", r["set"], f"{r['train_z'][0]}, {r['train_z'][1]}", r["steps"],
                              f"{r['train']['iou']:.3f} / {r['train']['f1']:.3f}",
                              f"{r['held_out']['iou']:.3f} / {r['held_out']['f1']:.3f}",
                              f"{r['shipped_held_out']['iou']:.3f} / {r['shipped_held_out']['f1']:.3f}"))
        curves = {mid: r["loss_curve"] for mid, r in res["overfit"].items() if r.get("loss_curve")}
        if curves:
            lines += ["", "Training loss (BCE + soft Dice, mean over the logged interval) and learning rate along the "
                      "schedule (linear warm-up, cosine decay to 0); the full curves are in `runs/diagnose.json`:", "",
                      _row("model", *[f"{f:.0%} of steps" for f in CURVE_POINTS]),
                      _row("---", *["---"] * len(CURVE_POINTS))]
            for mid, c in curves.items():
                lines.append(_row(f"`{mid}`", *[f"{p['loss']:.4f} (lr {p['lr']:.1e})" for p in curve_points(c)]))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def diagnose(zoo, data_root, ids, runs_dir, settings_dir, overfit_steps=0, threads=2, command="training/diagnose",
             log=print, log_every=100, halos=None):
    trainer.setup_threads(threads)
    cache = VolumeCache(data_root)
    if halos:  # only the halo sweep (runs/halo_sweep.json); DIAGNOSIS.md is left as it is
        res = {mid: halo_sweep(zoo, cache, mid, halos, log=log) for mid in ids}
        os.makedirs(runs_dir, exist_ok=True)
        with open(os.path.join(runs_dir, "halo_sweep.json"), "w") as f:
            json.dump({"command": command, "results": res}, f, indent=1)
        return res
    res = {"labels": {}, "fit": {}, "overfit": {}, "command": command}
    meta = {mid: _zooscope_config(zoo, mid) for mid in ids}
    for mid in ids:
        for sp in meta[mid]["training"]["sets"]:
            if sp["name"] not in res["labels"]:
                r = label_tolerance(cache, sp["name"], sp["holdout_z"])
                r["holdout_z"] = sp["holdout_z"]
                res["labels"][sp["name"]] = r
                log(f"[labels] {sp['name']} {json.dumps(r)}")
    for mid in ids:
        res["fit"][mid] = fit(zoo, cache, mid)
        log(f"[fit] {mid} {json.dumps(res['fit'][mid])}")
    if overfit_steps:
        for mid in ids:
            if int(meta[mid]["frames"]) == 1:
                settings = trainer.load_settings(os.path.join(settings_dir, mid + ".yaml"))
                res["overfit"][mid] = overfit(settings, data_root, runs_dir, zoo, overfit_steps, threads, log,
                                              log_every=log_every)
                log(f"[overfit] {mid} " + json.dumps({k: v for k, v in res["overfit"][mid].items() if k != "loss_curve"}))
    os.makedirs(runs_dir, exist_ok=True)
    with open(os.path.join(runs_dir, "diagnose.json"), "w") as f:
        json.dump(res, f, indent=1)
    write_markdown(os.path.join(zoo, "DIAGNOSIS.md"), res, command)
    return res
