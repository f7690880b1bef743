#!/usr/bin/python3
"""Golden values for the enhancement code, computed once with Debian's scikit-image 0.19.3 / numpy / PyWavelets.

Run from the repository root:
    /usr/bin/python3 core/src/test/python/make_enhance_golden.py ../shared/data
Writes core/src/test/resources/enhance/: little-endian float32 arrays (*.f32), uint8 arrays (*.u8) and golden.json.
Inputs are crops of the CDeep3M demo volume (see core/src/test/resources/README.md for attribution).

The pipeline is CDeep3M2's enhance_stack.py (CRBS/cdeep3m2) for one slice:
    img = img_as_float(img)
    img = rescale_intensity(img, in_range=(percentile(img, 1), percentile(img, 99)), out_range=(0, 1))
    sigma = estimate_sigma(img_as_float(img))
    img = denoise_tv_chambolle(img, weight=sigma / 2)
    img = rescale_intensity(img, in_range=(percentile(img, 2), percentile(img, 98)), out_range=(0, 1))
    img = img_as_ubyte(img)
"""
import json
import os
import sys

import numpy as np
import skimage
import skimage.exposure
import skimage.restoration
from PIL import Image

SRC = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "enhance")
os.makedirs(OUT, exist_ok=True)
golden = {"skimage": skimage.__version__, "numpy": np.__version__}


def load(z):
    return np.asarray(Image.open(os.path.join(SRC, "cdeep3m-mito/training/images/images.%03d.png" % z)))


def save(name, arr):
    arr.astype("<f4" if arr.dtype.kind == "f" else arr.dtype).tofile(os.path.join(OUT, name))


def enhance(img, cut=2):
    img = skimage.util.img_as_float(img)
    p1, p99 = np.percentile(img, 1), np.percentile(img, 99)
    img = skimage.exposure.rescale_intensity(img, in_range=(p1, p99), out_range=(0, 1))
    sigma = skimage.restoration.estimate_sigma(skimage.img_as_float(img))
    den = skimage.restoration.denoise_tv_chambolle(img, weight=sigma / 2)
    lo, hi = np.percentile(den, cut), np.percentile(den, 100 - cut)
    enh = skimage.exposure.rescale_intensity(den, in_range=(lo, hi), out_range=(0, 1))
    return dict(p1=p1, p99=p99, sigma=sigma, weight=sigma / 2, p2=lo, p98=hi), den, enh, skimage.img_as_ubyte(enh)


cases = {}
# two 96 x 80 crops (u8) and the same first crop as 12-bit-in-16 with an offset (u16)
for name, z, x0, y0 in [("a", 20, 500, 600), ("b", 21, 130, 210)]:
    u8 = load(z)[y0:y0 + 80, x0:x0 + 96]
    u8.tofile(os.path.join(OUT, "in_%s.u8" % name))
    stats, den, enh, ub = enhance(u8)
    save("denoised_%s.f32" % name, den)
    save("enhanced_%s.f32" % name, enh)
    ub.tofile(os.path.join(OUT, "enhanced_%s.u8" % name))
    cases[name] = dict(stats, width=96, height=80, type="UINT8")
u16 = (np.fromfile(os.path.join(OUT, "in_a.u8"), np.uint8).reshape(80, 96).astype(np.uint16) * 16 + 1000)
u16.astype("<u2").tofile(os.path.join(OUT, "in_a16.u16"))
stats, den, enh, ub = enhance(u16)
save("enhanced_a16.f32", enh)
cases["a16"] = dict(stats, width=96, height=80, type="UINT16")
# a larger crop, 8-bit result only
big = load(25)[300:556, 200:456]
big.tofile(os.path.join(OUT, "in_big.u8"))
stats, den, enh, ub = enhance(big)
ub.tofile(os.path.join(OUT, "enhanced_big.u8"))
cases["big"] = dict(stats, width=256, height=256, type="UINT8")
golden["enhance"] = cases

# TV alone on the rescaled crop "a" (float32 input), with larger weights so it runs more iterations
a = skimage.util.img_as_float(np.fromfile(os.path.join(OUT, "in_a.u8"), np.uint8).reshape(80, 96))
a = skimage.exposure.rescale_intensity(a, in_range=(np.percentile(a, 1), np.percentile(a, 99)), out_range=(0, 1))
a32 = a.astype(np.float32)
save("tv_in.f32", a32)
tv = {}
for wgt in (0.02, 0.1, 0.5):
    out = skimage.restoration.denoise_tv_chambolle(a32.astype(np.float64), weight=wgt)
    save("tv_out_w%s.f32" % wgt, out)
    tv[str(wgt)] = "tv_out_w%s.f32" % wgt
golden["tv"] = tv

# estimate_sigma on odd shapes (boundary handling of the db2 transform)
sig = {}
full = load(28).astype(np.float64) / 255
for (h, w) in [(53, 37), (64, 64), (9, 8), (5, 7), (131, 157)]:
    crop = full[100:100 + h, 200:200 + w].astype(np.float32)
    save("sigma_in_%dx%d.f32" % (w, h), crop)
    sig["%dx%d" % (w, h)] = float(skimage.restoration.estimate_sigma(crop.astype(np.float64)))
golden["sigma"] = sig

# numpy percentiles (linear) of an 8-bit crop and a float crop
ps = [0, 0.5, 1, 2, 2.5, 33.3, 50, 97.5, 98, 99, 100]
u8 = np.fromfile(os.path.join(OUT, "in_b.u8"), np.uint8).astype(np.float64)
golden["percentile_u8"] = {str(p): float(np.percentile(u8, p)) for p in ps}
f = np.fromfile(os.path.join(OUT, "tv_in.f32"), "<f4").astype(np.float64)
golden["percentile_f32"] = {str(p): float(np.percentile(f, p)) for p in ps}
odd = f[:7001]
golden["percentile_f32_7001"] = {str(p): float(np.percentile(odd, p)) for p in ps}

with open(os.path.join(OUT, "golden.json"), "w") as fh:
    json.dump(golden, fh, indent=1, sort_keys=True)
print(json.dumps(cases, indent=1))
