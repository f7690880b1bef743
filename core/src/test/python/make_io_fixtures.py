#!/usr/bin/python3
"""Builds the small image-I/O test fixtures under core/src/test/resources/io from real EM slices.

Run from the repository root with Debian's Python (tifffile, PIL, mrcfile, numpy):
    /usr/bin/python3 core/src/test/python/make_io_fixtures.py ../shared/data
Source: CDeep3M demo volume (CRBS/cdeep3m, mito_testsample), UC Regents, research/non-profit use;
cite Haberl et al., Nat Methods 15:677 (2018). See core/src/test/resources/README.md.

Every stack is the same 5 x 48 x 64 crop (slices 010..014, x 400..463, y 300..347), stored as:
  u8  = the original 8-bit values                       (expected_u8.raw holds them, z-major, row-major)
  u16 = u8 * 16 + 1000   (12-bit data inside 16 bits, with an offset)
  i32 = u16 - 3000       (so there are negatives)
  i16 = u16 - 3000       (signed 16-bit)
  f32 = float32(u8 / 255 * 2.5 - 0.7)   (computed in float64, then rounded to float32)
Voxel size where the format can carry it: 5.9 x 5.9 x 40 nm.
"""
import os
import sys

import mrcfile
import numpy as np
import tifffile
from PIL import Image

SRC = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "io")
os.makedirs(OUT, exist_ok=True)
X0, Y0, W, H = 400, 300, 64, 48


def out(name):
    return os.path.join(OUT, name)


def crop(path):
    return np.asarray(Image.open(path))[Y0:Y0 + H, X0:X0 + W]


u8 = np.stack([crop(os.path.join(SRC, "cdeep3m-mito/training/images/images.%03d.png" % z)) for z in range(10, 15)])
assert u8.dtype == np.uint8 and u8.shape == (5, H, W)
u16 = (u8.astype(np.uint16) * 16 + 1000).astype(np.uint16)
i32 = u16.astype(np.int32) - 3000
i16 = (u16.astype(np.int32) - 3000).astype(np.int16)
f32 = (u8.astype(np.float64) / 255 * 2.5 - 0.7).astype(np.float32)
u8.tofile(out("expected_u8.raw"))

# --- TIFF ---
tifffile.imwrite(out("stack_u8.tif"), u8)                                   # uncompressed strips
tifffile.imwrite(out("stack_u8_deflate.tif"), u8, compression="zlib")
tifffile.imwrite(out("stack_u8_tiled.tif"), u8, tile=(16, 16), compression="zlib")
tifffile.imwrite(out("stack_u8_bigtiff.tif"), u8, bigtiff=True)
tifffile.imwrite(out("stack_u8_bigtiff_tiled.tif"), u8, bigtiff=True, tile=(16, 16), compression="zlib")
tifffile.imwrite(out("stack_u8_bigendian.tif"), u8.astype(">u1"), byteorder=">")
pages = [Image.fromarray(p) for p in u8]
pages[0].save(out("stack_u8_lzw.tif"), save_all=True, append_images=pages[1:], compression="tiff_lzw")
pages[0].save(out("stack_u8_packbits.tif"), save_all=True, append_images=pages[1:], compression="packbits")
tifffile.imwrite(out("stack_u16_imagej.tif"), u16, imagej=True, resolution=(1 / 5.9, 1 / 5.9),
                 metadata={"spacing": 40.0, "unit": "nm", "axes": "ZYX"})
# ImageJ "raw" stack: one directory, planes stored one after another (as ImageJ writes stacks over 4 GiB)
tifffile.imwrite(out("stack_u16_imagej_1ifd.tif"), u16, imagej=True, truncate=True,
                 resolution=(1 / 5.9, 1 / 5.9), metadata={"spacing": 40.0, "unit": "nm", "axes": "ZYX"})
tifffile.imwrite(out("stack_u16_bigendian.tif"), u16.astype(">u2"), byteorder=">", compression="zlib")
tifffile.imwrite(out("stack_i16.tif"), i16)
tifffile.imwrite(out("stack_i32.tif"), i32, compression="zlib")
tifffile.imwrite(out("stack_f32.tif"), f32)
tifffile.imwrite(out("stack_f32_tiled.tif"), f32, tile=(16, 16), compression="zlib")
tifffile.imwrite(out("stack_f32_ome.tif"), f32, ome=True,
                 metadata={"axes": "ZYX", "PhysicalSizeX": 0.0059, "PhysicalSizeXUnit": "µm",
                           "PhysicalSizeY": 0.0059, "PhysicalSizeYUnit": "µm",
                           "PhysicalSizeZ": 0.04, "PhysicalSizeZUnit": "µm"})
# RGB page: grey replicated into 3 channels (luma must give the grey back exactly)
tifffile.imwrite(out("slice_rgb.tif"), np.repeat(u8[0][..., None], 3, axis=2), photometric="rgb")
# float stack with one NaN at slice 2, x=5, y=7, and one +Inf at slice 2, x=6, y=7
bad = f32.copy()
bad[2, 7, 5] = np.nan
bad[2, 7, 6] = np.inf
tifffile.imwrite(out("stack_f32_nan.tif"), bad)
# an ImageJ hyperstack with 2 channels (refused: one channel per file)
tifffile.imwrite(out("imagej_2channels.tif"), np.stack([u8[:2, :16, :16], u8[2:4, :16, :16]], axis=1), imagej=True,
                 metadata={"axes": "ZCYX"})
# pages of different sizes
tifffile.imwrite(out("pages_mixed_sizes.tif"), u8[0])
tifffile.imwrite(out("pages_mixed_sizes.tif"), u8[1, :40, :60], append=True)

# --- PNG ---
Image.fromarray(u8[0]).save(out("slice_u8.png"))
Image.fromarray(u16[0]).save(out("slice_u16.png"))       # PIL writes I;16 as 16-bit grey PNG
Image.fromarray(np.repeat(u8[0][..., None], 3, axis=2)).save(out("slice_rgb.png"))
pal = Image.open(os.path.join(SRC, "cdeep3m2-mito/training/images/images.020.png"))
assert pal.mode == "P"
pal_crop = pal.crop((X0, Y0, X0 + W, Y0 + H))
pal_crop.save(out("slice_palette.png"))
np.asarray(pal_crop.convert("L")).astype(np.uint8).tofile(out("expected_palette_grey.raw"))
for z in range(5):
    Image.fromarray(u8[z]).save(out("slice_%02d.png" % z))
# a real label crop (palette PNG, index 1 = mitochondrion) with its palette recoloured (index 1 -> green), so that
# palette indices and grey levels differ
lab = Image.open(os.path.join(SRC, "cdeep3m-mito/training/labels/mitos_3D.010.png")).crop((X0, Y0, X0 + W, Y0 + H))
assert lab.mode == "P"
lab.putpalette([0, 0, 0, 0, 255, 0] + [0, 0, 0] * 254)
lab.save(out("labels_palette.png"))
np.asarray(lab).astype(np.uint8).tofile(out("expected_labels.raw"))

# --- MRC ---
with mrcfile.new(out("stack_f32.mrc"), overwrite=True) as m:
    m.set_data(f32)
    m.voxel_size = (59.0, 59.0, 400.0)     # Angstrom
with mrcfile.new(out("stack_u16.mrc"), overwrite=True) as m:
    m.set_data(u16)
    m.voxel_size = (59.0, 59.0, 400.0)
with mrcfile.new(out("stack_i16.mrc"), overwrite=True) as m:
    m.set_data(i16)
with mrcfile.new(out("stack_f16.mrc"), overwrite=True) as m:
    m.set_data(f32.astype(np.float16))
np.asarray(f32.astype(np.float16), dtype=np.float32).tofile(out("expected_f16_as_f32.raw"))
with mrcfile.new(out("stack_i8.mrc"), overwrite=True) as m:
    m.set_data((u8.astype(np.int16) - 128).astype(np.int8))
# big-endian MRC, float32
with mrcfile.new(out("stack_f32_bigendian.mrc"), overwrite=True) as m:
    m.set_data(f32.astype(">f4"))
    m.voxel_size = (59.0, 59.0, 400.0)
print("wrote", sorted(os.listdir(OUT)))
