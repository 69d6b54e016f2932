"""Synthetic rows from a model folder, as `Synthesizer` in `src/core/model/synthesizer.ts` makes them.

The same seed gives the same rows as the TypeScript sampler, batch by batch: every random draw is
made from the same stream in the same order. The network's float32 sums differ from TensorFlow.js'
in the last bits, so a drawn offset may differ by a few float32 steps (numbers by as much times the
mode's spread), and a draw flips only when a uniform lands within about 1e-7 of a softmax boundary
(then the stream after it differs). The network runs on numpy's BLAS: on an executor, one thread
per task (OPENBLAS_NUM_THREADS=1) is much faster than BLAS threads competing for the cores.
"""

from .decode import cell_text, category, decode_choices, instant
from .lookalike import learn_identifier, learn_text, lookalike_generator, mask_value, value_hash
from .model_folder import load_model_folder
from .network import MaskedNetwork
from .random import Random, imul

# `spark-synth sample` draws and decodes this many rows at a time; the batches are part of what a seed means.
BATCH_ROWS = 100_000
# `--where` draws batches of at least this many rows, and gives up after 200 times the rows asked for (at least 1,000).
WHERE_BATCH_ROWS = 10_000
WHERE_GIVE_UP = 200


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
    """Batches from one seed: one random stream for decoding; the network draws batch i with `model_seed(i)`."""

    def __init__(self, synthesizer, seed, share=(0, 1)):
        self.synthesizer = synthesizer
        self.seed = seed
        self.share = share
        self.random = Random(seed)
        self.index = 0
        model = synthesizer.model
        self.producers = [
            self._producer(plan, meta, i, model.seed) for i, (plan, meta) in enumerate(zip(model.plans, synthesizer.columns))
        ]

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
        """A batch's rows from the network's draw for it: column name -> list of cells, in output order."""
        encoding = self.synthesizer.model.encoding
        decoded = decode_choices(encoding, slots, offsets, self.random)
        first = {}
        for c, column in enumerate(encoding["columns"]):
            first.setdefault(column["column"], c)
        learned = lambda name: decoded[first[name]]
        return {meta["name"]: produce(learned, rows) for meta, produce in zip(self.synthesizer.columns, self.producers)}

    def _producer(self, plan, meta, index, model_seed):
        random = self.random
        sensitive = sensitive_handler(meta, model_seed, self.share)
        handle = sensitive if meta["nullable"] else (lambda values: without_nulls(sensitive(values), random))
        source = plan["source"]
        if source == "learned":
            return lambda learned, rows: handle(list(learned(plan["column"])))
        if source == "derived":
            lookup = {key: category(value) for key, value in plan["lookup"]}
            temporal = meta["kind"] in ("date", "timestamp")

            def derive(cell):
                value = lookup.get(cell_text(cell))
                return instant(value) if temporal and isinstance(value, float) else value

            return lambda learned, rows: handle([derive(cell) for cell in learned(plan["from"])])
        if source == "lookalike":
            generate = lookalike_generator(plan["profile"], self.seed + index, share=self.share)
            forbidden = set(plan["forbidden"])

            def fresh():
                value = generate()
                while value_hash(value) in forbidden:
                    value = generate()
                return value

            return lambda learned, rows: handle([None if random.next() < plan["nullShare"] else fresh() for _ in range(rows)])
        value = category(plan["value"])
        if plan["isDate"] and isinstance(value, float):
            value = instant(value)
        return lambda learned, rows: handle([None if random.next() < plan["nullShare"] else value for _ in range(rows)])


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
