"""SciPy peer of test/bench/eigen-dense.ts: LAPACK's symmetric eigensolvers on the same matrix.

Usage: eigen_dense_scipy.py MATRIX_FILE N. Reads the n x n float64 matrix (row-major, little-endian), prints
`ready`, then answers each request line `eigvalsh` or `eigh` with a JSON line {"ms": wall ms, "values": [...]}.
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE are dropped before NumPy loads so OpenBLAS picks its native kernels.
"""
import json
import os
import sys
import time

for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(name, None)

import numpy as np  # noqa: E402
import scipy.linalg  # noqa: E402


def main() -> None:
    path, n = sys.argv[1], int(sys.argv[2])
    a = np.fromfile(path, dtype="<f8").reshape(n, n)
    print("ready", flush=True)
    for line in sys.stdin:
        op = line.strip()
        start = time.perf_counter()
        if op == "eigvalsh":
            values = scipy.linalg.eigvalsh(a)
        elif op == "eigh":
            values, _ = scipy.linalg.eigh(a)
        else:
            print(json.dumps({"error": f"unknown request {op}"}), flush=True)
            continue
        ms = 1000 * (time.perf_counter() - start)
        print(json.dumps({"ms": ms, "values": values.tolist()}), flush=True)


if __name__ == "__main__":
    main()
