"""The Python sampler (spark_synth.sampler) against the TypeScript one, on models the built CLI trains.

For each model: the network's outputs for the same inputs agree within 1e-5; the network's draws
(slots exactly, offsets within float32 rounding) and, from the TypeScript draws, the decoded rows
(exactly, every cell) are the same; and end to end, the same seed gives the same rows, numbers within
what float32 rounding of an offset moves them, and column shapes and pair trends within 0.01.
"""

import csv
import json
import re
import shutil
import subprocess
import uuid

import numpy as np
import pytest

from conftest import ROOT, SHARED_DATA, SPARK_TABLES, run_cli
from quality_metrics import column_shapes, number, pair_trends
from spark_synth.decode import NUMERIC_KINDS, cell_text, instant_ms
from spark_synth.js_values import DAY_MS, iso_text, js_number_text, js_round
from spark_synth.lookalike import learn_identifier, lookalike_generator, mask_value, value_hash
from spark_synth.model_folder import ModelFolderError, load_model_folder
from spark_synth.random import Random
from spark_synth.rules import active_rules, expression_columns, parse_expression
from spark_synth.sampler import Synthesizer, output_columns

SEED = 7
# Two batches of a stream: the first crosses the network's 1,024-row chunks, the second continues the streams.
BATCHES = (1500, 300)

TABLES = {
    "adult": ROOT / "examples" / "adult",
    "http_requests": SPARK_TABLES / "http_requests",
    "cdf_table": SPARK_TABLES / "cdf-table",
    "liquid_clustering": SPARK_TABLES / "table_with_liquid_clustering",
    "struct_stats": SPARK_TABLES / "delta-1.2.1-only-struct-stats",
}
# The generated table's choices a user makes in the metadata document.
MIXED_CHOICES = {
    "city": {"sensitive": "mask"},
    "region": {"sensitive": "fake"},
    "email": {"sensitive": "fake"},
    "note": {"sensitive": "fake"},
    "amount": {"nullable": False},
}
# Differentially private models (train --epsilon): every figure of their encodings and plans is noisy or selected.
DP_MODELS = {"adult_dp": 4, "mixed_dp": 10}
ALL_MODELS = [*TABLES, "mixed", *DP_MODELS]


def write_mixed_table(path, rows=3000):
    """Every column kind and option at once: identifiers (template, UUID), text, nulls, a rare bucket, weekday-shaped dates,
    a derived column, a constant, decimals, round amounts."""
    rng = np.random.default_rng(3)
    words = "alpha beta gamma delta river stone cloud Maple Quick silver north orange".split()
    cities = ["Paris", "Lyon", "Nantes", "Lille", "Nice", "Brest", "Metz", "Tours"]
    rare_cities = [f"Town{k}" for k in range(40)]
    levels = {1: "bronze", 2: "silver", 3: "gold", 4: "platinum", 5: "diamond"}
    business_days = [d for d in np.arange(np.datetime64("2021-01-01"), np.datetime64("2023-01-01")) if d.astype(object).weekday() < 5]
    with open(path, "w", newline="") as file:
        out = csv.writer(file)
        out.writerow(["order_id", "session", "note", "amount", "qty", "level", "level_name", "vip", "city", "region", "signup", "seen_at", "email", "status", "budget"])
        for r in range(rows):
            level = int(rng.integers(1, 6))
            city = rare_cities[r % 40] if rng.random() < 0.02 else (cities[int(rng.integers(8))] if rng.random() > 0.05 else "")
            seen = np.datetime64("2023-01-01T00:00:00") + np.timedelta64(int(rng.integers(0, 365 * 86400)), "s")
            out.writerow([
                f"ORD-{'ABC'[r % 3]}{r:04d}",
                str(uuid.UUID(int=int(rng.integers(0, 2**63)) << 64 | int(rng.integers(0, 2**63)), version=4)),
                " ".join(rng.choice(words, int(rng.integers(2, 6)))) + f" n{r}",
                "" if rng.random() < 0.1 else f"{rng.lognormal(3, 1) * (1 + level / 10):.2f}",
                int(rng.poisson(40 + 10 * level)),
                level,
                levels[level],
                "" if rng.random() < 0.05 else ("true" if rng.random() < 0.3 + 0.1 * level else "false"),
                city,
                ["north", "south", "east"][int(rng.integers(3))],
                str(business_days[int(rng.integers(len(business_days)))]),
                str(seen).replace("T", " "),
                f"user{r:04d}@corp.example",
                "ok",
                # Round amounts, mostly: thousands to millions, and some not round at all.
                int(rng.integers(1, 300)) * 10 ** int(rng.choice([0, 3, 4, 6], p=[0.2, 0.3, 0.2, 0.3])),
            ])


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    """Model folders trained by the built CLI (2 epochs), one per table."""
    root = tmp_path_factory.mktemp("models")
    folders = {}
    for name, source in TABLES.items():
        run_cli("train", source, "-o", root / name, "--epochs", "2")
        folders[name] = root / name
    mixed = root / "mixed.csv"
    write_mixed_table(mixed)
    meta = root / "mixed.synth-meta.json"
    run_cli("meta", mixed, "-o", meta)
    document = json.loads(meta.read_text())
    for column in document["columns"]:
        column.update(MIXED_CHOICES.get(column["name"], {}))
    # The level -> tier lookup stays a derived plan (combinations are test_python_rules.py's); the other rules are kept.
    for rule in document.get("rules", []):
        if rule["kind"] == "combination":
            rule["status"] = "rejected"
    meta.write_text(json.dumps(document, indent=1))
    run_cli("train", mixed, "--meta", meta, "-o", root / "mixed", "--epochs", "2")
    folders["mixed"] = root / "mixed"
    for name, epsilon in DP_MODELS.items():
        source = ["--meta", meta, mixed] if name == "mixed_dp" else [TABLES["adult"]]
        run_cli("train", *source, "-o", root / name, "--epochs", "2", "--epsilon", str(epsilon))
        folders[name] = root / name
    return folders


def typescript_sampler(model, *args):
    """What the TypeScript sampler makes from a model (test/support/modelDraws.ts explains the arguments)."""
    command = ["node", "--import", "tsx", "test/support/modelDraws.ts", str(model), *map(str, args)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    # The last lines of stderr, cut short: a failing wasm backend first prints its whole minified source.
    assert result.returncode == 0, "\n".join(line[:300] for line in result.stderr.splitlines()[-12:])
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def typescript(models):
    """What the TypeScript sampler makes from each model with SEED and BATCHES."""
    cache = {}

    def run(name):
        if name not in cache:
            cache[name] = typescript_sampler(models[name], SEED, *BATCHES)
        return cache[name]

    return run


def as_json(cells):
    """Cells in the support script's JSON encoding (dates as {"ms": …})."""
    return [{"ms": instant_ms(c)} if isinstance(c, np.datetime64) else c for c in cells]


def typescript_draw(batch):
    slots = [np.array(s, dtype=np.int32) for s in batch["slots"]]
    offsets = [None if o is None else np.array(o, dtype=np.float32) for o in batch["offsets"]]
    return slots, offsets


# What the decoding leans on besides the network, computed by the TypeScript sources themselves.
JAVASCRIPT_VALUES = """
import { Random } from './src/core/random.ts'
import { valueHash } from './src/core/model/synthesizer.ts'
import { maskValue } from './src/core/model/lookalike.ts'
const { seeds, numbers, times, texts } = JSON.parse(process.argv[1])
const streams = seeds.map((seed) => { const r = new Random(seed); return [r.next(), r.int(7), r.normal(), ...Array.from({ length: 200 }, () => r.next())] })
console.log(JSON.stringify({
  streams,
  text: numbers.map(String),
  round: numbers.map(Math.round),
  iso: times.map((t) => new Date(t).toISOString()),
  hashes: [...numbers, ...texts].map(valueHash),
  masks: texts.map((t) => maskValue(t, 42)),
}))
"""


def test_javascript_values_match():
    cases = {
        "seeds": [0, 1, 7, 2**32 - 1, -5, 123456789],
        "numbers": [0, 3, -2.5, 2.5, 0.1, 1e21, 1.5e-7, 123456789012.5, 1e-6, 0.000123, 1e20, 5e-324, 0.49999999999999994, 39.99],
        "times": [0, -1, 1700000000123, 253402300800000, -62198755200000, -8640000000000000],
        "texts": ["ORD-A1234", "user0042@corp.example", "Ünïcode ß 😀 x", ""],
    }
    script = ["node", "--import", "tsx", "--input-type=module", "-e", JAVASCRIPT_VALUES, json.dumps(cases)]
    want = json.loads(subprocess.run(script, cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    for seed, stream in zip(cases["seeds"], want["streams"]):
        random = Random(seed)
        assert [random.next(), random.int(7), random.normal(), *random.uniforms(200)] == stream
    assert [js_number_text(float(v)) for v in cases["numbers"]] == want["text"]
    assert [js_round(float(v)) for v in cases["numbers"]] == want["round"]
    assert [iso_text(t) for t in cases["times"]] == want["iso"]
    assert [value_hash(v) for v in [*map(float, cases["numbers"]), *cases["texts"]]] == want["hashes"]
    assert [mask_value(t, 42) for t in cases["texts"]] == want["masks"]


def test_mixed_table_covers_every_kind_and_option(models):
    model = load_model_folder(models["mixed"])
    kinds = {c["name"]: c["kind"] for c in model.metadata["columns"]}
    assert set(kinds.values()) >= {"identifier", "text", "continuous", "integer", "categorical", "boolean", "date", "timestamp", "constant"}
    assert {p["source"] for p in model.plans} == {"learned", "derived", "lookalike", "constant"}
    assert any("rare" in c for c in model.encoding["columns"])
    assert any(c.get("calendar") == "weekday" for c in model.encoding["columns"])
    assert any(c.get("decimals") == 2 for c in model.encoding["columns"]), "amount keeps its two decimals"
    assert any(c.get("rounding") for c in model.encoding["columns"]), "budget stays round"
    assert {p["profile"]["format"] for p in model.plans if p["source"] == "lookalike" and p["profile"]["type"] == "identifier"} == {"template", "uuid"}


def test_dp_models_state_their_guarantee_and_hold_no_lookup_or_hash(models):
    """The Python sampler loads DP models (checked against the schema) whose manifest states the whole model's (ε, δ),
    and decodes them (the parity tests below run on them too); the mixed table's identifiers, text, dates and
    constant went through the DP plans."""
    for name, epsilon in DP_MODELS.items():
        model = Synthesizer(models[name]).model
        privacy = model.manifest["training"]["privacy"]
        # At most the ε asked for: a UUID column's plan spends less than its share (no lengths or characters to learn).
        assert privacy["scope"] == "model" and epsilon * 0.99 < privacy["epsilon"] <= epsilon + 1e-9
        assert all(p["source"] != "derived" for p in model.plans)
        assert all(not p["forbidden"] for p in model.plans if p["source"] == "lookalike")
    plans = {p["column"]: p for p in Synthesizer(models["mixed_dp"]).model.plans}
    assert plans["order_id"]["source"] == "lookalike" and plans["note"]["profile"]["type"] == "text"
    rows = Synthesizer(models["mixed_dp"]).sample(2000, SEED)
    assert len(rows["order_id"]) == 2000 and len(set(rows["order_id"])) == 2000


def test_protected_values_never_come_out(tmp_path):
    """Adult with a country seen once and a weight far above any other, trained on (no holdout): the model holds
    neither, and the Python sampler, decoding the same model as the TypeScript one, emits neither (the TypeScript
    side: test/protection.test.ts, over 1,000,000 rows)."""
    lines = (SHARED_DATA / "adult.csv").read_text().rstrip("\n").split("\n")
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("native-country")] = " Atlantis-7f3a"
    cells[header.index("fnlwgt")] = "987654321"
    lines[1] = ",".join(cells)
    source = tmp_path / "adult.csv"
    source.write_text("\n".join(lines) + "\n")
    run_cli("train", source, "-o", tmp_path / "model", "--holdout", "0", "--epochs", "2")
    text = (tmp_path / "model" / "model.json").read_text()
    assert "Atlantis" not in text and "987654" not in text
    weights = sorted(int(line.split(",")[header.index("fnlwgt")]) for line in lines[1:])
    k = 5
    rows = Synthesizer(tmp_path / "model").sample(50_000, SEED)
    assert not any("Atlantis" in c for c in rows["native-country"] if c)
    assert weights[k - 1] <= min(rows["fnlwgt"]) and max(rows["fnlwgt"]) <= weights[-k]


def test_model_folder_is_checked(models, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(models["adult"], folder)
    manifest = json.loads((folder / "model.json").read_text())
    (folder / "model.json").write_text(json.dumps({**manifest, "version": 2}))
    with pytest.raises(ModelFolderError, match="v2 is not spark-synth-model v1"):
        load_model_folder(folder)
    (folder / "model.json").write_text(json.dumps(manifest))
    with open(folder / "weights.bin", "ab") as weights:
        weights.write(b"\0\0\0\0")
    with pytest.raises(ModelFolderError, match="where the manifest lists"):
        load_model_folder(folder)
    with open(folder / "weights.bin", "ab") as weights:
        weights.write(b"\0")
    with pytest.raises(ModelFolderError, match="not a whole number of float32 values"):
        load_model_folder(folder)
    with pytest.raises(ModelFolderError, match="no model.json"):
        load_model_folder(tmp_path)
    (folder / "weights.bin").write_bytes((models["adult"] / "weights.bin").read_bytes())
    hidden = manifest["weights"][0]
    (folder / "model.json").write_text(json.dumps({**manifest, "weights": [{**hidden, "shape": hidden["shape"][::-1]}, *manifest["weights"][1:]]}))
    with pytest.raises(ModelFolderError, match="a weight has shape"):
        Synthesizer(folder)
    (folder / "model.json").write_text(json.dumps({**manifest, "network": {**manifest["network"], "inputs": 1}}))
    with pytest.raises(ModelFolderError, match=r"recorded network \(inputs\)"):
        Synthesizer(folder)


DAMAGES = {
    "/plans/0/source: must be one of": lambda m: m["plans"][0].update(source="copied"),
    "/encoding/columns/0: must have the field 'start'": lambda m: m["encoding"]["columns"][0].pop("start"),
    "/extra: is not a field of this object": lambda m: m.update(extra=1),
    "/metadata/columns/1/kind: must be one of": lambda m: m["metadata"]["columns"][1].update(kind="colour"),
    "/sampler/chunkRows: must be at least 1": lambda m: m["sampler"].update(chunkRows=0),
    "/weights/0/shape/0: must be integer": lambda m: m["weights"][0]["shape"].__setitem__(0, "7"),
}


@pytest.mark.parametrize("problem", DAMAGES)
def test_model_json_is_validated_against_its_schema(models, tmp_path, problem):
    """model.json is checked against schemas/model.schema.json on load, as the TypeScript loader checks it,
    and the error names the folder and the field."""
    folder = tmp_path / "model"
    shutil.copytree(models["adult"], folder)
    manifest = json.loads((folder / "model.json").read_text())
    DAMAGES[problem](manifest)
    (folder / "model.json").write_text(json.dumps(manifest))
    with pytest.raises(ModelFolderError, match=re.escape(f"{folder}: model.json at {problem}")):
        load_model_folder(folder)


@pytest.mark.parametrize("name", ALL_MODELS)
def test_forward_pass_matches_tensorflow_js(models, typescript, name):
    network = Synthesizer(models[name]).network
    for batch in typescript(name)["batches"]:
        output = network.forward(np.array(batch["input"], dtype=np.float32))
        # reshaped: TensorFlow.js gives [] for a model without learned columns, whose output has no width
        want = np.array(batch["output"], dtype=np.float64).reshape(output.shape)
        np.testing.assert_allclose(output, want, rtol=0, atol=1e-5)


@pytest.mark.parametrize("name", ALL_MODELS)
def test_network_draws_match(models, typescript, name):
    synthesizer = Synthesizer(models[name])
    stream = synthesizer.stream(SEED)
    for index, batch in enumerate(typescript(name)["batches"]):
        slots, offsets = synthesizer.network.draw(len(batch["input"]), stream.model_seed(index))
        want_slots, want_offsets = typescript_draw(batch)
        for c, (got, want) in enumerate(zip(slots, want_slots)):
            np.testing.assert_array_equal(got, want, err_msg=f"column {c}")
        for got, want in zip(offsets, want_offsets):
            assert (got is None) == (want is None)
            if got is not None:  # a logit's last float32 bit moves tanh's by a few ulps
                np.testing.assert_allclose(got, want, rtol=0, atol=3e-7)


@pytest.mark.parametrize("name", ALL_MODELS)
def test_decoding_typescript_draws_gives_typescript_rows(models, typescript, name):
    stream = Synthesizer(models[name]).stream(SEED)
    for batch in typescript(name)["batches"]:
        rows = stream.decode(len(batch["input"]), *typescript_draw(batch))
        assert list(rows) == list(batch["rows"])
        for column, cells in rows.items():
            assert as_json(cells) == batch["rows"][column], column


def calibration_stretch(calibrations):
    """The steepest slope (at least 1) of calibration maps, and the jumps where drawn quantiles tie."""
    slope, jumps = 1.0, []
    for calibration in calibrations:
        for (d0, d1), (r0, r1) in zip(zip(calibration["drawn"], calibration["drawn"][1:]), zip(calibration["real"], calibration["real"][1:])):
            if d1 > d0:
                slope = max(slope, (r1 - r0) / (d1 - d0))
            else:
                jumps.append(r1 - r0)
    return slope, jumps


def number_tolerance(model, column):
    """How far float32 rounding of a drawn offset (3e-7) moves a column's numbers, plus a rounding step it may tip over;
    a column a rule rebuilds (rules.py) moves as much as the columns it is built from move it."""
    plan = next(p for p in model.plans if p["column"] == column)
    if plan["source"] == "expression":
        return sum(number_tolerance(model, name) for name in expression_columns(parse_expression(plan["expression"])))
    encoded = [c for c in model.encoding["columns"] if c["column"] == column and c["type"] == "numeric"]
    spread = max((s for c in encoded for s in c["stds"]), default=0)
    kind = encoded[0]["kind"] if encoded else None
    step = DAY_MS if kind == "date" else 1 if kind == "timestamp" or any(c["integral"] for c in encoded) else 0
    # An increment rule rounds to its step: a value that moved across a half step moves by a whole one.
    steps = [r["step"] for r in active_rules(model.metadata, output_columns(model.metadata)) if r["kind"] == "increment" and r["column"] == column]
    # Round amounts (`rounding`) round to 10^k, k drawn: a value that moved across a half of 10^k moves by 10^k.
    rounds = [10**k for c in encoded for entry in c.get("rounding", []) for k, weight in enumerate(entry["weights"]) if weight > 0]
    # Calibration maps values piecewise linearly (decode.calibrated_all): a moved value moves by up to the steepest
    # segment's slope, and one that crosses a tie of the drawn quantiles jumps by the real quantiles' gap there.
    # A DP model is trained anew on each run (its noise is not seeded), so its map is sometimes steep.
    slope, jumps = calibration_stretch([c["calibration"] for c in encoded if c.get("calibration")])
    own = model.encoding["offsetScale"] * spread * 3e-7 * slope + max([step, *steps, *rounds, *jumps])
    return own * plan["unit"] + number_tolerance(model, plan["low"]) if plan["source"] == "gap" else own


@pytest.mark.parametrize("name", ALL_MODELS)
def test_same_seed_gives_same_rows(models, typescript, name):
    same_rows_as_typescript(models, typescript, name)


def same_rows_as_typescript(models, typescript, name):
    """The Python sampler's rows of model `name` with SEED, in BATCHES, checked against TypeScript's; returned with it."""
    synthesizer = Synthesizer(models[name])
    rows = synthesizer.sample(sum(BATCHES), SEED, batch_rows=BATCHES[0])
    want = {column: [cell for batch in typescript(name)["batches"] for cell in batch["rows"][column]] for column in rows}
    assert_same_rows(synthesizer, rows, want)
    return synthesizer, rows


@pytest.mark.parametrize(("name", "where"), [("adult", {"income": ">50K"}), ("mixed", {"vip": "true", "level": "3"})])
def test_same_seed_gives_same_rows_under_conditions(models, name, where):
    synthesizer = Synthesizer(models[name])
    rows = synthesizer.sample_where(400, SEED, where)
    want = typescript_sampler(models[name], SEED, 400, *(f"--where={k}={v}" for k, v in where.items()))["where"]
    assert all(len(cells) == 400 for cells in rows.values())
    assert all(cell_text(cell) == value for column, value in where.items() for cell in rows[column])
    assert_same_rows(synthesizer, rows, want)


def assert_same_rows(synthesizer, rows, want):
    """Rows equal cell by cell (numbers within what float32 rounding of an offset moves them), and so scores too."""
    assert list(rows) == list(want)
    kinds = {c["name"]: c["kind"] for c in synthesizer.columns}
    for column, cells in rows.items():
        got = as_json(cells)
        assert len(got) == len(want[column]), column
        if kinds[column] in NUMERIC_KINDS:
            tolerance = number_tolerance(synthesizer.model, column)
            for a, b in zip(got, want[column]):
                assert (a is None) == (b is None) and (a is None or abs(number(a) - number(b)) <= tolerance), (column, a, b)
        else:
            assert got == want[column], column
    real = [want[c] for c in rows]
    synthetic = [as_json(cells) for cells in rows.values()]
    numeric = [kinds[c] in NUMERIC_KINDS for c in rows]
    assert column_shapes(real, synthetic, numeric) >= 0.99
    assert pair_trends(real, synthetic, numeric) >= 0.99


@pytest.mark.parametrize("parts", [2, 7, 40])
def test_shares_of_the_key_space_never_meet(parts):
    """Generators for the parts of a share give keys in the learned format, none twice across all of them,
    even from a narrow template (3 free digits) that has to grow to hold 40 parts."""
    source = [f"ORD-{i:03d}" for i in range(0, 1000, 3)]
    template = learn_identifier(source)
    integer = {"type": "identifier", "format": "integer", "min": 1, "max": 5000, "templates": []}
    codes, keys = [], []
    for index in range(parts):
        make_code = lookalike_generator(template, SEED + index, set(source), share=(index, parts))
        make_key = lookalike_generator(integer, SEED + index, share=(index, parts))
        codes += [make_code() for _ in range(300)]
        keys += [make_key() for _ in range(300)]
    assert len(set(codes)) == len(codes) and not set(codes) & set(source)
    assert all(re.fullmatch(r"ORD-\d{3,}", code) for code in codes)
    assert len(set(keys)) == len(keys) and min(keys) > 5000
    assert all(key == int(key) for key in keys)
