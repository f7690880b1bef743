#!/usr/bin/python3
"""Zarr v2 stores written by zarr-python (Debian python3-zarr 2.13), to test our reader against a reference writer.

Run from the repository root after make_io_fixtures.py:
    /usr/bin/python3 core/src/test/python/make_zarr_fixtures.py
Data: the 5 x 48 x 64 EM crop of core/src/test/resources/io/expected_u8.raw (see the README there).
  zarr/u16_dot.zarr   uint16 = u8 * 16 + 1000, chunks (2, 20, 30), zlib level 3, '.' chunk keys (zarr's default)
  zarr/f32_gzip.zarr  float32 = u8 / 255, chunks (1, 32, 32), gzip, '/' keys, fill_value -1,
                      only z 0..2 written (chunks of z 3..4 are missing and must read as -1)
  zarr/ome.zarr       OME-NGFF 0.4 image (axes z,y,x in nanometer, scale 40, 5.9, 5.9), one level, uint8
"""
import json
import os

import numpy as np
import numcodecs
import zarr

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, "..", "resources")
OUT = os.path.join(RES, "zarr")
os.makedirs(OUT, exist_ok=True)
u8 = np.fromfile(os.path.join(RES, "io", "expected_u8.raw"), np.uint8).reshape(5, 48, 64)

a = zarr.open(os.path.join(OUT, "u16_dot.zarr"), mode="w", shape=u8.shape, chunks=(2, 20, 30), dtype="<u2",
              compressor=numcodecs.Zlib(level=3))
a[:] = u8.astype(np.uint16) * 16 + 1000

store = zarr.DirectoryStore(os.path.join(OUT, "f32_gzip.zarr"), dimension_separator="/")
b = zarr.create(store=store, shape=u8.shape, chunks=(1, 32, 32), dtype="<f4", compressor=numcodecs.GZip(level=5),
                fill_value=-1, overwrite=True)
b[0:3] = (u8[0:3].astype(np.float64) / 255).astype(np.float32)

root = zarr.open_group(os.path.join(OUT, "ome.zarr"), mode="w")
root.create_dataset("0", data=u8, chunks=(1, 32, 32), compressor=numcodecs.Zlib(level=1), dimension_separator="/")
root.attrs["multiscales"] = [{
    "version": "0.4", "name": "em",
    "axes": [{"name": "z", "type": "space", "unit": "nanometer"}, {"name": "y", "type": "space", "unit": "nanometer"},
             {"name": "x", "type": "space", "unit": "nanometer"}],
    "datasets": [{"path": "0", "coordinateTransformations": [{"type": "scale", "scale": [40.0, 5.9, 5.9]}]}]}]
print(sorted(os.listdir(OUT)))
