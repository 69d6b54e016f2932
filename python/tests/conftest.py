"""Shared fixtures: one local Spark session per test file, and the Spark Synth CLI as a user runs it."""

import base64
import datetime
import decimal
import json
import math
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"
DELTA_TABLES = SHARED_DATA / "delta"
SPARK_TABLES = SHARED_DATA / "spark"
CLI = ROOT / "dist" / "cli.cjs"


@pytest.fixture(scope="module")
def spark(request, tmp_path_factory):
    """A `local[2]` Spark session with Delta Lake for one test file, with its own warehouse."""
    # Imported here so that the tests needing no Spark (the privacy accountant's) run without PySpark installed.
    from spark_synth.session import local_spark

    warehouse = tmp_path_factory.mktemp("warehouse")
    session = local_spark(f"spark-synth-{request.module.__name__}", warehouse=str(warehouse))
    yield session
    session.stop()


def run_cli(*args, check=True):
    """Runs `spark-synth` (the built CLI, as `npm test` builds it) and returns the finished process."""
    result = subprocess.run(["node", str(CLI), *map(str, args)], cwd=ROOT, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"spark-synth {' '.join(map(str, args))} exited {result.returncode}:\n{result.stderr}")
    return result


def our_table(source, *args):
    """Every row of a table as Spark Synth reads it: `spark-synth preview --json` with a budget over any table."""
    result = run_cli("preview", source, "--rows", "100000000", "--json", *args)
    return json.loads(result.stdout)


def spark_cell(value):
    """A value Spark collected, in the JSON encoding `spark-synth preview --json` uses."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value == 0 and math.copysign(1, value) < 0:
            return "-0"
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds") + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "asDict"):  # a struct: a Row, itself a tuple
        return {k: spark_cell(v) for k, v in value.asDict().items()}
    if isinstance(value, dict):
        return {str(k): spark_cell(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [spark_cell(v) for v in value]
    raise TypeError(f"no JSON encoding for {type(value).__name__}")


def spark_rows(df):
    """The rows of a DataFrame in the JSON encoding, in Spark's column order."""
    return [[spark_cell(v) for v in row] for row in df.collect()]


def sorted_rows(rows):
    """Rows in a canonical order, to compare tables whose files Spark and we list differently."""
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))
