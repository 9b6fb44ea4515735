#!/usr/bin/python3
"""PyTorch float64 reference cases for avg_pool, fold, unfold_kernel, conv_forward with a
bias, and the curvature operations (per_example_grad_norm, sum_grad_squared, ggn_diagonal,
ggn_gram). The per-example quantities come from autograd, one example (and one row of the
loss-Hessian factor) at a time — the loop a PyTorch user writes today — never from the
tensor-network code they check.

Writes test/fixtures/curvature_ops.json:  /usr/bin/python3 scripts/make-curvature-fixtures.py
Each case's `request` is a request of `einsketch run`; `expected` is {shape, data}.
"""
import json
import os
import random

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
SEED = 2024
CASES_PER_OP = 8
CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
POOL = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}


def tensor(t):
    return {"shape": list(t.shape), "data": [round(v, 10) for v in t.flatten().tolist()]}


def conv_layer(rng, dims):
    """Random convolution hyper-parameters whose output is non-empty."""
    while True:
        groups = rng.randint(1, 3)
        layer = {
            "batch": rng.randint(1, 3),
            "groups": groups,
            "c_in": groups * rng.randint(1, 2),
            "c_out": groups * rng.randint(1, 2),
            "input": [rng.randint(3, 7 if dims < 3 else 4) for _ in range(dims)],
            "kernel": [rng.randint(1, 3) for _ in range(dims)],
            "stride": [rng.randint(1, 3) for _ in range(dims)],
            "dilation": [rng.randint(1, 2) for _ in range(dims)],
        }
        choice = rng.random()
        if choice < 0.15:
            layer["stride"] = [1] * dims
            layer["padding"] = "same"
        elif choice < 0.25:
            layer["padding"] = "valid"
        else:
            layer["padding"] = [rng.randint(0, 2) for _ in range(dims)]
        x = torch.randn(layer["batch"], layer["c_in"], *layer["input"])
        w = torch.randn(layer["c_out"], layer["c_in"] // groups, *layer["kernel"])
        try:
            y = conv(layer, x, w)
        except RuntimeError:
            continue
        if y.numel() > 0:
            return layer, x, w, y


def conv(layer, x, w, b=None):
    return CONV[x.dim() - 2](
        x, w, b, stride=layer["stride"], padding=layer["padding"],
        dilation=layer["dilation"], groups=layer["groups"])


def hyper(layer, kernel=True):
    h = {k: layer[k] for k in ("stride", "padding", "dilation", "groups")}
    if kernel:
        h["kernel_size"] = layer["kernel"]
    return h


def weight_vjp(layer, x, w, v):
    """The weight gradient of ⟨v, conv(x, w)⟩ by autograd."""
    w = w.detach().requires_grad_(True)
    (g,) = torch.autograd.grad(conv(layer, x, w), w, v)
    return g


def per_example_grads(layer, x, w, v):
    return torch.stack([weight_vjp(layer, x[n:n + 1], w, v[n:n + 1]) for n in range(x.shape[0])])


def factor_grads(layer, x, w, s):
    """G[c, n] = weight VJP of s[c, n] on x[n], one autograd call each."""
    return torch.stack([per_example_grads(layer, x, w, s[c]) for c in range(s.shape[0])])


def case_conv_bias(rng, dims):
    layer, x, w, _ = conv_layer(rng, dims)
    b = torch.randn(layer["c_out"])
    y = conv(layer, x, w, b)
    return {"op": "conv_forward", **hyper(layer, kernel=False),
            "tensors": {"x": tensor(x), "weight": tensor(w), "bias": tensor(b)}}, y


def case_avg_pool(rng, dims):
    while True:
        kernel = [rng.randint(1, 3) for _ in range(dims)]
        padding = [rng.randint(0, k // 2) for k in kernel]
        x = torch.randn(rng.randint(1, 3), rng.randint(1, 3), *[rng.randint(3, 7 if dims < 3 else 5) for _ in range(dims)])
        request = {"op": "avg_pool", "kernel_size": kernel, "padding": padding}
        stride = None
        if rng.random() < 0.6:
            stride = [rng.randint(1, 3) for _ in range(dims)]
            request["stride"] = stride
        try:
            y = POOL[dims](x, kernel, stride=stride, padding=padding, count_include_pad=True)
        except RuntimeError:
            continue
        if y.numel() > 0:
            request["tensors"] = {"x": tensor(x)}
            return request, y


def case_fold(rng, dims):
    # torch.nn.functional.fold is 2-d only.
    while True:
        layer, _, _, _ = conv_layer(rng, 2)
        if layer["padding"] in ("same", "valid"):
            continue
        channels = rng.randint(1, 3)
        k = layer["kernel"]
        geometry = dict(kernel_size=k, dilation=layer["dilation"], padding=layer["padding"], stride=layer["stride"])
        x_image = torch.randn(layer["batch"], channels, *layer["input"])
        patches = F.unfold(x_image, **geometry)
        x = torch.randn_like(patches)
        y = F.fold(x, output_size=layer["input"], **geometry)
        request = {"op": "fold", "input_size": layer["input"], "kernel_size": k, "stride": layer["stride"],
                   "padding": layer["padding"], "dilation": layer["dilation"], "tensors": {"x": tensor(x)}}
        return request, y


def case_unfold_kernel(rng, dims):
    layer, _, w, _ = conv_layer(rng, dims)
    # Column j of T is the convolution of the j-th unit input, flattened.
    columns = layer["c_in"] * torch.tensor(layer["input"]).prod().item()
    units = torch.eye(columns).reshape(columns, layer["c_in"], *layer["input"])
    t = conv(layer, units, w).reshape(columns, -1).T.contiguous()
    request = {"op": "unfold_kernel", "input_size": layer["input"], **hyper(layer, kernel=False),
               "tensors": {"weight": tensor(w)}}
    return request, t


def case_grad_quantity(op):
    def make(rng, dims):
        layer, x, w, y = conv_layer(rng, dims)
        v = torch.randn_like(y)
        g = per_example_grads(layer, x, w, v)
        value = (g ** 2).flatten(1).sum(1) if op == "per_example_grad_norm" else (g ** 2).sum(0)
        return {"op": op, **hyper(layer), "tensors": {"x": tensor(x), "v": tensor(v)}}, value
    return make


def case_ggn(op):
    def make(rng, dims):
        layer, x, w, y = conv_layer(rng, dims)
        s = torch.randn(rng.randint(1, 3), *y.shape)
        g = factor_grads(layer, x, w, s)
        if op == "ggn_diagonal":
            value = (g ** 2).sum((0, 1))
        else:
            rows = g.flatten(2).flatten(0, 1)  # row c·N + n
            value = rows @ rows.T
        return {"op": op, **hyper(layer), "tensors": {"x": tensor(x), "s": tensor(s)}}, value
    return make


MAKERS = {
    "conv_forward+bias": case_conv_bias,
    "avg_pool": case_avg_pool,
    "fold": case_fold,
    "unfold_kernel": case_unfold_kernel,
    "per_example_grad_norm": case_grad_quantity("per_example_grad_norm"),
    "sum_grad_squared": case_grad_quantity("sum_grad_squared"),
    "ggn_diagonal": case_ggn("ggn_diagonal"),
    "ggn_gram": case_ggn("ggn_gram"),
}


def main():
    rng = random.Random(SEED)
    torch.manual_seed(SEED)
    cases = []
    for name, make in MAKERS.items():
        for j in range(CASES_PER_OP):
            dims = 1 + j % 3
            request, value = make(rng, dims)
            cases.append({"id": f"{name}-{j:03d}", "request": request, "expected": tensor(value)})
    out = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "curvature_ops.json")
    with open(out, "w") as f:
        json.dump({"source": f"scripts/make-curvature-fixtures.py (torch {torch.__version__}, float64, seed {SEED})",
                   "cases": cases}, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {os.path.normpath(out)}")


if __name__ == "__main__":
    main()
