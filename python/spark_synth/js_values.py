"""JavaScript's arithmetic and text for the values the TypeScript sampler makes, where Python's differ."""

import math

DAY_MS = 86_400_000


def js_round(value):
    """`Math.round`: halves go up (−2.5 → −2), where Python's `round` goes to even."""
    floor = math.floor(value)
    return float(floor + 1 if value - floor >= 0.5 else floor)


def js_number_text(value):
    """`String(number)`: the shortest round-trip digits, in JavaScript's notation (`3`, `0.1`, `1e+21`, `1.5e-7`)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    digits, point = _shortest_digits(abs(value))
    n = point  # the value is 0.digits × 10^n
    k = len(digits)
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = f"0.{'0' * -n}{digits}"
    else:
        e = n - 1
        text = (digits if k == 1 else f"{digits[0]}.{digits[1:]}") + f"e{'+' if e >= 0 else '-'}{abs(e)}"
    return sign + text


def _shortest_digits(value):
    """The shortest digits that round-trip (Python's `repr` finds the same ones) and the decimal point's position."""
    text = repr(value)
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    if whole == "0":  # 0.000123: the point sits before the fraction's leading zeros
        point = -(len(fraction) - len(fraction.lstrip("0")))
    else:
        point = len(whole) + (int(exponent) if exponent else 0)
    digits = digits.rstrip("0") or "0"
    return digits, point


def iso_text(ms):
    """`Date.prototype.toISOString` of a time in milliseconds since the epoch (six-digit signed years outside 0–9999)."""
    days, rest = divmod(int(ms), DAY_MS)
    year, month, day = _civil_date(days)
    year_text = f"{year:04d}" if 0 <= year <= 9999 else f"{'+' if year > 0 else '-'}{abs(year):06d}"
    hours, rest = divmod(rest, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{year_text}-{month:02d}-{day:02d}T{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}Z"


def _civil_date(days):
    """Proleptic Gregorian (year, month, day) of a day number, for any year (H. Hinnant's `civil_from_days`)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def utc_weekday(ms):
    """`getUTCDay`: 0 Sunday … 6 Saturday; the epoch was a Thursday."""
    return (int(ms) // DAY_MS + 4) % 7
