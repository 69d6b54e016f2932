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
    spikes = column["spikes"]
    kind = column["kind"]
    rounded = column["integral"] and kind not in TEMPORAL_KINDS
    calibration = column.get("calibration")
    decimals = column.get("decimals")
    rounding = {r["digits"]: r["weights"] for r in column.get("rounding", [])}
    low, high = column["min"], column["max"]
    out = []
    for r, slot in enumerate(slots.tolist()):
        if slot < len(spikes):
            out.append(number_cell(kind, spikes[slot]))
            continue
        mode = slot - len(spikes)
        offset = max(-1.0, min(1.0, float(offsets[r])))
        value = column["means"][mode] + offset * offset_scale * column["stds"][mode]
        if calibration:
            value = calibrated(value, calibration["drawn"], calibration["real"])
        if rounded:
            value = js_round(value)
        if decimals is not None:
            value = js_round(value * 10**decimals) / 10**decimals
        value = max(low, min(high, value))
        if rounding:
            value = round_like(value, rounding, low, high, random)
        out.append(number_cell(kind, value))
    return out


def calibrated(value, drawn, real):
    """`calibrated`: a drawn value mapped from the drawn quantiles to the real ones, linearly between neighbouring points."""
    last = len(drawn) - 1
    if value <= drawn[0]:
        return float(real[0])
    if value >= drawn[last]:
        return float(real[last])
    low, high = 0, last - 1
    while low < high:  # the i with drawn[i] <= value < drawn[i + 1]
        middle = (low + high) >> 1
        if drawn[middle + 1] > value:
            high = middle
        else:
            low = middle + 1
    return real[low] + ((value - drawn[low]) / (drawn[low + 1] - drawn[low])) * (real[low + 1] - real[low])


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
