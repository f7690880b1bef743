#!/usr/bin/env python3
"""Cuts the bundled samples and the end-to-end test stack from the real labelled EM in ../shared/data.
Run from the repository root:  /usr/bin/python3 tools/make_samples.py
Provenance and licences: samples/README.md."""
import numpy as np
import tifffile
from PIL import Image

D = "../shared/data"


def slices(folder, names, y, x, h, w):
    return np.stack([np.asarray(Image.open(f"{D}/{folder}/{n}").convert("L"))[y:y + h, x:x + w] for n in names])


mito = slices("cdeep3m-mito/training/images", [f"images.{i:03d}.png" for i in range(10, 15)], 256, 256, 512, 512)
tifffile.imwrite("samples/sbem-mito-512x512x5.tif", mito, imagej=True, resolution=(1 / 5.9, 1 / 5.9),
                 metadata={"spacing": 40.0, "unit": "nm", "axes": "ZYX"})
Image.open(f"{D}/isbi2012-membrane/train/image/0.png").convert("L").save("samples/isbi-membrane-512.png", optimize=True)

# the end-to-end test stack: 16-bit (12 bits used, with an offset), odd size, 3 slices
crop = slices("cdeep3m-mito/training/images", [f"images.{i:03d}.png" for i in range(20, 23)], 300, 400, 220, 300)
stack16 = (crop.astype(np.uint16) * 16 + 100).astype(np.uint16)
tifffile.imwrite("system-tests/src/test/resources/em-crop-300x220x3-u16.tif", stack16, photometric="minisblack")
print(mito.shape, stack16.shape, stack16.min(), stack16.max())
