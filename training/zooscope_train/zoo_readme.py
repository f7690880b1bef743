"""Write zoo/README.md (score table) and zoo/DATA_LICENSES.md (quoted SOURCE_LICENSE texts)."""
import os

import yaml

from .package import DATA_INFO


def _f(v):
    return "–" if v is None else f"{v:.3f}"


def _size_mb(d):
    return sum(os.path.getsize(os.path.join(d, n)) for n in os.listdir(d)) / 1e6


def _version(t):
    """Which training a package's weights come from, read from its config.zooscope.training."""
    if "checkpoint_step" in t:
        return (f"retrained with the fixed augmentation (issue 17); weights = step {t['checkpoint_step']}, the end "
                f"of a fixed {t['steps']}-step schedule (held-out blocks only monitored)")
    return (f"first training (before the issue-17 augmentation fix); weights = best of the validations by held-out "
            f"{t['select_metric'].upper()} (step {t['best_step']} of {t['steps']}), chosen on the block reported here")


def _tiling_lines(zoo, mids):
    out = []
    for mid in mids:
        z = yaml.safe_load(open(os.path.join(zoo, mid, "bioimageio.yaml")))["config"]["zooscope"]
        out.append(f"| `{mid}` | {z['halo']} | {z['receptiveFieldRadius']} | {z['sizeMin']} | {z['sizeStep']} |")
    return out


def write_zoo_docs(zoo, data_root, ev, notes_file=None):
    models = ev["models"]
    rows = ["| model | frames | held-out set (z) | IoU | F1 | IoU TTA×8 | F1 TTA×8 | ONNX Runtime 512² ms | train s | size MB |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    sets_used = set()
    for mid, r in models.items():
        d = os.path.join(zoo, mid)
        rdf = yaml.safe_load(open(os.path.join(d, "bioimageio.yaml")))
        z = rdf["config"]["zooscope"]
        t = z["training"]
        hz = {sp["name"]: sp["holdout_z"] for sp in t["sets"]}
        sets = r["scores"]["sets"]
        for name, m in sets.items():
            sets_used.add(name)
            rows.append(f"| `{mid}` | {r['frames']} | {name} ({hz[name][0]}–{hz[name][1]}) | {_f(m['iou'])} | {_f(m['f1'])} | "
                        f"{_f(m['iou_tta'])} | {_f(m['f1_tta'])} | {r['timing'].get('ort_512_ms', r['timing'].get('torch_512_ms'))} | "
                        f"{t['train_seconds']:.0f} | {_size_mb(d):.1f} |")
        if len(sets) > 1:
            a = r["scores"]["all"]
            rows.append(f"| `{mid}` | {r['frames']} | both, pooled | {_f(a['iou'])} | {_f(a['f1'])} | "
                        f"{_f(a.get('iou_tta'))} | {_f(a.get('f1_tta'))} | | | |")
    for comp, e in ev["ensembles"].items():
        for name, m in e.items():
            label = "both, pooled" if name == "all" and len(e) > 2 else name
            if name == "all" and len(e) == 2:
                continue
            rows.append(f"| **ensemble {comp}** (mean of 1/3/5-frame) | 1+3+5 | {label} | {_f(m['iou'])} | {_f(m['f1'])} | "
                        f"{_f(m.get('iou_tta'))} | {_f(m.get('f1_tta'))} | | | |")
    cmd = ev.get("command") or "training/evaluate"
    versions = {mid: _version(yaml.safe_load(open(os.path.join(zoo, mid, "bioimageio.yaml")))["config"]["zooscope"]["training"])
                for mid in models}
    # human-written: why each shipped version was chosen (measured figures with the commands that produced them)
    tiling_lines = "\n".join(_tiling_lines(zoo, list(models)))
    version_lines = "\n".join(f"* `{m}`: {v}" for m, v in versions.items())
    shipping_notes = ("\n" + open(notes_file).read().strip() + "\n") if notes_file and os.path.exists(notes_file) else ""
    txt = f"""# Zooscope model zoo

Six compact U-Nets, each a bioimage.io model package
(format 0.5) in `zoo/<model-id>/` with `bioimageio.yaml`, `weights.onnx` (opset 17, dynamic n/h/w, input `input`
`[n, C, h, w]` float32, output `prob` `[n, 1, h, w]` float32 sigmoid), `weights.pt` + `unet.py` (the same weights as a
PyTorch state dict), `test_input.npy` / `test_output.npy`, `cover.png` and a model card `README.md`. Membrane models:
base 16 channels, depth 3, full resolution (≈0.48 M parameters; h, w multiples of 8). Mitochondria models: base 12,
depth 4, run on a 2× average-pooled copy of the input with a full-resolution refinement head (≈1.1 M parameters;
h, w multiples of 32): SBEM mitochondria at 5.9 nm/px need more context than a membrane to be told from dark axon
profiles, and the pooled input gives it for a quarter of the compute.

| model id | structure | data | frames (C) |
|---|---|---|---|
| `membrane-isbi-2d` | membranes | ISBI 2012 ssTEM, Drosophila VNC, 4 nm px | 1 (2D) |
| `membrane-isbi-3f` | membranes | same | 3 (2.5D) |
| `membrane-isbi-5f` | membranes | same | 5 (2.5D) |
| `mito-sbem-2d` | mitochondria | CDeep3M SBEM mouse brain, 5.9 nm px, both contrast versions | 1 (2D) |
| `mito-sbem-3f` | mitochondria | same | 3 (2.5D) |
| `mito-sbem-5f` | mitochondria | same | 5 (2.5D) |

## Measured quality

Held-out contiguous z blocks (never trained on), foreground IoU and F1 at threshold 0.5, pixels pooled over the
block; TTA×8 = mean probability over the 8 rotations/flips; ensemble = mean probability of the 1-, 3- and 5-frame
models. Foreground = membrane for the membrane models, mitochondrion for the mito models. ONNX Runtime time is for one
512×512 tile through the Zooscope worker on 2 CPU threads, from `zoo/onnxruntime-512.tsv` (written from
`gpu-worker/bench --sizes 512 --seconds 5`).

{chr(10).join(rows)}

Reproduce this table (and the scores in every package's yaml and card) from the repository root:

```
training/evaluate            # all packages in zoo/, with TTA and ensembles; data from --data (default ../shared/data)
```

**The quality targets (membrane F1 ≥ 0.85, mitochondria IoU ≥ 0.85) are not met**, and `training/diagnose --overfit 1500`
([`DIAGNOSIS.md`](DIAGNOSIS.md), ≈ 30 min on 2 cores) measures why. (1) The labels' own boundaries: the held-out membrane
labels score F1 0.829 against themselves eroded by one pixel, so F1 0.85 needs near pixel-exact agreement with
hand-drawn, 4–8 px wide membranes (mitochondria: a 1-px erosion still scores IoU 0.90, so there the limit is elsewhere).
(2) Fit: every model scores about the same on slices it was trained on as on the held-out block (membranes F1 0.813 vs
0.808; mitochondria IoU 0.72–0.74 vs 0.64–0.68): nothing is over-fitted. (3) Over-fitting on purpose: the same
architectures trained on just 2 slices without augmentation for 1500 steps memorise those 2 slices only to membrane F1
0.867 and mitochondria IoU 0.793 — and the mitochondria net trained on 2 slices already scores held-out IoU 0.661, within
0.01 of the first `mito-sbem-2d`, trained on 30 slices for 3600 steps; a 1.8× wider mitochondria net (base 16, 1.95 M
parameters, still within both limits; a one-off run of the same measurement) memorises them no better (IoU 0.795,
held-out 0.651). Earlier attempts: mitochondria 1200 → 3600 steps
+0.04 (validation flat after step 2400); a 4× larger membrane net F1 0.812 (and over the 10 MB package limit); TTA and
ensembles ≤ +0.02; thresholds 0.2–0.7 (0.5 is best). So within the size (10 MB)
and speed (≤ 100 ms per 512² tile on 2 CPU threads) limits the scores are set by how much of these labels such nets can
fit at the pixel level — neither more data, more steps nor (membranes) 4× the parameters moved them.
Caveats found since (issue 17): that over-fitting run still drew the 8 rotations/flips, ran a fixed 1500 steps and
logged no loss curve, so it cannot tell capacity from optimisation; and the first models all trained with a
quarter of its 2D patches' labels displaced by the elastic warp. `training/diagnose --overfit STEPS` now trains with no
augmentation at all, a decaying rate and a logged loss curve. Re-run for membranes
(`training/diagnose --overfit 2000 --log-every 100 membrane-isbi-2d`, 20 min; not yet in `DIAGNOSIS.md`, which that
command rewrites for the one model): the membrane net memorises its 2 slices to F1 0.971 (IoU 0.944), the loss
flattening only as the rate decays (0.064 at 75 % of the steps, 0.059 at 90 %, 0.060 at the end), so for membranes
the 0.867 above measured the run, not the net's capacity; that 2-slice model scores held-out F1 0.738. Mitochondria:
not re-run yet.

Train all six and rebuild the packages (2D models first; the 3/5-frame models are fine-tuned from them), or one of them:

```
training/train               # or: training/train mito-sbem-3f
training/smoke               # tiny train + export + package + evaluate, < 1 min
```

Settings (seed, steps, patch size, augmentation strengths, held-out blocks) are in `training/settings/<model-id>.yaml`
and are recorded in each package under `config.zooscope.training`.

## Preprocessing (identical for all six)

```yaml
preprocessing:
  - id: scale_range
    kwargs: {{axes: [batch, channel, y, x], min_percentile: 1.0, max_percentile: 99.5, eps: 1.0e-6}}
  - id: ensure_dtype
    kwargs: {{dtype: float32}}
```

`out = (x - p1) / (p99.5 - p1 + 1e-6)`, no clipping, with p1 / p99.5 computed **once over the whole input volume**
(all slices and pixels, numpy linear-interpolation percentiles) on the raw grey values (8, 16 or 32 bit, as float).
Training normalised every training volume the same way. Channel i of a C-frame model holds slice z + i − C//2 (the edge slice is repeated beyond the volume ends).

## Tiling (from each package's `bioimageio.yaml`)

A tile discards `halo` px on each side (the output axes' `halo`); inputs are at least `sizeMin` px and `sizeMin` + k ·
`sizeStep`. The receptive-field radius is the architecture's (gradient of the centre pixel, random weights).

| model | halo px | receptive-field radius px | sizeMin | sizeStep |
|---|---|---|---|---|
{tiling_lines}

## Which weights are shipped

{version_lines}
{shipping_notes}
## Training data, licences and credits

The models were trained on public labelled EM data (research / non-commercial terms); the weights are released as
CC-BY-NC-4.0 and the test tensors in each package are crops of that data. The licence texts are quoted in
[`DATA_LICENSES.md`](DATA_LICENSES.md) and copied into each package as `DATA_LICENSE_*.txt`.

* ISBI 2012 membranes (via zhixuhao/unet @ b45af4d): cite Cardona et al., PLoS Biol 8:e1000502 (2010),
  doi:10.1371/journal.pbio.1000502, and Arganda-Carreras et al., Front. Neuroanat. 9:142 (2015), doi:10.3389/fnana.2015.00142.
* CDeep3M mitochondria SBEM volume (CRBS/cdeep3m @ abf9958, CRBS/cdeep3m2 @ 67d6308, © UC Regents, research and
  non-profit use): cite Haberl et al., Nat Methods 15:677 (2018), doi:10.1038/s41592-018-0106-z.
"""
    with open(os.path.join(zoo, "README.md"), "w") as f:
        f.write(txt)
    write_licenses(zoo, data_root, sorted(sets_used) or sorted(DATA_INFO))


def write_licenses(zoo, data_root, names):
    parts = ["# Training data licences",
             "",
             "The Zooscope zoo models were trained on the data sets below. Their licence texts (`SOURCE_LICENSE.txt` of each "
             "data folder) are quoted verbatim. Each package also carries a copy as `DATA_LICENSE_<set>.txt`.", ""]
    for n in names:
        info = DATA_INFO[n]
        txt = open(os.path.join(data_root, n, "SOURCE_LICENSE.txt")).read().rstrip()
        parts += [f"## {n}", "", f"Source: {info['source']}.", "",
                  "Cite: " + "; ".join(f"{c['text']}, doi:{c['doi']}" for c in info["cite"]), "",
                  "```", txt, "```", ""]
    parts += ["Note: for `isbi2012-membrane` the quoted MIT licence is that of the redistributing repository "
              "(zhixuhao/unet); the images themselves remain under the ISBI 2012 challenge terms (non-commercial, "
              "with citation of Cardona et al. 2010 and Arganda-Carreras et al. 2015).", ""]
    with open(os.path.join(zoo, "DATA_LICENSES.md"), "w") as f:
        f.write("\n".join(parts))
