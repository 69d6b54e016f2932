"""The scripts in every synthetic output, run by Spark: `reload_synthetic.py` reads what Spark Synth
wrote with the source's schema, and `take_sample.py` draws a sample that Spark Synth reads."""

import datetime
import json
import os
import runpy
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from pyspark.sql import functions as F

from conftest import DELTA_TABLES, ROOT, SPARK_TABLES, our_table, run_cli, sorted_rows, spark_rows

SYNTHETIC_ROWS = 300
FORMATS = ["parquet", "delta"]

# Spark types of every kind the synthesizer keeps; `local` is timestamp_ntz, in the unpartitioned table only.
SOURCE_SCHEMA = (
    "id INT, big BIGINT, amount DOUBLE, price DECIMAL(10,2), wide DECIMAL(22,4), day DATE, ts TIMESTAMP,"
    " flag BOOLEAN, name STRING, code STRING"
)
# Leading zeros: Spark infers these folder values as integers unless one of them is not a number.
CODES = ["007", "042", "100", "A12"]
UTC = datetime.timezone.utc


def source_row(i):
    return (
        i,
        i * 1_000_003 - 5_000_000_000,
        round((i * 7919 % 1000) / 7.0 - 40, 3),
        Decimal(f"{i * 37 % 10000}.{i % 100:02d}"),
        Decimal(f"{i * 7 % 100000}.{i % 10000:04d}"),
        datetime.date(2023, 1, 1) + datetime.timedelta(days=i % 10),
        datetime.datetime(2023, 1, 1, tzinfo=UTC) + datetime.timedelta(minutes=i * 17, milliseconds=i % 1000),
        None if i % 11 == 0 else i % 3 == 0,
        ["alpha", "beta", "gamma", None][i % 4],
        CODES[i % len(CODES)],
    )


def write_source_tables(spark, folder):
    """Spark tables of 600 rows: partitioned by a string, by a date, and not at all (with timestamp_ntz)."""
    df = spark.createDataFrame([source_row(i) for i in range(600)], SOURCE_SCHEMA)
    tables = {"by_code": folder / "by_code", "by_day": folder / "by_day", "flat": folder / "flat"}
    df.write.partitionBy("code").parquet(str(tables["by_code"]))
    df.write.partitionBy("day").parquet(str(tables["by_day"]))
    df.withColumn("local", df.ts.cast("timestamp_ntz")).repartition(2).write.parquet(str(tables["flat"]))
    return tables


def spark_source(spark, path):
    """A source table as Spark reads it (part-file schemas merged, as Spark Synth merges them)."""
    return spark.read.option("mergeSchema", "true").parquet(str(path))


def partition_keys(folder):
    """The hive partition keys of a Spark folder, outermost first, from its part files' paths."""
    part = next(p for p in sorted(Path(folder).rglob("*.parquet")) if "_delta_log" not in p.parts)
    return [segment.split("=", 1)[0] for segment in part.relative_to(folder).parts[:-1]]


@pytest.fixture(scope="module")
def sources(spark, tmp_path_factory):
    folder = tmp_path_factory.mktemp("sources")
    tables = write_source_tables(spark, folder)
    tables["adult"] = ROOT / "examples" / "adult"
    tables.update({p.name: p for p in sorted(SPARK_TABLES.iterdir()) if p.is_dir()})
    return tables


@pytest.fixture(scope="module")
def outputs(sources, tmp_path_factory):
    """For each source: a small model, and a synthetic output of it in each format."""
    folder = tmp_path_factory.mktemp("outputs")

    def train_and_sample(name):
        model = folder / name / "model"
        run_cli("train", sources[name], "-o", model, "--epochs", "2", "--rows", "2000", "--seed", "3")
        for table_format in FORMATS:
            output = folder / name / table_format
            run_cli("sample", model, "-n", SYNTHETIC_ROWS, "-o", output, "--seed", "5", "--no-report", "--format", table_format)
        return name, {"model": model, **{f: folder / name / f for f in FORMATS}}

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(pool.map(train_and_sample, sources))


def metadata_of(model):
    return json.loads((Path(model) / "model.json").read_text())["metadata"]


def reload_module(output):
    """reload_synthetic.py's globals, run as an import (its `__main__` block not run)."""
    return runpy.run_path(str(Path(output) / "reload_synthetic.py"))


SOURCE_NAMES = ["by_code", "by_day", "flat", "adult"] + sorted(p.name for p in SPARK_TABLES.iterdir() if p.is_dir())


@pytest.mark.parametrize("table_format", FORMATS)
@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_reload_reads_the_output_with_the_source_schema(spark, sources, outputs, name, table_format):
    output = outputs[name][table_format]
    kept = [c["name"] for c in metadata_of(outputs[name]["model"])["columns"] if not c["exclude"] and c["sensitive"] != "exclude"]
    source = spark_source(spark, sources[name])
    expected = [(f.name, f.dataType.simpleString()) for f in source.schema.fields if f.name in kept]

    script = reload_module(output)
    reloaded = script["reload_synthetic"](spark, str(output / "data"))
    assert [(f.name, f.dataType.simpleString()) for f in reloaded.schema.fields] == expected
    assert script["PARTITION_COLUMNS"] == [k for k in partition_keys(sources[name]) if k in kept]
    assert partition_keys(output / "data") == script["PARTITION_COLUMNS"]
    assert reloaded.count() == SYNTHETIC_ROWS

    ours = our_table(output / "data")
    position = {c["name"]: i for i, c in enumerate(ours["columns"])}
    assert sorted(position) == sorted(kept)
    order = [position[column] for column, _ in expected]
    assert sorted_rows([[row[i] for i in order] for row in ours["rows"]]) == sorted_rows(spark_rows(reloaded))


def test_reload_keeps_the_leading_zeros_of_a_string_partition(spark, outputs):
    """Spark would infer `code=007` as the int 7 were every value a number; SCHEMA says string."""
    for table_format in FORMATS:
        output = outputs["by_code"][table_format]
        reloaded = reload_module(output)["reload_synthetic"](spark, str(output / "data"))
        assert {"007", "042"} <= {row.code for row in reloaded.select("code").distinct().collect()}


def script_environment():
    """A `python` subprocess that starts its own Spark as the test session does (UTC, Delta's cached jars)."""
    settings = ["spark.sql.session.timeZone=UTC", "spark.ui.enabled=false"]
    if os.environ.get("SPARK_SYNTH_IVY"):
        settings.append(f"spark.jars.ivy={os.environ['SPARK_SYNTH_IVY']}")
    submit = " ".join(f"--conf {setting}" for setting in settings)
    return {**os.environ, "PYSPARK_SUBMIT_ARGS": f"{submit} pyspark-shell"}


@pytest.mark.parametrize("table_format", FORMATS)
def test_reload_runs_as_a_script(outputs, table_format):
    output = outputs["by_code"][table_format]
    result = subprocess.run([sys.executable, "reload_synthetic.py"], cwd=output, env=script_environment(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert " |-- code: string" in result.stdout
    assert "partition columns: ['code']" in result.stdout


# --- take_sample.py ---------------------------------------------------------------------------------

SAMPLE_ROWS = 100


@pytest.fixture(scope="module")
def take_sample(outputs):
    """take_sample.py's main(), from a synthetic output, running in this process on the test's session."""
    return runpy.run_path(str(outputs["by_code"]["parquet"] / "take_sample.py"))["main"]


@pytest.fixture(scope="module")
def big_table(spark, tmp_path_factory):
    """2,000 rows as a partitioned Parquet folder, as the same rows in other files, and in the catalog;
    with a map column (which Spark's hashes refuse) and a timestamp_ntz one."""
    folder = tmp_path_factory.mktemp("big")
    df = spark.createDataFrame([source_row(i) for i in range(2000)], SOURCE_SCHEMA)
    df = df.withColumn("tags", F.create_map(F.lit("name"), "name")).withColumn("local", F.col("ts").cast("timestamp_ntz"))
    df.write.partitionBy("code").parquet(str(folder / "parquet"))
    df.repartition(5).write.partitionBy("code").parquet(str(folder / "reshuffled"))
    spark.read.parquet(str(folder / "parquet")).write.saveAsTable("events")
    df.write.format("delta").partitionBy("code").save(str(folder / "delta"))
    # Stale files: the deleted rows stay in Parquet files that only the Delta log knows are gone.
    spark.sql(f"DELETE FROM delta.`{folder / 'delta'}` WHERE id % 2 = 1")
    spark.read.format("delta").load(str(folder / "delta")).write.format("delta").saveAsTable("events_delta")
    return folder


def sample_rows(take_sample, table, seed, output):
    take_sample(["--table", str(table), "--rows", str(SAMPLE_ROWS), "--seed", str(seed), "--output", str(output)])
    return our_table(output)


def test_take_sample_by_path_and_by_name(spark, take_sample, big_table, tmp_path):
    table = spark_source(spark, big_table / "parquet")
    everything = sorted_rows(spark_rows(table))
    by_path = sample_rows(take_sample, big_table / "parquet", 7, tmp_path / "by_path")
    assert spark.range(3).count() == 3, "the test's session still runs"
    assert [(c["name"], c["sparkType"]) for c in by_path["columns"]] == [(f.name, f.dataType.simpleString()) for f in table.schema.fields]
    assert len(by_path["rows"]) == SAMPLE_ROWS
    assert all(row in everything for row in by_path["rows"])

    again = sample_rows(take_sample, big_table / "parquet", 7, tmp_path / "again")
    assert sorted_rows(again["rows"]) == sorted_rows(by_path["rows"])
    # The sample depends on the rows and the seed only: not on files, partitions or the catalog.
    reshuffled = sample_rows(take_sample, big_table / "reshuffled", 7, tmp_path / "reshuffled")
    assert sorted_rows(reshuffled["rows"]) == sorted_rows(by_path["rows"])
    by_name = sample_rows(take_sample, "events", 7, tmp_path / "by_name")
    assert sorted_rows(by_name["rows"]) == sorted_rows(by_path["rows"])
    other = sample_rows(take_sample, big_table / "parquet", 8, tmp_path / "other")
    assert len(other["rows"]) == SAMPLE_ROWS
    assert sorted_rows(other["rows"]) != sorted_rows(by_path["rows"])


@pytest.mark.parametrize("how", ["path", "name"])
def test_take_sample_reads_delta_through_its_log(spark, take_sample, big_table, tmp_path, how):
    live = sorted_rows(spark_rows(spark.read.format("delta").load(str(big_table / "delta"))))
    sample = sample_rows(take_sample, big_table / "delta" if how == "path" else "events_delta", 7, tmp_path / "sample")
    assert len(sample["rows"]) == SAMPLE_ROWS
    id_column = [c["name"] for c in sample["columns"]].index("id")
    assert all(row[id_column] % 2 == 0 for row in sample["rows"]), "no deleted row"
    assert all(row in live for row in sample["rows"])


@pytest.mark.parametrize("table", ["simple_table", "table_with_column_mapping"])
def test_take_sample_reads_delta_tables_of_shared_data(spark, take_sample, tmp_path, table):
    """Removed files (simple_table) and physical column names (column mapping) are the log's business."""
    table = DELTA_TABLES / table
    live = spark_rows(spark.read.format("delta").load(str(table)))
    sample = sample_rows(take_sample, table, 1, tmp_path / "sample")
    assert sorted_rows(sample["rows"]) == sorted_rows(live)
