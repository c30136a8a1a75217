"""PyTorch peer of test/bench/engine-mlp.ts: the same tanh MLP, data sizes and MSE loss.

Usage: engine_mlp_torch.py DTYPE THREADS WIDTHS N
Serves timings over stdin/stdout so the benchmark can alternate biaslab and PyTorch repetitions (fair
ratios on a machine whose load changes): each input line names one operation — `grad` (loss+gradient),
`hvp` (one double-backward Hessian-vector product: forward, backward with create_graph, second backward),
`step` (one full-batch GD step) or `rss` — and the answer is one line: its wall time in milliseconds (for
`rss`, the peak resident memory of the process in MiB). Prints `ready K` once set up.

Thread budget THREADS: the caller starts this process with OPENBLAS_NUM_THREADS=THREADS (OpenBLAS does the
matmuls) and OMP_NUM_THREADS=THREADS; torch's own intra-op pool is then set to the K in 1..THREADS whose
loss+gradient is fastest. On two cores, one torch thread over a two-thread OpenBLAS beats two torch threads
(whose OpenMP pool competes with OpenBLAS's for the same cores) by about 2x, so fixing K = THREADS would
handicap the peer.
L(θ) = (1/n) Σᵢ ½‖f(xᵢ) − yᵢ‖² as biaslab's `mse`.
"""
import json
import resource
import sys
import time

import torch

from torch_mlp import double_backward_hvp, loss_and_grad

dtype_name, threads, widths, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
torch.set_num_threads(threads)
dtype = torch.float32 if dtype_name == "float32" else torch.float64
sizes = [int(w) for w in widths.split("-")]
gen = torch.Generator().manual_seed(0)
x = torch.randn(n, sizes[0], generator=gen, dtype=dtype)
y = torch.randn(n, sizes[-1], generator=gen, dtype=dtype)
params = []
for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
    bound = fan_in ** -0.5
    params.append((torch.rand(fan_out, fan_in, generator=gen, dtype=dtype) * 2 - 1).mul_(bound).requires_grad_())
    params.append((torch.rand(fan_out, generator=gen, dtype=dtype) * 2 - 1).mul_(bound).requires_grad_())
v = [torch.randn(p.shape, generator=gen, dtype=dtype) for p in params]


def loss_grad():
    return loss_and_grad(params, x, y)


def hvp():
    return double_backward_hvp(params, x, y, v)


def gd_step():
    _, grads = loss_grad()
    with torch.no_grad():
        for p, g in zip(params, grads):
            p.sub_(1e-3 * g)


OPERATIONS = {"grad": loss_grad, "hvp": hvp, "step": gd_step}


def best_torch_threads():
    timings = {}
    for k in range(1, threads + 1):
        torch.set_num_threads(k)
        for _ in range(2):
            loss_grad()
        runs = []
        for _ in range(5):
            start = time.perf_counter()
            loss_grad()
            runs.append(time.perf_counter() - start)
        timings[k] = min(runs)
    return min(timings, key=timings.get)


chosen = best_torch_threads()
torch.set_num_threads(chosen)
print("ready", chosen, flush=True)
for line in sys.stdin:
    op = line.strip()
    if op == "rss":
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, flush=True)
        continue
    start = time.perf_counter()
    OPERATIONS[op]()
    print((time.perf_counter() - start) * 1e3, flush=True)
