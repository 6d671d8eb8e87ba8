"""Fixtures for the paper model (tests/check_gan_torch.c) from the
independent PyTorch implementation in torch_cgan.py.

Reduced widths (generator and critic width W = 8) keep the files small while every
layer of Tables 1-2 is exercised at the paper's spatial sizes (128x128
images, attention at 32x32).  Written to tests/data/gan/:
  gen.npz            generator-only export (state_dict names "generator.*"),
                       random weights, non-trivial running statistics, gamma 0.5
  gen_z.npy, gen_y.npy, gen_eval.npy, gen_train.npy
  critic.npz         critic state_dict ("critic.*")
  critic_x.npy, critic_y.npy, critic_d.npy, critic_l.npy, critic_e.npy
  iter_before.npz      generator + critic before one training iteration
  iter_data.npz        reals[4], real_labels[4], zs[5], fake_labels[5]
  iter_after.npz       every parameter and buffer after the iteration, computed
                       in float64 from the float32 start (see below), stored float32
  iter_losses.npy      [wgan, 2c] of the 4 critic steps, then the generator's
Run: /usr/bin/python3 tests/oracles/torch_model.py OUTDIR
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch_cgan as tc  # noqa: E402

W = 8  # network width of the fixtures (the paper: 64)


class NarrowGenerator(tc.Generator):
    """Table 1 at width w (8w, 4w, 2w, w, w channels)."""

    def __init__(self, w, n_classes=8, nz=128):
        torch.nn.Module.__init__(self)
        self.continuous = False
        self.embed = torch.nn.Embedding(n_classes, nz)
        self.fc = torch.nn.Linear(nz, 8 * w * 16)
        self.w = w
        for i, (a, b) in enumerate([(8 * w, 4 * w), (4 * w, 2 * w), (2 * w, w)], 1):
            setattr(self, f"up{i}", torch.nn.ConvTranspose2d(a, b, 4, 2, 1))
            setattr(self, f"bn{i}", torch.nn.BatchNorm2d(b))
        self.attn = tc.SelfAttention(w)
        self.has_up4 = True
        self.up4 = torch.nn.ConvTranspose2d(w, w, 4, 2, 1)
        self.bn4 = torch.nn.BatchNorm2d(w)
        self.up5 = torch.nn.ConvTranspose2d(w, 1, 4, 2, 1)
        self.bn_out = torch.nn.BatchNorm2d(1)

    def forward(self, z, y):
        h = self.fc(self.embed(y) * z).view(-1, 8 * self.w, 4, 4)
        act = lambda t: torch.nn.functional.leaky_relu(t, 0.2)
        h = act(self.bn1(self.up1(h)))
        h = act(self.bn2(self.up2(h)))
        h = act(self.bn3(self.up3(h)))
        h = self.attn(h)
        h = act(self.bn4(self.up4(h)))
        return torch.tanh(self.bn_out(self.up5(h)))


class NarrowCritic(tc.Critic):
    """Table 2 at width w (w, w, 2w, 4w, 2w channels; projection 32w->16w->64)."""

    def __init__(self, w, n_classes=8):
        torch.nn.Module.__init__(self)
        self.continuous = False
        self.has_conv2 = True
        self.conv1 = torch.nn.Conv2d(1, w, 4, 2, 1)
        self.conv2 = torch.nn.Conv2d(w, w, 4, 2, 1)
        self.bn2 = torch.nn.BatchNorm2d(w)
        self.conv3 = torch.nn.Conv2d(w, 2 * w, 4, 2, 1)
        self.bn3 = torch.nn.BatchNorm2d(2 * w)
        self.conv4 = torch.nn.Conv2d(2 * w, 4 * w, 4, 2, 1)
        self.bn4 = torch.nn.BatchNorm2d(4 * w)
        self.embed = torch.nn.Embedding(n_classes, 64)
        self.proxy = torch.nn.Embedding(n_classes, 64)
        self.conv5 = torch.nn.Conv2d(4 * w + 1, 2 * w, 4, 2, 1)
        self.bn5 = torch.nn.BatchNorm2d(2 * w)
        self.out = torch.nn.Linear(32 * w, 1)
        self.proj1 = torch.nn.Linear(32 * w, 16 * w)
        self.proj2 = torch.nn.Linear(16 * w, 64)
        self.proj_act = False


def export(path, prefix, model):
    sd = {f"{prefix}.{k}": v.detach().numpy() for k, v in model.state_dict().items()}
    np.savez(path, **sd)


def randomise(model, gen, scale):
    """Random weights, running statistics and counters, so nothing is trivial."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.copy_(torch.randn(p.shape, generator=gen) * scale)
            if name.endswith("gamma"):
                p.fill_(0.5)
        for name, b in model.named_buffers():
            if name.endswith("running_mean"):
                b.copy_(torch.randn(b.shape, generator=gen) * 0.1)
            elif name.endswith("running_var"):
                b.copy_(0.5 + torch.rand(b.shape, generator=gen))
            elif name.endswith("num_batches_tracked"):
                b.fill_(7)


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    gen = torch.Generator().manual_seed(20261124)
    save = lambda name, a: np.save(os.path.join(out, name), np.ascontiguousarray(a, dtype=np.float32))

    # Generator forward, eval and train mode.
    G = NarrowGenerator(W)
    randomise(G, gen, 0.1)
    export(os.path.join(out, "gen.npz"), "generator", G)
    z = torch.randn(6, 128, generator=gen)
    y = torch.tensor([0, 3, 7, 3, 5, 1])
    G.eval()
    with torch.no_grad():
        save("gen_eval.npy", G(z, y).numpy())
    G.train()
    with torch.no_grad():
        save("gen_train.npy", G(z, y).numpy())
    save("gen_z.npy", z.numpy())
    save("gen_y.npy", y.numpy())

    # Critic forward (train mode, the mode it is always used in).
    D = NarrowCritic(W)
    randomise(D, gen, 0.05)
    export(os.path.join(out, "critic.npz"), "critic", D)
    x = torch.tanh(torch.randn(6, 1, 128, 128, generator=gen))
    with torch.no_grad():
        d, l, e = D(x, y)
    for name, a in [("x", x), ("y", y), ("d", d), ("l", l), ("e", e)]:
        save(f"critic_{name}.npy", a.numpy())

    # One training iteration (4 critic steps + 1 generator step) from the
    # paper's initialisation, with every random input given.
    G, D = NarrowGenerator(W), NarrowCritic(W)
    tc.init_paper_(G, gen)
    tc.init_paper_(D, gen)
    tc.clamp_(D, 0.009)
    before = {f"generator.{k}": v.clone().numpy() for k, v in G.state_dict().items()}
    before.update({f"critic.{k}": v.clone().numpy() for k, v in D.state_dict().items()})
    np.savez(os.path.join(out, "iter_before.npz"), **before)
    m = 6
    reals = [torch.tanh(torch.randn(m, 1, 128, 128, generator=gen)) for _ in range(4)]
    real_labels = [torch.tensor([0, 0, 1, 1, 5, 5]) for _ in range(4)]
    zs = [torch.randn(m, 128, generator=gen) for _ in range(5)]
    fake_labels = [torch.randint(0, 8, (m,), generator=gen) for _ in range(5)]
    data = {}
    for k in range(4):
        data[f"real{k}"] = reals[k].numpy()
        data[f"real_labels{k}"] = real_labels[k].numpy().astype(np.float32)
    for k in range(5):
        data[f"z{k}"] = zs[k].numpy()
        data[f"fake_labels{k}"] = fake_labels[k].numpy().astype(np.float32)
    np.savez(os.path.join(out, "iter_data.npz"), **data)
    # The iteration runs in float64: at the paper's initialisation the
    # generator's gradients are ~1e-7 (they pass through a critic clipped to
    # +-0.009), where RMSprop's eps (1e-8) turns float32 rounding into
    # visible update differences (PyTorch's own float32 run is up to 4e-3
    # away from float64).  The float64 result is the reference.
    G, D = G.double(), D.double()
    reals = [r.double() for r in reals]
    zs = [z.double() for z in zs]
    optG, optD = tc.rmsprop(G.parameters()), tc.rmsprop(D.parameters())
    log = tc.wgan_iteration(G, D, optG, optD, reals, real_labels, zs, fake_labels)
    f32 = lambda v: v.numpy().astype(np.float32) if v.is_floating_point() else v.numpy()
    after = {f"generator.{k}": f32(v) for k, v in G.state_dict().items()}
    after.update({f"critic.{k}": f32(v) for k, v in D.state_dict().items()})
    np.savez(os.path.join(out, "iter_after.npz"), **after)
    losses = [[log[f"critic{k}_wgan"], log[f"critic{k}_2c"]] for k in range(4)]
    losses.append([log["gen_wgan"], log["gen_2c"]])
    np.save(os.path.join(out, "iter_losses.npy"), np.array(losses, dtype=np.float64))
    print("torch_model: fixtures in", out, "losses", losses)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/gan")
