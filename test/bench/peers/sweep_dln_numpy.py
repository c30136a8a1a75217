"""NumPy peer of test/bench/sweep-dln.ts: full-batch GD on the signed diagonal network, one η after another.

Reads {"x": [[...]], "y": [...], "alpha", "etas", "epsilon", "maxSteps"} from the JSON file given as argv[1]
and prints {"runs": [{"eta", "status", "steps", "loss"}], "seconds", "steps"} as JSON.
Loss: L = (1/2n) Σ (⟨x_i, β⟩ − y_i)², β = u⊙u − v⊙v, u₀ = v₀ = α·1 (float64).
"""
import json
import sys
import time

import numpy as np


def run(x, y, alpha, eta, epsilon, max_steps, bound):
    n, d = x.shape
    u = np.full(d, alpha)
    v = np.full(d, alpha)
    for step in range(max_steps + 1):
        beta = u * u - v * v
        r = x @ beta - y
        loss = 0.5 * float(r @ r) / n
        if not np.isfinite(loss) or loss > bound:
            return "diverged", step, loss
        if loss < epsilon:
            return "converged", step, loss
        if step == max_steps:
            return "capped", step, loss
        g = (x.T @ r) / n
        u, v = u - eta * 2 * u * g, v + eta * 2 * v * g
    raise AssertionError("unreachable")


def main():
    spec = json.load(open(sys.argv[1]))
    x = np.asarray(spec["x"], dtype=np.float64)
    y = np.asarray(spec["y"], dtype=np.float64)
    alpha = spec["alpha"]
    beta0 = np.zeros(x.shape[1])
    r0 = x @ beta0 - y
    bound = 1e6 * max(0.5 * float(r0 @ r0) / x.shape[0], 1.0)
    runs = []
    started = time.perf_counter()
    for eta in spec["etas"]:
        status, steps, loss = run(x, y, alpha, eta, spec["epsilon"], spec["maxSteps"], bound)
        runs.append({"eta": eta, "status": status, "steps": steps, "loss": loss if np.isfinite(loss) else None})
    seconds = time.perf_counter() - started
    print(json.dumps({"runs": runs, "seconds": seconds, "steps": sum(r["steps"] for r in runs)}))


if __name__ == "__main__":
    main()
