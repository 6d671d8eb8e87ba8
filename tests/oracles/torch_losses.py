"""PyTorch oracle for the loss fixtures in tests/data/loss/.

Implements the WGAN, 2C and continuous contrastive losses of
docs/losses.md (math-spec sections 3, 4, 5.1) directly with torch tensor
operations and autograd, independently of the C code, and saves inputs,
values and gradients as .npy files:

  <case>_<input>.npy   inputs, float32 (what the C tests feed the library)
  <case>_value.npy     the loss, float64 [1]
  <case>_grad_<x>.npy  d loss / d input x, float32, shape of x

Every loss is evaluated in float64 on the float32 inputs.  Run with
Debian's python3 (torch 1.13, numpy):  /usr/bin/python3 torch_losses.py OUTDIR
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/data/loss"
EPS = 1e-12


def save(name, array, dtype):
    np.save(os.path.join(OUT, name + ".npy"), np.ascontiguousarray(np.asarray(array, dtype=dtype)))


def leaf(array):
    """A float64 leaf holding exactly the float32 values saved for C."""
    return torch.tensor(np.asarray(array, dtype=np.float32).astype(np.float64), requires_grad=True)


# ------------------------------------------------------------------ losses
def wgan_critic(d_real, d_fake):
    return d_fake.mean() - d_real.mean()


def wgan_generator(d_fake):
    return -d_fake.mean()


def loss_2c(l, e, y, t):
    """ContraGAN 2C with masked log-sum-exps (self term excluded)."""
    m = l.shape[0]
    u = F.normalize(l, dim=1, eps=EPS)
    v = F.normalize(e, dim=1, eps=EPS)
    sim = u @ u.t() / t
    a = (u * v).sum(dim=1, keepdim=True) / t
    off = ~torch.eye(m, dtype=torch.bool)
    pos = (y[:, None] == y[None, :]) & off
    ninf = torch.full_like(sim, -math.inf)
    log_den = torch.logsumexp(torch.cat([a, torch.where(off, sim, ninf)], dim=1), dim=1)
    log_num = torch.logsumexp(torch.cat([a, torch.where(pos, sim, ninf)], dim=1), dim=1)
    degenerate = (pos == off).all(dim=1)
    per_row = torch.where(degenerate, torch.zeros_like(log_den), log_den - log_num)
    return per_row.sum() / m


def loss_2c_naive(l, e, y, t):
    """The reference code's exp / sum / log form (only safe for 1/t << 88)."""
    m = l.shape[0]
    u = F.normalize(l, dim=1, eps=EPS)
    v = F.normalize(e, dim=1, eps=EPS)
    off = ~torch.eye(m, dtype=torch.bool)
    pos = ((y[:, None] == y[None, :]) & off).double()
    es = torch.exp(u @ u.t() / t) * off.double()
    ea = torch.exp((u * v).sum(1) / t)
    return -torch.log((ea + (es * pos).sum(1)) / (ea + es.sum(1))).mean()


def distances(x, kind):
    if kind == "cos":
        xn = F.normalize(x, dim=1, eps=EPS)
        return 1.0 - xn @ xn.t()
    if kind == "l2n":
        x = F.normalize(x, dim=1, eps=EPS)
    # explicit differences, not torch.cdist (which expands |a|^2+|b|^2-2ab)
    return (x[:, None, :] - x[None, :, :]).norm(dim=-1)


def loss_continuous(l, e, cond, alpha, delta, kind, reduction, target="learned"):
    m = l.shape[0]
    dl = distances(l, kind)
    if target == "fixed":
        k = cond.shape[1]
        dt = (cond[:, None, :] - cond[None, :, :]).norm(dim=-1) / (2.0 * math.sqrt(k))
    else:
        dt = distances(e, kind)
    h = F.relu((dl - alpha * dt).abs() - delta)
    off = ~torch.eye(m, dtype=torch.bool)
    s = 1.0 / m if reduction == "paper" else (1.0 / (m * (m - 1)) if m > 1 else 0.0)
    return s * h[off].sum()


def run(name, fn, inputs):
    """Evaluate fn(*leaves), save the value and every gradient."""
    leaves = {k: leaf(v) for k, v in inputs.items()}
    value = fn(**leaves)
    value.backward()
    assert torch.isfinite(value), name
    save(name + "_value", [value.item()], np.float64)
    for k, t in leaves.items():
        g = t.grad if t.grad is not None else torch.zeros_like(t)
        assert torch.isfinite(g).all(), (name, k)
        save(name + "_grad_" + k, g.numpy(), np.float32)
    return value.item()


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)

    # WGAN ------------------------------------------------------------------
    d_real = rng.normal(0.3, 1.0, (64, 1)).astype(np.float32)
    d_fake = rng.normal(-0.2, 1.0, (64, 1)).astype(np.float32)
    save("wgan_d_real", d_real, np.float32)
    save("wgan_d_fake", d_fake, np.float32)
    run("wgan_critic", wgan_critic, {"d_real": d_real, "d_fake": d_fake})
    run("wgan_generator", wgan_generator, {"d_fake": d_fake})

    # 2C ---------------------------------------------------------------------
    def case_2c(name, l, table, y, temps):
        e = table[y]
        save(name + "_l", l, np.float32)
        save(name + "_table", table, np.float32)
        save(name + "_labels", y, np.float32)
        yt = torch.tensor(y)
        for tag, t in temps:
            # e = table[y] inside the graph, so table's gradient is dP
            def f(l, table, t=t):
                return loss_2c(l, table[yt], yt, t)
            v = run(name + tag, f, {"l": l, "table": table})
            le = run(name + tag + "_e", lambda l, e, t=t: loss_2c(l, e, yt, t), {"l": l, "e": e})
            assert abs(v - le) < 1e-12
            if t >= 0.05:  # the naive form agrees wherever it is finite
                naive = loss_2c_naive(leaf(l), leaf(e), yt, t).item()
                assert abs(naive - v) < 1e-10 * max(1.0, abs(v)), (name, naive, v)
        save(name + "_e", e, np.float32)

    l = rng.normal(size=(64, 64)).astype(np.float32)
    table = rng.normal(size=(8, 64)).astype(np.float32)
    y = rng.integers(0, 8, 64)
    case_2c("2c_m64", l, table, y, [("_t0.1", 0.1), ("_t0.005", 0.005), ("_t1", 1.0)])

    # a class appearing once (1 and 3), the rest in pairs
    l = rng.normal(size=(6, 3)).astype(np.float32)
    table = rng.normal(size=(4, 3)).astype(np.float32)
    case_2c("2c_small", l, table, np.array([0, 0, 1, 2, 2, 3]), [("_t0.5", 0.5)])

    # a zero row of l and a zero proxy: gradients carry the 1/eps scale
    l = rng.normal(size=(8, 5)).astype(np.float32)
    l[2] = 0.0
    table = rng.normal(size=(3, 5)).astype(np.float32)
    table[1] = 0.0
    case_2c("2c_zero", l, table, np.array([0, 1, 2, 0, 1, 2, 1, 0]), [("_t0.1", 0.1)])

    # clipped-critic regime: small embeddings dominated by a shared bias
    bias = rng.normal(size=64) * 0.05
    l = (bias + 0.002 * rng.normal(size=(32, 64))).astype(np.float32)
    table = (0.009 * rng.uniform(-1, 1, (4, 64))).astype(np.float32)
    case_2c("2c_parallel", l, table, rng.integers(0, 4, 32), [("_t0.1", 0.1)])

    # Continuous ------------------------------------------------------------
    def case_ccl(name, l, e, cond, variants):
        save(name + "_l", l, np.float32)
        save(name + "_e", e, np.float32)
        save(name + "_cond", cond, np.float32)
        for tag, kw in variants:
            if kw.get("target") == "fixed":
                run(name + tag, lambda l, cond, kw=kw: loss_continuous(l, None, cond, **kw),
                    {"l": l, "cond": cond})
            else:
                run(name + tag, lambda l, e, kw=kw: loss_continuous(l, e, None, **kw),
                    {"l": l, "e": e})

    full = []
    for kind in ("cos", "l2", "l2n"):
        for red in ("paper", "pairmean"):
            full.append(("_%s_%s" % (kind, red),
                         dict(alpha=1.0, delta=0.1, kind=kind, reduction=red)))
    full.append(("_cos_a0.5_d0.05", dict(alpha=0.5, delta=0.05, kind="cos", reduction="paper")))
    full.append(("_l2_a0.3_d0", dict(alpha=0.3, delta=0.0, kind="l2", reduction="paper")))
    full.append(("_fixed_cos", dict(alpha=1.0, delta=0.1, kind="cos", reduction="pairmean",
                                    target="fixed")))

    # 8 distinct process points (temperature, log10 rate) scaled to [-1, 1],
    # so many rows share a condition; e = W y~ + b as the critic makes it
    points = rng.uniform(-1, 1, (8, 2))
    cond = points[rng.integers(0, 8, 64)].astype(np.float32)
    w = rng.normal(size=(2, 64)) * 0.7
    b = rng.normal(size=64)
    e = (cond.astype(np.float64) @ w + b).astype(np.float32)
    l = rng.normal(size=(64, 64)).astype(np.float32)
    case_ccl("ccl_m64", l, e, cond, full)

    cond = rng.uniform(-1, 1, (5, 1)).astype(np.float32)
    e = rng.normal(size=(5, 4)).astype(np.float32)
    l = rng.normal(size=(5, 3)).astype(np.float32)
    case_ccl("ccl_small", l, e, cond, full)

    l = rng.normal(size=(6, 4)).astype(np.float32)
    l[3] = 0.0
    e = rng.normal(size=(6, 4)).astype(np.float32)
    cond = rng.uniform(-1, 1, (6, 2)).astype(np.float32)
    case_ccl("ccl_zero", l, e, cond,
             [("_cos_paper", dict(alpha=1.0, delta=0.1, kind="cos", reduction="paper")),
              ("_l2n_paper", dict(alpha=1.0, delta=0.1, kind="l2n", reduction="paper"))])
    print("torch_losses: wrote fixtures to", OUT)


if __name__ == "__main__":
    main()
