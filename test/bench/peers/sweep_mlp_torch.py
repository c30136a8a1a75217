"""PyTorch + SciPy peer of test/bench/sweep-mlp.ts: full-batch GD on a tanh MLP with MSE, sharpness by
scipy's ARPACK Lanczos (eigsh) over double-backward Hessian-vector products, as a user would write it.

Usage: sweep_mlp_torch.py SPEC_JSON

SPEC_JSON names raw little-endian float32 files written by the benchmark: `x` [n, inputs], `y` [n, outputs]
(one-hot) and `theta0` (the flat parameter vector in the layout `params`: a list of {name, shape}, weights
[out, in] as torch.nn.Linear; the layers are `fc1`, ..., `out`, tanh between them). The loss is biaslab's
`mse`: L(θ) = (1/n) Σᵢ ½‖f(xᵢ) − yᵢ‖². Everything runs in float32 except the ARPACK arithmetic (float64, as
biaslab's Lanczos). Threads: the caller sets OPENBLAS_NUM_THREADS (OpenBLAS does the matmuls); torch's
intra-op pool gets `torchThreads` from the spec.

Serves requests line by line on stdin so the benchmark can alternate the two sides; each answer is one JSON
line. Prints {"ready": ...} once set up.
  reset                 θ ← θ₀
  step ETA              one GD step θ ← θ − η ∇L(θ); answers {"ms"}
  steps ETA K           K GD steps (untimed); answers {"loss"} of the iterate the last step left
  sharpness TOL SEED    eigsh(LinearOperator(HVP), k=1, which='LM', tol=TOL, v0 = normal draw from SEED)
                        at the current θ; answers {"ms", "lambda", "hvps"}
  sweep JSON            {"etas", "steps", "every", "tol", "divergence"}: for each η from θ₀, GD for `steps`
                        steps with the sharpness (fresh random start) every `every` steps and at the last
                        iterate, stopping early when the loss is non-finite or above `divergence`; answers
                        {"seconds", "runs": [{"eta", "status", "steps", "loss", "sharpness": [[step, λ], ...]}]}
  rss                   peak resident memory of the process; answers {"mib"}
No convergence rule (biaslab's ε) is applied: the benchmark sets ε so small that no run reaches it.
"""
import json
import resource
import sys
import time

import numpy as np
import scipy.sparse.linalg as sla
import torch

from torch_mlp import double_backward_hvp, loss_and_grad, mlp_loss

spec = json.load(open(sys.argv[1]))
torch.set_num_threads(int(spec["torchThreads"]))
n, inputs, outputs = spec["n"], spec["inputs"], spec["outputs"]
x = torch.from_numpy(np.fromfile(spec["x"], dtype="<f4").reshape(n, inputs).copy())
y = torch.from_numpy(np.fromfile(spec["y"], dtype="<f4").reshape(n, outputs).copy())
flat0 = np.fromfile(spec["theta0"], dtype="<f4")
shapes = [tuple(p["shape"]) for p in spec["params"]]
sizes = [int(np.prod(s)) for s in shapes]
offsets = np.cumsum([0] + sizes)
assert offsets[-1] == flat0.size, f"theta0 has {flat0.size} entries, layout needs {offsets[-1]}"
P = int(offsets[-1])
theta0 = [torch.from_numpy(flat0[offsets[i]:offsets[i + 1]].reshape(shapes[i]).copy()) for i in range(len(shapes))]
params = []


def reset():
    global params
    params = [t.clone().requires_grad_() for t in theta0]


def loss_grad():
    return loss_and_grad(params, x, y)


def update(eta, grads):
    with torch.no_grad():
        for p, g in zip(params, grads):
            p.sub_(eta * g)


def gd_step(eta):
    loss, grads = loss_grad()
    update(eta, grads)
    return loss


def hvp(v):
    return double_backward_hvp(params, x, y, v)


def sharpness(tol, seed):
    """Signed top-|λ| eigenvalue of ∇²L(θ), and the HVPs eigsh used."""
    count = [0]

    def matvec(vec):
        count[0] += 1
        flat = torch.from_numpy(np.ascontiguousarray(vec, dtype=np.float32).reshape(-1))
        v = [flat[offsets[i]:offsets[i + 1]].view(shapes[i]) for i in range(len(shapes))]
        return torch.cat([h.reshape(-1) for h in hvp(v)]).numpy().astype(np.float64)

    operator = sla.LinearOperator((P, P), matvec=matvec, dtype=np.float64)
    v0 = np.random.default_rng(seed).standard_normal(P)
    values = sla.eigsh(operator, k=1, which="LM", tol=tol, v0=v0, return_eigenvectors=False)
    return float(values[0]), count[0]


def sweep(request):
    etas, steps, every = request["etas"], request["steps"], request["every"]
    tol, bound = request["tol"], request["divergence"]
    runs = []
    started = time.perf_counter()
    for k, eta in enumerate(etas):
        reset()
        series = []
        status = "capped"
        for step in range(steps + 1):
            # L(θ_t) and ∇L(θ_t), the stop rules on L(θ_t), the sharpness of θ_t when due, then θ_{t+1}
            if step < steps:
                loss, grads = loss_grad()
            else:
                with torch.no_grad():
                    loss = mlp_loss(params, x, y).item()
            if not np.isfinite(loss) or loss > bound:
                status = "diverged"
                finite = all(bool(torch.isfinite(p).all()) for p in params)
                series.append([step, sharpness(tol, 1000 * k + step)[0] if finite else None])
                break
            if step == steps or (every > 0 and step % every == 0):
                series.append([step, sharpness(tol, 1000 * k + step)[0]])
            if step < steps:
                update(eta, grads)
        runs.append({"eta": eta, "status": status, "steps": step, "loss": loss, "sharpness": series})
    return {"seconds": time.perf_counter() - started, "runs": runs}


reset()
print(json.dumps({"ready": True, "torchThreads": torch.get_num_threads(), "torch": torch.__version__}), flush=True)
for line in sys.stdin:
    words = line.split(maxsplit=1)
    if not words:
        continue
    op, rest = words[0], (words[1] if len(words) > 1 else "")
    if op == "reset":
        reset()
        answer = {}
    elif op == "step":
        start = time.perf_counter()
        loss = gd_step(float(rest))
        answer = {"ms": (time.perf_counter() - start) * 1e3, "loss": loss}
    elif op == "steps":
        eta, k = rest.split()
        loss = float("nan")
        for _ in range(int(k)):
            loss = gd_step(float(eta))
        answer = {"loss": loss}
    elif op == "sharpness":
        tol, seed = rest.split()
        start = time.perf_counter()
        value, hvps = sharpness(float(tol), int(seed))
        answer = {"ms": (time.perf_counter() - start) * 1e3, "lambda": value, "hvps": hvps}
    elif op == "sweep":
        answer = sweep(json.loads(rest))
    elif op == "rss":
        answer = {"mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    else:
        answer = {"error": f"unknown request `{op}`"}
    print(json.dumps(answer), flush=True)
