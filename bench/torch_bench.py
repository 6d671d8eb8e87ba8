"""PyTorch side of the benchmark comparison (bench/compare.sh).

The same networks, losses and training iteration as libcgan's `cgan bench`
(tests/oracles/torch_cgan.py: Generator, Critic, wgan_iteration, RMSprop),
on random tensors, tuned as ../shared/reference/performance.md says: two
threads (torch.set_num_threads), eval-mode inference under no_grad; the
environment (OPENBLAS_CORETYPE, OPENBLAS_THREAD_TIMEOUT, OMP_WAIT_POLICY,
jemalloc) is set by compare.sh.  Prints one JSON object with the same keys
as `cgan bench --json`.  A benchmark: nothing passes or fails on time.

  /usr/bin/python3 bench/torch_bench.py [--batch B] [--iters N]
                   [--threads T] [--infer-batch B]
"""
import argparse
import json
import os
import resource
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "oracles"))

import torch  # noqa: E402

import torch_cgan as tc  # noqa: E402


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--iters", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--infer-batch", type=int, default=0)
    a = ap.parse_args()
    infer_batch = a.infer_batch or a.batch
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    gen = torch.Generator().manual_seed(1)
    G, D = tc.Generator(), tc.Critic()
    tc.init_paper_(G, gen)
    tc.init_paper_(D, gen)
    optG, optD = tc.rmsprop(G.parameters()), tc.rmsprop(D.parameters())
    n_critic, b = 4, a.batch
    real = torch.rand(b, 1, 128, 128) * 2 - 1
    real_y = torch.arange(b) % 8            # every class present, as cgan bench
    z = torch.randn(b, 128)
    fake_y = torch.randint(0, 8, (b,))
    reals, rys = [real] * n_critic, [real_y] * n_critic
    zs, fys = [z] * (n_critic + 1), [fake_y] * (n_critic + 1)

    def iteration():
        tc.wgan_iteration(G, D, optG, optD, reals, rys, zs, fys, n_critic=n_critic)

    iteration()  # warm-up, as cgan bench
    times = []
    for _ in range(a.iters):
        t0 = time.perf_counter()
        iteration()
        times.append(time.perf_counter() - t0)

    G.eval()
    zi = torch.randn(infer_batch, 128)
    yi = torch.randint(0, 8, (infer_batch,))
    with torch.no_grad():
        G(zi, yi)
        ti = []
        for _ in range(3):
            t0 = time.perf_counter()
            G(zi, yi)
            ti.append(time.perf_counter() - t0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    core = None
    try:
        import ctypes
        for name in ("libopenblas.so.0", "libopenblasp-r0.3.21.so"):
            try:
                lib = ctypes.CDLL(name)
                lib.openblas_get_corename.restype = ctypes.c_char_p
                core = lib.openblas_get_corename().decode()
                break
            except OSError:
                continue
    except Exception:  # the core name is informative only
        core = None
    out = {
        "implementation": "pytorch %s" % torch.__version__,
        "config": "paper", "batch": b, "iters": a.iters,
        "iter_s": {"median": statistics.median(times), "min": min(times),
                   "max": max(times), "all": times},
        "infer_batch": infer_batch,
        "infer_images_per_s": infer_batch / statistics.median(ti),
        "peak_rss_mib": rss,
        "env": {"blas_core": core, "threads": torch.get_num_threads(),
                "cpu": cpu_model(),
                "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
                "OPENBLAS_THREAD_TIMEOUT": os.environ.get("OPENBLAS_THREAD_TIMEOUT"),
                "OMP_WAIT_POLICY": os.environ.get("OMP_WAIT_POLICY"),
                "LD_PRELOAD": os.environ.get("LD_PRELOAD")},
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
