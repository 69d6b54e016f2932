"""Fresh identifiers, pseudo-text and masks, as `src/core/model/lookalike.ts` makes them.

JavaScript indexes and measures strings in UTF-16 code units, and the generators pick characters
by index, so strings are handled here as `units` strings: one Python character per code unit
(astral characters as their two surrogates), turned back into text on the way out.
"""

import math
import re
import unicodedata
from array import array

from .js_values import js_number_text
from .random import Random

LOWER = "abcdefghijklmnopqrstuvwxyz"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
DIGITS = "0123456789"
HEX = "0123456789abcdef"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
# JavaScript's `\s`, which is not Python's (it has U+FEFF, and not U+001C–U+001F or U+0085).
JS_SPACES = re.compile("[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_MASK = 0xFFFFFFFF


def units(text):
    """Text as one character per UTF-16 code unit."""
    return "".join(map(chr, array("H", text.encode("utf-16-le", "surrogatepass"))))


def text_of(code_units):
    """Code units back to text (a surrogate pair becomes its character; a lone surrogate stays)."""
    return code_units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def class_of(char):
    for alphabet in (LOWER, UPPER, DIGITS):
        if char in alphabet:
            return alphabet
    return None


def value_hash(value):
    """`valueHash`: training values are compared by hash, so the model stores none verbatim."""
    text = f"number:{js_number_text(float(value))}" if isinstance(value, (int, float)) else f"string:{value}"
    h1, h2 = 0x811C9DC5, 0x01000193
    for char in text_of(units(text)):  # code points, as `for…of` iterates
        code = ord(char)
        h1 = ((h1 ^ code) * 0x01000193) & _MASK
        h2 = ((h2 ^ code) * 0x5BD1E995) & _MASK
    return h1 * 2**20 + (h2 >> 12)


def learn_templates(values):
    """Per-length templates: literals where every value agrees, character classes elsewhere."""
    by_length = {}
    for value in values:
        by_length.setdefault(len(value), []).append(value)
    templates = []
    for length, group in sorted(by_length.items()):
        slots = []
        for i in range(length):
            chars = list(dict.fromkeys(v[i] for v in group))
            if len(chars) == 1 and len(group) > 1:
                slots.append({"literal": group[0][i]})
                continue
            classes = list(dict.fromkeys(map(class_of, chars)))
            if None in classes:
                slots.append({"alphabet": "".join(sorted(chars))})
            elif all(c in HEX for c in chars) and len(chars) > 10:
                slots.append({"alphabet": HEX})
            else:
                slots.append({"alphabet": "".join(classes)})
        templates.append({"slots": slots, "weight": len(group) / len(values)})
    return templates


def learn_identifier(values):
    """`learnIdentifier` over strings (what `fake` learns from a batch)."""
    if all(UUID.match(v) for v in values):
        return {"type": "identifier", "format": "uuid", "min": 0, "max": 0, "templates": []}
    templates = learn_templates([units(v) for v in values])
    for template in templates:
        for slot in template["slots"]:
            for key in slot:
                slot[key] = text_of(slot[key])
    return {"type": "identifier", "format": "template", "min": 0, "max": 0, "templates": templates}


def learn_text(values):
    """`learnText`: word counts, word lengths, capitals and character successors."""
    word_counts, word_lengths, successors = {}, {}, {}
    capitalised = words = 0
    for value in values:
        tokens = [t for t in JS_SPACES.split(value) if t]
        index = max(0, len(tokens) - 1)
        word_counts[index] = word_counts.get(index, 0) + 1
        for token in tokens:
            words += 1
            if unicodedata.category(token[0]) == "Lu":
                capitalised += 1
            length = len(units(token))
            word_lengths[length] = word_lengths.get(length, 0) + 1
            previous = "^"
            for char in token.lower():
                successors[previous] = successors.get(previous, "") + char
                previous = char

    def normalise(counts):
        total = sum(counts.values())
        return [counts.get(i, 0) / total for i in range(max(counts, default=-1) + 1)]

    # Cut in code units, as `slice(0, 400)` does.
    successors = {key: text_of(units(chars)[:400]) for key, chars in successors.items()}
    return {"type": "text", "wordCounts": normalise(word_counts), "successors": successors,
            "wordLengths": normalise(word_lengths), "capitalised": capitalised / words if words else 0}


def pick(weights, random):
    u = random.next()
    for i, weight in enumerate(weights):
        u -= weight
        if u <= 0:
            return i
    return len(weights) - 1


def uuid(random):
    hex_digits = [HEX[random.int(16)] for _ in range(32)]
    hex_digits[12] = "4"
    hex_digits[16] = "89ab"[random.int(4)]
    t = "".join(hex_digits)
    return f"{t[:8]}-{t[8:12]}-{t[12:16]}-{t[16:20]}-{t[20:]}"


def lookalike_generator(profile, seed, forbidden=frozenset(), share=(0, 1)):
    """`lookalikeGenerator`: a function giving fresh values; identifiers never repeat, and `forbidden` is never given.

    `share` = (index, parts): this generator's part of the identifier key space when `parts` generators
    run at once (a Spark job's tasks). Their identifiers never meet: integer keys are the ones ≡ index
    (mod parts) above the source's range, template keys hold `index` in fixed characters. (0, 1) is the
    whole space, as the TypeScript sampler has it.
    """
    random = Random(seed)
    index, parts = share
    issued = set()
    unique = profile["type"] == "identifier"
    widen = [lambda: False]  # replaced where a crowded format can make room

    def fresh(make):
        attempt = 0
        while True:
            value = make()
            if value not in issued and value not in forbidden:
                if unique:
                    issued.add(value)
                return value
            if attempt % 200 == 199 and not widen[0]():
                raise RuntimeError("cannot generate a fresh value: the format has run out of room")
            attempt += 1

    if unique and profile["format"] == "uuid":
        return lambda: fresh(lambda: uuid(random))
    if unique and profile["format"] == "integer":
        # Fresh keys above the source range, in random steps (spread over the parts' residues).
        base = float(profile["max"] + 1)
        state = [base + random.int(1000)]

        def step():
            state[0] += 1 + random.int(7)
            return base + (state[0] - base) * parts + index

        return lambda: fresh(step)
    if unique:
        return _template_generator(profile, random, fresh, widen, share)
    return _text_generator(profile, random, fresh)


def _template_generator(profile, random, fresh, widen, share):
    templates = [[(("literal", units(s["literal"])) if "literal" in s else ("alphabet", units(s["alphabet"]))) for s in t["slots"]] for t in profile["templates"]]
    templates = [reserve_share(slots, *share) for slots in templates]
    weights = [t["weight"] for t in profile["templates"]]

    def lengthen():
        # More keys than the seen lengths hold: repeat each template's last varying position.
        for i, slots in enumerate(templates):
            last = max((j for j, (kind, _) in enumerate(slots) if kind == "alphabet"), default=-1)
            if last >= 0:
                templates[i] = slots[: last + 1] + [slots[last]] + slots[last + 1 :]
        return any(kind == "alphabet" for slots in templates for kind, _ in slots)

    widen[0] = lengthen

    def make():
        slots = templates[pick(weights, random)]
        return text_of("".join(chars if kind == "literal" else chars[random.int(len(chars))] for kind, chars in slots))

    return lambda: fresh(make)


def reserve_share(slots, index, parts):
    """A template whose last varying characters spell `index` in their alphabets' mixed radix, as fixed
    characters, so that templates reserved for different indexes never give the same key. The first
    varying character stays free; when the others are too few to tell `parts` apart, the last is repeated."""
    if parts == 1:
        return slots
    slots = list(slots)
    varying = [j for j, (kind, chars) in enumerate(slots) if kind == "alphabet" and len(chars) > 1]
    if not varying:
        return slots
    while math.prod(len(slots[j][1]) for j in varying[1:]) < parts:
        slots.insert(varying[-1] + 1, slots[varying[-1]])
        varying.append(varying[-1] + 1)
    capacity, left = 1, index
    for j in reversed(varying):
        if capacity >= parts:
            break
        chars = slots[j][1]
        slots[j] = ("literal", chars[left % len(chars)])
        left //= len(chars)
        capacity *= len(chars)
    return slots


def _text_generator(profile, random, fresh):
    successors = {units(k): units(v) for k, v in profile["successors"].items()}
    fallback = successors.get("^", LOWER)

    def word():
        length = max(1, pick(profile["wordLengths"], random))
        text = ""
        previous = "^"
        while len(text) < length:
            options = successors.get(previous, fallback)
            previous = options[random.int(len(options))]
            text += previous
        if random.next() < profile["capitalised"]:
            text = units(text_of(text[0]).upper()) + text[1:]
        return text

    return lambda: fresh(lambda: text_of(" ".join(word() for _ in range(pick(profile["wordCounts"], random) + 1))))


def mask_value(value, seed):
    """`maskValue`: letters to letters of the same case, digits to digits, the rest kept; the same input masks the same way."""
    state = int(seed) & _MASK
    for char in value:  # code points; `charCodeAt(0)` of an astral one is its high surrogate
        state = ((state ^ ord(units(char)[0])) * 0x01000193) & _MASK
    random = Random(state)
    return "".join(
        alphabet[random.int(len(alphabet))] if (alphabet := class_of(char)) else char for char in value
    )
