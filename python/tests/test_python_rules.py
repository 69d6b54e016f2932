"""The Python sampler keeps the document's rules as the TypeScript one does (spark_synth/rules.py).

Models the built CLI trains on documents carrying rules (Adult, vega-datasets' Seattle weather and US
employment): the plans build the rules in (a gap, a combination, expressions), the Python sampler decodes the
TypeScript draws into the TypeScript rows and the same seed gives the same rows, and every row keeps every rule.
The rules' arithmetic (increments' rounding to 15 digits, expressions) matches JavaScript's on many values.
"""

import json
import subprocess

import numpy as np
import pytest

from conftest import ROOT, our_table, run_cli
from spark_synth.decode import cell_text
from spark_synth.rules import (
    ExpressionError,
    RuleGuard,
    RulesTooRareError,
    active_rules,
    column_adjusters,
    describe_rule,
    evaluate_expression,
    parse_expression,
    rule_check,
    rule_numbers,
    to_precision_15,
)
from spark_synth.sampler import Synthesizer
# `typescript` is the sampler tests' fixture, over this module's `models`.
from test_python_sampler import assert_same_rows, same_rows_as_typescript, typescript, typescript_draw  # noqa: F401

SEED = 7
# Two batches of a stream: the second continues the streams and the guard's unique keys.
BATCHES = (1500, 300)
VEGA = ROOT / "node_modules" / "vega-datasets" / "data"


def rule(kind, **fields):
    return {"kind": kind, **fields, "status": "accepted", "origin": "user"}


DOCUMENTS = {
    "adult": (
        ROOT / "examples" / "adult",
        [
            rule("combination", columns=["education", "education-num"]),
            rule("range", column="capital-gain", min=0),
            rule("increment", column="hours-per-week", step=5),
            rule("unique", columns=["age", "fnlwgt"]),
            # A key the model repeats now and then (a weight drawn twice): the guard draws those rows again.
            rule("unique", columns=["fnlwgt"]),
        ],
    ),
    "seattle": (
        VEGA / "seattle-weather.csv",
        [rule("inequality", low="temp_min", high="temp_max", strict=False), rule("range", column="precipitation", min=0)],
    ),
    "employment": (
        VEGA / "us-employment.csv",
        [
            rule("expression", column="nonfarm", expression="`private` + `government`"),
            rule("expression", column="private", expression="`goods_producing` + `private_service_providing`"),
            rule("inequality", low="government", high="private", strict=True),
            rule("inequality", low="other_services", high="construction", strict=True),
        ],
    ),
}
# How each model builds its rules in (the other rules are kept by the guard).
BUILT_IN = {
    "adult": {"education": "combination", "education-num": "combination"},
    "seattle": {"temp_max": "gap"},
    "employment": {"nonfarm": "expression", "private": "expression", "construction": "gap"},
}


def train_with_rules(source, rules, folder):
    """The source's extracted document with `rules` written in, and the model the CLI trains on it (2 epochs)."""
    meta = folder.with_suffix(".synth-meta.json")
    run_cli("meta", source, "-o", meta)
    document = json.loads(meta.read_text())
    document["rules"] = rules
    meta.write_text(json.dumps(document, indent=1))
    run_cli("train", source, "--meta", meta, "-o", folder, "--epochs", "2")
    return folder


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    root = tmp_path_factory.mktemp("rule-models")
    return {name: train_with_rules(source, rules, root / name) for name, (source, rules) in DOCUMENTS.items()}


def rows_broken(synthesizer, rows, source):
    """Per active rule, how many rows break it (unique: how many repeat a key), as the TypeScript checks say;
    a combination is checked against the combinations of the source's rows."""
    rules = active_rules(synthesizer.model.metadata, synthesizer.columns)
    count = len(next(iter(rows.values())))
    broken = {}
    for rule in rules:
        if rule["kind"] == "unique":
            keys = [tuple(map(cell_text, cells)) for cells in zip(*(rows[name] for name in rule["columns"])) if None not in cells]
            broken[describe_rule(rule)] = len(keys) - len(set(keys))
        else:
            seen = source_combinations(source, rule["columns"]) if rule["kind"] == "combination" else None
            broken[describe_rule(rule)] = int((~rule_check(rule, rows, count, seen)).sum())
    return broken


def source_combinations(source, columns):
    """The value tuples of `columns` in every row of the source, as Spark Synth reads it."""
    table = our_table(source)
    index = [[c["name"] for c in table["columns"]].index(name) for name in columns]
    return {tuple(cell_text(float(v) if isinstance(v, int) else v) for v in (row[i] for i in index)) for row in table["rows"]}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_rules_are_built_into_the_plans(models, name):
    plans = {p["column"]: p["source"] for p in Synthesizer(models[name]).model.plans}
    assert {column: plans[column] for column in BUILT_IN[name]} == BUILT_IN[name]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_decoding_typescript_draws_gives_typescript_rows(models, typescript, name):
    """The TypeScript draws decode into the TypeScript rows, cell by cell (the guard's top-ups are the Python
    network's own draws, so their numbers within float32 rounding), with as many rows drawn again."""
    synthesizer = Synthesizer(models[name])
    stream = synthesizer.stream(SEED)
    for batch in typescript(name)["batches"]:
        rows = stream.decode(len(batch["input"]), *typescript_draw(batch))
        assert_same_rows(synthesizer, rows, batch["rows"])
    assert stream.redrawn == typescript(name)["redrawn"]


@pytest.mark.parametrize("name", DOCUMENTS)
def test_same_seed_gives_same_rows_that_keep_every_rule(models, typescript, name):
    synthesizer, rows = same_rows_as_typescript(models, typescript, name)
    broken = rows_broken(synthesizer, rows, DOCUMENTS[name][0])
    assert len(broken) == len(DOCUMENTS[name][1])
    assert broken == {rule: 0 for rule in broken}


def test_the_guard_keeps_rules_not_built_in(models, typescript):
    """`government` < `private` (private is computed) and the unique keys are not built in: the guard keeps them
    over 20,000 rows, drawing again the rows that repeat a weight, as the TypeScript stream does."""
    assert typescript("adult")["redrawn"] > 0
    for name in ("employment", "adult"):
        synthesizer = Synthesizer(models[name])
        stream = synthesizer.stream(SEED)
        broken = rows_broken(synthesizer, stream.next(20_000), DOCUMENTS[name][0])
        assert broken == {rule: 0 for rule in broken}
    assert stream.redrawn > 0


def test_conditions_keep_the_rules(models):
    synthesizer = Synthesizer(models["adult"])
    rows = synthesizer.sample_where(2000, SEED, {"income": ">50K"})
    assert {cell_text(cell) for cell in rows["income"]} == {">50K"}
    broken = rows_broken(synthesizer, rows, DOCUMENTS["adult"][0])
    assert broken == {rule: 0 for rule in broken}


def test_unique_keys_are_kept_across_batches(models):
    rows = Synthesizer(models["adult"]).sample(6000, SEED, batch_rows=1000)
    assert len(set(rows["fnlwgt"])) == 6000


def test_a_rule_the_model_cannot_keep_is_named(models):
    """temp_max is built as temp_min plus a gap of at least 0, so `temp_max` < `temp_min` never holds: the guard
    gives up after drawing 100 times the rows asked for, naming the rule."""
    synthesizer = Synthesizer(models["seattle"])
    synthesizer.model.metadata["rules"].append(rule("inequality", low="temp_max", high="temp_min", strict=True))
    with pytest.raises(RulesTooRareError, match=r"only 0\.00% of generated rows keep every rule \(most often broken: `temp_max` < `temp_min`\)"):
        synthesizer.sample(100, SEED)


# The same arithmetic computed by the TypeScript sources, for the values the test sends.
JAVASCRIPT_RULES = """
import { parseExpression, evaluateExpression } from './src/core/rules/expression.ts'
import { ruleCheck } from './src/core/rules/check.ts'
const { increments, expressions, values, checks } = JSON.parse(process.argv[1])
const table = { columns: Object.keys(values).map((name) => ({ name })), values: Object.values(values), rowCount: values.a.length }
console.log(JSON.stringify({
  increments: increments.map(([v, step]) => Number((Math.round(v / step) * step).toPrecision(15))),
  expressions: expressions.map((text) => {
    try {
      const tree = parseExpression(text)
      return values.a.map((_, r) => evaluateExpression(tree, (name) => values[name][r]))
    } catch (error) { return String(error.message) }
  }),
  checks: checks.map((rule) => values.a.map((_, r) => ruleCheck(rule, table)(r))),
}))
"""


def test_rule_arithmetic_matches_javascript():
    rng = np.random.default_rng(5)
    steps = [5, 0.1, 0.25, 0.01, 3, 1e-3, 0.05, 7.5, 1e6]
    # Numbers of every size, halves among them.
    numbers = [*rng.normal(0, 1e3, 2000), *rng.uniform(-1, 1, 1000), *(rng.integers(-10**6, 10**6, 1000) / 8), 2.5, -2.5, 0.0, -0.3]
    increments = [[float(v), steps[i % len(steps)]] for i, v in enumerate(numbers)]
    increments += [[float(v), 1] for v in (98765432109876.5, 1e15 + 0.5, -2.5)]
    # Multiples of 0.125 that are exact ties at the 16th digit: toPrecision rounds them away from zero.
    increments += [[v, 0.125] for v in (1234567890123.125, -1234567890123.125, 9876543210987.625)]
    columns = {
        "a": [1.5, -2.0, None, 0.0, 1e308, 7.0, 3.3],
        "b": [2.25, 0.0, 4.0, 0.0, 1e308, -7.0, 1.1],
        "c d": [0.1, 3.0, 1.0, -1.0, 2.0, 0.5, 2.2],
    }
    expressions = [
        "`a` + `b` * 2 - -`c d`",
        "(`a` - `b`) / `c d`",
        "`a` / `b`",
        "`a` * `b` / 1e300",
        "-(`a` + 0.1) * .5e1",
        "`a` + ",
        "`a` `b`",
        "2 ^ 3",
    ]
    checks = [
        rule("inequality", low="a", high="b", strict=True),
        rule("range", column="a", min=0, max=5, maxExclusive=True),
        rule("increment", column="b", step=0.25),
        rule("expression", column="c d", expression="`a` + `b`", tolerance=0.05),
    ]
    cases = {"increments": increments, "expressions": expressions, "values": columns, "checks": checks}
    script = ["node", "--import", "tsx", "--input-type=module", "-e", JAVASCRIPT_RULES, json.dumps(cases)]
    want = json.loads(subprocess.run(script, cwd=ROOT, capture_output=True, text=True, check=True).stdout)

    increment = lambda v, step: column_adjusters([rule("increment", column="x", step=step)])["x"]([v])[0]
    assert [increment(v, step) for v, step in increments] == want["increments"]
    assert to_precision_15(-1234567890123.125) == -1234567890123.13  # the tie away from zero, as toPrecision rounds it

    rows = len(columns["a"])
    numbers_of = lambda name: rule_numbers(columns[name])
    for text, expected in zip(expressions, want["expressions"]):
        if isinstance(expected, str):
            with pytest.raises(ExpressionError) as error:
                parse_expression(text)
            assert str(error.value) == expected
            continue
        value, valid = evaluate_expression(parse_expression(text), numbers_of, rows)
        assert [v if ok else None for v, ok in zip(value.tolist(), valid.tolist())] == expected, text
    for check, expected in zip(checks, want["checks"]):
        assert rule_check(check, columns, rows).tolist() == expected, describe_rule(check)


def test_guard_takes_rows_in_order_and_remembers_only_taken_keys():
    rules = [rule("inequality", low="a", high="b", strict=False), rule("unique", columns=["k"])]
    guard = RuleGuard(rules, {})
    table = {"a": [1.0, 5.0, 1.0, 1.0, 2.0], "b": [2.0, 1.0, 2.0, 3.0, 2.0], "k": ["x", "y", "x", None, "y"]}
    # Row 1 breaks a <= b (its key y is not remembered), row 2 repeats x; row 3 has no key; row 4's y is new.
    assert guard.take(table, 5, 5) == [0, 3, 4]
    assert guard.take({"a": [0.0, 0.0], "b": [1.0, 1.0], "k": ["y", "z"]}, 2, 1) == [1]
    assert guard.rejected == {0: 1, 1: 2}
