"""Command line: ``python3 -m zooscope_train.cli {train,evaluate,diagnose,smoke} ...`` (see training/README.md).
Run from the repository root (the wrapper scripts training/train, training/evaluate, training/smoke do that)."""
import argparse
import json
import os
import sys
import time

from . import evaluate as ev
from . import package, trainer

SETTINGS_DIR = os.path.join("training", "settings")


def _log_to(path):
    f = open(path, "a")

    def log(msg):
        line = f"{time.strftime('%H:%M:%S')} {msg}"
        print(line, flush=True)
        f.write(line + "\n")
        f.flush()
    return log


def _run_info(runs, s):
    """train_info.json of a finished run; for a run that was stopped early, the same fields from history.json
    (its checkpoint is the one saved at its last validation)."""
    d = os.path.join(runs, s["model_id"])
    p = os.path.join(d, "train_info.json")
    if os.path.exists(p):
        info = json.load(open(p))
        info["settings"] = s
        return info
    h = json.load(open(os.path.join(d, "history.json")))
    metric = s.get("select_metric", "iou")
    last = h[-1]
    import torch
    from .unet import UNet, n_params
    return {"model_id": s["model_id"], "checkpoint_step": last["step"], "final_val_score": last["score"],
            "select_metric": metric, "train_seconds": h[-1]["elapsed_s"],
            "params": n_params(UNet(**trainer.model_kwargs(s))),
            "torch_version": str(torch.__version__), "settings": s,
            "stopped_early_at_step": h[-1]["step"]}


def cmd_train(a):
    ids = a.ids or ev.MODEL_IDS
    os.makedirs(a.runs, exist_ok=True)
    log = _log_to(os.path.join(a.runs, "train.log"))
    for mid in ids:
        path = mid if mid.endswith(".yaml") else os.path.join(a.settings, mid + ".yaml")
        s = trainer.load_settings(path)
        if a.steps:
            s["steps"] = a.steps
        if a.package_only:  # rebuild the package from an earlier run's checkpoint
            if not os.path.exists(os.path.join(a.runs, s["model_id"], "history.json")) and s.get("init_from"):
                # no validated checkpoint at all (run never reached its first validation): ship the
                # init_from start point (2D weights on the centre frame, zeros on the others) and say so
                import torch
                from .unet import UNet
                m = UNet(**trainer.model_kwargs(s))
                os.makedirs(os.path.join(a.runs, s["model_id"]), exist_ok=True)
                trainer.init_from(m, trainer.init_path(a.runs, s["init_from"]), int(s["frames"]), log)
                torch.save(m.state_dict(), trainer.checkpoint_path(a.runs, s["model_id"]))
                v = trainer.validate(m, [trainer.TrainingSet(a.data, sp, s["normalisation"]) for sp in s["sets"]],
                                     int(s["frames"]), halo=int(s["halo"]), step=trainer.size_step(s))
                sc = float(sum(x[s.get("select_metric", "iou")] for x in v.values()) / len(v))
                json.dump([{"step": 0, "val": v, "score": sc, "elapsed_s": 0.0}],
                          open(os.path.join(a.runs, s["model_id"], "history.json"), "w"))
            info = _run_info(a.runs, s)
        else:
            log(f"=== train {s['model_id']} from {path}")
            info = trainer.train(s, a.data, a.runs, threads=a.threads, log=log)
        package.build(s, info, trainer.checkpoint_path(a.runs, s["model_id"]), a.data, a.zoo, log=log)


def cmd_evaluate(a):
    ids = a.ids or [m for m in ev.MODEL_IDS if os.path.exists(os.path.join(a.zoo, m, "bioimageio.yaml"))]
    os.makedirs(a.runs, exist_ok=True)
    log = _log_to(os.path.join(a.runs, "evaluate.log"))
    cmd = "training/evaluate" + (" " + " ".join(a.ids) if a.ids else "") + ("" if a.tta else " --no-tta")
    out = ev.evaluate(a.zoo, a.data, ids, a.runs, tta=a.tta, threads=a.threads,
                      notes_file=os.path.join(a.settings, "far_slice_notes.yaml"), command=cmd, log=log,
                      reuse=a.reuse)
    if a.readme:
        from .zoo_readme import write_zoo_docs
        write_zoo_docs(a.zoo, a.data, out, notes_file=os.path.join(a.settings, "shipping_notes.md"))
    print(json.dumps(out["ensembles"], indent=1))


def cmd_diagnose(a):
    from .diagnose import diagnose
    ids = a.ids or [m for m in ev.MODEL_IDS if os.path.exists(os.path.join(a.zoo, m, "bioimageio.yaml"))]
    os.makedirs(a.runs, exist_ok=True)
    log = _log_to(os.path.join(a.runs, "diagnose.log"))
    halos = [int(h) for h in a.halos.split(",")] if a.halos else None
    cmd = "training/diagnose" + (f" --overfit {a.overfit} --log-every {a.log_every}" if a.overfit else "") + \
        (f" --halos {a.halos}" if halos else "") + (" " + " ".join(a.ids) if a.ids else "")
    res = diagnose(a.zoo, a.data, ids, a.runs, a.settings, overfit_steps=a.overfit, threads=a.threads, command=cmd,
                   log=log, log_every=a.log_every, halos=halos)
    print(json.dumps(res, indent=1) if halos else open(os.path.join(a.zoo, "DIAGNOSIS.md")).read())


def cmd_smoke(a):
    t0 = time.time()
    runs = os.path.join(a.runs, "smoke")
    zoo = os.path.join(runs, "zoo")
    os.makedirs(runs, exist_ok=True)
    log = _log_to(os.path.join(runs, "smoke.log"))
    s = trainer.load_settings(os.path.join(a.settings, "smoke.yaml"))
    info = trainer.train(s, a.data, runs, threads=a.threads, log=log)
    package.build(s, info, trainer.checkpoint_path(runs, s["model_id"]), a.data, zoo, log=log)
    ev.evaluate(zoo, a.data, [s["model_id"]], runs, tta=True, threads=a.threads, command="training/smoke", log=log,
                reuse=False)
    # check the package: files, hashes, test tensors reproduce through the shipped torch weights
    import hashlib
    import numpy as np
    import torch
    import yaml
    d = os.path.join(zoo, s["model_id"])
    rdf = yaml.safe_load(open(os.path.join(d, "bioimageio.yaml")))
    for ref in [rdf["weights"]["onnx"], rdf["weights"]["pytorch_state_dict"], rdf["inputs"][0]["test_tensor"],
                rdf["outputs"][0]["test_tensor"]]:
        assert hashlib.sha256(open(os.path.join(d, ref["source"]), "rb").read()).hexdigest() == ref["sha256"], ref
    _, model = ev.load_package(zoo, s["model_id"])
    x = np.load(os.path.join(d, "test_input.npy"))
    kw = rdf["inputs"][0]["preprocessing"][0]["kwargs"]
    y = torch.sigmoid(model(torch.from_numpy(package.scale_range_np(x, kw["min_percentile"], kw["max_percentile"])))).detach().numpy()
    err = float(np.abs(y - np.load(os.path.join(d, "test_output.npy"))).max())
    assert err < 1e-4, err
    import onnx
    g = onnx.load(os.path.join(d, "weights.onnx")).graph
    assert [i.name for i in g.input] == ["input"] and [o.name for o in g.output] == ["prob"]
    # the diagnosis measurements run on the smoke package (overfit for 4 steps): numbers in range, markdown written
    from . import diagnose as dg
    cache = ev.VolumeCache(a.data)
    lt = dg.label_tolerance(cache, "isbi2012-membrane", s["sets"][0]["holdout_z"])
    fit = dg.fit(zoo, cache, s["model_id"], max_slices=2)["isbi2012-membrane"]
    of = dg.overfit(s, a.data, runs, zoo, 4, a.threads, log, log_every=2)
    assert 0.5 < lt["eroded 1 px"]["f1"] < 1 and 0 <= fit["train"]["f1"] <= 1 and 0 <= of["held_out"]["f1"] <= 1, (lt, fit, of)
    assert of["train_z"] == [0, 1], of
    assert [p["step"] for p in of["loss_curve"]] == [2, 4] and of["loss_curve"][-1]["lr"] < of["lr"] / 10, of["loss_curve"]
    dg.write_markdown(os.path.join(zoo, "DIAGNOSIS.md"), {"labels": {"isbi2012-membrane": dict(lt, holdout_z=[29, 29])},
                      "fit": {s["model_id"]: {"isbi2012-membrane": fit}}, "overfit": {s["model_id"]: of}}, "training/smoke")
    log(f"smoke OK in {time.time() - t0:.1f} s (test tensor max abs err {err:.2e})")


def main(argv=None):
    p = argparse.ArgumentParser(prog="zooscope_train")
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("train", "evaluate", "diagnose", "smoke"):
        q = sub.add_parser(name)
        q.add_argument("--data", default=os.path.join("..", "shared", "data"),
                       help="labelled EM data folder (default ../shared/data, relative to the repo root)")
        q.add_argument("--zoo", default="zoo")
        q.add_argument("--runs", default=os.path.join("training", "runs"))
        q.add_argument("--settings", default=SETTINGS_DIR)
        q.add_argument("--threads", type=int, default=2)
        if name in ("train", "evaluate", "diagnose"):
            q.add_argument("ids", nargs="*", help="model ids (default: all six) or settings yaml paths")
        if name == "train":
            q.add_argument("--steps", type=int, default=0, help="override the settings' step count")
            q.add_argument("--package-only", action="store_true",
                           help="do not train; rebuild zoo packages from training/runs/<id>/final.pt")
        if name == "evaluate":
            q.add_argument("--no-tta", dest="tta", action="store_false")
            q.add_argument("--no-readme", dest="readme", action="store_false")
            q.add_argument("--recompute", dest="reuse", action="store_false",
                           help="ignore cached results in <runs>/eval (by default reused when the weights are unchanged)")
        if name == "diagnose":
            q.add_argument("--overfit", type=int, default=0, metavar="STEPS",
                           help="also train each 2D architecture on 2 slices without augmentation for STEPS steps "
                                "(warm-up + cosine decay to 0)")
            q.add_argument("--log-every", type=int, default=100, metavar="N",
                           help="with --overfit: log the mean training loss every N steps (into runs/diagnose.json)")
            q.add_argument("--halos", default="", metavar="H1,H2,...",
                           help="only sweep the tiling halo: held-out IoU per halo vs whole-image passes "
                                "(into runs/halo_sweep.json), e.g. --halos 64,80,96,128,160,192 mito-sbem-2d")
    a = p.parse_args(argv)
    {"train": cmd_train, "evaluate": cmd_evaluate, "diagnose": cmd_diagnose, "smoke": cmd_smoke}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
