"""`spark-synth export-spark` and the job it writes (generate_synthetic.py), run under Spark.

A model trained by the built CLI on the Adult sample, partitioned by `sex` as a Spark table, is exported;
the job generates 1,000,000 rows under this file's Spark session (its `main`), and others once as
`python generate_synthetic.py`.
Its output has the source's schema and partitioning, exactly the rows asked for, the same rows for the
same seed and partition count, and column shapes and pair trends within 0.01 of the TypeScript sampler's.
"""

import json
import re
import runpy
import subprocess
import sys
import time

import pytest

from conftest import ROOT, our_table, run_cli, sorted_rows, spark_rows
from quality_metrics import column_shapes, pair_trends
from spark_synth.decode import NUMERIC_KINDS

ROWS = 1_000_000
PARTITIONS = 2
SEED = 7
# Rows of each synthetic output the metrics compare with the real sample (as many from both samplers).
COMPARED_ROWS = 10_000


@pytest.fixture(scope="module")
def source(spark, tmp_path_factory):
    """The Adult sample as a Spark table partitioned by `sex`."""
    path = tmp_path_factory.mktemp("source") / "adult"
    spark.read.parquet(str(ROOT / "examples" / "adult")).write.partitionBy("sex").parquet(str(path))
    return path


@pytest.fixture(scope="module")
def model(source, tmp_path_factory):
    folder = tmp_path_factory.mktemp("model") / "adult"
    run_cli("train", source, "-o", folder, "--epochs", "2")
    return folder


@pytest.fixture(scope="module")
def bundle(model, tmp_path_factory):
    folder = tmp_path_factory.mktemp("bundle") / "job"
    run_cli("export-spark", model, "-o", folder)
    return folder


@pytest.fixture(scope="module")
def job(bundle):
    """generate_synthetic.py as a module (not as __main__), its functions pickled by value for the executors."""
    return runpy.run_path(str(bundle / "generate_synthetic.py"), run_name="generate_synthetic_job")


@pytest.fixture(scope="module")
def generated(spark, job, tmp_path_factory):
    """ROWS rows on PARTITIONS partitions in Parquet, and how long the job took."""
    out = tmp_path_factory.mktemp("generated") / "parquet"
    start = time.perf_counter()
    assert job["main"](["--rows", str(ROWS), "--partitions", str(PARTITIONS), "--seed", str(SEED), "--output", str(out)]) == 0
    seconds = time.perf_counter() - start
    print(f"\ngenerate_synthetic.py: {ROWS:,} rows on {PARTITIONS} partitions (local[2]) in {seconds:.1f} s, {ROWS / seconds:,.0f} rows/s")
    return out


def schema_of(df):
    return [(f.name, f.dataType.simpleString()) for f in df.schema.fields]


def test_bundle_layout(bundle):
    assert sorted(p.name for p in bundle.iterdir()) == ["generate_synthetic.py", "model", "spark_synth.zip"]
    assert sorted(p.name for p in (bundle / "model").iterdir()) == ["model.json", "weights.bin"]


def test_parquet_output_has_the_source_schema_and_rows(spark, source, generated):
    df = spark.read.parquet(str(generated))
    assert df.count() == ROWS
    assert schema_of(df) == schema_of(spark.read.parquet(str(source)))
    assert sorted(p.name for p in generated.iterdir() if p.is_dir()) == ["sex=Female", "sex=Male"]
    # Spark Synth reads it too: all of its rows, and a seeded sample of them with the source's columns.
    assert f"{ROWS:,} rows" in run_cli("inspect", generated, "--rows", "1000").stdout
    ours, real = our_table(generated, "--rows", str(COMPARED_ROWS)), our_table(source, "--rows", "10")
    assert len(ours["rows"]) == COMPARED_ROWS
    assert ours["columns"] == real["columns"]


def test_spark_and_session_left_running(spark):
    assert spark.range(3).count() == 3  # the job ran inside the test's session and did not stop it


def test_same_seed_and_partitions_give_same_rows(spark, bundle, job, tmp_path):
    """The same rows from `python generate_synthetic.py` (its own session) and from main() here; another seed differs."""
    args = ["--rows", "6000", "--partitions", "3", "--seed", "11"]
    result = subprocess.run([sys.executable, str(bundle / "generate_synthetic.py"), *args, "--output", str(tmp_path / "a")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "wrote 6000 rows on 3 partitions" in result.stdout
    job["main"]([*args, "--output", str(tmp_path / "b")])
    job["main"]([*args[:-1], "12", "--output", str(tmp_path / "c")])
    a, b, c = (sorted_rows(spark_rows(spark.read.parquet(str(tmp_path / name)))) for name in "abc")
    assert len(a) == 6000
    assert a == b
    assert a != c
    assert len({json.dumps(r) for r in a}) > 5000  # the tasks draw different rows, not one stream thrice


def test_delta_output(spark, source, job, tmp_path):
    out = tmp_path / "delta"
    job["main"](["--rows", "3001", "--partitions", "2", "--format", "delta", "--output", str(out)])
    df = spark.read.format("delta").load(str(out))
    assert df.count() == 3001
    assert schema_of(df) == schema_of(spark.read.parquet(str(source)))
    assert spark.sql(f"DESCRIBE DETAIL delta.`{out}`").first()["partitionColumns"] == ["sex"]
    assert len(our_table(out)["rows"]) == 3001
    with pytest.raises(SystemExit, match="already exists; pass --overwrite"):
        job["main"](["--rows", "10", "--format", "delta", "--output", str(out)])
    job["main"](["--rows", "10", "--format", "delta", "--output", str(out), "--overwrite"])
    assert spark.read.format("delta").load(str(out)).count() == 10


def test_usage_errors(job):
    with pytest.raises(SystemExit):
        job["main"](["--output", "x"])
    with pytest.raises(SystemExit):
        job["main"](["--rows", "0", "--output", "x"])
    with pytest.raises(SystemExit):
        job["main"](["--rows", "5", "--output", "x", "--format", "csv"])


def columns_of(table, names):
    """A table's rows as columns, in the order of `names`."""
    index = {c["name"]: i for i, c in enumerate(table["columns"])}
    return [[row[index[name]] for row in table["rows"]] for name in names]


def test_quality_matches_the_typescript_sampler(model, source, generated, tmp_path):
    real = our_table(source)
    names = [c["name"] for c in real["columns"]]
    kinds = {c["name"]: c["kind"] for c in json.loads((model / "model.json").read_text())["metadata"]["columns"]}
    numeric = [kinds[name] in NUMERIC_KINDS for name in names]
    run_cli("sample", model, "-n", COMPARED_ROWS, "-o", tmp_path / "ts", "--seed", SEED, "--no-report")
    typescript = our_table(tmp_path / "ts" / "data")
    spark_job = our_table(generated, "--rows", str(COMPARED_ROWS), "--seed", "0")
    scores = {}
    for label, table in (("typescript", typescript), ("spark", spark_job)):
        synthetic = columns_of(table, names)
        scores[label] = (column_shapes(columns_of(real, names), synthetic, numeric), pair_trends(columns_of(real, names), synthetic, numeric))
    print(f"\nscores (column shapes, pair trends): {scores}")
    assert abs(scores["spark"][0] - scores["typescript"][0]) <= 0.01
    assert abs(scores["spark"][1] - scores["typescript"][1]) <= 0.01


TYPED_SCHEMA = (
    "event_id bigint, amount decimal(10,2), ratio float, score double, small tinyint, level smallint, qty int, flag boolean, "
    "day date, at timestamp, local timestamp_ntz, label string, region string"
)


@pytest.fixture(scope="module")
def typed_source(spark, tmp_path_factory):
    """Every type the job converts, nulls in nullable columns, partitioned by `region`."""
    path = tmp_path_factory.mktemp("typed") / "events"
    spark.sql(
        """
        SELECT id AS event_id,
               IF(id % 10 = 0, NULL, CAST(id % 997 / 7.0 AS DECIMAL(10,2))) AS amount,
               CAST(rand(1) AS FLOAT) AS ratio,
               randn(2) * 100 AS score,
               CAST(id % 100 - 50 AS TINYINT) AS small,
               CAST(id % 5 AS SMALLINT) AS level,
               CAST(id % 1000 AS INT) AS qty,
               IF(id % 7 = 0, NULL, id % 3 = 0) AS flag,
               date_add(DATE'2021-01-01', CAST(id % 700 AS INT)) AS day,
               timestamp_seconds(1640995200 + id * 3607) AS at,
               CAST(timestamp_seconds(1640995200 + id * 1801) AS TIMESTAMP_NTZ) AS local,
               element_at(array('alpha', 'beta', 'gamma', NULL), CAST(id % 4 AS INT) + 1) AS label,
               element_at(array('north', 'south', 'east'), CAST(id % 3 AS INT) + 1) AS region
        FROM range(3000)
        """
    ).write.partitionBy("region").parquet(str(path))
    df = spark.read.parquet(str(path))
    assert schema_of(df) == [tuple(part.strip().split(" ")) for part in TYPED_SCHEMA.split(", ")]
    return path


def test_every_type_converts(spark, typed_source, tmp_path):
    model, bundle, out = tmp_path / "model", tmp_path / "bundle", tmp_path / "out"
    run_cli("train", typed_source, "-o", model, "--epochs", "2")
    run_cli("export-spark", model, "-o", bundle)
    job = runpy.run_path(str(bundle / "generate_synthetic.py"), run_name="generate_synthetic_typed")
    # A session time zone other than UTC: timestamps are instants and must not move with it.
    spark.conf.set("spark.sql.session.timeZone", "America/New_York")
    try:
        job["main"](["--rows", "4000", "--partitions", "2", "--output", str(out)])
    finally:
        spark.conf.set("spark.sql.session.timeZone", "UTC")
    df = spark.read.parquet(str(out))
    source = spark.read.parquet(str(typed_source))
    assert schema_of(df) == schema_of(source)
    assert df.count() == 4000
    ours, real = our_table(out), our_table(typed_source)
    assert len(ours["rows"]) == 4000
    assert ours["columns"] == real["columns"]
    # Values within the source's ranges (the sampler clips to them): no time zone shift, no unit error.
    bounds = lambda frame, c: frame.selectExpr(f"min({c})", f"max({c})").first()
    for column in ("amount", "small", "level", "qty", "day", "at", "local"):
        low, high = bounds(source, column)
        got_low, got_high = bounds(df, column)
        assert low <= got_low <= got_high <= high, (column, low, high, got_low, got_high)
    # Nulls where the source has them (10 %, 1 in 7 and 1 in 4 of rows), within a wide margin.
    nulls = df.selectExpr("count_if(amount IS NULL)", "count_if(flag IS NULL)", "count_if(label IS NULL)").first()
    assert all(abs(n / 4000 - share) < 0.05 for n, share in zip(nulls, [0.1, 1 / 7, 0.25])), nulls
    assert {r[0] for r in df.select("region").distinct().collect()} == {"north", "south", "east"}
    assert {r[0] for r in df.select("flag").distinct().collect()} == {True, False, None}
    # Integer identifiers: fresh keys above the source's, unique across the tasks that drew them.
    kinds = {c["name"]: c["kind"] for c in json.loads((model / "model.json").read_text())["metadata"]["columns"]}
    assert kinds["event_id"] == "identifier"
    assert df.select("event_id").distinct().count() == 4000
    assert df.selectExpr("min(event_id)").first()[0] > 2999


def test_identifiers_unique_across_partitions(spark, tmp_path):
    """Eight tasks draw integer keys and template codes (ORD- and five digits, 3,000 of them taken by the
    source) for 20,000 rows: none repeats across the tasks, none is a source key, the format is kept."""
    source, model, bundle, out = tmp_path / "orders", tmp_path / "model", tmp_path / "bundle", tmp_path / "out"
    spark.sql(
        "SELECT id AS order_id, concat('ORD-', lpad(CAST(id * 3 AS STRING), 5, '0')) AS order_code, "
        "element_at(array('web', 'shop', 'phone'), CAST(id % 3 AS INT) + 1) AS channel FROM range(3000)"
    ).write.parquet(str(source))
    run_cli("train", source, "-o", model, "--epochs", "1")
    kinds = {c["name"]: c["kind"] for c in json.loads((model / "model.json").read_text())["metadata"]["columns"]}
    assert kinds["order_id"] == kinds["order_code"] == "identifier"
    run_cli("export-spark", model, "-o", bundle)
    job = runpy.run_path(str(bundle / "generate_synthetic.py"), run_name="generate_synthetic_orders")
    job["main"](["--rows", "20000", "--partitions", "8", "--output", str(out)])
    df = spark.read.parquet(str(out))
    assert df.count() == 20000
    assert df.select("order_id").distinct().count() == 20000
    assert df.select("order_code").distinct().count() == 20000
    assert df.selectExpr("min(order_id)").first()[0] > 2999
    codes = [r[0] for r in df.select("order_code").collect()]
    assert all(re.fullmatch(r"ORD-\d{5,}", code) for code in codes), [c for c in codes if not re.fullmatch(r"ORD-\d{5,}", c)][:5]
    taken = {r[0] for r in spark.read.parquet(str(source)).select("order_code").collect()}
    assert not taken & set(codes)


def test_where_conditions(spark, job, generated, tmp_path):
    """--where keeps only rows holding the value, and the other columns follow it (the >50K earners are older);
    a column that does not exist, or a value the model never draws, is refused before any task runs."""
    out = tmp_path / "rich"
    job["main"](["--rows", "3000", "--partitions", "3", "--where", "income=>50K", "--output", str(out)])
    df = spark.read.parquet(str(out))
    assert df.count() == 3000
    assert [r[0] for r in df.select("income").distinct().collect()] == [">50K"]
    everyone = spark.read.parquet(str(generated)).selectExpr("avg(age)").first()[0]
    assert df.selectExpr("avg(age)").first()[0] > everyone + 2
    with pytest.raises(SystemExit, match="--where wage: there is no such column"):
        job["main"](["--rows", "10", "--where", "wage=1", "--output", str(tmp_path / "x")])
    with pytest.raises(SystemExit, match="too rare in the training data"):
        job["main"](["--rows", "10", "--where", "income=maybe", "--output", str(tmp_path / "y")])
    with pytest.raises(SystemExit):
        job["main"](["--rows", "10", "--where", "income", "--output", str(tmp_path / "z")])
    assert not (tmp_path / "x").exists() and not (tmp_path / "y").exists()
