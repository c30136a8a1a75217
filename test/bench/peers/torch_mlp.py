"""The tanh MLP with MSE that the PyTorch peers time, written once.

params alternate weight [out, in] and bias [out] per layer (PyTorch's nn.Linear layout), tanh between layers,
and L(θ) = (1/n) Σᵢ ½‖f(xᵢ) − yᵢ‖², biaslab's `mse`.
"""
import torch


def mlp_loss(params, x, y):
    h = x
    for i in range(0, len(params), 2):
        h = torch.nn.functional.linear(h, params[i], params[i + 1])
        if i + 2 < len(params):
            h = torch.tanh(h)
    return 0.5 * ((h - y) ** 2).sum() / x.shape[0]


def loss_and_grad(params, x, y):
    """L as a float and ∇L, one tensor per parameter."""
    loss = mlp_loss(params, x, y)
    return loss.item(), torch.autograd.grad(loss, params)


def double_backward_hvp(params, x, y, v):
    """∇²L(θ)·v by double backward: loss, gradient with create_graph, gradient of ⟨∇L, v⟩."""
    loss = mlp_loss(params, x, y)
    grads = torch.autograd.grad(loss, params, create_graph=True)
    dot = sum((g * t).sum() for g, t in zip(grads, v))
    return torch.autograd.grad(dot, params)
