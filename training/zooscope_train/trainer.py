"""Training loop: several training sets at once, each with its own augmentation strengths, a held-out contiguous
z block per set. The shipped checkpoint is the end of a fixed schedule (warm-up + cosine decay to 0): the held-out
blocks are only monitored during training (a curve in history.json), never used to choose weights, so the
scores that training/evaluate reports on them are not selected on them."""
import json
import os
import random
import time

import numpy as np
import torch
import torch.nn.functional as F
import yaml

from . import augment, data
from . import losses as losses_mod
from .unet import UNet, n_params


def load_settings(path):
    with open(path) as f:
        s = yaml.safe_load(f)
    s.setdefault("noise_type", "uniform")
    s.setdefault("base_channels", 16)
    s.setdefault("depth", 3)
    s.setdefault("input_scale", 1)
    s.setdefault("refine_channels", 8)
    s.setdefault("halo", 32)
    return s


def model_kwargs(s):
    """UNet keyword arguments from a model's settings (the one place that maps settings to architecture)."""
    kw = {"in_channels": int(s["frames"]), "base": int(s["base_channels"]), "depth": int(s["depth"])}
    if int(s.get("input_scale", 1)) > 1:
        kw["scale"] = int(s["input_scale"])
        kw["refine"] = int(s.get("refine_channels", 8))
    return kw


CHECKPOINT = "final.pt"  # the weights a package is built from: the last step (or the last validation of a stopped run)


def checkpoint_path(runs_dir, model_id):
    return os.path.join(runs_dir, model_id, CHECKPOINT)


def init_path(runs_dir, ref):
    """``init_from`` names another model's run (its final checkpoint) or a state-dict file (path ending in .pt,
    relative to the repository root, e.g. an earlier package's weights.pt taken from git history)."""
    return ref if ref.endswith(".pt") else checkpoint_path(runs_dir, ref)


def size_step(s):
    """Input height and width must be multiples of this."""
    return int(s.get("input_scale", 1)) * 2 ** int(s["depth"])


_INTEROP_SET = []


def setup_threads(n):
    torch.set_num_threads(n)
    if not _INTEROP_SET:  # may only be called once per process, before any parallel work
        torch.set_num_interop_threads(1)
        _INTEROP_SET.append(1)


class TrainingSet:
    """One labelled volume, normalised with scale_range statistics over the whole volume."""

    def __init__(self, data_root, spec, norm):
        self.name = spec["name"]
        im, lab, zs = data.load_labelled(data_root, self.name)
        self.zs = zs
        self.lo, self.hi = data.percentile_range(im, norm["min_percentile"], norm["max_percentile"])
        self.vol = data.scale_range(im, self.lo, self.hi)
        self.lab = lab
        z0, z1 = spec["holdout_z"]
        self.holdout = [i for i, z in enumerate(zs) if z0 <= z <= z1]
        self.train = [i for i, z in enumerate(zs) if not (z0 <= z <= z1)]
        if spec.get("train_z"):  # optional: train on a sub-block only (training/diagnose's overfit check)
            t0, t1 = spec["train_z"]
            self.train = [i for i in self.train if t0 <= zs[i] <= t1]
        if not self.holdout or not self.train:
            raise ValueError(f"{self.name}: bad holdout_z {spec['holdout_z']} for z {zs[0]}..{zs[-1]}")
        # training blocks must be contiguous in index space (frames never reach into the held-out block)
        self.tmin, self.tmax = min(self.train), max(self.train)
        if self.tmax - self.tmin + 1 != len(self.train):
            raise ValueError(f"{self.name}: the held-out block must be at one end of the volume"
                             " (and train_z one contiguous block)")
        self.strength = augment.strengths(spec.get("secondary", 0))
        self.tertiary = int(spec.get("tertiary", 0))
        self.weight = float(spec.get("weight", 1.0))
        # primary variants drawn (default all 16); [0] with secondary 0 and tertiary 0 = no augmentation at all
        self.variants = [int(v) for v in spec.get("primary_variants", range(16))]

    def sample(self, frames, patch, rng, noise_type):
        zi = int(rng.choice(self.train))
        variant = int(self.variants[int(rng.integers(len(self.variants)))])
        scale = augment.tertiary_scale(variant, self.tertiary, rng)
        H, W = self.vol.shape[1:]
        src = int(round(patch / scale))
        src = max(8, min(src, H, W))
        y = int(rng.integers(0, H - src + 1))
        x = int(rng.integers(0, W - src + 1))
        stack = data.frame_stack(self.vol[:, y:y + src, x:x + src], zi, frames, self.tmin, self.tmax,
                                 zs=getattr(self, "zs", None))
        lab = self.lab[zi, y:y + src, x:x + src]
        if src != patch:
            from skimage.transform import resize
            stack = np.stack([resize(c, (patch, patch), order=1, anti_aliasing=src > patch, preserve_range=True)
                              for c in stack]).astype(np.float32)
            lab = (resize(lab.astype(np.float32), (patch, patch), order=1, anti_aliasing=src > patch,
                          preserve_range=True) > 0.5).astype(np.uint8)
        img, lab = augment.apply_variant(stack.astype(np.float32), lab, variant, self.strength, rng, noise_type)
        return img, lab


def pad_to(x, m):
    """Reflect-pad the last two axes up to a multiple of m. Returns padded tensor and (h, w)."""
    h, w = x.shape[-2:]
    ph, pw = (-h) % m, (-w) % m
    if ph or pw:
        x = F.pad(x, (0, pw, 0, ph), mode="reflect")
    return x, (h, w)


@torch.no_grad()
def forward_tiled(model, stack, tile=640, halo=64, step=32):
    """stack float32 [C,H,W] -> probability [H,W]; images larger than ``tile`` are processed in
    overlapping tiles (``halo`` px discarded at interior tile borders), reflect padding at image borders."""
    C, H, W = stack.shape
    if H <= tile and W <= tile:
        t, (h, w) = pad_to(torch.from_numpy(np.ascontiguousarray(stack))[None], step)
        return torch.sigmoid(model(t))[0, 0, :h, :w].numpy()
    core = tile - 2 * halo
    padded = np.pad(stack, ((0, 0), (halo, halo + (-H) % core), (halo, halo + (-W) % core)), mode="reflect")
    out = np.zeros((H + (-H) % core, W + (-W) % core), np.float32)
    for y in range(0, H, core):
        for x in range(0, W, core):
            t = torch.from_numpy(np.ascontiguousarray(padded[:, y:y + tile, x:x + tile]))[None]
            p = torch.sigmoid(model(t))[0, 0].numpy()
            out[y:y + core, x:x + core] = p[halo:halo + core, halo:halo + core]
    return out[:H, :W]


def predict_slice(model, stack, tta=False, halo=64, step=32, core=512):
    """stack float32 [C,H,W] -> probability [H,W]. tta: mean over the 8 rotations/flips. Images larger than
    ``core + 2 halo`` are tiled like the service tiles them: ``core`` px kept per tile, ``halo`` px discarded."""
    ks = range(8) if tta else [0]
    acc = None
    for k in ks:
        a = np.ascontiguousarray(augment.dihedral(stack, k))
        p = forward_tiled(model, a, tile=core + 2 * halo, halo=halo, step=step)
        p = np.ascontiguousarray(augment.inverse_dihedral(p, k))
        acc = p if acc is None else acc + p
    return acc / len(ks)


def scores(prob, mask, thr=0.5):
    pred = prob >= thr
    gt = mask.astype(bool)
    tp = float(np.logical_and(pred, gt).sum())
    fp = float(np.logical_and(pred, ~gt).sum())
    fn = float(np.logical_and(~pred, gt).sum())
    return {"tp": tp, "fp": fp, "fn": fn}


def summarise(c):
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {"iou": tp / max(tp + fp + fn, 1.0), "f1": 2 * tp / max(2 * tp + fp + fn, 1.0)}


def add_counts(a, b):
    return {k: a.get(k, 0.0) + b[k] for k in b}


def validate(model, sets, frames, tta=False, halo=64, step=32):
    model.eval()
    per_set = {}
    for ts in sets:
        c = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
        for zi in ts.holdout:
            stack = data.frame_stack(ts.vol, zi, frames, zs=ts.zs)  # full volume as context, like real inference
            c = add_counts(c, scores(predict_slice(model, stack, tta, halo=halo, step=step), ts.lab[zi]))
        per_set[ts.name] = summarise(c)
    return per_set


def init_from(model, path, frames, log):
    """Start a C-frame model from a trained model with fewer frames (normally the 2D one): all weights are copied,
    the first convolution's weights go to the centre frame(s) and the extra frames start at zero, so the start
    point computes exactly what the source model computes."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"init_from checkpoint {path} not found: train that model first")
    src = torch.load(path, map_location="cpu")
    dst = model.state_dict()
    src_frames = src["down.0.0.weight"].shape[1]
    for k, v in src.items():
        if dst[k].shape == v.shape:
            dst[k] = v
        else:  # a convolution that sees the frames: [out, lead + src_frames, 3, 3] -> [out, lead + frames, 3, 3]
            # (lead = 0 for the first convolution, = feature channels for the refinement block's)
            lead = v.shape[1] - src_frames
            w = torch.zeros_like(dst[k])
            w[:, :lead] = v[:, :lead]
            c0 = lead + (frames - src_frames) // 2
            w[:, c0:c0 + src_frames] = v[:, lead:]
            dst[k] = w
    model.load_state_dict(dst)
    log(f"initialised from {path}")


def _segments(key, old, new, in_channels):
    """How an input-channel axis splits into concatenated feature groups: (old size, new size) per group.
    The decoder blocks see [upsampled, skip] (two equal halves); the refinement block sees [upsampled features,
    the input frames] (the frames are never widened)."""
    if key.startswith("dec.") and key.endswith(".0.weight"):
        return [(old // 2, new // 2), (old // 2, new // 2)]
    if key.startswith("refine.0.") and key.endswith("weight"):
        return [(old - in_channels, new - in_channels), (in_channels, in_channels)]
    return [(old, new)]


def _index_map(segments):
    """new channel -> (old channel, replica count): channel j of a group of old width o takes old channel j mod o."""
    src, count, o0 = [], [], 0
    for o, n in segments:
        if n % o:
            raise ValueError(f"widening needs whole multiples, got {o} -> {n}")
        src += [o0 + j % o for j in range(n)]
        count += [n // o] * n
        o0 += o
    return torch.tensor(src), torch.tensor(count, dtype=torch.float32)


def widen_from(model, path, in_channels, rng, log, split=0.1):
    """Start a wider U-Net from a trained narrower one of the same depth and shape (Net2Net, Chen et al. 2016): every
    feature channel is copied, and the weights that read a copied channel are shared between its copies, so the
    wider net computes exactly what the narrow one computes. The shares are 1/2 +- a random split (they still sum to
    the original weight) so that the copies get different gradients and learn different features."""
    src = torch.load(path, map_location="cpu")
    dst = model.state_dict()
    for k, v in src.items():
        d = dst[k]
        if d.shape == v.shape:
            dst[k] = v.clone()
            continue
        transposed = k.startswith("up.") or k.startswith("upsample.")  # ConvTranspose2d: [in, out, kh, kw]
        out_ax, in_ax = (1, 0) if transposed else (0, 1)
        w = v
        if w.dim() >= 2 and w.shape[in_ax] != d.shape[in_ax]:
            idx, cnt = _index_map(_segments(k, w.shape[in_ax], d.shape[in_ax], in_channels))
            e = torch.from_numpy(rng.uniform(-split, split, size=tuple(w.shape)).astype(np.float32))
            w = w.index_select(in_ax, idx)
            share = 1.0 / cnt
            if (cnt == 2).all():  # pairs j, j + o: shares 1/2 + e and 1/2 - e
                e = e.index_select(in_ax, idx)  # the same e for both copies of an old channel ...
                sign = torch.ones(len(idx))
                seen = set()
                for j, i in enumerate(idx.tolist()):  # ... with opposite signs
                    sign[j] = -1.0 if i in seen else 1.0
                    seen.add(i)
                shape = [1] * w.dim()
                shape[in_ax] = len(idx)
                w = w * (share.view(shape) + e * sign.view(shape))
            else:
                shape = [1] * w.dim()
                shape[in_ax] = len(idx)
                w = w * share.view(shape)
        if w.shape[out_ax if w.dim() >= 2 else 0] != d.shape[out_ax if d.dim() >= 2 else 0]:
            ax = out_ax if w.dim() >= 2 else 0
            idx, _ = _index_map([(w.shape[ax], d.shape[ax])])
            w = w.index_select(ax, idx)
        dst[k] = w.contiguous()
    model.load_state_dict(dst)
    log(f"widened from {path}")


def train(settings, data_root, runs_dir, threads=2, log=print):
    s = settings
    seed = int(s["seed"])
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    setup_threads(threads)
    rng = np.random.default_rng(seed)
    out = os.path.join(runs_dir, s["model_id"])
    os.makedirs(out, exist_ok=True)
    sets = [TrainingSet(data_root, spec, s["normalisation"]) for spec in s["sets"]]
    w = np.array([ts.weight * len(ts.train) * ts.vol.shape[1] * ts.vol.shape[2] for ts in sets])
    w = w / w.sum()
    frames, patch, bs = int(s["frames"]), int(s["patch_size"]), int(s["batch_size"])
    model = UNet(**model_kwargs(s))
    if s.get("init_from"):
        init_from(model, init_path(runs_dir, s["init_from"]), frames, log)
    if s.get("widen_from"):  # the accurate tier: a wider net that starts as the fast model
        widen_from(model, init_path(runs_dir, s["widen_from"]), frames, rng, log)
    log(f"[{s['model_id']}] params={n_params(model)} sets={[ (t.name, len(t.train), len(t.holdout)) for t in sets]}")
    opt = torch.optim.AdamW(model.parameters(), lr=float(s["lr"]), weight_decay=float(s.get("weight_decay", 1e-4)))
    steps, warm = int(s["steps"]), int(s.get("warmup_steps", 50))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda i: min(1.0, (i + 1) / warm) * 0.5 * (1 + np.cos(np.pi * min(i, steps) / steps)))
    metric = s.get("select_metric", "iou")  # monitored only: the shipped checkpoint is the last step
    history, curve = [], []
    halo, step_px = int(s["halo"]), size_step(s)
    log_every, window = int(s.get("log_every", 100)), []
    t0 = time.time()
    losses = []
    for step in range(1, steps + 1):
        model.train()
        xs, ys = [], []
        for _ in range(bs):
            ts = sets[int(rng.choice(len(sets), p=w))]
            img, lab = ts.sample(frames, patch, rng, s["noise_type"])
            xs.append(img)
            ys.append(lab[None].astype(np.float32))
        x = torch.from_numpy(np.stack(xs))
        y = torch.from_numpy(np.stack(ys))
        logits = model(x)
        loss = losses_mod.training_loss(logits, y, s)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(float(loss))
        window.append(float(loss))
        if step % log_every == 0 or step == steps:  # the training-loss curve (mean over the last log_every steps)
            curve.append({"step": step, "loss": round(float(np.mean(window)), 5), "lr": sched.get_last_lr()[0],
                          "elapsed_s": round(time.time() - t0, 1)})
            window = []
            log(f"[{s['model_id']}] step {step}/{steps} train loss {curve[-1]['loss']:.4f} lr {curve[-1]['lr']:.2e} "
                f"{curve[-1]['elapsed_s']}s")
            with open(os.path.join(out, "loss_curve.json"), "w") as f:
                json.dump(curve, f, indent=1)
        if step % int(s["val_every"]) == 0 or step == steps:
            v = validate(model, sets, frames, halo=halo, step=step_px)
            score = float(np.mean([m[metric] for m in v.values()]))
            rec = {"step": step, "loss": float(np.mean(losses)), "val": v, "score": score,
                   "lr": sched.get_last_lr()[0], "elapsed_s": round(time.time() - t0, 1)}
            losses = []
            # overwritten at every validation, so a stopped run still has its latest weights
            torch.save(model.state_dict(), checkpoint_path(runs_dir, s["model_id"]))
            history.append(rec)
            log(f"[{s['model_id']}] step {step}/{steps} loss {rec['loss']:.4f} lr {rec['lr']:.2e} "
                f"held-out {metric} {score:.4f} (monitor only) {rec['elapsed_s']}s")
            with open(os.path.join(out, "history.json"), "w") as f:
                json.dump(history, f, indent=1)
    info = {
        "model_id": s["model_id"], "checkpoint_step": steps, "final_val_score": history[-1]["score"],
        "select_metric": metric,
        "train_seconds": round(time.time() - t0, 1), "params": n_params(model),
        "normalisation_stats": {ts.name: [ts.lo, ts.hi] for ts in sets},
        "torch_version": str(torch.__version__), "settings": s, "loss_curve": curve,
    }
    with open(os.path.join(out, "train_info.json"), "w") as f:
        json.dump(info, f, indent=1)
    log(f"[{s['model_id']}] done in {info['train_seconds']} s, final held-out {metric} {info['final_val_score']:.4f}")
    return info
