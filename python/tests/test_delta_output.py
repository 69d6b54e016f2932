"""`spark-synth sample --format delta` read by delta-spark: the log's schema, partition values, file
paths and statistics as Delta reads them, the same values as Spark Synth reads, and a table Delta
can write to."""

import datetime
import json
import runpy
import shutil
from urllib.parse import unquote, urlparse

import pytest
from delta.tables import DeltaTable
from pyspark.sql import functions as F

from conftest import our_table, run_cli, sorted_rows, spark_rows

SYNTHETIC_ROWS = 400
UTC = datetime.timezone.utc
# Hive escapes (`/`, `=`, `%`, `#`, `?`, tab), a space and non-ASCII in folder names; null and the empty
# string both land in the default partition.
HOSTILE_VALUES = ["a/b", "x=y", "100%", "two words", "\u00fcber", "#?", "tab\there", None, ""]


def hostile_rows(count):
    return [
        (
            i,
            round(i * 0.37 - 20, 2),
            datetime.date(2024, 1, 1) + datetime.timedelta(days=i % 40),
            datetime.datetime(2024, 1, 1, tzinfo=UTC) + datetime.timedelta(seconds=i * 611),
            None if i % 7 == 0 else i % 2 == 0,
            ["red", "green", "blue"][i % 3],
            HOSTILE_VALUES[i % len(HOSTILE_VALUES)],
        )
        for i in range(count)
    ]


@pytest.fixture(scope="module")
def tables(spark, tmp_path_factory):
    """Spark tables, each trained on and sampled as a Delta table: {name: (source, output data folder)}."""
    folder = tmp_path_factory.mktemp("delta-output")
    schema = "id INT, `unit price` DOUBLE, day DATE, ts TIMESTAMP, flag BOOLEAN, colour STRING, p STRING"
    df = spark.createDataFrame(hostile_rows(900), schema)
    sources = {"hostile": folder / "hostile", "by_hour": folder / "by_hour"}
    df.write.partitionBy("p").parquet(str(sources["hostile"]))
    # A timestamp partition (its log values are instants in UTC) beside a timestamp_ntz column (protocol 3/7).
    hourly = df.drop("p").withColumn("hour", F.date_trunc("hour", F.col("ts"))).withColumn("local", F.col("ts").cast("timestamp_ntz"))
    hourly.where("id < 60").write.partitionBy("hour").parquet(str(sources["by_hour"]))
    result = {}
    for name, source in sources.items():
        model, output = folder / f"{name}-model", folder / f"{name}-synthetic"
        run_cli("train", source, "-o", model, "--epochs", "2", "--seed", "1")
        run_cli("sample", model, "-n", SYNTHETIC_ROWS, "-o", output, "--format", "delta", "--no-report", "--seed", "2")
        result[name] = (source, output / "data")
    return result


NAMES = ["hostile", "by_hour"]


@pytest.mark.parametrize("name", NAMES)
def test_delta_reads_what_spark_synth_reads(spark, tables, name):
    source, data = tables[name]
    table = spark.read.format("delta").load(str(data))
    expected = spark.read.parquet(str(source)).schema
    assert [(f.name, f.dataType) for f in table.schema.fields] == [(f.name, f.dataType) for f in expected.fields]
    assert table.count() == SYNTHETIC_ROWS
    ours = our_table(data)
    position = {c["name"]: i for i, c in enumerate(ours["columns"])}
    order = [position[f.name] for f in table.schema.fields]
    assert sorted_rows([[row[i] for i in order] for row in ours["rows"]]) == sorted_rows(spark_rows(table))

    detail = spark.sql(f"DESCRIBE DETAIL delta.`{data}`").first()
    partition = "p" if name == "hostile" else "hour"
    assert (detail.format, detail.partitionColumns) == ("delta", [partition])
    assert detail.numFiles == len([p for p in data.rglob("*.parquet")])

    # reload_synthetic.py reads the same table in the source's order and types.
    reloaded = runpy.run_path(str(data.parent / "reload_synthetic.py"))["reload_synthetic"](spark, str(data))
    assert sorted_rows(spark_rows(reloaded)) == sorted_rows(spark_rows(table))


def test_hostile_partition_values_come_back(spark, tables):
    _, data = tables["hostile"]
    values = {row.p for row in spark.read.format("delta").load(str(data)).select("p").distinct().collect()}
    assert values <= {v or None for v in HOSTILE_VALUES}
    assert len(values) >= 6, values


def file_key(path):
    """A data file's path on disk, from a URI or a log path relative to the table."""
    return unquote(urlparse(path).path)


@pytest.mark.parametrize("name", NAMES)
def test_statistics_are_those_of_the_files(spark, tables, name):
    """Each add's stats equal what Spark computes over that file's rows (the bounds Delta skips files by)."""
    _, data = tables[name]
    table = spark.read.format("delta").load(str(data))
    partitions = set(DeltaTable.forPath(spark, str(data)).detail().first().partitionColumns)
    columns = [f for f in table.schema.fields if f.name not in partitions]
    bounded = [f for f in columns if f.dataType.typeName() not in ("boolean", "binary")]
    aggregates = [F.count(F.lit(1)).alias("numRecords")]
    for f in columns:
        aggregates.append(F.sum(F.col(f"`{f.name}`").isNull().cast("int")).alias(f"nulls {f.name}"))
    for f in bounded:
        for bound, aggregate in (("min", F.min), ("max", F.max)):
            value = aggregate(f"`{f.name}`")
            if f.dataType.typeName().startswith("timestamp"):
                value = F.date_format(value, "yyyy-MM-dd'T'HH:mm:ss.SSS")  # Delta keeps milliseconds
            aggregates.append(value.alias(f"{bound} {f.name}"))
    actual = {file_key(row.file): row for row in table.groupBy(F.col("_metadata.file_path").alias("file")).agg(*aggregates).collect()}

    log = (data / "_delta_log" / "00000000000000000000.json").read_text().splitlines()
    adds = [json.loads(line)["add"] for line in log if "add" in json.loads(line)]
    assert sorted(str(data / file_key(add["path"])) for add in adds) == sorted(actual)
    for add in adds:
        stats, row = json.loads(add["stats"]), actual[str(data / file_key(add["path"]))]
        assert stats["numRecords"] == row.numRecords
        assert stats["nullCount"] == {f.name: row[f"nulls {f.name}"] for f in columns}
        for f in bounded:
            for bound in ("min", "max"):
                value = row[f"{bound} {f.name}"]
                logged = stats[f"{bound}Values"].get(f.name)
                if value is None:
                    assert logged is None
                elif f.dataType.typeName().startswith("timestamp"):
                    assert logged[:23] == value, (f.name, bound, logged, value)  # `Z` after an instant
                elif isinstance(value, datetime.date):
                    assert logged == value.isoformat()
                else:
                    assert logged == value, (f.name, bound, logged, value)


@pytest.mark.parametrize("name", NAMES)
def test_delta_appends_to_the_table(spark, tables, name, tmp_path):
    """The protocol and metadata are ones Delta writes under: an append commits version 1."""
    _, data = tables[name]
    copy = tmp_path / "table"
    shutil.copytree(data, copy)  # the output stays as written for the other tests
    spark.read.format("delta").load(str(data)).limit(5).write.format("delta").mode("append").save(str(copy))
    history = DeltaTable.forPath(spark, str(copy)).history().orderBy("version").collect()
    assert [(h.version, h.operation) for h in history] == [(0, "WRITE"), (1, "WRITE")]
    assert history[0].engineInfo == "spark-synth"
    assert spark.read.format("delta").load(str(copy)).count() == SYNTHETIC_ROWS + 5
