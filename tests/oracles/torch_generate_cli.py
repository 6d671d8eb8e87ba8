"""Acceptance check of `cgan generate` at the paper's full size: a generator
exported from the independent PyTorch implementation (random weights and
running statistics, state_dict names only) goes through bin/cgan in eval
mode and must match PyTorch within 1e-4 absolute.  Not a fixture maker: it
prints the result and exits non-zero on a mismatch.
Run: /usr/bin/python3 tests/oracles/torch_generate_cli.py bin/cgan
"""
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_cgan as tc  # noqa: E402
from torch_model import randomise  # noqa: E402


def main(cgan):
    torch.manual_seed(7)
    gen = torch.Generator().manual_seed(7)
    G = tc.Generator()
    randomise(G, gen, 0.05)
    G.eval()
    with tempfile.TemporaryDirectory() as d:
        ckpt = os.path.join(d, "g.npz")
        np.savez(ckpt, **{f"generator.{k}": v.numpy() for k, v in G.state_dict().items()})
        z = torch.randn(5, 128, generator=gen)
        np.save(os.path.join(d, "z.npy"), z.numpy())
        worst = 0.0
        for cls in (0, 5):
            out = os.path.join(d, f"out{cls}.npy")
            subprocess.run([cgan, "generate", "--model", ckpt, "--class", str(cls), "--noise",
                            os.path.join(d, "z.npy"), "--out", out], check=True)
            with torch.no_grad():
                want = G(z, torch.full((5,), cls)).numpy()
            got = np.load(out)
            worst = max(worst, float(np.abs(got - want).max()))
        info = subprocess.run([cgan, "info", ckpt], check=True, capture_output=True, text=True).stdout
    print(info.splitlines()[1])
    print(f"cgan generate vs PyTorch (paper size, eval mode): max |difference| {worst:.2e}")
    sys.exit(0 if worst <= 1e-4 else 1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "bin/cgan")
