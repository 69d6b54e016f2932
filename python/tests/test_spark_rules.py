"""The exported Spark job keeps the document's rules: a table written by PySpark (Seattle weather days as
periods: a start timestamp, an end after it, missing now and then, and a total that is the sum of two
parts), its document with the rules `start` <= `end` and `total` = `rain` + `gust`, a model the CLI trains,
and 1,000,000 rows from generate_synthetic.py on local[2]: Spark SQL counts no row breaking either rule,
with --where too.
"""

import json
import runpy
import time

import pytest

from conftest import ROOT, run_cli

ROWS = 1_000_000
SEATTLE = ROOT / "node_modules" / "vega-datasets" / "data" / "seattle-weather.csv"
RULES = [
    {"kind": "inequality", "low": "start", "high": "end", "strict": False, "status": "accepted", "origin": "user"},
    {"kind": "expression", "column": "total", "expression": "`rain` + `gust`", "status": "accepted", "origin": "user"},
]
# Rows breaking a rule, as a SQL CHECK counts them (a null operand keeps it); sums equal within float rounding.
VIOLATIONS = """
SELECT count(*) AS rows,
       count_if(`start` > `end`) AS ends_before_start,
       count_if(abs(total - (rain + gust)) > 1e-9 * greatest(1, abs(total), abs(rain + gust))) AS totals_not_sums,
       count_if(`end` IS NULL) AS open_periods
FROM {view}
"""


@pytest.fixture(scope="module")
def source(spark, tmp_path_factory):
    """Seattle's days as periods, written by Spark: start in the day, end 10 minutes to about an hour later
    (none on foggy days), and a total that is rain plus gust."""
    path = tmp_path_factory.mktemp("source") / "periods"
    days = spark.read.option("header", True).option("inferSchema", True).csv(str(SEATTLE))
    days.createOrReplaceTempView("days")
    spark.sql("""
        SELECT timestamp_seconds(unix_timestamp(date) + cast(wind * 3600 AS bigint)) AS start,
               CASE WHEN weather = 'fog' THEN NULL
                    ELSE timestamp_seconds(unix_timestamp(date) + cast(wind * 3600 AS bigint) + 600 + cast(abs(temp_max) * 97 AS bigint))
               END AS `end`,
               weather, precipitation AS rain, wind AS gust, precipitation + wind AS total
        FROM days
    """).write.parquet(str(path))
    return path


@pytest.fixture(scope="module")
def job(source, tmp_path_factory):
    """The Spark job exported from a model trained (2 epochs) on the source with the rules written in."""
    root = tmp_path_factory.mktemp("rules-job")
    meta = root / "periods.synth-meta.json"
    run_cli("meta", source, "-o", meta)
    document = json.loads(meta.read_text())
    document["rules"] = RULES
    meta.write_text(json.dumps(document, indent=1))
    run_cli("train", source, "--meta", meta, "-o", root / "model", "--epochs", "2")
    run_cli("export-spark", root / "model", "-o", root / "job")
    plans = {p["column"]: p["source"] for p in json.loads((root / "model" / "model.json").read_text())["plans"]}
    assert (plans["end"], plans["total"]) == ("gap", "expression")
    return runpy.run_path(str(root / "job" / "generate_synthetic.py"), run_name="generate_synthetic_job")


def violations(spark, path):
    spark.read.parquet(str(path)).createOrReplaceTempView("generated")
    return spark.sql(VIOLATIONS.format(view="generated")).first().asDict()


def test_source_keeps_the_rules(spark, source):
    counts = violations(spark, source)
    assert counts["ends_before_start"] == 0 and counts["totals_not_sums"] == 0 and counts["open_periods"] > 0


def test_a_million_rows_keep_the_rules(spark, job, tmp_path):
    start = time.perf_counter()
    assert job["main"](["--rows", str(ROWS), "--partitions", "2", "--seed", "7", "--output", str(tmp_path / "out")]) == 0
    print(f"\ngenerate_synthetic.py with rules: {ROWS:,} rows on 2 partitions (local[2]) in {time.perf_counter() - start:.1f} s")
    counts = violations(spark, tmp_path / "out")
    assert counts["rows"] == ROWS
    assert counts["ends_before_start"] == 0 and counts["totals_not_sums"] == 0
    assert 0 < counts["open_periods"] < ROWS / 4  # the nulls of foggy days are kept


def test_rows_under_conditions_keep_the_rules(spark, job, tmp_path):
    job["main"](["--rows", "20000", "--partitions", "2", "--where", "weather=rain", "--output", str(tmp_path / "rain")])
    counts = violations(spark, tmp_path / "rain")
    assert counts["rows"] == 20000
    assert counts["ends_before_start"] == 0 and counts["totals_not_sums"] == 0
    assert spark.read.parquet(str(tmp_path / "rain")).where("weather <> 'rain'").count() == 0


def test_a_rule_the_model_cannot_keep_is_refused_before_any_task(source, tmp_path):
    """A unique key over a column of five values cannot hold past five rows: the job says so, naming the rule,
    from the driver's draw, and writes nothing."""
    meta = tmp_path / "periods.synth-meta.json"
    run_cli("meta", source, "-o", meta)
    document = json.loads(meta.read_text())
    document["rules"] = [{"kind": "unique", "columns": ["weather"], "status": "accepted", "origin": "user"}]
    meta.write_text(json.dumps(document, indent=1))
    run_cli("train", source, "--meta", meta, "-o", tmp_path / "model", "--epochs", "1")
    run_cli("export-spark", tmp_path / "model", "-o", tmp_path / "job")
    job = runpy.run_path(str(tmp_path / "job" / "generate_synthetic.py"), run_name="generate_synthetic_job")
    with pytest.raises(SystemExit, match=r"generate_synthetic\.py: only .*% of generated rows keep every rule .*unique \(`weather`\)"):
        job["main"](["--rows", "100", "--partitions", "2", "--output", str(tmp_path / "out")])
    assert not (tmp_path / "out").exists()
