"""Rows from the network's draws, per column kind, as `decodeChoices` in `src/core/model/encoding.ts` makes them.

Cells are Python values: None (null), bool, float (every number: JavaScript holds them as doubles),
str, and numpy.datetime64 in milliseconds for dates (at midnight UTC) and timestamps.
"""

import numpy as np

from .js_values import DAY_MS, iso_text, js_number_text, js_round, utc_weekday

NUMERIC_KINDS = frozenset({"continuous", "integer", "date", "timestamp"})
TEMPORAL_KINDS = frozenset({"date", "timestamp"})


def instant(ms):
    return np.datetime64(int(ms), "ms")


def instant_ms(cell):
    return int(cell.astype("datetime64[ms]").astype(np.int64))


def cell_text(cell):
    """`cellText`: a cell as the text lookups key on and `--where` compares with."""
    if cell is None:
        return "null"
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, np.datetime64):
        return iso_text(instant_ms(cell))
    if isinstance(cell, (int, float)):
        return js_number_text(float(cell))
    return str(cell)


def category(value):
    """A category from model.json: numbers become doubles, as JavaScript reads them."""
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def number_cell(kind, value):
    """`numberCell`: whole numbers already rounded; dates to the nearest midnight UTC, timestamps to the millisecond."""
    if value is None:
        return None
    if kind == "date":
        return instant(js_round(value / DAY_MS) * DAY_MS)
    if kind == "timestamp":
        return instant(js_round(value))
    return float(value)


def pick_weighted(values, weights, random):
    u = random.next()
    for value, weight in zip(values[:-1], weights):
        u -= weight
        if u <= 0:
            return value
    return values[-1]


def decode_categorical(column, slots, random):
    categories = [category(v) for v in column["categories"]]
    rare = column.get("rare")
    rare_values = [category(v) for v in rare["values"]] if rare else None
    as_number = column["kind"] in NUMERIC_KINDS and "calendar" not in column
    out = []
    for slot in slots.tolist():
        value = pick_weighted(rare_values, rare["weights"], random) if rare and slot == len(categories) else categories[slot]
        out.append(number_cell(column["kind"], value) if as_number else value)
    return out


# Whole numbers from here on are written with an exponent in JavaScript: their digits are not counted.
ROUNDED_BELOW = 1e15


def decode_numeric(column, slots, offsets, offset_scale, random):
    """A numeric entry's cells: spikes as they are; mode values computed for all rows at once (numpy, in
    the same float64 operations as the TypeScript loop), then rounded by the shares row by row."""
    spikes = column["spikes"]
    kind = column["kind"]
    slots = np.asarray(slots)
    spike_cells = [number_cell(kind, v) for v in spikes]
    out = [spike_cells[slot] if slot < len(spikes) else None for slot in slots.tolist()]
    rows = np.nonzero(slots >= len(spikes))[0]
    if rows.size == 0:
        return out
    mode = slots[rows] - len(spikes)
    offset = np.clip(np.asarray(offsets, dtype=np.float64)[rows], -1.0, 1.0)
    value = np.asarray(column["means"], dtype=np.float64)[mode] + offset * offset_scale * np.asarray(column["stds"], dtype=np.float64)[mode]
    if column.get("calibration"):
        value = calibrated_all(value, column["calibration"]["drawn"], column["calibration"]["real"])
    if column["integral"] and kind not in TEMPORAL_KINDS:
        value = js_round_all(value)
    decimals = column.get("decimals")
    if decimals is not None:
        value = js_round_all(value * 10**decimals) / 10**decimals
    value = np.maximum(column["min"], np.minimum(column["max"], value))
    values = value.tolist()
    rounding = {r["digits"]: r["weights"] for r in column.get("rounding", [])}
    if rounding:
        values = [round_like(v, rounding, column["min"], column["max"], random) for v in values]
    for r, v in zip(rows.tolist(), values):
        out[r] = number_cell(kind, v)
    return out


def js_round_all(values):
    """`Math.round` of each value: halves go up."""
    floor = np.floor(values)
    return np.where(values - floor >= 0.5, floor + 1, floor)


def calibrated_all(values, drawn, real):
    """`calibrated` of each value: the i with drawn[i] <= value < drawn[i + 1] by a right-sided search."""
    drawn = np.asarray(drawn, dtype=np.float64)
    real = np.asarray(real, dtype=np.float64)
    i = np.clip(np.searchsorted(drawn, values, side="right") - 1, 0, len(drawn) - 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        mapped = real[i] + ((values - drawn[i]) / (drawn[i + 1] - drawn[i])) * (real[i + 1] - real[i])
    return np.where(values <= drawn[0], real[0], np.where(values >= drawn[-1], real[-1], mapped))


def round_like(value, rounding, low, high, random):
    """`roundLike`: a whole number rounded to 10^k, k drawn by the shares learned for its number of digits, kept in range."""
    weights = rounding.get(len(js_number_text(abs(value)))) if abs(value) < ROUNDED_BELOW else None
    if weights is None:
        return value
    step = 10 ** pick_weighted(list(range(len(weights))), weights, random)
    rounded = js_round(value / step) * step
    return rounded if low <= rounded <= high else value


def move_to_weekdays(dates, weekdays, column):
    """`moveToWeekdays`: each date moves by at most three days to its drawn weekday, staying in the learned range."""
    low = column["min"] - DAY_MS / 2
    high = column["max"] + DAY_MS / 2
    for r, (date, weekday) in enumerate(zip(dates, weekdays)):
        if date is None or not isinstance(weekday, float):
            continue
        ms = instant_ms(date)
        ahead = int((weekday - utc_weekday(ms) + 7) % 7)
        for days in ((ahead, ahead - 7) if ahead <= 3 else (ahead - 7, ahead)):
            time = ms + days * DAY_MS
            if low <= time <= high:
                dates[r] = instant(time)
                break


def decode_choices(encoding, slots, offsets, random):
    """Per encoded column, its cells: the rare bucket's picks draw from `random`, column by column, row by row."""
    decoded = []
    for c, column in enumerate(encoding["columns"]):
        if column["type"] == "categorical":
            decoded.append(decode_categorical(column, slots[c], random))
        else:
            decoded.append(decode_numeric(column, slots[c], offsets[c], encoding["offsetScale"], random))
    for c, column in enumerate(encoding["columns"]):
        dates = encoding["columns"][c - 1] if c > 0 else None
        if column.get("calendar") == "weekday" and dates is not None and dates["type"] == "numeric":
            move_to_weekdays(decoded[c - 1], decoded[c], dates)
    return decoded
