#!/usr/bin/python3
"""PyTorch 1.13 reference for libcgan's layers and optimizers.

Writes tests/data/nn/*.npy, read by tests/check_nn_torch.c.  Inputs,
parameters, buffers and output gradients are not random draws but a
splitmix64 hash of (case/tensor tag, element index) mapped to [lo, hi), so
the C test regenerates them bit for bit (tests/nn_gen.h) and only results
need storing.  Each case's generated tensors are described by
CASE__spec.npy: one row [lo, hi, quant, ndim, d0, d1, d2, d3] per tensor,
in the order inputs, dout, parameters, buffers (lo = NaN: the tensor is
stored in CASE__inK.npy instead, e.g. labels).  Results (outputs, input and
parameter gradients, updated buffers) are computed in float64 and stored as
float32; a tensor of more than 16384 elements is stored as 4096 sampled
entries (NAME.npy) with their flat indices (NAME.idx.npy).

Run: /usr/bin/python3 tests/oracles/torch_layers.py OUTDIR
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

OUT = sys.argv[1] if len(sys.argv) > 1 else "tests/data/nn"
MAX_FULL = 16384
N_SAMPLES = 4096
M64 = (1 << 64) - 1


def fnv1a(tag):
    h = 0xcbf29ce484222325
    for b in tag.encode():
        h ^= b
        h = (h * 0x100000001b3) & M64
    return h


def gen(tag, shape, lo, hi, quant=0.0):
    """splitmix64(seed + (i+1)*golden) -> top 24 bits -> [lo, hi)."""
    n = int(np.prod(shape))
    i = np.arange(1, n + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        z = np.uint64(fnv1a(tag)) + i * np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        z = z ^ (z >> np.uint64(31))
    u = (z >> np.uint64(40)).astype(np.float64) / float(1 << 24)
    v = (lo + (hi - lo) * u).astype(np.float32)
    if quant > 0:
        v = (np.rint(v.astype(np.float64) * quant) / quant).astype(np.float32)
    return v.reshape(shape)


def save(case, name, arr):
    arr = np.asarray(arr, dtype=np.float32)
    base = os.path.join(OUT, f"{case}__{name}")
    flat = arr.reshape(-1)
    if flat.size > MAX_FULL:
        rng = np.random.default_rng(fnv1a(case + name) & 0xFFFFFFFF)
        idx = np.sort(rng.choice(flat.size, N_SAMPLES, replace=False))
        np.save(base + ".npy", flat[idx])
        np.save(base + ".idx.npy", idx.astype(np.float64))
    else:
        np.save(base + ".npy", arr)


class Case:
    def __init__(self, name):
        self.name = name
        self.spec = []

    def tensor(self, tag, shape, lo, hi, quant=0.0):
        shape = list(shape)
        self.spec.append([lo, hi, quant, len(shape)] + shape + [0] * (4 - len(shape)))
        return torch.from_numpy(gen(f"{self.name}/{tag}", shape, lo, hi, quant)).double()

    def stored(self, k, arr):
        """An input stored verbatim (labels)."""
        arr = np.asarray(arr, dtype=np.float32)
        self.spec.append([np.nan, np.nan, 0, arr.ndim] + list(arr.shape) + [0] * (4 - arr.ndim))
        np.save(os.path.join(OUT, f"{self.name}__in{k}.npy"), arr)
        return torch.from_numpy(arr.astype(np.float64))

    def finish(self):
        np.save(os.path.join(OUT, f"{self.name}__spec.npy"), np.array(self.spec, dtype=np.float64))


def run_case(name, inputs, fn, params, buffers=(), diff=None):
    """inputs: list of (tag, shape, lo, hi[, quant]) or ('stored', array);
    fn(inputs, params, buffers) -> output; params/buffers: lists of
    (name, shape, lo, hi)."""
    c = Case(name)
    xs = []
    for k, spec in enumerate(inputs):
        if spec[0] == "stored":
            xs.append(c.stored(k, spec[1]))
        else:
            xs.append(c.tensor(f"in{k}", *spec[1:]).requires_grad_(diff is None or diff[k]))
    # output shape from a dry run with zero-initialised params of the right shapes
    ps = {}
    dout_index = len(c.spec)
    c.spec.append(None)  # placeholder for dout, filled below
    for pname, shape, lo, hi in params:
        ps[pname] = c.tensor(pname, shape, lo, hi).requires_grad_(True)
    bs = {}
    for bname, shape, lo, hi in buffers:
        bs[bname] = c.tensor(bname, shape, lo, hi)
    y = fn(xs, ps, bs)
    dspec = Case(name)
    dout = dspec.tensor("dout", list(y.shape), -1.0, 1.0)
    c.spec[dout_index] = dspec.spec[0]
    y.backward(dout)
    save(name, "out", y.detach().numpy())
    for k, x in enumerate(xs):
        if x.requires_grad:
            save(name, f"din{k}", x.grad.numpy())
    for pname, p in ps.items():
        save(name, f"grad.{pname}", p.grad.numpy())
    for bname, b in bs.items():
        save(name, f"buf.{bname}", b.numpy())
    c.finish()


def w(shape, fan_in):
    b = 1.0 / np.sqrt(fan_in)
    return (shape, -b, b)


def linear_case(name, n, fin, fout, bias=True):
    params = [("weight",) + w([fout, fin], fin)]
    if bias:
        params.append(("bias", [fout], -0.5, 0.5))
    run_case(name, [("x", [n, fin], -1.0, 1.0)],
             lambda x, p, b: F.linear(x[0], p["weight"], p.get("bias")), params)


def conv_case(name, n, ci, co, h, wd, k, s, pd, bias=True):
    params = [("weight",) + w([co, ci, k, k], ci * k * k)]
    if bias:
        params.append(("bias", [co], -0.5, 0.5))
    run_case(name, [("x", [n, ci, h, wd], -1.0, 1.0)],
             lambda x, p, b: F.conv2d(x[0], p["weight"], p.get("bias"), stride=s, padding=pd),
             params)


def convt_case(name, n, ci, co, h, wd, k, s, pd, bias=True):
    params = [("weight",) + w([ci, co, k, k], ci * k * k / (s * s))]
    if bias:
        params.append(("bias", [co], -0.5, 0.5))
    run_case(name, [("x", [n, ci, h, wd], -1.0, 1.0)],
             lambda x, p, b: F.conv_transpose2d(x[0], p["weight"], p.get("bias"), stride=s,
                                                padding=pd), params)


def bn_case(name, shape, train, act=None):
    c = shape[1]

    def fn(x, p, b):
        y = F.batch_norm(x[0], b["running_mean"], b["running_var"], p["weight"], p["bias"],
                         training=train, momentum=0.1, eps=1e-5)
        b["num_batches_tracked"] += 1 if train else 0
        return F.leaky_relu(y, act) if act is not None else y

    run_case(name, [("x", shape, -1.0, 3.0)], fn,
             [("weight", [c], 0.5, 1.5), ("bias", [c], -0.5, 0.5)],
             [("running_mean", [c], -0.5, 0.5), ("running_var", [c], 0.5, 1.5),
              ("num_batches_tracked", [1], 3.0, 3.0)])


def sa_case(name, shape):
    n, c, h, wd = shape
    cq = c // 8

    def fn(x, p, b):
        x = x[0]
        q = F.conv2d(x, p["query.weight"], p["query.bias"]).view(n, cq, h * wd)
        k = F.conv2d(x, p["key.weight"], p["key.bias"]).view(n, cq, h * wd)
        v = F.conv2d(x, p["value.weight"], p["value.bias"]).view(n, c, h * wd)
        a = torch.softmax(torch.bmm(q.permute(0, 2, 1), k), dim=-1)
        o = torch.bmm(v, a.permute(0, 2, 1)).view(n, c, h, wd)
        return p["gamma"] * o + x

    run_case(name, [("x", shape, -1.0, 1.0)], fn,
             [("query.weight",) + w([cq, c, 1, 1], c / 4), ("query.bias", [cq], -0.5, 0.5),
              ("key.weight",) + w([cq, c, 1, 1], c / 4), ("key.bias", [cq], -0.5, 0.5),
              ("value.weight",) + w([c, c, 1, 1], c), ("value.bias", [c], -0.5, 0.5),
              ("gamma", [1], 0.7, 0.7)])


def layer_cases():
    linear_case("linear_fc", 2, 128, 8192)
    linear_case("linear_proj2", 3, 1024, 64)
    linear_case("linear_out_nobias", 2, 2048, 1, bias=False)
    conv_case("conv_c1", 2, 1, 64, 128, 128, 4, 2, 1)
    conv_case("conv_c5", 2, 257, 128, 8, 8, 4, 2, 1)
    conv_case("conv_k3s1p0", 2, 3, 5, 7, 9, 3, 1, 0)
    conv_case("conv_k5s3p2_nobias", 3, 2, 3, 11, 8, 5, 3, 2, bias=False)
    convt_case("convt_up1", 2, 512, 256, 4, 4, 4, 2, 1)
    convt_case("convt_up5", 2, 64, 1, 64, 64, 4, 2, 1)
    convt_case("convt_k3s2p1", 2, 3, 4, 5, 6, 3, 2, 1)
    convt_case("convt_k2s1p0_nobias", 3, 2, 3, 4, 3, 2, 1, 0, bias=False)
    bn_case("bn_train", [2, 128, 16, 16], True)
    bn_case("bn_eval", [2, 64, 8, 8], False)
    bn_case("bn_out", [2, 1, 128, 128], True)
    bn_case("bn_lrelu", [2, 64, 32, 32], True, act=0.2)
    run_case("lrelu", [("x", [2, 64, 8, 8], -1.0, 1.0, 4.0)],
             lambda x, p, b: F.leaky_relu(x[0], 0.2), [])
    run_case("relu", [("x", [2, 64, 8, 8], -1.0, 1.0, 4.0)], lambda x, p, b: F.relu(x[0]), [])
    run_case("tanh", [("x", [2, 1, 16, 16], -3.0, 3.0)], lambda x, p, b: torch.tanh(x[0]), [])
    sa_case("sa", [2, 64, 32, 32])
    sa_case("sa_small", [3, 16, 5, 6])
    run_case("embed_g", [("stored", np.array([3, 0, 3, 7, 5, 3]))],
             lambda x, p, b: F.embedding(x[0].long(), p["weight"]),
             [("weight", [8, 128], -1.0, 1.0)], diff=[False])
    run_case("concat", [("a", [2, 256, 8, 8], -1.0, 1.0), ("b", [2, 64], -1.0, 1.0)],
             lambda x, p, b: torch.cat([x[0], x[1].view(2, 1, 8, 8)], 1), [])
    run_case("concat4d", [("a", [2, 3, 4, 5], -1.0, 1.0), ("b", [2, 1, 4, 5], -1.0, 1.0)],
             lambda x, p, b: torch.cat([x[0], x[1]], 1), [])
    run_case("mul", [("a", [4, 128], -1.0, 1.0), ("b", [4, 128], -1.0, 1.0)],
             lambda x, p, b: x[0] * x[1], [])
    run_case("reshape_g3", [("x", [2, 8192], -1.0, 1.0)],
             lambda x, p, b: x[0].view(2, 512, 4, 4), [])
    run_case("flatten_d6", [("x", [2, 128, 4, 4], -1.0, 1.0)],
             lambda x, p, b: x[0].view(2, -1), [])


# ------------------------------------------------------------------ optimizers
OPT_SHAPES = [("fc.weight", [4, 5]), ("fc.bias", [4])]
OPT_STEPS = 5


def optim_case(name, make, clip=None):
    """Float32 parameters (as the library), gradients regenerated per step."""
    ps = [torch.from_numpy(gen(f"{name}/{pn}", s, -0.02, 0.02)).requires_grad_(True)
          for pn, s in OPT_SHAPES]
    opt = make(ps)
    with torch.no_grad():
        if clip:
            for p in ps:
                p.clamp_(-clip, clip)
    for t in range(OPT_STEPS):
        for (pn, s), p in zip(OPT_SHAPES, ps):
            p.grad = torch.from_numpy(gen(f"{name}/g{t}/{pn}", s, -1.0, 1.0))
        opt.step()
        if clip:
            with torch.no_grad():
                for p in ps:
                    p.clamp_(-clip, clip)
    for (pn, _), p in zip(OPT_SHAPES, ps):
        save(name, f"final.{pn}", p.detach().numpy())
        for k, v in opt.state[p].items():
            if torch.is_tensor(v) and v.numel() > 1:
                save(name, f"state.{pn}.{k}", v.numpy())


def optim_cases():
    optim_case("optim_rmsprop_clip", lambda ps: torch.optim.RMSprop(ps, lr=2e-3, alpha=0.99,
                                                                    eps=1e-8), clip=0.009)
    optim_case("optim_rmsprop_full", lambda ps: torch.optim.RMSprop(
        ps, lr=1e-2, alpha=0.9, eps=1e-6, weight_decay=0.1, momentum=0.5, centered=True))
    optim_case("optim_adam", lambda ps: torch.optim.Adam(ps, lr=1e-2, betas=(0.8, 0.95),
                                                         eps=1e-7, weight_decay=0.05))
    optim_case("optim_sgd", lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.1,
                                                       weight_decay=0.01))
    optim_case("optim_sgd_nesterov", lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8,
                                                                nesterov=True))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    layer_cases()
    optim_cases()
    print(f"torch {torch.__version__}: fixtures written to {OUT}")
