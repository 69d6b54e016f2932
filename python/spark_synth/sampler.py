"""Synthetic rows from a model folder, as `Synthesizer` in `src/core/model/synthesizer.ts` makes them.

The same seed gives the same rows as the TypeScript sampler, batch by batch: every random draw is
made from the same stream in the same order. The network's float32 sums differ from TensorFlow.js'
in the last bits, so a drawn offset may differ by a few float32 steps (numbers by as much times the
mode's spread), and a draw flips only when a uniform lands within about 1e-7 of a softmax boundary
(then the stream after it differs). The network runs on numpy's BLAS: on an executor, one thread
per task (OPENBLAS_NUM_THREADS=1) is much faster than BLAS threads competing for the cores.
"""

import numpy as np

from .decode import TEMPORAL_KINDS, calibrated_all, cell_text, category, decode_choices, instant, js_round_all
from .lookalike import learn_identifier, learn_text, lookalike_generator, mask_value, value_hash
from .model_folder import load_model_folder
from .network import MaskedNetwork
from .random import Random, imul
from .rules import (
    RuleGuard,
    active_rules,
    allowed_combinations,
    column_adjusters,
    evaluate_expression,
    expression_columns,
    parse_expression,
    rule_numbers,
    split_combination,
)

# `spark-synth sample` draws and decodes this many rows at a time; the batches are part of what a seed means.
BATCH_ROWS = 100_000
# `--where` draws batches of at least this many rows, and gives up after 200 times the rows asked for (at least 1,000).
WHERE_BATCH_ROWS = 10_000
WHERE_GIVE_UP = 200
# The rule guard gives up after drawing 100 times a batch's rows (plus 256) to fill it; it draws again at least 256 rows at a time.
MAX_REDRAWS = 100
MIN_REDRAW_ROWS = 256


class RareConditionError(ValueError):
    """A `where` condition too rare in the training data (or misspelt) to sample from."""


def output_columns(metadata):
    """`outputColumns`: the columns in the synthetic output, in source order."""
    return [c for c in metadata["columns"] if not c["exclude"] and c["sensitive"] != "exclude"]


class Synthesizer:
    """A loaded model folder: its encodings, plans and network."""

    def __init__(self, folder):
        self.model = load_model_folder(folder)
        self.network = MaskedNetwork(self.model)
        self.columns = output_columns(self.model.metadata)

    def stream(self, seed, share=(0, 1)):
        """Batches drawn with `seed`; `share` = (index, parts) when `parts` streams generate one table at once
        (a Spark job's tasks, each with its own seed), so that their identifiers never meet."""
        return SyntheticStream(self, seed, share)

    def sample(self, rows, seed, batch_rows=BATCH_ROWS):
        """`rows` rows drawn with `seed`, in batches as `spark-synth sample` makes them: column name -> list of cells."""
        stream = self.stream(seed)
        out = {c["name"]: [] for c in self.columns}
        for done in range(0, rows, batch_rows):
            for name, cells in stream.next(min(batch_rows, rows - done)).items():
                out[name].extend(cells)
        return out

    def sample_where(self, rows, seed, where):
        """`rows` rows whose columns hold the given values (`{"income": ">50K"}`, as `--where` takes them):
        drawn from the model and kept when they match, as `sampleWhere` does."""
        kept = {c["name"]: [] for c in self.columns}
        for batch in self.stream(seed).matching(rows, where, max(rows, WHERE_BATCH_ROWS)):
            for name, cells in batch.items():
                kept[name].extend(cells)
        return kept


class SyntheticStream:
    """Batches from one seed: one random stream for decoding; the network draws batch i with `model_seed(i)`.
    The document's rules hold in every batch (rules.py): the guard draws again the rows that break one, and
    `redrawn` counts the rows it drew for that."""

    def __init__(self, synthesizer, seed, share=(0, 1)):
        self.synthesizer = synthesizer
        self.seed = seed
        self.share = share
        self.random = Random(seed)
        self.index = 0
        self.top_ups = 0
        self.redrawn = 0
        model = synthesizer.model
        rules = active_rules(model.metadata, synthesizer.columns)
        self.guard = RuleGuard(rules, allowed_combinations(rules, model.plans, model.encoding, model.metadata["columns"]))
        adjusters = column_adjusters(rules)
        self.producers = {
            meta["name"]: self._producer(plan, meta, i, model.seed, adjusters.get(meta["name"]))
            for i, (plan, meta) in enumerate(zip(model.plans, synthesizer.columns))
        }

    def model_seed(self, index):
        """Batch 0 draws with the seed itself; later batches with seeds derived from it."""
        return (int(self.seed) + imul(index, 0x9E3779B1)) & 0xFFFFFFFF

    def next(self, rows):
        """The next batch: the network's draw, then its decoding."""
        slots, offsets = self.synthesizer.network.draw(rows, self.model_seed(self.index))
        self.index += 1
        return self.decode(rows, slots, offsets)

    def matching(self, rows, where, batch_rows):
        """Batches of rows whose columns hold the `where` values, `rows` in all: batches of `batch_rows` are
        drawn and filtered. Gives up (RareConditionError) after drawing 200 times the rows asked for (at
        least 1,000), when the condition is too rare in the training data or misspelt."""
        names = [c["name"] for c in self.synthesizer.columns]
        missing = [name for name in where if name not in names]
        if missing:
            raise KeyError(f"there is no synthesised column {missing[0]!r}")
        matched = drawn = 0
        while matched < rows:
            if drawn >= WHERE_GIVE_UP * max(rows, 1000):
                raise RareConditionError(
                    f"only {matched / drawn:.3%} of generated rows match {where}: the condition is too rare in the training data to sample from"
                )
            batch = self.next(batch_rows)
            keep = [r for r in range(batch_rows) if all(cell_text(batch[name][r]) == value for name, value in where.items())][: rows - matched]
            if keep:
                yield {name: [cells[r] for r in keep] for name, cells in batch.items()}
            matched += len(keep)
            drawn += batch_rows

    def decode(self, rows, slots, offsets):
        """A batch's rows from the network's draw for it (column name -> list of cells, in output order), the
        rows breaking a rule replaced by rows of top-up draws that keep them all, as `stream().decode` does."""
        batch = self._decode_batch(rows, slots, offsets)
        if not self.guard.active:
            return batch
        taken = set(self.guard.take(batch, rows, rows))
        if len(taken) == rows:
            return batch
        missing = [r for r in range(rows) if r not in taken]
        filled = 0
        drawn = rows
        while filled < len(missing):
            if drawn > MAX_REDRAWS * rows + MIN_REDRAW_ROWS:
                raise self.guard.too_rare(drawn, rows - len(missing) + filled)
            size = max(2 * (len(missing) - filled), MIN_REDRAW_ROWS)
            # Redraws are seeded apart from the batches' seeds (model_seed counts up from 0).
            seed = (int(self.seed) + imul(0x7FFFFFFF - self.top_ups, 0x9E3779B1)) & 0xFFFFFFFF
            self.top_ups += 1
            extra = self._decode_batch(size, *self.synthesizer.network.draw(size, seed))
            for r in self.guard.take(extra, size, len(missing) - filled):
                for name, cells in batch.items():
                    cells[missing[filled]] = extra[name][r]
                filled += 1
            drawn += size
            self.redrawn += size
        return batch

    def _decode_batch(self, rows, slots, offsets):
        """A batch's rows as the model makes them: the columns produced in output order, one a rule rebuilds
        producing the columns it reads first, so the random stream is read in the TypeScript order."""
        encoding = self.synthesizer.model.encoding
        decoded = decode_choices(encoding, slots, offsets, self.random)
        first = {}
        for c, column in enumerate(encoding["columns"]):
            first.setdefault(column["column"], c)
        batch = Batch(rows, lambda name: decoded[first[name]], self.producers)
        return {meta["name"]: batch.get(meta["name"]) for meta in self.synthesizer.columns}

    def _producer(self, plan, meta, index, model_seed, adjust):
        random = self.random
        sensitive = sensitive_handler(meta, model_seed, self.share)
        # A combination's members are completed whole (complete_tuples), never one member alone.
        handle = sensitive if meta["nullable"] or plan["source"] == "combination" else (lambda values: without_nulls(sensitive(values), random))
        finish = handle if adjust is None else (lambda values: handle(adjust(values)))
        source = plan["source"]
        temporal = meta["kind"] in TEMPORAL_KINDS
        if source == "learned":
            return lambda batch: finish(list(batch.learned(plan["column"])))
        if source == "derived":
            lookup = {key: category(value) for key, value in plan["lookup"]}

            def derive(cell):
                value = lookup.get(cell_text(cell))
                return instant(value) if temporal and isinstance(value, float) else value

            return lambda batch: finish([derive(cell) for cell in batch.learned(plan["from"])])
        if source == "gap":
            return lambda batch: finish(gap_highs(batch.get(plan["low"]), batch.learned(plan["column"]), plan, temporal))
        if source == "combination":
            columns = self.synthesizer.columns
            group = [p for p in self.synthesizer.model.plans if p["source"] == "combination" and p["combined"] == plan["combined"]]
            required = [i for i, member in enumerate(group) if not next(c for c in columns if c["name"] == member["column"])["nullable"]]

            def member(batch):
                tuples = batch.tuples.get(plan["combined"])
                if tuples is None:
                    tuples = complete_tuples([split_combination(key) for key in batch.learned(plan["combined"])], required, random)
                    batch.tuples[plan["combined"]] = tuples
                return finish([None if t is None or plan["index"] >= len(t) else t[plan["index"]] for t in tuples])

            return member
        if source == "expression":
            expression = parse_expression(plan["expression"])
            operands = expression_columns(expression)
            decimals = plan.get("decimals")

            def compute(batch):
                values = {name: rule_numbers(batch.get(name)) for name in operands}
                value, valid = evaluate_expression(expression, values.__getitem__, batch.rows)
                if decimals is not None:
                    with np.errstate(all="ignore"):
                        value = js_round_all(value * 10**decimals) / 10**decimals
                return finish([v if ok else None for v, ok in zip(value.tolist(), valid.tolist())])

            return compute
        if source == "lookalike":
            generate = lookalike_generator(plan["profile"], self.seed + index, share=self.share)
            forbidden = set(plan["forbidden"])

            def fresh():
                value = generate()
                while value_hash(value) in forbidden:
                    value = generate()
                return value

            return lambda batch: finish([None if random.next() < plan["nullShare"] else fresh() for _ in range(batch.rows)])
        value = category(plan["value"])
        if plan["isDate"] and isinstance(value, float):
            value = instant(value)
        return lambda batch: finish([None if random.next() < plan["nullShare"] else value for _ in range(batch.rows)])


class Batch:
    """One batch being decoded: the network's decoded columns (`learned`), and each output column produced
    once, on first `get`."""

    def __init__(self, rows, learned, producers):
        self.rows = rows
        self.learned = learned
        self.tuples = {}
        self.producers = producers
        self.produced = {}

    def get(self, name):
        if name not in self.produced:
            self.produced[name] = self.producers[name](self)
        return self.produced[name]


def gap_highs(lows, gaps, plan, temporal):
    """`rebuildHigh` of each row: low + gap × unit, rounded, then mapped by the plan's calibration where the mapped
    value still keeps the rule (instants for dates and timestamps); null when low or the gap is."""
    low = rule_numbers(lows)
    high = round_high(plan, low + rule_numbers(gaps) * plan["unit"])
    present = ~np.isnan(high)
    calibration = plan.get("calibration")
    if calibration is not None:
        mapped = round_high(plan, calibrated_all(np.where(present, high, 0.0), calibration["drawn"], calibration["real"]))
        keeps = (mapped > low) | (~np.bool_(plan["strict"]) & (mapped == low))
        high = np.where(present & keeps, mapped, high)
    values = list(high.astype("datetime64[ms]")) if temporal else high.tolist()
    return [value if ok else None for value, ok in zip(values, present.tolist())]


def round_high(plan, values):
    """A rebuilt high rounded as `round` in ruleConstruction.ts: dates to whole days, else to the plan's decimals."""
    if plan["unit"] != 1:
        return js_round_all(values / plan["unit"]) * plan["unit"]
    if plan.get("decimals") is None:
        return values
    scale = 10 ** plan["decimals"]
    return js_round_all(values * scale) / scale


def complete_tuples(tuples, required, random):
    """`completeTuples`: a tuple with a null in a member the user declared not nullable is replaced whole by
    another tuple of the batch, so that the members still form a combination seen in the data."""
    complete = lambda t: t is not None and all(t[i] is not None for i in required)
    if not required:
        return tuples
    present = [t for t in tuples if complete(t)]
    if not present:
        return tuples
    return [t if complete(t) else present[random.int(len(present))] for t in tuples]


def without_nulls(values, random):
    """A column declared not nullable: each null takes a value drawn from the batch's others."""
    present = [v for v in values if v is not None]
    if not present:
        return values
    return [present[random.int(len(present))] if v is None else v for v in values]


def sensitive_handler(meta, seed, share):
    """`mask` and `fake` change string values on the way out; a fake is consistent per value across the
    stream's batches (not across the parts of a `share`, which only keep fakes apart)."""
    if meta["sensitive"] == "mask":
        return lambda values: [mask_value(v, seed) if isinstance(v, str) else v for v in values]
    if meta["sensitive"] != "fake":
        return lambda values: values
    fakes = {}
    generator = []

    def fake(values):
        strings = [v for v in values if isinstance(v, str)]
        if not generator and strings:
            profile = learn_text(strings) if meta["kind"] == "text" else learn_identifier(strings)
            generator.append(lookalike_generator(profile, seed, set(strings), share))
        out = []
        for v in values:
            if isinstance(v, str) and generator:
                if v not in fakes:
                    fakes[v] = str_of(generator[0]())
                out.append(fakes[v])
            else:
                out.append(v)
        return out

    return fake


def str_of(value):
    """`String(value)` of a generated value."""
    return value if isinstance(value, str) else cell_text(value)
