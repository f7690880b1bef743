"""Measures that fit the labels (issue 17). All take a thresholded prediction and a ground-truth mask of one slice
and return additive counts, so a held-out block is scored by summing the counts of its slices (one data set at a
time: counts are never pooled across data sets).

* ``overlap_counts``: foreground tp / fp / fn -> IoU and F1 (mitochondria).
* ``tolerance_counts``: boundary F1 with a distance tolerance (membranes): a predicted foreground pixel is correct if
  a true one lies within ``tol`` px (Euclidean), a true one is found if a predicted one lies within ``tol`` px;
  precision = correct predicted / predicted, recall = found true / true, F1 = 2PR / (P + R).
* ``rand_counts``: foreground-restricted Rand F-score V_rand of the ISBI 2012 challenge (Arganda-Carreras et al.,
  Front. Neuroanat. 9:142, 2015). Both label maps are turned into segmentations into regions: the connected
  components (4-connectivity) of the non-membrane pixels. With n_ij the number of pixels in predicted region i and
  true region j, counted only over the non-membrane (foreground) pixels of the ground truth,
  V_split = sum n_ij^2 / sum_j t_j^2, V_merge = sum n_ij^2 / sum_i s_i^2 (t_j, s_i the marginals) and
  V_rand = 2 / (1 / V_split + 1 / V_merge). Ground-truth foreground pixels that the prediction marks as membrane
  belong to no predicted region; as in the challenge's reference implementation each counts as its own region
  (a singleton: 1 in both sums). Splitting a true region lowers V_split, merging two lowers V_merge; identical
  segmentations score 1. Summing the three sums over slices scores a block as one 2D segmentation per slice.
"""
import numpy as np
from scipy import ndimage


def overlap_counts(pred, gt):
    pred, gt = pred.astype(bool), gt.astype(bool)
    return {"tp": float((pred & gt).sum()), "fp": float((pred & ~gt).sum()), "fn": float((~pred & gt).sum())}


def overlap_summary(c):
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {"iou": tp / max(tp + fp + fn, 1.0), "f1": 2 * tp / max(2 * tp + fp + fn, 1.0)}


def _within(mask, tol):
    """Pixels within ``tol`` px (Euclidean) of a pixel of ``mask``."""
    if not mask.any():
        return np.zeros_like(mask, bool)
    return ndimage.distance_transform_edt(~mask) <= tol


def tolerance_counts(pred, gt, tol=2.0):
    pred, gt = pred.astype(bool), gt.astype(bool)
    return {"pred": float(pred.sum()), "pred_ok": float((pred & _within(gt, tol)).sum()),
            "true": float(gt.sum()), "true_found": float((gt & _within(pred, tol)).sum())}


def tolerance_summary(c):
    p = c["pred_ok"] / c["pred"] if c["pred"] else (1.0 if not c["true"] else 0.0)
    r = c["true_found"] / c["true"] if c["true"] else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def regions(membrane):
    """Segmentation into regions separated by membranes: 4-connected components of the non-membrane pixels
    (0 = membrane)."""
    lab, _ = ndimage.label(~membrane.astype(bool))
    return lab


def rand_counts(pred_membrane, gt_membrane):
    t = regions(gt_membrane)
    s = regions(pred_membrane)
    fg = t > 0                                   # restricted to the ground truth's foreground
    tv, sv = t[fg].astype(np.int64), s[fg].astype(np.int64)
    single = float((sv == 0).sum())              # predicted membrane inside a true region: singletons
    keep = sv > 0
    pair = tv[keep] * (int(sv.max()) + 1) + sv[keep]
    nij = np.unique(pair, return_counts=True)[1].astype(np.float64)
    tj = np.unique(tv, return_counts=True)[1].astype(np.float64)
    si = np.unique(sv[keep], return_counts=True)[1].astype(np.float64)
    return {"sum_nij2": float((nij ** 2).sum()) + single, "sum_t2": float((tj ** 2).sum()),
            "sum_s2": float((si ** 2).sum()) + single}


def rand_summary(c):
    split = c["sum_nij2"] / c["sum_t2"] if c["sum_t2"] else 1.0
    merge = c["sum_nij2"] / c["sum_s2"] if c["sum_s2"] else 1.0
    return {"v_split": split, "v_merge": merge, "v_rand": 2 * split * merge / (split + merge) if split + merge else 0.0}


def add(a, b):
    return {k: a.get(k, 0.0) + b[k] for k in b}


def block_scores(component, probs, masks, thr=0.5, tol=2.0):
    """Scores of one held-out block (lists of probability maps and masks of one data set). Mitochondria: IoU, F1.
    Membranes: also F1 with a ``tol``-px tolerance and the foreground-restricted V_rand."""
    ov, tl, rd = {}, {}, {}
    for p, m in zip(probs, masks):
        pred = p >= thr
        ov = add(ov, overlap_counts(pred, m))
        if component == "membranes":
            tl = add(tl, tolerance_counts(pred, m, tol))
            rd = add(rd, rand_counts(pred, m))
    out = overlap_summary(ov)
    if component == "membranes":
        t = tolerance_summary(tl)
        r = rand_summary(rd)
        out.update({"f1_2px": t["f1"], "precision_2px": t["precision"], "recall_2px": t["recall"],
                    "v_rand": r["v_rand"], "v_split": r["v_split"], "v_merge": r["v_merge"]})
    return out
