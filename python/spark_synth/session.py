"""A local Spark session with Delta Lake, as the tests and the generated scripts use it."""

import os

from delta import configure_spark_with_delta_pip
from pyspark.sql import SparkSession

# Small and quiet: two cores, two shuffle partitions, no UI, and Delta's log replay on two tasks
# instead of fifty, so that a test file's session starts in seconds.
LOCAL_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.databricks.delta.snapshotPartitions": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.extensions": "io.delta.sql.DeltaSparkSessionExtension",
    "spark.sql.catalog.spark_catalog": "org.apache.spark.sql.delta.catalog.DeltaCatalog",
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
    "spark.executor.extraJavaOptions": "-Duser.timezone=UTC",
}


def local_spark(app_name, warehouse=None, settings=None):
    """A `local[2]` session with delta-spark; its jars are fetched once into SPARK_SYNTH_IVY (or ~/.ivy2)."""
    builder = SparkSession.builder.master("local[2]").appName(app_name)
    for key, value in {**LOCAL_SETTINGS, **(settings or {})}.items():
        builder = builder.config(key, value)
    if warehouse is not None:
        builder = builder.config("spark.sql.warehouse.dir", warehouse)
    ivy = os.environ.get("SPARK_SYNTH_IVY")
    if ivy:
        builder = builder.config("spark.jars.ivy", ivy)
    spark = configure_spark_with_delta_pip(builder).getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark
