"""The Spark output folders in shared data read by Spark Synth exactly as Spark reads them."""

import pytest

from conftest import SPARK_TABLES, our_table, sorted_rows, spark_rows

FOLDERS = sorted(p.name for p in SPARK_TABLES.iterdir() if p.is_dir())


@pytest.mark.parametrize("folder", FOLDERS)
def test_folder_reads_as_spark_reads_it(spark, folder):
    path = SPARK_TABLES / folder
    ours = our_table(path)
    # Spark Synth unifies the part files' schemas, as Spark does with mergeSchema.
    theirs = spark.read.option("mergeSchema", "true").parquet(str(path))
    assert [c["name"] for c in ours["columns"]] == theirs.columns
    assert [c["sparkType"] for c in ours["columns"]] == [f.dataType.simpleString() for f in theirs.schema.fields]
    assert sorted_rows(ours["rows"]) == sorted_rows(spark_rows(theirs))
