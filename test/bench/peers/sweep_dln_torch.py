"""PyTorch peer of test/bench/sweep-dln.ts: the loop a user writes — autograd backward, in-place update —
one η after another. Same input and output as sweep_dln_numpy.py; float64 on the CPU."""
import json
import math
import sys
import time

import torch


def run(x, y, alpha, eta, epsilon, max_steps, bound):
    d = x.shape[1]
    u = torch.full((d,), alpha, dtype=torch.float64, requires_grad=True)
    v = torch.full((d,), alpha, dtype=torch.float64, requires_grad=True)
    for step in range(max_steps + 1):
        loss = 0.5 * ((x @ (u * u - v * v) - y) ** 2).mean()
        value = loss.item()
        if not math.isfinite(value) or value > bound:
            return "diverged", step, value
        if value < epsilon:
            return "converged", step, value
        if step == max_steps:
            return "capped", step, value
        gu, gv = torch.autograd.grad(loss, (u, v))
        with torch.no_grad():
            u -= eta * gu
            v -= eta * gv
    raise AssertionError("unreachable")


def main():
    torch.set_num_threads(int(spec_threads()))
    spec = json.load(open(sys.argv[1]))
    x = torch.tensor(spec["x"], dtype=torch.float64)
    y = torch.tensor(spec["y"], dtype=torch.float64)
    bound = 1e6 * max(0.5 * float((y**2).mean()), 1.0)
    runs = []
    started = time.perf_counter()
    for eta in spec["etas"]:
        status, steps, loss = run(x, y, spec["alpha"], eta, spec["epsilon"], spec["maxSteps"], bound)
        runs.append({"eta": eta, "status": status, "steps": steps, "loss": loss if math.isfinite(loss) else None})
    seconds = time.perf_counter() - started
    print(json.dumps({"runs": runs, "seconds": seconds, "steps": sum(r["steps"] for r in runs)}))


def spec_threads():
    import os

    return os.environ.get("OMP_NUM_THREADS", "1")


if __name__ == "__main__":
    main()
