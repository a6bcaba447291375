"""Benchmark: what the sandboxed worker costs per submission, beyond the learner's own compute.

    .venv/bin/python benchmarks/worker_overhead.py

Measures the zygote's start (bubblewrap, Python, numpy, matplotlib) once, then open + 3 calls + close on a
trivial submission, many times, and prints the median and 90th percentile.
"""

import statistics
import time

import numpy as np

from autograder.sandbox import Limits, Worker

CELLS = ["import numpy as np\ndef f(x):\n    return float(np.sum(x))\n"]


def main(repeats=50):
    with Worker(Limits(timeout=20)) as worker:
        worker.open(["pass"]).close()
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            with worker.open(CELLS) as session:
                for _ in range(3):
                    assert session.call("f", np.arange(10.0)).value == 45.0
            times.append(time.perf_counter() - started)
        print(f"sandboxed: {worker.sandboxed}; zygote start {worker.start_seconds:.2f} s")
    times.sort()
    print(
        f"open + 3 calls + close: median {statistics.median(times) * 1000:.1f} ms, "
        f"p90 {times[int(0.9 * len(times))] * 1000:.1f} ms over {repeats} submissions"
    )


if __name__ == "__main__":
    main()
