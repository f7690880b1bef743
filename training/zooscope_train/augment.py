"""CDeep3M2-style training augmentation, applied on the fly to each training patch.

Primary (always): 16 variants, i = 0..15. ``i % 8`` picks one of the 8 rotations/flips
(0 identity, 1 flip x, 2 flip y, 3 rot90, 4 rot-90, 5 rot90(flip x), 6 rot90(flip y), 7 rot180);
``i >= 8`` also reverses the z order of the frames (a no-op for 1-frame models).

Secondary (strength 0..10 per op; 0 = off), the op attached to each variant as in CDeep3M2
``augment_data.addtl_augs``: 0 none, 1 high contrast, 2 low contrast, 3 sharpen, 4 blur, 5 noise,
6 TV denoise, 7 histogram equalisation, 8 skew, 9 high contrast+skew, 10 low contrast+skew,
11 sharpen+skew, 12 blur+elastic, 13 noise+elastic, 14 TV+elastic, 15 hist. eq.+elastic.

Strength -> parameter follows CDeep3M2 ``factor.py`` but without its bugs:
* high contrast: contrast factor 1.25 + 0.25 s about the patch mean (PIL ImageEnhance.Contrast)
* low contrast : factor 0.95 - 0.05 s
* sharpen      : PIL ImageEnhance.Sharpness factor s (blend with PIL's SMOOTH kernel); the ``sharpen``
                 strength drives sharpening (CDeep3M2 swapped the blur/sharpen keys)
* blur         : Gaussian sigma 0.125 + 0.125 s px, driven by the ``blur`` strength
* noise        : zero-mean noise with std 0.05 + 0.015 s (on the 0..1 intensity scale). CDeep3M2 called it
                 "uniform" but drew Gaussian noise; here ``noise_type: uniform`` (default) really is uniform
                 (half-width std*sqrt(3)), ``gaussian`` is available too
* TV denoise   : Chambolle TV weight = (sigma_255 / 100) * 0.1 s, sigma_255 = estimated noise std on a 0..255 scale
* hist. eq.    : CDF equalisation with 261 - 5 s bins, output rescaled to 0..1
* skew         : one random corner moved by int((1 + int(max(w, h) * 3 s)) / 60) px in x and y (perspective warp,
                 cubic for image and label, the label re-binarised at 0.5)
* elastic      : alpha 550, smoothing sigma 27 - s, field interpolated linearly from the first to the last frame,
                 linear interpolation, reflect; the label (and a single frame) gets the centre frame's field
Geometric ops warp the label exactly as they warp the centre frame: a label passed through as an image and
thresholded at 0.5 equals the warped label (training/tests/test_augment.py).
Tertiary (resize, strength t 0..10): odd variants < 8 are down-scaled by U(a, 1), a = 0.95 (t=1) .. 0.25 (t=10);
odd variants >= 8 are up-scaled by U(1, b), b = 1.05 .. 4; even variants are untouched.
"""
import numpy as np
from scipy import ndimage
from skimage import transform

SECONDARY_OPS = ("high_contrast", "low_contrast", "sharpen", "blur", "noise", "tv_denoise",
                 "histogram_equalisation", "skew", "elastic")

VARIANT_OPS = {
    0: (), 1: ("high_contrast",), 2: ("low_contrast",), 3: ("sharpen",), 4: ("blur",), 5: ("noise",),
    6: ("tv_denoise",), 7: ("histogram_equalisation",), 8: ("skew",), 9: ("high_contrast", "skew"),
    10: ("low_contrast", "skew"), 11: ("sharpen", "skew"), 12: ("blur", "elastic"), 13: ("noise", "elastic"),
    14: ("tv_denoise", "elastic"), 15: ("histogram_equalisation", "elastic"),
}


def strengths(secondary):
    """``secondary`` is an int 0..10 for every op or a dict op -> strength (missing ops = 0)."""
    if isinstance(secondary, dict):
        unknown = set(secondary) - set(SECONDARY_OPS)
        if unknown:
            raise ValueError(f"unknown secondary ops {sorted(unknown)}")
        return {op: int(secondary.get(op, 0)) for op in SECONDARY_OPS}
    return {op: int(secondary) for op in SECONDARY_OPS}


def dihedral(a, k):
    """One of the 8 rotations/flips on the last two axes (y, x)."""
    if k == 0:
        return a
    if k == 1:
        return a[..., :, ::-1]
    if k == 2:
        return a[..., ::-1, :]
    if k == 3:
        return np.rot90(a, 1, axes=(-2, -1))
    if k == 4:
        return np.rot90(a, -1, axes=(-2, -1))
    if k == 5:
        return np.rot90(a[..., :, ::-1], 1, axes=(-2, -1))
    if k == 6:
        return np.rot90(a[..., ::-1, :], 1, axes=(-2, -1))
    if k == 7:
        return np.rot90(a, 2, axes=(-2, -1))
    raise ValueError(k)


def inverse_dihedral(a, k):
    inv = {0: 0, 1: 1, 2: 2, 3: 4, 4: 3, 5: 5, 6: 6, 7: 7}
    return dihedral(a, inv[k])


_SMOOTH = np.array([[1, 1, 1], [1, 5, 1], [1, 1, 1]], np.float32) / 13.0


def _per_frame(img, fn):
    return np.stack([fn(c) for c in img]).astype(np.float32)


def high_contrast(img, s, rng):
    f = 1.25 + 0.25 * s
    m = img.mean()
    return (m + f * (img - m)).astype(np.float32)


def low_contrast(img, s, rng):
    f = 0.95 - 0.05 * s
    m = img.mean()
    return (m + f * (img - m)).astype(np.float32)


def sharpen(img, s, rng):
    f = float(s)
    return _per_frame(img, lambda c: (lambda sm: sm + f * (c - sm))(ndimage.convolve(c, _SMOOTH, mode="nearest")))


def blur(img, s, rng):
    sigma = 0.125 + 0.125 * s
    return _per_frame(img, lambda c: ndimage.gaussian_filter(c, sigma))


def noise(img, s, rng, kind="uniform"):
    std = 0.05 + 0.015 * s
    if kind == "gaussian":
        n = rng.normal(0.0, std, img.shape)
    else:
        h = std * np.sqrt(3.0)
        n = rng.uniform(-h, h, img.shape)
    return (img + n).astype(np.float32)


def _noise_sigma(c):
    # robust noise estimate (MAD of the Laplacian-like residual), same role as skimage estimate_sigma
    r = c[1:-1, 1:-1] - 0.25 * (c[:-2, 1:-1] + c[2:, 1:-1] + c[1:-1, :-2] + c[1:-1, 2:])
    return float(np.median(np.abs(r - np.median(r))) / 0.6745 / np.sqrt(1.25))


def tv_denoise(img, s, rng):
    from skimage.restoration import denoise_tv_chambolle
    sigma255 = _noise_sigma(img[img.shape[0] // 2]) * 255.0
    w = (sigma255 / 100.0) * 0.1 * s
    if w <= 0:
        return img
    return _per_frame(img, lambda c: denoise_tv_chambolle(c, weight=w, max_num_iter=50))


def histogram_equalisation(img, s, rng):
    bins = 261 - 5 * s
    x = np.clip(img, 0.0, 1.0)
    hist, edges = np.histogram(x, bins=bins, range=(0.0, 1.0))
    cdf = np.cumsum(hist).astype(np.float64)
    cdf = (cdf - cdf.min()) / max(cdf.max() - cdf.min(), 1.0)
    idx = np.clip((x * bins).astype(np.int64), 0, bins - 1)
    q = np.floor(cdf[idx] * (bins - 1))
    return (q / (bins - 1)).astype(np.float32)


def skew(img, lab, s, rng):
    h, w = img.shape[-2:]
    d = int((1 + int(max(w, h) * 3 * s)) / 60)
    if d <= 0:
        return img, lab
    src = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float64)
    dst = src.copy()
    corner = rng.integers(4)
    dst[corner] += rng.choice([-1, 1], size=2) * d
    tf = transform.ProjectiveTransform()
    tf.estimate(dst, src)  # maps output coords -> input coords (warp's inverse map)
    out = np.stack([transform.warp(c, tf, order=3, mode="reflect", preserve_range=True) for c in img])
    # the label goes through exactly the image's warp (same map, same order), then re-binarised at 0.5
    lab2 = transform.warp(lab.astype(np.float32), tf, order=3, mode="reflect", preserve_range=True) > 0.5
    return out.astype(np.float32), lab2.astype(np.uint8)


def elastic(img, lab, s, rng):
    alpha, sigma = 550.0, max(27.0 - s, 1.0)
    h, w = img.shape[-2:]
    n = img.shape[0]
    fields = []
    for _ in range(2):  # first and last frame
        dx = ndimage.gaussian_filter(rng.uniform(-1, 1, (h, w)), sigma, mode="constant") * alpha
        dy = ndimage.gaussian_filter(rng.uniform(-1, 1, (h, w)), sigma, mode="constant") * alpha
        fields.append((dy, dx))
    yy, xx = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")

    def field(t):
        return ((1 - t) * fields[0][0] + t * fields[1][0], (1 - t) * fields[0][1] + t * fields[1][1])

    def frame_t(i):
        # a single frame is the centre frame: it must get the field the label gets (t = 0.5)
        return i / (n - 1) if n > 1 else 0.5

    out = []
    for i, c in enumerate(img):
        dy, dx = field(frame_t(i))
        out.append(ndimage.map_coordinates(c, [yy + dy, xx + dx], order=1, mode="reflect"))
    # the label belongs to the centre frame: warp it with that frame's field
    dy, dx = field(frame_t(n // 2))
    lab2 = ndimage.map_coordinates(lab.astype(np.float32), [yy + dy, xx + dx], order=1, mode="reflect") > 0.5
    return np.stack(out).astype(np.float32), lab2.astype(np.uint8)


INTENSITY = {"high_contrast": high_contrast, "low_contrast": low_contrast, "sharpen": sharpen, "blur": blur,
             "tv_denoise": tv_denoise, "histogram_equalisation": histogram_equalisation}


def resize_range(t):
    """Tertiary strength -> (down-scale lower bound a, up-scale upper bound b)."""
    a = float(np.interp(t, [1, 10], [0.95, 0.25]))
    b = float(np.interp(t, [1, 10], [1.05, 4.0]))
    return a, b


def tertiary_scale(variant, t, rng):
    if t <= 0 or variant % 2 == 0:
        return 1.0
    a, b = resize_range(t)
    return float(rng.uniform(a, 1.0)) if variant < 8 else float(rng.uniform(1.0, b))


def apply_variant(img, lab, variant, st, rng, noise_type="uniform"):
    """img float32 [C,H,W] (0..1 scale after normalisation), lab uint8 [H,W]."""
    img = np.ascontiguousarray(dihedral(img, variant % 8))
    lab = np.ascontiguousarray(dihedral(lab, variant % 8))
    if variant >= 8:
        img = np.ascontiguousarray(img[::-1])
    for op in VARIANT_OPS[variant]:
        s = st[op]
        if s <= 0:
            continue
        if op == "noise":
            img = noise(img, s, rng, noise_type)
        elif op == "skew":
            img, lab = skew(img, lab, s, rng)
        elif op == "elastic":
            img, lab = elastic(img, lab, s, rng)
        else:
            img = INTENSITY[op](img, s, rng)
    return img, lab
