"""Compact 2D U-Net used for every Zooscope zoo model.

Input  [n, C, h, w] with C = number of z-frames (1, 3 or 5; neighbouring slices as channels).
Output [n, 1, h, w] logits while training; the exported ONNX graph ends in a sigmoid.
h and w must be multiples of scale * 2**depth (8 for depth 3 at full resolution).

``scale`` > 1 runs the U-Net on an average-pooled copy of the input (more context for the same compute: SBEM
mitochondria need it to be told from dark axon profiles), upsamples its last features (transposed convolution) and refines them
with the full-resolution input in two small convolutions, so the boundaries are drawn at full resolution.

This file is also shipped inside every zoo package as the architecture of the
``pytorch_state_dict`` weights (callable ``UNet``), so it must stay self-contained.
"""
import torch
from torch import nn


def _block(cin, cout):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class UNet(nn.Module):
    def __init__(self, in_channels=1, base=16, depth=3, sigmoid=False, scale=1, refine=8):
        super().__init__()
        self.depth = depth
        self.sigmoid = sigmoid
        self.scale = scale
        ch = [base * 2 ** i for i in range(depth + 1)]
        self.down = nn.ModuleList()
        cin = in_channels
        for i in range(depth):
            self.down.append(_block(cin, ch[i]))
            cin = ch[i]
        self.pool = nn.MaxPool2d(2)
        self.bottom = _block(ch[depth - 1], ch[depth])
        self.up = nn.ModuleList()
        self.dec = nn.ModuleList()
        for i in reversed(range(depth)):
            self.up.append(nn.ConvTranspose2d(ch[i + 1], ch[i], 2, stride=2))
            self.dec.append(_block(2 * ch[i], ch[i]))
        if scale > 1:
            self.stem = nn.AvgPool2d(scale)
            self.upsample = nn.ConvTranspose2d(ch[0], ch[0], scale, stride=scale)
            self.refine = _block(ch[0] + in_channels, refine)
            self.head = nn.Conv2d(refine, 1, 1)
        else:
            self.head = nn.Conv2d(ch[0], 1, 1)

    def forward(self, x):
        full = x
        if self.scale > 1:
            x = self.stem(x)
        skips = []
        for blk in self.down:
            x = blk(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottom(x)
        for up, dec, skip in zip(self.up, self.dec, reversed(skips)):
            x = dec(torch.cat([up(x), skip], dim=1))
        if self.scale > 1:
            x = self.refine(torch.cat([self.upsample(x), full], dim=1))
        x = self.head(x)
        return torch.sigmoid(x) if self.sigmoid else x


def n_params(model):
    return sum(p.numel() for p in model.parameters())
