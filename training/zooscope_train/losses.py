"""Training losses. ``loss`` in a model's settings picks the pixel term; soft Dice (``dice_weight``) is added to it.

* ``bce`` (default): binary cross-entropy with logits, mean over all pixels.
* ``focal``: focal loss (Lin et al. 2017), ``-(1 - p_t)^gamma log p_t`` with ``focal_gamma`` (default 2),
  optionally ``focal_alpha`` (weight of the foreground class; default none). Easy pixels (p_t near 1) are
  down-weighted, so the hard ones — foreground missed and background lit up — carry the loss. gamma 0 = BCE.
* ``ohem``: online hard-example mining: BCE averaged over the hardest ``ohem_fraction`` of the pixels of the
  batch (default 0.25; at least ``ohem_min_pixels``), the rest dropped. fraction 1 = BCE.
"""
import torch
import torch.nn.functional as F


def focal(logits, y, gamma=2.0, alpha=None):
    bce = F.binary_cross_entropy_with_logits(logits, y, reduction="none")
    p = torch.sigmoid(logits)
    p_t = p * y + (1 - p) * (1 - y)
    w = (1 - p_t) ** gamma
    if alpha is not None:
        w = w * (alpha * y + (1 - alpha) * (1 - y))
    return (w * bce).mean()


def ohem(logits, y, fraction=0.25, min_pixels=1):
    bce = F.binary_cross_entropy_with_logits(logits, y, reduction="none").flatten()
    k = max(int(min_pixels), int(round(float(fraction) * bce.numel())))
    k = min(k, bce.numel())
    return torch.topk(bce, k, sorted=False).values.mean()


def soft_dice(logits, y):
    p = torch.sigmoid(logits)
    return 1 - (2 * (p * y).sum() + 1) / (p.sum() + y.sum() + 1)


def pixel_term(logits, y, s):
    kind = str(s.get("loss", "bce"))
    if kind == "bce":
        return F.binary_cross_entropy_with_logits(logits, y)
    if kind == "focal":
        a = s.get("focal_alpha")
        return focal(logits, y, float(s.get("focal_gamma", 2.0)), None if a is None else float(a))
    if kind == "ohem":
        return ohem(logits, y, float(s.get("ohem_fraction", 0.25)), int(s.get("ohem_min_pixels", 1)))
    raise ValueError(f"unknown loss {kind!r} (bce, focal, ohem)")


def training_loss(logits, y, s):
    return pixel_term(logits, y, s) + float(s.get("dice_weight", 1.0)) * soft_dice(logits, y)


def describe(s):
    """The loss as the package's config.zooscope.training and model card name it."""
    kind = str(s.get("loss", "bce"))
    dice = f" + {float(s.get('dice_weight', 1.0)):g} × soft Dice"
    if kind == "focal":
        a = s.get("focal_alpha")
        return f"focal (gamma {float(s.get('focal_gamma', 2.0)):g}" + (f", alpha {float(a):g}" if a is not None else "") + ")" + dice
    if kind == "ohem":
        return f"BCE-with-logits over the hardest {float(s.get('ohem_fraction', 0.25)):g} of the pixels (OHEM)" + dice
    return "BCE-with-logits" + dice
