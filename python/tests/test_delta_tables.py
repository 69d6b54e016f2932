"""Delta tables read by Spark Synth through their log exactly as delta-spark reads them, version by version."""

import json
import shutil
from pathlib import Path

import pytest

from conftest import DELTA_TABLES, our_table, run_cli, sorted_rows, spark_rows

LOG = "_delta_log"


def versions_of(table):
    """Every version the log can still reconstruct: the commits on disk."""
    return sorted(int(p.name[:20]) for p in (Path(table) / LOG).glob("*.json") if p.name[:20].isdigit())


def assert_reads_as_spark(spark, table, *, version=None, timestamp=None):
    """Our columns, types and rows equal delta-spark's for the table at that version or instant."""
    reader = spark.read.format("delta")
    args = []
    if version is not None:
        reader, args = reader.option("versionAsOf", version), ["--version", version]
    if timestamp is not None:
        reader, args = reader.option("timestampAsOf", timestamp), ["--timestamp", timestamp]
    theirs = reader.load(str(table))
    if theirs.count() == 0:
        # Nothing to learn from: an empty version is refused, by name, rather than read as an empty sample.
        result = run_cli("preview", table, *args, check=False)
        assert result.returncode == 1 and "zero rows" in result.stderr
        return None
    ours = our_table(table, *args)
    assert [c["name"] for c in ours["columns"]] == theirs.columns
    assert [c["sparkType"] for c in ours["columns"]] == [f.dataType.simpleString() for f in theirs.schema.fields]
    assert sorted_rows(ours["rows"]) == sorted_rows(spark_rows(theirs))
    return ours


READABLE = ["simple_table", "delta-0.2.0", "delta-0.8.0-partitioned", "table-with-dv-small", "table_with_column_mapping"]


@pytest.mark.parametrize("name", READABLE)
def test_shared_tables_read_as_spark_reads_them_at_every_version(spark, name):
    table = DELTA_TABLES / name
    for version in versions_of(table):
        assert_reads_as_spark(spark, table, version=version)
    latest = assert_reads_as_spark(spark, table)
    assert latest["rows"], "the latest version has rows"


def test_live_rows_only(spark):
    # The counts: 5 live files and 3 rows of 37 files on disk; 8 of 10 rows left by the deletion vector.
    assert len(our_table(DELTA_TABLES / "simple_table")["rows"]) == 3
    assert len(our_table(DELTA_TABLES / "table-with-dv-small")["rows"]) == 8
    mapped = our_table(DELTA_TABLES / "table_with_column_mapping")
    assert [c["name"] for c in mapped["columns"]] == ["Company Very Short", "Super Name"]
    assert mapped["columns"][0]["partition"] is True


def test_a_missing_data_file_is_named():
    result = run_cli("preview", DELTA_TABLES / "checkpoint_with_partitions", check=False)
    assert result.returncode == 1
    assert "checkpoint_with_partitions" in result.stderr and "version 2" in result.stderr
    assert "names the data file f62d8868-d952-4f9d-8bb2-fd4e011ebf36, which is missing" in result.stderr


def test_time_travel_by_timestamp_matches_spark(spark):
    table = DELTA_TABLES / "simple_table"
    history = spark.sql(f"DESCRIBE HISTORY delta.`{table}`").select("version", "timestamp").collect()
    for row in history:
        instant = row.timestamp.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
        assert_reads_as_spark(spark, table, timestamp=instant)
    meta = run_cli("inspect", table, "--timestamp", history[-1].timestamp.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3])
    assert "delta version" in meta.stdout


# Tables delta-spark writes in the test: every operation whose log the reader must follow.


@pytest.fixture(scope="module")
def made(spark, tmp_path_factory):
    """A folder for tables this file writes with delta-spark."""
    return tmp_path_factory.mktemp("delta")


def write(spark, rows, schema, path, mode="overwrite", **options):
    writer = spark.createDataFrame(rows, schema).coalesce(1).write.format("delta").mode(mode)
    for key, value in options.items():
        writer = writer.option(key, value)
    writer.save(str(path))


def test_overwrite_delete_update_and_optimize(spark, made):
    table = made / "history"
    write(spark, [(i, f"n{i}") for i in range(10)], "id long, name string", table)
    write(spark, [(i, f"m{i}") for i in range(10, 30)], "id long, name string", table, mode="append")
    write(spark, [(i, f"o{i}") for i in range(5)], "id long, name string", table)  # overwrite
    write(spark, [(i, f"p{i}") for i in range(40, 60)], "id long, name string", table, mode="append")
    spark.sql(f"DELETE FROM delta.`{table}` WHERE id % 3 = 0")
    spark.sql(f"UPDATE delta.`{table}` SET name = 'updated' WHERE id = 41")
    spark.sql(f"OPTIMIZE delta.`{table}`")
    for version in versions_of(table):
        assert_reads_as_spark(spark, table, version=version)


def test_deletion_vectors(spark, made):
    table = made / "dv"
    spark.range(0, 5000).selectExpr("id", "id * 2 as twice", "cast(id % 7 as string) as bucket").repartition(3).write.format("delta").option(
        "delta.enableDeletionVectors", "true"
    ).save(str(table))
    spark.sql(f"ALTER TABLE delta.`{table}` SET TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')")
    spark.sql(f"DELETE FROM delta.`{table}` WHERE id % 3 = 0")
    spark.sql(f"DELETE FROM delta.`{table}` WHERE id BETWEEN 1000 AND 3500")
    spark.sql(f"DELETE FROM delta.`{table}` WHERE id = 4999")
    log = [json.loads(line) for p in sorted((table / LOG).glob("*.json")) for line in p.read_text().splitlines()]
    assert any(a.get("add", {}).get("deletionVector") for a in log), "delta-spark wrote deletion vectors"
    for version in versions_of(table):
        assert_reads_as_spark(spark, table, version=version)


@pytest.mark.parametrize("mode", ["name", "id"])
def test_column_mapping_renames_and_drops(spark, made, mode):
    table = made / f"mapping-{mode}"
    spark.sql(
        f"""CREATE TABLE delta.`{table}` (`Order Id` long, `Région` string, amount double, day date)
        USING delta PARTITIONED BY (`Région`)
        TBLPROPERTIES ('delta.columnMapping.mode' = '{mode}', 'delta.minReaderVersion' = '2', 'delta.minWriterVersion' = '5')"""
    )
    spark.sql(f"INSERT INTO delta.`{table}` VALUES (1, 'Île-de-France', 1.5, DATE'2024-01-02'), (2, 'a/b=c', NULL, NULL), (3, NULL, -0.5, DATE'1999-12-31')")
    spark.sql(f"ALTER TABLE delta.`{table}` RENAME COLUMN amount TO `Amount (EUR)`")
    spark.sql(f"ALTER TABLE delta.`{table}` ADD COLUMNS (note string)")
    spark.sql(f"INSERT INTO delta.`{table}` VALUES (4, 'Île-de-France', 2.25, DATE'2024-03-04', 'new')")
    spark.sql(f"ALTER TABLE delta.`{table}` DROP COLUMN day")
    for version in versions_of(table):
        assert_reads_as_spark(spark, table, version=version)
    assert [c["name"] for c in our_table(table)["columns"]] == ["Order Id", "Région", "Amount (EUR)", "note"]


def test_schema_evolution_and_partitions_that_need_escaping(spark, made):
    table = made / "evolving"
    values = ["plain", "a/b", "x=y", "50%", "c:d", "with space", "é中🎉", "", None]
    rows = [(i, values[i % len(values)], i * 1.5) for i in range(27)]
    spark.createDataFrame(rows, "id int, key string, amount double").write.format("delta").partitionBy("key").save(str(table))
    spark.createDataFrame([(100, "plain", 2.0, True)], "id int, key string, amount double, flag boolean").write.format("delta").mode("append").option(
        "mergeSchema", "true"
    ).save(str(table))
    for version in versions_of(table):
        assert_reads_as_spark(spark, table, version=version)


def test_typed_partition_values(spark, made):
    table = made / "typed-partitions"
    spark.sql(
        f"""CREATE TABLE delta.`{table}` (v int, d date, ts timestamp, n int, b boolean, dec decimal(9,2))
        USING delta PARTITIONED BY (d, ts, n, b, dec)"""
    )
    spark.sql(
        f"""INSERT INTO delta.`{table}` VALUES
        (1, DATE'2024-02-29', TIMESTAMP'2024-02-29 13:14:15.678901', 7, true, 12.34),
        (2, NULL, NULL, NULL, NULL, NULL),
        (3, DATE'0001-01-01', TIMESTAMP'1900-01-01 00:00:00', -1, false, -0.01)"""
    )
    assert_reads_as_spark(spark, table)


@pytest.mark.parametrize(
    "kind, properties, settings",
    [
        ("classic", {"delta.checkpointInterval": "2"}, {}),
        ("multi-part", {"delta.checkpointInterval": "2"}, {"spark.databricks.delta.checkpoint.partSize": "2"}),
        ("v2", {"delta.checkpointInterval": "2", "delta.checkpointPolicy": "v2"}, {}),
    ],
)
def test_checkpoints(spark, made, kind, properties, settings):
    table = made / f"checkpoint-{kind}"
    for key, value in settings.items():
        spark.conf.set(key, value)
    try:
        props = ", ".join(f"'{k}' = '{v}'" for k, v in properties.items())
        spark.sql(f"CREATE TABLE delta.`{table}` (id long, part string) USING delta PARTITIONED BY (part) TBLPROPERTIES ({props})")
        for batch in range(5):
            spark.range(batch * 10, batch * 10 + 10).selectExpr("id", "cast(id % 3 as string) as part").write.format("delta").mode("append").save(str(table))
        spark.sql(f"DELETE FROM delta.`{table}` WHERE id < 15")
    finally:
        for key in settings:
            spark.conf.unset(key)
    names = [p.name for p in (table / LOG).iterdir()]
    assert any(".checkpoint." in n for n in names), names
    if kind == "multi-part":
        assert any(n.count(".") == 4 and ".checkpoint.0000000001." in n for n in names), names
    if kind == "v2":
        assert (table / LOG / "_sidecars").is_dir() or any(n.endswith(".json") and ".checkpoint." in n for n in names), names
    # With the commits before the checkpoint gone, only the checkpoint can say what is live.
    for commit in sorted((table / LOG).glob("0000000000000000000[0-2].json")):
        commit.unlink()
    assert_reads_as_spark(spark, table)
    (table / LOG / "_last_checkpoint").unlink()
    assert_reads_as_spark(spark, table)


def copy_table(source, target):
    shutil.copytree(source, target)
    return target


def test_corrupt_commit_is_named(made):
    table = copy_table(DELTA_TABLES / "simple_table", made / "corrupt")
    commit = table / LOG / "00000000000000000003.json"
    commit.write_text(commit.read_text()[:-40] + "\n{not json\n")
    result = run_cli("preview", table, check=False)
    assert result.returncode == 1
    assert "version 3 of the Delta log is corrupt" in result.stderr and str(table) in result.stderr
    # The versions before it still read.
    assert len(our_table(table, "--version", "2")["rows"]) > 0


def test_unsupported_reader_feature_is_named(made):
    table = copy_table(DELTA_TABLES / "simple_table", made / "future")
    with (table / LOG / "00000000000000000005.json").open("w") as commit:
        commit.write(json.dumps({"protocol": {"minReaderVersion": 3, "minWriterVersion": 7, "readerFeatures": ["variantType"], "writerFeatures": ["variantType"]}}) + "\n")
    result = run_cli("inspect", table, check=False)
    assert result.returncode == 1
    assert "version 5 uses the Delta reader feature variantType" in result.stderr
    newer = copy_table(DELTA_TABLES / "simple_table", made / "newer")
    (newer / LOG / "00000000000000000005.json").write_text(json.dumps({"protocol": {"minReaderVersion": 4, "minWriterVersion": 7}}) + "\n")
    assert "needs Delta reader version 4" in run_cli("inspect", newer, check=False).stderr


def test_missing_commit_and_bad_version_are_named(made):
    table = copy_table(DELTA_TABLES / "simple_table", made / "gap")
    (table / LOG / "00000000000000000002.json").unlink()
    assert "commit 2 is missing from the Delta log" in run_cli("inspect", table, check=False).stderr
    result = run_cli("inspect", DELTA_TABLES / "simple_table", "--version", "9", check=False)
    assert result.returncode == 1 and "version 9 does not exist: the log's versions end at 4" in result.stderr


def test_metadata_records_the_version(made):
    out = made / "simple.synth-meta.json"
    run_cli("meta", DELTA_TABLES / "simple_table", "--version", "1", "-o", out)
    source = json.loads(out.read_text())["source"]
    assert source["format"] == "delta" and source["version"] == 1
    assert source["rowCount"] == len(our_table(DELTA_TABLES / "simple_table", "--version", "1")["rows"])
