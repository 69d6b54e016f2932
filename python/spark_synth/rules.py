"""Business rules (the metadata's `rules`) as the TypeScript sampler keeps them: the expression grammar of
`src/core/rules/expression.ts`, the row checks of `src/core/rules/check.ts`, the range and increment adjusters
of `synthesizer.ts` and the guard of `src/core/model/ruleGuard.ts`, which takes the rows keeping every rule.

Checks run on whole columns at once (numpy, in the same float64 operations as the TypeScript ones); numbers
are Python floats, instants numpy.datetime64 in milliseconds (compared by their milliseconds).
"""

import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

from .decode import category, cell_text, instant_ms, js_round_all
from .js_values import js_number_text, js_round

# Float rounding allowed in equalities, relative to the numbers compared (`RELATIVE_EPSILON`).
RELATIVE_EPSILON = 1e-9


class ExpressionError(ValueError):
    """An expression that does not parse, saying where it stops making sense."""


class RulesTooRareError(ValueError):
    """The model rarely generates rows that keep a rule: the guard gave up drawing again."""


def quote_name(name):
    """A column name as expressions write it: in backquotes, a backquote inside doubled."""
    return "`" + name.replace("`", "``") + "`"


_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _tokenize(text):
    tokens = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "+-*/()":
            tokens.append(("symbol", char))
            i += 1
        elif char == "`":
            name = ""
            i += 1
            while True:
                if i >= len(text):
                    raise ExpressionError("a column name opened with ` is not closed")
                if text[i] == "`" and text[i + 1 : i + 2] == "`":
                    name += "`"
                    i += 2
                elif text[i] == "`":
                    i += 1
                    break
                else:
                    name += text[i]
                    i += 1
            if name == "":
                raise ExpressionError("an empty column name (``)")
            tokens.append(("name", name))
        else:
            number = _NUMBER.match(text, i)
            if not number:
                raise ExpressionError(f'unexpected "{char}" at character {i + 1} (column names go in backquotes: `name`)')
            tokens.append(("number", float(number.group())))
            i = number.end()
    return tokens


def parse_expression(text):
    """The expression's tree: ("number", v), ("column", name), ("negate", e) or (op, left, right) for + - * /."""
    tokens = _tokenize(text)
    at = 0

    def symbol(value):
        return at < len(tokens) and tokens[at] == ("symbol", value)

    def binary(operand, ops):
        nonlocal at
        left = operand()
        while any(symbol(op) for op in ops):
            op = tokens[at][1]
            at += 1
            left = (op, left, operand())
        return left

    def sum_():
        return binary(product, "+-")

    def product():
        return binary(unary, "*/")

    def unary():
        nonlocal at
        if symbol("-"):
            at += 1
            return ("negate", unary())
        return atom()

    def atom():
        nonlocal at
        if at >= len(tokens):
            raise ExpressionError("the expression ends early")
        kind, value = tokens[at]
        at += 1
        if kind == "number":
            return ("number", value)
        if kind == "name":
            return ("column", value)
        if value == "(":
            inner = sum_()
            if not symbol(")"):
                raise ExpressionError('a "(" is not closed')
            at += 1
            return inner
        raise ExpressionError(f'unexpected "{value}"')

    tree = sum_()
    if at < len(tokens):
        kind, value = tokens[at]
        shown = quote_name(value) if kind == "name" else f'"{js_number_text(value) if kind == "number" else value}"'
        raise ExpressionError(f"unexpected {shown} after a complete expression")
    return tree


def expression_columns(tree):
    """The columns an expression reads, each once, in order of appearance."""
    names = []

    def visit(node):
        if node[0] == "column":
            if node[1] not in names:
                names.append(node[1])
        elif node[0] == "negate":
            visit(node[1])
        elif node[0] != "number":
            visit(node[1])
            visit(node[2])

    visit(tree)
    return names


def evaluate_expression(tree, values, rows):
    """The expression's value for each row: `values(name)` gives a column's numbers (float64, NaN for null).
    Returns (numbers, valid): a row is invalid when an operand is null or a step's result is not finite
    (a division by zero), as `evaluateExpression` returns null at the first such step."""

    def evaluate(node):
        op = node[0]
        if op == "number":
            return np.full(rows, node[1]), np.ones(rows, dtype=bool)
        if op == "column":
            column = values(node[1])
            return column, ~np.isnan(column)
        if op == "negate":
            operand, valid = evaluate(node[1])
            return -operand, valid
        (left, left_valid), (right, right_valid) = evaluate(node[1]), evaluate(node[2])
        with np.errstate(all="ignore"):
            result = left + right if op == "+" else left - right if op == "-" else left * right if op == "*" else left / right
        return result, left_valid & right_valid & np.isfinite(result)

    return evaluate(tree)


def kept_rules(metadata):
    """`keptRules`: proposed and accepted rules are kept, rejected ones not."""
    return [rule for rule in metadata.get("rules", []) if rule["status"] != "rejected"]


def rule_names(rule):
    """Every column a rule reads or writes (an expression's operands too)."""
    kind = rule["kind"]
    if kind == "inequality":
        return [rule["low"], rule["high"]]
    if kind in ("combination", "unique"):
        return list(rule["columns"])
    if kind == "expression":
        return [rule["column"], *expression_columns(parse_expression(rule["expression"]))]
    return [rule["column"]]


def active_rules(metadata, output):
    """`activeRules`: the kept rules whose columns are all in the output."""
    names = {column["name"] for column in output}
    return [rule for rule in kept_rules(metadata) if all(name in names for name in rule_names(rule))]


def _number_text(value):
    return js_number_text(float(value))


def describe_rule(rule):
    """`describeRule`: the rule as a user writes it (`start` <= `end`)."""
    q = quote_name
    kind = rule["kind"]
    if kind == "inequality":
        return f"{q(rule['low'])} {'<' if rule.get('strict') else '<='} {q(rule['high'])}"
    if kind == "combination":
        return f"only seen combinations of {', '.join(map(q, rule['columns']))}"
    if kind == "range":
        low = "" if "min" not in rule else f"{_number_text(rule['min'])} {'<' if rule.get('minExclusive') else '<='} "
        high = "" if "max" not in rule else f" {'<' if rule.get('maxExclusive') else '<='} {_number_text(rule['max'])}"
        return f"{low}{q(rule['column'])}{high}"
    if kind == "increment":
        return f"{q(rule['column'])} in steps of {_number_text(rule['step'])}"
    if kind == "expression":
        tolerance = f" (± {_number_text(rule['tolerance'])})" if rule.get("tolerance") else ""
        return f"{q(rule['column'])} = {rule['expression']}{tolerance}"
    return f"unique ({', '.join(map(q, rule['columns']))})"


def rule_number(cell):
    """`ruleNumber`: a number as rules compare it, instants by their milliseconds; None for anything else."""
    if isinstance(cell, np.datetime64):
        return float(instant_ms(cell))
    if isinstance(cell, float) and not math.isnan(cell):
        return cell
    return None


def rule_numbers(cells):
    """`rule_number` of each cell, as float64 with NaN for None. A column's cells are of one type: a column
    of numbers or of instants converts at once (numpy), any other cell by cell."""
    first = next((cell for cell in cells if cell is not None), None)
    try:
        if isinstance(first, float):
            return np.array(cells, dtype=np.float64)
        if isinstance(first, np.datetime64):
            instants = np.array(cells, dtype="datetime64[ms]")
            return np.where(np.isnat(instants), np.nan, instants.astype(np.int64).astype(np.float64))
    except (TypeError, ValueError):  # cells of another type among them
        pass
    return np.array([np.nan if (n := rule_number(cell)) is None else n for cell in cells], dtype=np.float64)


def nearly_equal(a, b, tolerance=0.0):
    """`nearlyEqual` of arrays."""
    return np.abs(a - b) <= tolerance + RELATIVE_EPSILON * np.maximum(1, np.maximum(np.abs(a), np.abs(b)))


def tuple_key(cells):
    """A tuple of cells as one key (`tupleKey`): their texts; None when a cell is null (a rule then holds)."""
    return None if any(cell is None for cell in cells) else tuple(cell_text(cell) for cell in cells)


def rule_check(rule, table, rows, combinations=None):
    """Whether each row of `table` (column name -> cells) keeps `rule` (not `unique`), as `ruleCheck` says:
    a boolean array. `combinations`: the value tuples a combination rule allows (`tuple_key`s)."""
    kind = rule["kind"]
    numbers = lambda name: rule_numbers(table[name])
    with np.errstate(all="ignore"):
        if kind == "inequality":
            a, b = numbers(rule["low"]), numbers(rule["high"])
            return np.isnan(a) | np.isnan(b) | ((a < b) if rule.get("strict") else (a <= b))
        if kind == "range":
            x = numbers(rule["column"])
            holds = np.ones(rows, dtype=bool)
            if "min" in rule:
                holds &= (x > rule["min"]) if rule.get("minExclusive") else (x >= rule["min"])
            if "max" in rule:
                holds &= (x < rule["max"]) if rule.get("maxExclusive") else (x <= rule["max"])
            return np.isnan(x) | holds
        if kind == "increment":
            x = numbers(rule["column"])
            ratio = x / rule["step"]
            return np.isnan(x) | nearly_equal(ratio, js_round_all(ratio))
        if kind == "expression":
            x = numbers(rule["column"])
            expected, valid = evaluate_expression(parse_expression(rule["expression"]), numbers, rows)
            return np.isnan(x) | ~valid | nearly_equal(x, expected, rule.get("tolerance", 0))
    if kind == "combination":
        keys = (tuple_key(cells) for cells in zip(*(table[name] for name in rule["columns"])))
        return np.array([combinations is None or key is None or key in combinations for key in keys], dtype=bool)
    raise ValueError(f"a {kind} rule is checked by the guard's keys, not row by row")


def to_precision_15(value):
    """`Number(value.toPrecision(15))`: 15 significant digits, a tie rounded away from zero (Python's format
    rounds it to even, so the rare exact tie goes through Decimal)."""
    if value == 0 or not math.isfinite(value):
        return 0.0 if value == 0 else value
    if f"{abs(value):.15e}"[16] != "5":  # the 16th significant digit: no tie possible
        return float(f"{value:.14e}")
    exact = Decimal(value)
    return float(exact.quantize(Decimal(1).scaleb(exact.adjusted() - 14), rounding=ROUND_HALF_UP))


def column_adjusters(rules):
    """`columnAdjusters`: per column, its range rules' clamping then its increment rules' rounding, in the
    document's order, of its numbers (instants and other cells as they are)."""
    adjusters = {}
    for rule in rules:
        if rule["kind"] == "range":
            low, high = float(rule.get("min", -math.inf)), float(rule.get("max", math.inf))
            adjust = lambda v, low=low, high=high: min(high, max(low, v))
        elif rule["kind"] == "increment":
            step = float(rule["step"])
            adjust = lambda v, step=step: to_precision_15(js_round(v / step) * step)
        else:
            continue
        before = adjusters.get(rule["column"])
        adjusters[rule["column"]] = lambda values, before=before, adjust=adjust: [
            adjust(v) if isinstance(v, float) else v for v in (before(values) if before else values)
        ]
    return adjusters


def split_combination(key):
    """A combination's member values from its decoded category (its JSON), numbers as doubles."""
    return [category(value) for value in json.loads(key)] if isinstance(key, str) else None


def allowed_combinations(rules, plans, encoding, columns):
    """`allowedCombinations`: per combination rule built in (by its index in `rules`), the value tuples the
    model can generate: the combined column's categories and rare values projected on the rule's columns.
    A rule with a masked or faked member is not judged: its values are written other than drawn."""
    rewritten = {c["name"] for c in columns if c["sensitive"] in ("mask", "fake")}
    allowed = {}
    for index, rule in enumerate(rules):
        if rule["kind"] != "combination" or any(name in rewritten for name in rule["columns"]):
            continue
        plan = next((p for p in plans if p["column"] == rule["columns"][0]), None)
        if plan is None or plan["source"] != "combination":
            continue
        group = [p["column"] for p in plans if p["source"] == "combination" and p["combined"] == plan["combined"]]
        if not all(name in group for name in rule["columns"]):
            continue
        column = next((c for c in encoding["columns"] if c["column"] == plan["combined"]), None)
        if column is None or column["type"] != "categorical":
            continue
        keys = [*column["categories"], *(column["rare"]["values"] if column.get("rare") else [])]
        tuples = (split_combination(key) for key in keys)
        allowed[index] = {
            tuple(None if t[group.index(name)] is None else cell_text(t[group.index(name)]) for name in rule["columns"])
            for t in tuples
            if t is not None
        }
    return allowed


class RuleGuard:
    """`RuleGuard`: takes the rows that keep every rule; unique keys are remembered across the stream's batches,
    only for the rows taken."""

    def __init__(self, rules, combinations):
        self.rules = rules
        self.combinations = combinations
        self.seen = {index: set() for index, rule in enumerate(rules) if rule["kind"] == "unique"}
        self.rejected = {}

    @property
    def active(self):
        return bool(self.rules)

    def take(self, table, rows, wanted):
        """The rows of `table` (`rows` of them) that keep every rule, in order, at most `wanted` of them."""
        row_rules = [
            index
            for index, rule in enumerate(self.rules)
            if rule["kind"] != "unique" and (rule["kind"] != "combination" or index in self.combinations)
        ]
        checks = [rule_check(self.rules[index], table, rows, self.combinations.get(index)) for index in row_rules]
        holds = np.logical_and.reduce(checks) if checks else np.ones(rows, dtype=bool)
        keys = [list(zip(*(table[name] for name in self.rules[index]["columns"]))) for index in self.seen]
        uniques = list(self.seen.items())
        taken = []
        for r, kept in enumerate(holds.tolist()):
            if len(taken) >= wanted:
                break
            if not kept:
                self._count(next(index for index, check in zip(row_rules, checks) if not check[r]))
                continue
            if not uniques:
                taken.append(r)
                continue
            row_keys = [tuple_key(column[r]) for column in keys]
            clash = next((u for u, (_, seen) in enumerate(uniques) if row_keys[u] is not None and row_keys[u] in seen), None)
            if clash is not None:
                self._count(uniques[clash][0])
                continue
            for (_, seen), key in zip(uniques, row_keys):
                if key is not None:
                    seen.add(key)
            taken.append(r)
        return taken

    def _count(self, index):
        self.rejected[index] = self.rejected.get(index, 0) + 1

    def too_rare(self, drawn, kept):
        """The error when `drawn` rows gave too few that keep the rules: names the rule broken most."""
        index = max(self.rejected, key=lambda i: self.rejected[i], default=0)
        return RulesTooRareError(
            f"only {kept / max(1, drawn) * 100:.2f}% of generated rows keep every rule (most often broken: "
            f"{describe_rule(self.rules[index])}): the model rarely generates rows that keep this rule; check that "
            "it holds on the data, or reject it in the metadata"
        )
