"""Every Spark SQL type as Spark writes it, read by Spark Synth exactly as Spark reads it back, or refused clearly.

Each table is written by Spark inside the test and compared value by value with what Spark itself reads
back. Dates and timestamps are compared as days and microseconds since 1970 (`unix_date`, `unix_micros`),
since Python's datetime holds neither years before 1 nor after 9999, which Spark stores.
"""

import json
import math
import re
from decimal import Decimal

import pytest
from pyspark.sql import Row

from conftest import our_table, run_cli, sorted_rows, spark_rows

# What Spark writes for timestamps: INT96 by default, or INT64 micros / millis.
TIMESTAMP_TYPES = ["INT96", "TIMESTAMP_MICROS", "TIMESTAMP_MILLIS"]


def write_parquet(spark, df, path, partition_by=(), **settings):
    """Writes `df` as Parquet with Spark SQL settings in force (e.g. rebase modes), as one file unless
    partitioned, then restores the settings and returns Spark's reading of it."""
    previous = {key: spark.conf.get(key, None) for key in settings}
    for key, value in settings.items():
        spark.conf.set(key, value)
    try:
        writer = (df if partition_by else df.coalesce(1)).write.mode("overwrite")
        writer.partitionBy(*partition_by).parquet(str(path))
    finally:
        for key, value in previous.items():
            if value is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, value)
    return spark.read.parquet(str(path))


def by_id(rows, columns):
    """Rows keyed by their `id` column."""
    index = columns.index("id")
    return {row[index]: row for row in rows}


def metadata_document(path):
    """The metadata document `spark-synth meta` extracts from the whole table."""
    target = path.parent / f"{path.name}.synth-meta.json"
    run_cli("meta", path, "-o", target, "--rows", "100000000")
    return json.loads(target.read_text())


def precision_notes(path):
    """Each column's precision note in the metadata document, None where it has none."""
    return {column["name"]: column.get("precisionNote") for column in metadata_document(path)["columns"]}


# ---------------------------------------------------------------------------------------------------
# Booleans, integers, floating point, strings and binary: equal as Spark collects them.

SCALAR_SCHEMA = "id int, b boolean, t tinyint, s smallint, i int, f float, d double, text string, bytes binary"
SCALAR_ROWS = [
    (0, True, -128, -32768, -2147483648, float("nan"), float("nan"), "", b""),
    (1, False, 127, 32767, 2147483647, float("inf"), float("inf"), "plain ascii", b"\x00"),
    (2, True, 0, 0, 0, float("-inf"), float("-inf"), "héllo wörld, 中文, עברית", bytes(range(256))),
    (3, False, -1, -1, -1, -0.0, -0.0, "astral: 😀 𝄞 🇺🇳", b"\xff\xfe\x80"),
    (4, True, 1, 1, 1, 3.4028234663852886e38, 1.7976931348623157e308, "tab\tnewline\nnul\x00end", b"bytes"),
    (5, False, 42, 4242, 424242, 1.401298464324817e-45, 5e-324, " leading and trailing ", b"\x01\x02"),
    (6, True, -42, -4242, -424242, 1.1, 0.1, "\U0010ffff", b"\x7f"),
    (7, None, None, None, None, None, None, None, None),
]


@pytest.mark.parametrize("legacy_format", [False, True], ids=["standard", "writeLegacyFormat"])
def test_scalar_types_read_as_spark_reads_them(spark, tmp_path, legacy_format):
    df = spark.createDataFrame(SCALAR_ROWS, SCALAR_SCHEMA)
    theirs = write_parquet(spark, df, tmp_path / "scalars", **{"spark.sql.parquet.writeLegacyFormat": str(legacy_format).lower()})
    ours = our_table(tmp_path / "scalars")
    assert [(c["name"], c["sparkType"]) for c in ours["columns"]] == [(f.name, f.dataType.simpleString()) for f in theirs.schema.fields]
    assert sorted_rows(ours["rows"]) == sorted_rows(spark_rows(theirs))
    negative_zero = by_id(ours["rows"], theirs.columns)[3]
    assert negative_zero[theirs.columns.index("f")] == "-0" and negative_zero[theirs.columns.index("d")] == "-0"


# ---------------------------------------------------------------------------------------------------
# bigint and decimals: held as the nearest double, exactly below the size where doubles are spaced
# wider than the type's steps, and the metadata says how many sampled values lie beyond it.

EXACT_SCHEMA = "id int, big bigint, small bigint, d9 decimal(9,2), d18 decimal(18,4), d38 decimal(38,18), d38_0 decimal(38,0)"
EXACT_ROWS = [
    (0, -(2**63), 0, Decimal("9999999.99"), Decimal("99999999999999.9999"), Decimal("99999999999999999999.999999999999999999"), Decimal("9" * 38)),
    (1, 2**63 - 1, 1, Decimal("-9999999.99"), Decimal("-99999999999999.9999"), Decimal("-99999999999999999999.999999999999999999"), Decimal("-" + "9" * 38)),
    (2, 2**53 - 1, -1, Decimal("0.01"), Decimal("0.0001"), Decimal("0.000000000000000001"), Decimal(2**53 - 1)),
    (3, 2**53, 2**31, Decimal("0.00"), Decimal("1234.5678"), Decimal("12345678901234567890.123456789012345678"), Decimal(2**53 + 1)),
    (4, 2**53 + 1, -(2**31), Decimal("1234567.89"), Decimal("900719925474.0993"), Decimal("0.1"), Decimal(12345)),
    (5, -(2**53 + 1), 9007199254740991, Decimal("-0.50"), Decimal("12345678901234.5678"), Decimal("1.5"), Decimal(0)),
    (6, 2**53 + 2, -9007199254740991, Decimal("3.14"), Decimal("-0.0001"), Decimal("0.007812499999999999"), Decimal(-(2**60))),
    (7, 2**62 + 1, 7, Decimal("-3.14"), Decimal("42"), Decimal("0.300000000000000001"), Decimal(10**20)),
    (8, None, None, None, None, None, None),
]


def coarse_from(scale):
    """The smallest power of two from which doubles are spaced wider than 10^-scale (Spark's step)."""
    step = Decimal(10) ** -scale
    exponent = 60
    while Decimal(math.ulp(2.0 ** (exponent - 1))) > step:
        exponent -= 1
    return 2.0**exponent


def test_bigint_and_decimals_are_the_nearest_double_and_the_metadata_says_where_they_may_differ(spark, tmp_path):
    df = spark.createDataFrame(EXACT_ROWS, EXACT_SCHEMA)
    theirs = write_parquet(spark, df, tmp_path / "exact")
    ours = our_table(tmp_path / "exact")
    assert [(c["name"], c["sparkType"]) for c in ours["columns"]] == [(f.name, f.dataType.simpleString()) for f in theirs.schema.fields]
    their_rows = by_id([list(row) for row in theirs.collect()], theirs.columns)
    our_rows = by_id(ours["rows"], theirs.columns)
    assert our_rows.keys() == their_rows.keys()
    notes = precision_notes(tmp_path / "exact")
    assert {column["name"]: column.get("precisionNote") for column in ours["columns"]} == notes, "preview and metadata agree"
    coarse_counts = {}
    for c, field in enumerate(theirs.schema.fields):
        if field.name == "id":
            continue
        threshold = coarse_from(getattr(field.dataType, "scale", 0))
        coarse = 0
        for key, row in their_rows.items():
            exact, held = row[c], our_rows[key][c]
            if exact is None:
                assert held is None
                continue
            assert float(held) == float(exact), f"{field.name} row {key}: the nearest double to {exact}"
            if abs(float(exact)) >= threshold:
                coarse += 1
            else:
                # Below the threshold the shortest text of the double is Spark's exact value.
                assert Decimal(repr(float(held))) == Decimal(exact), f"{field.name} row {key}: {held} is {exact} exactly"
        coarse_counts[field.name] = coarse
        if coarse:
            assert notes[field.name] and notes[field.name].startswith(f"{coarse} of 8 sampled values lie beyond ±2^"), f"{field.name}: {notes[field.name]}"
        else:
            assert notes[field.name] is None, f"{field.name}: no value is held less precisely, yet: {notes[field.name]}"
    # Both outcomes are tested: columns with values beyond their threshold and columns without.
    assert all(coarse_counts[name] for name in ("big", "d18", "d38", "d38_0"))
    assert not any(coarse_counts[name] for name in ("small", "d9"))
    assert f"note on big: {coarse_counts['big']} of 8 sampled values" in run_cli("inspect", tmp_path / "exact", "--rows", "100").stdout


# ---------------------------------------------------------------------------------------------------
# Dates and timestamps, across the calendar, in every encoding and rebase mode Spark writes.

ISO = re.compile(r"^([+-]\d{6}|\d{4})-(\d\d)-(\d\d)(?:T(\d\d):(\d\d):(\d\d)\.(\d{6})Z)?$")


def days_from_civil(year, month, day):
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm), any year."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    return era * 146097 + year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year - 719468


def since_epoch(text):
    """Our ISO text of a date or timestamp as days or microseconds since 1970-01-01T00:00:00Z."""
    if text is None:
        return None
    match = ISO.match(text)
    assert match, f"not ISO 8601: {text}"
    year, month, day, hour, minute, second, micros = match.groups()
    days = days_from_civil(int(year), int(month), int(day))
    if hour is None:
        return days
    return ((days * 24 + int(hour)) * 60 + int(minute)) * 60_000_000 + int(second) * 1_000_000 + int(micros)


# Microseconds since 1970, chosen to cross every boundary: before 1970 with a fraction (rounds down),
# 1900 (the last legacy switch), 1582 (Gregorian start), year 1, BC, beyond 9999, the JavaScript limits.
MICROS = [
    0, -500, 1666652372846706, -2208988800000000, -2208988800000001, -12219292800000000, -12219379200000000,
    -30605118956543211, -62135596800000000, -63549316799999999, -200000000000000000, 253402300799999999,
    253402300800000000, 8000000000000000000, -8000000000000000000, 8640000000000000999, -8640000000000000000,
]
# Days since 1970, likewise; ±100,000,000 days are the JavaScript Date limits.
DAYS = [0, -1, -141427, -141428, -141438, -171605, -354227, -719162, -735525, -1000000, 2932896, 2932897, 35804722, 100000000, -100000000, 31, 59]


def temporal_table(spark):
    rows = ", ".join(f"({i}, {m}L, {d})" for i, (m, d) in enumerate(zip(MICROS, DAYS))) + f", ({len(MICROS)}, null, null)"
    return spark.sql(
        "select id, timestamp_micros(m) as ts, date_from_unix_date(d) as d, cast(timestamp_micros(m) as timestamp_ntz) as ntz "
        f"from values {rows} as t(id, m, d)"
    )


def as_numbers(df):
    """Spark's reading of the temporal table: days and microseconds by id."""
    numbers = df.selectExpr("id", "unix_micros(ts)", "unix_date(d)", "unix_micros(cast(ntz as timestamp))").collect()
    return {row[0]: list(row[1:]) for row in numbers}


@pytest.mark.parametrize("rebase", ["CORRECTED", "LEGACY"])
@pytest.mark.parametrize("timestamp_type", TIMESTAMP_TYPES)
def test_dates_and_timestamps_read_as_spark_reads_them(spark, tmp_path, timestamp_type, rebase):
    settings = {
        "spark.sql.parquet.outputTimestampType": timestamp_type,
        "spark.sql.parquet.datetimeRebaseModeInWrite": rebase,
        "spark.sql.parquet.int96RebaseModeInWrite": rebase,
    }
    df = temporal_table(spark)
    if rebase == "LEGACY":
        # Spark's own rebasing overflows near the ends of its range.
        df = df.where("abs(unix_micros(ts)) < 8000000000000000000")
    theirs = write_parquet(spark, df, tmp_path / "temporal", **settings)
    ours = our_table(tmp_path / "temporal")
    assert [(c["name"], c["sparkType"]) for c in ours["columns"]] == [("id", "int"), ("ts", "timestamp"), ("d", "date"), ("ntz", "timestamp_ntz")]
    expected = as_numbers(theirs)
    got = {row[0]: [since_epoch(value) for value in row[1:]] for row in ours["rows"]}
    assert got == expected


OUT_OF_RANGE = {
    "timestamp after +275760-09-13 (micros)": ("timestamp_micros(9223372036854775807)", "TIMESTAMP_MICROS", "294247"),
    "timestamp before -271821-04-20 (INT96)": ("timestamp_micros(-9223372036854775808)", "INT96", "-290308"),
    "timestamp_ntz a millisecond past the last Date": ("cast(timestamp_micros(8640000000000001000) as timestamp_ntz)", "INT96", "275760"),
    "date after +275760": ("date_from_unix_date(2147483647)", "INT96", "5881580"),
    "date a day before -271821-04-20": ("date_from_unix_date(-100000001)", "INT96", "-271821"),
}


@pytest.mark.parametrize("case", OUT_OF_RANGE, ids=list(OUT_OF_RANGE))
def test_values_beyond_a_javascript_date_are_refused_naming_file_and_column(spark, tmp_path, case):
    expression, timestamp_type, year = OUT_OF_RANGE[case]
    df = spark.sql(f"select id, if(id = 1, {expression}, null) as far from range(3)")
    settings = {
        "spark.sql.parquet.outputTimestampType": timestamp_type,
        "spark.sql.parquet.datetimeRebaseModeInWrite": "CORRECTED",
        "spark.sql.parquet.int96RebaseModeInWrite": "CORRECTED",
    }
    write_parquet(spark, df, tmp_path / "far", **settings)
    result = run_cli("preview", tmp_path / "far", "--rows", "10", check=False)
    assert result.returncode == 1, result.stdout
    message = result.stderr
    assert re.search(r"part-\S+\.parquet", message), message
    assert 'column "far"' in message and f"in year {year} " in message, message
    assert "-271821-04-20 to +275760-09-13" in message and "Filter such rows out" in message, message


def test_legacy_timestamps_written_outside_utc_are_refused_before_1900(spark, tmp_path):
    settings = {
        "spark.sql.session.timeZone": "America/Los_Angeles",
        "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
        "spark.sql.parquet.datetimeRebaseModeInWrite": "LEGACY",
    }
    modern = spark.sql("select id, timestamp_micros(id * 86400000000) as ts from range(3)")
    theirs = write_parquet(spark, modern, tmp_path / "modern", **settings)
    assert {row[0]: [since_epoch(row[1])] for row in our_table(tmp_path / "modern")["rows"]} == {
        row[0]: [row[1]] for row in theirs.selectExpr("id", "unix_micros(ts)").collect()
    }
    old = spark.sql("select id, timestamp_micros(-3000000000000000 - id) as ts from range(3)")
    write_parquet(spark, old, tmp_path / "old", **settings)
    result = run_cli("preview", tmp_path / "old", check=False)
    assert result.returncode == 1
    assert 'column "ts"' in result.stderr and "America/Los_Angeles" in result.stderr and "CORRECTED" in result.stderr, result.stderr


# ---------------------------------------------------------------------------------------------------
# Hive partitions and many part files.


def test_partition_values_that_need_escaping_read_back_as_written(spark, tmp_path):
    values = ["a/b", "x=y", "50%", "12:30", "with space", "ünïcödé 😀", "", None, "plain", "q?#[]{}*\\'\""]
    rows = [Row(id=i, part=value, n=(None if i % 3 == 0 else i % 2)) for i, value in enumerate(values)]
    df = spark.createDataFrame(rows, "id int, part string, n int")
    theirs = write_parquet(spark, df, tmp_path / "escaped", partition_by=("part", "n"))
    folders = {p.name for p in (tmp_path / "escaped").iterdir() if p.is_dir()}
    assert {"part=a%2Fb", "part=x%3Dy", "part=50%25", "part=12%3A30", "part=__HIVE_DEFAULT_PARTITION__"} <= folders
    ours = our_table(tmp_path / "escaped")
    assert [(c["name"], c["sparkType"]) for c in ours["columns"]] == [(f.name, f.dataType.simpleString()) for f in theirs.schema.fields]
    assert sorted_rows(ours["rows"]) == sorted_rows(spark_rows(theirs))


def test_partition_values_are_typed_as_spark_infers_them(spark, tmp_path):
    df = spark.sql(
        "select id, "
        "if(id = 0, 1099511627777L, id) as long_key, "
        "if(id = 0, null, cast(concat('2021-01-0', id, ' 10:20:3', id, '.5') as timestamp)) as ts_key, "
        # Spark's partition pattern takes one fraction digit: with more it reads its own timestamps back as strings.
        "cast(concat('2021-01-0', id + 1, ' 10:20:30.12345', id) as timestamp) as ts_micros_key, "
        "if(id = 1, null, date_from_unix_date(cast(id as int))) as date_key, "
        "case id when 2 then 0.5D when 3 then double('NaN') else cast(id as double) end as double_key "
        "from range(4)"
    )
    partitions = ("long_key", "ts_key", "ts_micros_key", "date_key", "double_key")
    theirs = write_parquet(spark, df, tmp_path / "typed", partition_by=partitions)
    assert [f.dataType.simpleString() for f in theirs.schema.fields[1:]] == ["bigint", "timestamp", "string", "date", "double"]
    ours = our_table(tmp_path / "typed")
    assert [(c["name"], c["sparkType"]) for c in ours["columns"]] == [(f.name, f.dataType.simpleString()) for f in theirs.schema.fields]
    assert sorted_rows(ours["rows"]) == sorted_rows(spark_rows(theirs))


def test_partition_values_beyond_a_double_are_the_nearest_double_with_a_note(spark, tmp_path):
    df = spark.sql(
        "select id, if(id = 0, 9007199254740993L, id) as long_key, "
        "if(id = 0, 99999999999999999999BD, cast(id as decimal(20,0))) as decimal_key from range(3)"
    )
    theirs = write_parquet(spark, df, tmp_path / "huge", partition_by=("long_key", "decimal_key"))
    ours = our_table(tmp_path / "huge")
    assert [(c["name"], c["sparkType"]) for c in ours["columns"]] == [(f.name, f.dataType.simpleString()) for f in theirs.schema.fields]
    their_rows = by_id([list(row) for row in theirs.collect()], theirs.columns)
    for key, row in by_id(ours["rows"], theirs.columns).items():
        assert [float(value) for value in row] == [float(value) for value in their_rows[key]]
    notes = precision_notes(tmp_path / "huge")
    assert notes["id"] is None
    assert notes["long_key"].startswith("1 of 3 sampled values") and notes["decimal_key"].startswith("1 of 3 sampled values")


def test_two_hundred_small_part_files_read_as_one_table(spark, tmp_path):
    df = spark.sql("select id, cast(id % 7 as string) as label, id * 1.5D as x from range(1000)").repartition(200)
    df.write.mode("overwrite").parquet(str(tmp_path / "many"))
    theirs = spark.read.parquet(str(tmp_path / "many"))
    assert len(theirs.inputFiles()) == 200
    ours = our_table(tmp_path / "many")
    assert sorted_rows(ours["rows"]) == sorted_rows(spark_rows(theirs))
    source = metadata_document(tmp_path / "many")["source"]
    assert len(source["files"]) == 200 and source["rowCount"] == 1000
