"""Speed and memory of an exported bundle's generate_synthetic.py on local Spark, for `npm run bench`.

    python bench/spark_job.py <bundle-dir> <scratch-dir> <rows>:<cores> [<rows>:<cores> ...]

Each run gets a fresh `local[<cores>]` session (started before the clock starts) and as many
partitions as cores, writes Parquet, and is timed from the job's start to its last file. Memory per
task is the largest resident set of the Python worker processes (each runs one task at a time),
polled every 50 ms from /proc. Prints one JSON object per run: rows, cores, seconds, peakTaskMb, and
the bytes written.
"""

import json
import os
import runpy
import shutil
import sys
import threading
import time

from pyspark.sql import SparkSession


def python_worker_pids():
    """Processes of PySpark's Python workers (forked from `python -m pyspark.daemon`)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as file:
                    if b"pyspark.daemon" in file.read():
                        yield int(entry)
            except OSError:
                continue


def resident_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as file:
            for line in file:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakWorkerMemory:
    """The largest resident set any Python worker reached while it runs."""

    def __init__(self):
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self):
        while not self._stop.wait(0.05):
            for pid in python_worker_pids():
                self.peak_mb = max(self.peak_mb, resident_mb(pid))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def run(job, rows, cores, out):
    spark = (
        SparkSession.builder.master(f"local[{cores}]").appName("spark-synth-bench")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false").config("spark.sql.session.timeZone", "UTC").getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.range(1).count()  # the JVM warmed up and settled before the clock starts
    try:
        with PeakWorkerMemory() as memory:
            start = time.perf_counter()
            job["generate"](spark, rows, out, partitions=cores)
            seconds = time.perf_counter() - start
    finally:
        spark.stop()
    written = sum(os.path.getsize(os.path.join(folder, name)) for folder, _, names in os.walk(out) for name in names)
    shutil.rmtree(out, ignore_errors=True)
    return {"rows": rows, "cores": cores, "seconds": seconds, "peakTaskMb": memory.peak_mb, "bytes": written}


def main(bundle, scratch, *runs):
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers with this environment's numpy, pandas, pyarrow
    job = runpy.run_path(os.path.join(bundle, "generate_synthetic.py"), run_name="generate_synthetic_bench")
    for index, spec in enumerate(runs):
        rows, cores = (int(part) for part in spec.split(":"))
        print(json.dumps(run(job, rows, cores, os.path.join(scratch, f"run{index}"))), flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
