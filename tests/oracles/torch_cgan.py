"""PyTorch reference of the paper's model (architecture.md, math-spec.md).

An independent implementation used as the oracle for libcgan's generator,
critic, losses and training step, and as the PyTorch side of the benchmark
comparison.  Parameter names are exactly those of architecture.md, so
`state_dict()` entries prefixed "generator." / "critic." are checkpoint keys.

Run with Debian's interpreter: /usr/bin/python3 (torch 1.13).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class SelfAttention(nn.Module):
    """SAGAN self-attention, variant O of math-spec 2.6 (C/8 query/key)."""

    def __init__(self, c):
        super().__init__()
        self.query = nn.Conv2d(c, c // 8, 1)
        self.key = nn.Conv2d(c, c // 8, 1)
        self.value = nn.Conv2d(c, c, 1)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        n, c, h, w = x.shape
        q = self.query(x).view(n, -1, h * w)            # [n, c', P]
        k = self.key(x).view(n, -1, h * w)              # [n, c', P]
        v = self.value(x).view(n, c, h * w)             # [n, c, P]
        energy = torch.bmm(q.transpose(1, 2), k)        # [n, P(query), P(key)]
        attn = torch.softmax(energy, dim=-1)
        o = torch.bmm(v, attn.transpose(1, 2)).view(n, c, h, w)
        return self.gamma * o + x


class Generator(nn.Module):
    """Table 1: embed/cond -> product with z -> fc -> 512x4x4 -> up1..up5."""

    def __init__(self, n_classes=8, nz=128, cond_dim=0, size=128):
        super().__init__()
        self.continuous = cond_dim > 0
        if self.continuous:
            self.cond = nn.Linear(cond_dim, nz)
        else:
            self.embed = nn.Embedding(n_classes, nz)
        self.fc = nn.Linear(nz, 512 * 16)
        widths = [(512, 256), (256, 128), (128, 64)]
        for i, (a, b) in enumerate(widths, 1):
            setattr(self, f"up{i}", nn.ConvTranspose2d(a, b, 4, 2, 1))
            setattr(self, f"bn{i}", nn.BatchNorm2d(b))
        self.attn = SelfAttention(64)
        self.has_up4 = size >= 128
        if self.has_up4:
            self.up4 = nn.ConvTranspose2d(64, 64, 4, 2, 1)
            self.bn4 = nn.BatchNorm2d(64)
        self.up5 = nn.ConvTranspose2d(64, 1, 4, 2, 1)
        self.bn_out = nn.BatchNorm2d(1)

    def forward(self, z, y):
        e = self.cond(y) if self.continuous else self.embed(y)
        h = self.fc(e * z).view(-1, 512, 4, 4)
        act = lambda t: F.leaky_relu(t, 0.2)
        h = act(self.bn1(self.up1(h)))
        h = act(self.bn2(self.up2(h)))
        h = act(self.bn3(self.up3(h)))
        h = self.attn(h)
        if self.has_up4:
            h = act(self.bn4(self.up4(h)))
        return torch.tanh(self.bn_out(self.up5(h)))


class Critic(nn.Module):
    """Table 2: conv trunk, 8x8 label plane as channel 256, conv5, two heads."""

    def __init__(self, n_classes=8, cond_dim=0, size=128, proj_act=False):
        super().__init__()
        self.continuous = cond_dim > 0
        self.conv1 = nn.Conv2d(1, 64, 4, 2, 1)
        self.has_conv2 = size >= 128
        if self.has_conv2:
            self.conv2 = nn.Conv2d(64, 64, 4, 2, 1)
            self.bn2 = nn.BatchNorm2d(64)
        self.conv3 = nn.Conv2d(64, 128, 4, 2, 1)
        self.bn3 = nn.BatchNorm2d(128)
        self.conv4 = nn.Conv2d(128, 256, 4, 2, 1)
        self.bn4 = nn.BatchNorm2d(256)
        if self.continuous:
            self.cond = nn.Linear(cond_dim, 64)
            self.proxy = nn.Linear(cond_dim, 64)
        else:
            self.embed = nn.Embedding(n_classes, 64)
            self.proxy = nn.Embedding(n_classes, 64)
        self.conv5 = nn.Conv2d(257, 128, 4, 2, 1)
        self.bn5 = nn.BatchNorm2d(128)
        self.out = nn.Linear(2048, 1)
        self.proj1 = nn.Linear(2048, 1024)
        self.proj2 = nn.Linear(1024, 64)
        self.proj_act = proj_act

    def forward(self, x, y):
        act = lambda t: F.leaky_relu(t, 0.2)
        h = act(self.conv1(x))
        if self.has_conv2:
            h = act(self.bn2(self.conv2(h)))
        h = act(self.bn3(self.conv3(h)))
        h = act(self.bn4(self.conv4(h)))
        plane = (self.cond(y) if self.continuous else self.embed(y)).view(-1, 1, 8, 8)
        h = torch.cat([h, plane], dim=1)
        h = act(self.bn5(self.conv5(h))).flatten(1)
        d = self.out(h).view(-1)
        p = self.proj1(h)
        if self.proj_act:
            p = act(p)
        l = self.proj2(p)
        e = self.proxy(y)
        return d, l, e


def contrastive_2c(l, e, y, t):
    """Eq. 3 as resolved in math-spec 3: cosine, self term excluded."""
    u = F.normalize(l, dim=1, eps=1e-12)
    v = F.normalize(e, dim=1, eps=1e-12)
    m = u.shape[0]
    a = (u * v).sum(1) / t                               # [m]
    s = u @ u.t() / t                                    # [m, m]
    eye = torch.eye(m, dtype=torch.bool)
    same = (y[:, None] == y[None, :]) & ~eye
    neg_inf = torch.tensor(float("-inf"), dtype=s.dtype)
    num = torch.cat([a[:, None], torch.where(same, s, neg_inf)], 1)
    den = torch.cat([a[:, None], torch.where(~eye, s, neg_inf)], 1)
    li = torch.logsumexp(den, 1) - torch.logsumexp(num, 1)
    # Rows whose positives are all the others: exactly zero (math-spec 3.2).
    all_pos = same.sum(1) == (m - 1)
    li = torch.where(all_pos, torch.zeros_like(li), li)
    return li.mean()


def clamp_(model, c):
    with torch.no_grad():
        for p in model.parameters():
            p.clamp_(-c, c)


def init_paper_(model, gen):
    """math-spec 2.8 default init: N(0,0.02) weights, BN gamma N(1,0.02)."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("gamma"):
                p.zero_()
            elif ".weight" in name and ("bn" in name):
                p.normal_(1.0, 0.02, generator=gen)
            elif name.endswith("bias"):
                p.zero_()
            elif name.startswith(("embed", "proxy")) or name.endswith(("embed.weight", "proxy.weight")):
                p.normal_(0.0, 1.0, generator=gen)
            else:
                p.normal_(0.0, 0.02, generator=gen)


def wgan_iteration(G, D, optG, optD, reals, real_labels, zs, fake_labels,
                   n_critic=4, clip=0.009, lam=1.0, temperature=0.1):
    """One iteration of math-spec 5.2 with all randomness given.

    reals[k], real_labels[k]: the k-th critic step's real batch;
    zs[k], fake_labels[k]: noise and labels of the k-th generator forward
    (k < n_critic for critic steps, k = n_critic for the generator step).
    Returns a dict of the loss terms of every step."""
    log = {}
    for k in range(n_critic):
        with torch.no_grad():
            fake = G(zs[k], fake_labels[k])
        optD.zero_grad()
        d_real, l_real, e_real = D(reals[k], real_labels[k])
        d_fake, _, _ = D(fake, fake_labels[k])
        wgan = d_fake.mean() - d_real.mean()
        c2 = contrastive_2c(l_real, e_real, real_labels[k], temperature)
        loss = wgan + lam * c2
        loss.backward()
        optD.step()
        clamp_(D, clip)
        log[f"critic{k}_wgan"] = wgan.item()
        log[f"critic{k}_2c"] = c2.item()
    for p in D.parameters():
        p.requires_grad_(False)
    optG.zero_grad()
    fake = G(zs[n_critic], fake_labels[n_critic])
    d_fake, l_fake, e_fake = D(fake, fake_labels[n_critic])
    g_wgan = -d_fake.mean()
    g_c2 = contrastive_2c(l_fake, e_fake, fake_labels[n_critic], temperature)
    (g_wgan + lam * g_c2).backward()
    optG.step()
    for p in D.parameters():
        p.requires_grad_(True)
    log["gen_wgan"] = g_wgan.item()
    log["gen_2c"] = g_c2.item()
    return log


def rmsprop(params, lr=2e-4):
    """The paper's optimiser with PyTorch's defaults (alpha 0.99, eps 1e-8)."""
    return torch.optim.RMSprop(params, lr=lr, alpha=0.99, eps=1e-8)


def param_count(model):
    return sum(p.numel() for p in model.parameters())


if __name__ == "__main__":
    g, d = Generator(), Critic()
    print("generator", param_count(g), "critic", param_count(d))
    assert param_count(g) == 3883604 and param_count(d) == 3416897
