"""Validation of model.json against schemas/model.schema.json, as the TypeScript loader does with ajv.

Only the draft-07 keywords the model and metadata schemas use are known here (an unknown one is an
error, so a schema edit cannot be silently ignored); `discriminator` picks the `oneOf` branch whose
`const` matches, as ajv's option does, so errors name the field that is wrong in that branch.
"""

import json
import pkgutil
import re
from pathlib import Path

SCHEMA_FILES = ("model.schema.json", "synth-meta.schema.json")
# Keywords that say nothing about the value.
ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "definitions"})
TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool) or isinstance(v, float) and v.is_integer(),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class SchemaViolation(ValueError):
    """A value the schema does not allow; the message starts with its JSON pointer."""


def load_schemas():
    """The schemas by $id: inside the package (spark_synth/schemas/ in the bundle's zip), else the repository's schemas/."""
    schemas = {}
    for name in SCHEMA_FILES:
        try:
            text = pkgutil.get_data(__package__, f"schemas/{name}")
        except OSError:
            text = (Path(__file__).resolve().parents[2] / "schemas" / name).read_bytes()
        schema = json.loads(text)
        schemas[schema["$id"]] = schema
    return schemas


def validate(value, schema, schemas):
    """Raises SchemaViolation for the first place `value` breaks `schema` (whose $refs resolve in `schemas`)."""
    _check(value, schema, schema, schemas, "")


def _resolve(ref, root, schemas):
    base, _, pointer = ref.partition("#")
    target = schemas[base] if base else root
    node = target
    for part in filter(None, pointer.split("/")):
        node = node[part]
    return node, target


def _fail(path, problem):
    raise SchemaViolation(f"{path or '/'}: {problem}")


def _check(value, schema, root, schemas, path):
    if "$ref" in schema:
        target, target_root = _resolve(schema["$ref"], root, schemas)
        _check(value, target, target_root, schemas, path)
    for keyword, rule in schema.items():
        if keyword in ANNOTATIONS or keyword == "$ref":
            continue
        check = _KEYWORDS.get(keyword)
        if check is None:
            raise SchemaViolation(f"the schema uses {keyword!r}, which this validator does not know")
        check(value, rule, schema, root, schemas, path)


def _type(value, rule, schema, root, schemas, path):
    names = rule if isinstance(rule, list) else [rule]
    if not any(TYPES[name](value) for name in names):
        _fail(path, f"must be {' or '.join(names)}")


def _properties(value, rule, schema, root, schemas, path):
    if isinstance(value, dict):
        for name, sub in rule.items():
            if name in value:
                _check(value[name], sub, root, schemas, f"{path}/{name}")


def _additional_properties(value, rule, schema, root, schemas, path):
    if not isinstance(value, dict):
        return
    for name in value:
        if name not in schema.get("properties", {}):
            if rule is False:
                _fail(f"{path}/{name}", "is not a field of this object")
            if isinstance(rule, dict):
                _check(value[name], rule, root, schemas, f"{path}/{name}")


def _required(value, rule, schema, root, schemas, path):
    if isinstance(value, dict):
        for name in rule:
            if name not in value:
                _fail(path, f"must have the field {name!r}")


def _items(value, rule, schema, root, schemas, path):
    if not isinstance(value, list):
        return
    if isinstance(rule, list):  # a tuple: one schema per position, `additionalItems` after them
        for i, (item, sub) in enumerate(zip(value, rule)):
            _check(item, sub, root, schemas, f"{path}/{i}")
        extra = schema.get("additionalItems", True)
        if extra is False and len(value) > len(rule):
            _fail(path, f"must have at most {len(rule)} items")
        return
    for i, item in enumerate(value):
        _check(item, rule, root, schemas, f"{path}/{i}")


def _one_of(value, rule, schema, root, schemas, path):
    key = schema.get("discriminator", {}).get("propertyName")
    if key is not None and isinstance(value, dict):
        branches = [_resolve(b["$ref"], root, schemas) if "$ref" in b else (b, root) for b in rule]
        tags = [branch["properties"][key]["const"] for branch, _ in branches]
        if value.get(key) not in tags:
            _fail(f"{path}/{key}", f"must be one of {', '.join(map(json.dumps, tags))}")
        branch, branch_root = branches[tags.index(value[key])]
        _check(value, branch, branch_root, schemas, path)
        return
    matches = 0
    for branch in rule:
        try:
            _check(value, branch, root, schemas, path)
            matches += 1
        except SchemaViolation:
            pass
    if matches != 1:
        _fail(path, f"must match exactly one of {len(rule)} shapes, matches {matches}")


def _bound(test, words):
    def check(value, rule, schema, root, schemas, path):
        if TYPES["number"](value) and not test(value, rule):
            _fail(path, f"must be {words} {rule}")

    return check


def _size(measure, test, words):
    def check(value, rule, schema, root, schemas, path):
        size = measure(value)
        if size is not None and not test(size, rule):
            _fail(path, f"must have {words} {rule}")

    return check


def _enum(value, rule, schema, root, schemas, path):
    if not any(_same(value, option) for option in rule):
        _fail(path, f"must be one of {', '.join(map(json.dumps, rule))}")


def _const(value, rule, schema, root, schemas, path):
    if not _same(value, rule):
        _fail(path, f"must be {json.dumps(rule)}")


def _pattern(value, rule, schema, root, schemas, path):
    if isinstance(value, str) and not re.search(rule, value):
        _fail(path, f"must match {rule}")


def _same(a, b):
    """JSON equality: true is not 1, and 1 is 1.0."""
    return type(a) is type(b) and a == b or TYPES["number"](a) and TYPES["number"](b) and a == b


def _unique_items(value, rule, schema, root, schemas, path):
    if rule and isinstance(value, list):
        for i, item in enumerate(value):
            if any(_same_json(item, other) for other in value[:i]):
                _fail(f"{path}/{i}", "must not repeat an earlier item")


def _same_json(a, b):
    """Deep JSON equality (`_same` at every level)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same_json(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same_json(a[k], b[k]) for k in a)
    return _same(a, b)


def _noop(*_):
    pass


_KEYWORDS = {
    "type": _type,
    "properties": _properties,
    "additionalProperties": _additional_properties,
    "required": _required,
    "items": _items,
    "additionalItems": _noop,  # read by `items`
    "discriminator": _noop,  # read by `oneOf`
    "oneOf": _one_of,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minimum": _bound(lambda v, r: v >= r, "at least"),
    "maximum": _bound(lambda v, r: v <= r, "at most"),
    "exclusiveMinimum": _bound(lambda v, r: v > r, "more than"),
    "exclusiveMaximum": _bound(lambda v, r: v < r, "less than"),
    "minItems": _size(lambda v: len(v) if isinstance(v, list) else None, lambda n, r: n >= r, "at least this many items:"),
    "maxItems": _size(lambda v: len(v) if isinstance(v, list) else None, lambda n, r: n <= r, "at most this many items:"),
    "minLength": _size(lambda v: len(v) if isinstance(v, str) else None, lambda n, r: n >= r, "at least this many characters:"),
    "maxLength": _size(lambda v: len(v) if isinstance(v, str) else None, lambda n, r: n <= r, "at most this many characters:"),
    "uniqueItems": _unique_items,
}
