#!/usr/bin/python3
"""Cross-check of our writers against reference readers (zarr-python 2.13, tifffile); not part of the build.

Usage: write a store and TIFFs with the Java writers into DIR (see core/README.md), then
    /usr/bin/python3 core/src/test/python/check_writers.py DIR
Expects DIR/img.zarr (float32 OME-Zarr with labels/mito), DIR/img_gzip_u16.zarr, DIR/p.tif (float32) and
DIR/s.tif (uint8), all made from core/src/test/resources/io fixtures.
"""
import os
import sys

import numpy as np
import tifffile
import zarr

d = sys.argv[1]
res = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "io")
u8 = np.fromfile(os.path.join(res, "expected_u8.raw"), np.uint8).reshape(5, 48, 64)
u16 = u8.astype(np.float32) * 16 + 1000

g = zarr.open_group(os.path.join(d, "img.zarr"), mode="r")
ms = g.attrs["multiscales"][0]
assert ms["version"] == "0.4" and [a["name"] for a in ms["axes"]] == ["z", "y", "x"], ms
a0 = g[ms["datasets"][0]["path"]]
assert a0.dtype == np.float32 and a0.shape == (5, 48, 64), (a0.dtype, a0.shape)
assert np.array_equal(a0[:], u16), "level 0 differs"
a1 = g["1"][:]
ref1 = u16.reshape(5, 24, 2, 32, 2).mean(axis=(2, 4))
assert np.allclose(a1, ref1, atol=1e-3), "level 1 is not the 2x2 mean"
lab = g["labels"]
assert lab.attrs["labels"] == ["mito"]
assert lab["mito"].attrs["image-label"]["colors"][0]["rgba"] == [0, 255, 0, 255]
assert set(np.unique(lab["mito"]["0"][:])) == {0, 1}
h = zarr.open_group(os.path.join(d, "img_gzip_u16.zarr"), mode="r")
assert h["0"].dtype == np.uint16 and np.array_equal(h["0"][:], u16.astype(np.uint16))
p = tifffile.imread(os.path.join(d, "p.tif"))
assert p.dtype == np.float32 and np.array_equal(p, u16), "float32 TIFF differs"
with tifffile.TiffFile(os.path.join(d, "p.tif")) as t:
    assert len(t.pages) == 5 and t.pages[0].tags["SampleFormat"].value == 3
    print("ImageJ metadata seen by tifffile:", t.imagej_metadata)
s = tifffile.imread(os.path.join(d, "s.tif"))
assert s.dtype == np.uint8 and np.array_equal(s, u8), "uint8 TIFF differs"
print("OK: zarr-python and tifffile read our OME-Zarr and TIFF output exactly")
