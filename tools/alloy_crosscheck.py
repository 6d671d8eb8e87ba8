#!/usr/bin/python3
"""Per-condition truth vs measurement for `cgan synth alloy` data (docs/analysis.md s. 5).

usage: alloy_crosscheck.py DATASET_DIR SUMMARY.csv [MIN_SIZE]

DATASET_DIR was written by `cgan synth alloy --labels`; SUMMARY.csv by
`cgan analyze --summary` over its images (paths as in manifest.csv).  Truth
uses the measurement's policy: interior grains (touches_edge = 0) of at least
MIN_SIZE px (default 20) with no pixel in the crack mask; density per um^2 of
the field outside the mask; AR = major/minor of truth.csv.  Prints a Markdown
table.  Needs numpy and Pillow (Debian python3-numpy, python3-pil)."""
import collections
import csv
import sys

import numpy as np
from PIL import Image


def main():
    root, summary = sys.argv[1], sys.argv[2]
    min_size = float(sys.argv[3]) if len(sys.argv) > 3 else 20.0
    grains = collections.defaultdict(list)
    for row in csv.DictReader(open(f"{root}/truth.csv")):
        grains[row["image"]].append(row)
    measured = {row["Image"]: row for row in csv.DictReader(open(summary))}
    tot = collections.OrderedDict()
    for row in csv.DictReader(open(f"{root}/manifest.csv")):
        path, um = row["path"], float(row["um_per_px"])
        key = (float(row["temperature_C"]), float(row["strain_rate_per_s"]))
        labels = np.asarray(Image.open(f"{root}/labels/{path.split('/')[-1]}")).astype(np.int64)
        mask = np.zeros(labels.shape, bool)
        if row["mask"]:
            mask = np.asarray(Image.open(f"{root}/{row['mask']}")) > 127
        hit = set(np.unique(labels[mask]).tolist())
        t = tot.setdefault(key, np.zeros(8))
        for g in grains[path]:
            area = float(g["area_px"])
            if g["touches_edge"] == "1" or int(g["grain"]) in hit or area < min_size:
                continue
            t[:3] += [1, area * um * um, float(g["major_px"]) / float(g["minor_px"])]
        t[3] += (~mask).sum() * um * um
        m = measured[path] if path in measured else measured[f"{root}/{path}"]
        n = float(m["Count"])
        t[4:8] += [n, float(m["TotalArea"]), float(m["MeanAR"]) * n, n / float(m["Density"])]

    def dev(a, b):
        return f"{100 * (a / b - 1):+.1f}"

    print("| T (C) | rate (1/s) | grains true / measured | mean area true / measured (um^2) | dev % "
          "| density true / measured (1/um^2) | dev % | mean AR true / measured | dev % |")
    print("|---|---|---|---|---|---|---|---|---|")
    for (temp, rate), t in sorted(tot.items()):
        ta, ma = t[1] / t[0], t[5] / t[4]
        td, md = t[0] / t[3], t[4] / t[7]
        tr, mr = t[2] / t[0], t[6] / t[4]
        print(f"| {temp:.0f} | {rate:g} | {t[0]:.0f} / {t[4]:.0f} | {ta:.3f} / {ma:.3f} | {dev(ma, ta)} "
              f"| {td:.4f} / {md:.4f} | {dev(md, td)} | {tr:.3f} / {mr:.3f} | {dev(mr, tr)} |")


if __name__ == "__main__":
    main()
