"""The masked autoregressive network of `src/core/model/made.ts`, in float32 as TensorFlow.js computes it."""

from dataclasses import dataclass

import numpy as np

from .model_folder import ModelFolderError
from .random import normals_at, stream_key, uniforms_at

# The fields of a recorded column head (`network.columns[]` in the manifest) that fix the wiring.
HEAD_FIELDS = ("inputStart", "inputWidth", "logitStart", "logitCount", "spikes", "modes", "meanStart", "sigmaStart")


@dataclass(frozen=True)
class ColumnLayout:
    """Where one encoded column sits in the input (one-hot + offset) and output (logits + offset means)."""

    group_start: int
    group_size: int
    spikes: int  # slots before the first mixture mode (every slot, for a categorical column)
    modes: int
    input_start: int
    input_width: int
    slot_start: int


def column_layouts(encoding):
    layouts = []
    input_start = 0
    slot_start = 0
    for column in encoding["columns"]:
        numeric = column["type"] == "numeric"
        modes = len(column["means"]) if numeric else 0
        input_width = column["size"] + (1 if modes > 0 else 0)
        layouts.append(ColumnLayout(
            group_start=column["start"], group_size=column["size"],
            spikes=len(column["spikes"]) if numeric else column["size"], modes=modes,
            input_start=input_start, input_width=input_width, slot_start=slot_start,
        ))
        input_start += input_width
        slot_start += modes
    return layouts


def hidden_degrees(units, columns):
    """Hidden unit u may see columns before 1 + ⌊u·max(1, columns − 1)/units⌋, as in `Made`'s constructor."""
    return np.array([1 + (u * max(1, columns - 1)) // units for u in range(units)], dtype=np.int32)


# Rows drawn together: numpy's fixed cost per operation is paid once per chunk and column.
CHUNK_ROWS = 4096


class MaskedNetwork:
    """The network's forward pass and its column-by-column draw, with the masks `Made` builds."""

    def __init__(self, model):
        encoding = model.encoding
        self.layout = column_layouts(encoding)
        self.inputs = sum(l.input_width for l in self.layout)
        self.categories = encoding["categories"]
        self.slots = sum(l.modes for l in self.layout)
        outputs = self.categories + self.slots
        columns = len(self.layout)

        input_degrees = np.zeros(self.inputs, dtype=np.int32)
        output_degrees = np.zeros(outputs, dtype=np.int32)
        for c, l in enumerate(self.layout):
            input_degrees[l.input_start : l.input_start + l.input_width] = c + 1
            output_degrees[l.group_start : l.group_start + l.group_size] = c + 1
            output_degrees[self.categories + l.slot_start : self.categories + l.slot_start + l.modes] = c + 1

        def masked(weight, from_degrees, to_degrees, strict):
            if weight.shape != (len(from_degrees), len(to_degrees)):
                raise ModelFolderError(f"a weight has shape {list(weight.shape)} where the encoding gives [{len(from_degrees)}, {len(to_degrees)}]")
            allowed = from_degrees[:, None] < to_degrees[None, :] if strict else from_degrees[:, None] <= to_degrees[None, :]
            return (weight * allowed).astype(np.float32)

        w = model.weights
        self.hidden_degrees = []
        self.layers = []  # (masked weight, bias) per layer, the output layer last
        previous_degrees = input_degrees
        for h, units in enumerate(model.hidden):
            degrees = hidden_degrees(units, columns)
            self.layers.append((masked(w[f"hidden{h}.w"], previous_degrees, degrees, False), w[f"hidden{h}.b"]))
            self.hidden_degrees.append(degrees)
            previous_degrees = degrees
        self.layers.append((masked(w["output.w"], previous_degrees, output_degrees, True), w["output.b"]))
        self.direct = (masked(w["direct.w"], input_degrees, output_degrees, True), w["direct.b"])
        self.sigma = np.exp(w["log_sigma"].astype(np.float64))
        # Rows computed together: the rows drawn do not depend on it (each row's numbers are fixed by its index).
        self.chunk_rows = model.sampler["chunkRows"]
        self.offset_clip = model.sampler["offsetClip"]
        if model.network is not None:
            self._check_wiring(model.network, input_degrees, output_degrees)

    def _check_wiring(self, recorded, input_degrees, output_degrees):
        """A model that records its wiring (`network`) must have the one derived here from the encoding."""
        derived = {
            "inputs": self.inputs,
            "logits": self.categories,
            "means": self.slots,
            "degrees": {"input": input_degrees.tolist(), "hidden": [d.tolist() for d in self.hidden_degrees], "output": output_degrees.tolist()},
            "columns": [
                {"inputStart": l.input_start, "inputWidth": l.input_width, "logitStart": l.group_start, "logitCount": l.group_size,
                 "spikes": l.spikes, "modes": l.modes, "meanStart": self.categories + l.slot_start, "sigmaStart": l.slot_start}
                for l in self.layout
            ],
        }
        found = {key: recorded.get(key) for key in derived}
        found["columns"] = [{key: column.get(key) for key in HEAD_FIELDS} for column in recorded.get("columns", [])]
        differing = [key for key in derived if found[key] != derived[key]]
        if differing:
            raise ModelFolderError(f"the model's recorded network ({', '.join(differing)}) is not the one its encoding gives")

    def forward(self, x):
        """Logits then offset means (before tanh) for encoded input rows, as `Made.forward` gives them."""
        x = np.asarray(x, dtype=np.float32)
        h = x
        for l, (weight, bias) in enumerate(self.layers):
            h = h @ weight + bias
            if l < len(self.layers) - 1:
                h = np.maximum(h, np.float32(0))
        weight, bias = self.direct
        return h + (x @ weight + bias)

    def _steps(self):
        """Per column, the weight blocks its step needs, cut once: the hidden units of its degree and its head.

        Hidden units are ordered by degree, so the units of degree c (what column c adds) are a block of
        each layer, fed by the inputs and units before them; the other weights are masked out.
        """
        columns = len(self.layout)
        units_up_to = [np.searchsorted(degrees, np.arange(columns + 1), side="right") for degrees in self.hidden_degrees]
        out_weight, out_bias = self.layers[-1]
        direct_weight, direct_bias = self.direct
        # The heads' bias is the output layer's plus the direct connection's, added in float32 as `Made.sample` does.
        head_bias = out_bias + direct_bias
        steps = []
        for c, l in enumerate(self.layout):
            blocks = []
            if c > 0:
                previous_end = l.input_start
                for h, (weight, bias) in enumerate(self.layers[:-1]):
                    first, end = units_up_to[h][c - 1], units_up_to[h][c]
                    blocks.append((first, end, np.ascontiguousarray(weight[:previous_end, first:end]), bias[first:end]))
                    previous_end = end
            head = np.r_[l.group_start : l.group_start + l.group_size, self.categories + l.slot_start : self.categories + l.slot_start + l.modes]
            hidden_end = units_up_to[-1][c] if c > 0 else 0
            steps.append((
                blocks,
                hidden_end,
                np.ascontiguousarray(out_weight[:hidden_end][:, head]),
                head_bias[head],
                np.ascontiguousarray(direct_weight[: l.input_start][:, head]),
            ))
        return steps

    def draw(self, rows, seed):
        """Per column, the drawn slot of each row and (numeric columns) the drawn offset, as `Made.sample` draws them."""
        steps = self._steps()
        keys = [stream_key(seed, c) for c in range(len(self.layout))]
        slots = [np.zeros(rows, dtype=np.int32) for _ in self.layout]
        offsets = [np.zeros(rows, dtype=np.float32) if l.modes > 0 else None for l in self.layout]
        for start in range(0, rows, self.chunk_rows):
            count = min(self.chunk_rows, rows - start)
            counters = 3 * np.arange(start, start + count, dtype=np.uint32)
            x = np.zeros((count, self.inputs), dtype=np.float32)
            hidden = [np.zeros((count, len(d)), dtype=np.float32) for d in self.hidden_degrees]
            for c, (l, (blocks, hidden_end, head_weight, head_bias, direct_weight)) in enumerate(zip(self.layout, steps)):
                previous = x
                for h, (first, end, weight, bias) in enumerate(blocks):
                    if end > first:
                        hidden[h][:, first:end] = np.maximum(previous[:, : weight.shape[0]] @ weight + bias, np.float32(0))
                    previous = hidden[h]
                if hidden_end > 0:
                    out = hidden[-1][:, :hidden_end] @ head_weight + head_bias
                else:
                    out = np.tile(head_bias, (count, 1))
                if l.input_start > 0:
                    out = out + x[:, : l.input_start] @ direct_weight
                drawn, drawn_offsets = self._draw_column(out.astype(np.float64), l, keys[c], counters, x)
                slots[c][start : start + count] = drawn
                if drawn_offsets is not None:
                    offsets[c][start : start + count] = drawn_offsets
        return slots, offsets

    def _draw_column(self, values, l, key, counters, x):
        """The softmax draw and the offset of each row, in doubles, as `Made.sample` makes them; writes them into `x`."""
        count = len(values)
        rows = np.arange(count)
        logits = values[:, : l.group_size]
        weights = np.exp(logits - logits[rows, np.argmax(logits, axis=1)][:, None])
        totals = np.zeros(count)
        for j in range(l.group_size):  # summed left to right, as the TypeScript loop does
            totals += weights[:, j]
        u = uniforms_at(key, counters) * totals
        # subtract.accumulate subtracts left to right, as the TypeScript loop does.
        remaining = np.subtract.accumulate(np.column_stack([u, weights[:, :-1]]), axis=1)[:, 1:] <= 0
        # A group of one slot (value protection folds every value of a column into its rare bucket) has nothing to subtract.
        first = remaining.argmax(axis=1) if l.group_size > 1 else np.zeros(count, dtype=np.int64)
        slots = np.where(remaining.any(axis=1), first, l.group_size - 1)
        x[rows, l.input_start + slots] = 1
        if l.modes == 0:
            return slots, None
        offsets = np.zeros(count, dtype=np.float32)
        moded = np.nonzero(slots >= l.spikes)[0]
        mode = slots[moded] - l.spikes
        means = np.tanh(values[moded, l.group_size + mode])
        drawn = means + self.sigma[l.slot_start + mode] * normals_at(key, counters[moded] + np.uint32(1))
        offsets[moded] = np.clip(drawn, -self.offset_clip, self.offset_clip).astype(np.float32)
        x[moded, l.input_start + l.group_size] = offsets[moded]
        return slots, offsets
