"""Arguments for every operation, built from the original document: its examples first (when
they satisfy their schema), else values synthesised from the schema (type, format, enum,
bounds, length, and pattern where the regex is simple enough to walk)."""

import copy
import re

try:  # Python 3.11+
    import re._parser as sre_parse
except ImportError:  # pragma: no cover
    import sre_parse

import openapi_schema_validator
from jsonschema import FormatChecker

MAX_DEPTH = 4


class Doc:
    def __init__(self, spec):
        self.spec = spec
        v = str(spec.get("openapi", "3.0"))
        self.v31 = v.startswith("3.1") or v.startswith("3.2")
        self.invalid_examples = []

    def resolve(self, node, seen=0):
        while isinstance(node, dict) and "$ref" in node and seen < 32:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return {}
            target = self.spec
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if isinstance(target, dict) and part in target:
                    target = target[part]
                elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                    target = target[int(part)]
                else:
                    return {}
            # 3.1 allows siblings next to $ref: they apply too.
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = dict(target, **siblings) if siblings and isinstance(target, dict) else target
            seen += 1
        return node if isinstance(node, dict) else {}

    def valid(self, value, schema):
        """Whether an example satisfies its schema (an invalid one is the document's own
        contradiction: a synthesised value is used instead)."""
        return self.why(value, schema) is None

    def why(self, value, schema):
        """Why `value` does not satisfy `schema` (None when it does)."""
        full = {"components": self.spec.get("components", {})}
        full.update(copy.deepcopy(schema) if isinstance(schema, dict) else {})
        cls = (openapi_schema_validator.OAS31Validator if self.v31
               else openapi_schema_validator.OAS30Validator)
        try:
            cls(full, format_checker=FormatChecker()).validate(value)
            return None
        except Exception as e:
            path = "/" + "/".join(str(p) for p in getattr(e, "absolute_path", []))
            return "at %s: %s" % (path, str(getattr(e, "message", e))[:300])

    # -- schema → value -------------------------------------------------------------------

    def example_of(self, schema):
        if "example" in schema:
            return True, schema["example"]
        ex = schema.get("examples")
        if isinstance(ex, list) and ex:
            return True, ex[0]
        return False, None

    def value(self, schema, depth=0, variant=0, request=True):
        schema = self.resolve(schema)
        found, ex = self.example_of(schema)
        if found and ex is not None and self.valid(ex, schema):
            return ex
        if "const" in schema:
            return schema["const"]
        enum = [e for e in schema.get("enum", []) or [] if e is not None]
        if enum:
            return enum[variant % len(enum)]
        if "default" in schema and schema["default"] is not None and self.valid(schema["default"], schema):
            return schema["default"]
        if "allOf" in schema:
            merged = {}
            scalar = None
            for part in schema["allOf"]:
                v = self.value(part, depth + 1, variant, request)
                if isinstance(v, dict):
                    merged.update(v)
                elif v is not None:
                    scalar = v
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            if rest.get("properties") or rest.get("type") == "object":
                v = self.value(rest, depth, variant, request)
                if isinstance(v, dict):
                    merged.update(v)
            return merged if merged or scalar is None else scalar
        for key in ("oneOf", "anyOf"):
            options = [self.resolve(o) for o in schema.get(key, []) or []]
            options = [o for o in options if o.get("type") != "null"]
            if options:
                base = {k: v for k, v in schema.items() if k not in (key, "discriminator")}
                if base.get("properties"):
                    first = dict(base)
                    first.update(options[0])
                    first["properties"] = dict(base.get("properties", {}), **options[0].get("properties", {}))
                    return self.value(first, depth + 1, variant, request)
                return self.value(options[0], depth + 1, variant, request)
        t = schema.get("type")
        if isinstance(t, list):
            t = next((x for x in t if x != "null"), None)
        if t is None:
            t = "object" if "properties" in schema or "additionalProperties" in schema else (
                "array" if "items" in schema else "string")
        if t == "string":
            return self.string(schema, variant)
        if t == "integer":
            return self.number(schema, variant, True)
        if t == "number":
            return self.number(schema, variant, False)
        if t == "boolean":
            return variant % 2 == 0
        if t == "array":
            lo = schema.get("minItems", 0) or 0
            hi = schema.get("maxItems")
            n = max(lo, 2)
            if hi is not None:
                n = min(n, hi)
            if depth >= MAX_DEPTH:
                n = lo
            items = schema.get("items", {})
            return [self.value(items, depth + 1, i, request) for i in range(n)]
        if t == "object":
            out = {}
            required = set(schema.get("required", []) or [])
            for name, prop in (schema.get("properties") or {}).items():
                p = self.resolve(prop)
                if request and p.get("readOnly") or not request and p.get("writeOnly"):
                    continue
                if depth >= MAX_DEPTH and name not in required:
                    continue
                out[name] = self.value(prop, depth + 1, 0, request)
            ap = schema.get("additionalProperties")
            if not schema.get("properties") and isinstance(ap, dict) and depth < MAX_DEPTH:
                out["key1"] = self.value(ap, depth + 1, 0, request)
            return out
        return None

    def string(self, schema, variant):
        fmt = schema.get("format")
        fixed = {
            "date-time": "2024-01-02T03:04:05Z",
            "date": "2024-01-02",
            "time": "03:04:05Z",
            "uuid": ["3fa85f64-5717-4562-b3fc-2c963f66afa6", "0b9d1f2e-7c1a-4e59-9a53-6f1c2a3b4d5e"][variant % 2],
            "email": "user%d@example.com" % variant,
            "uri": "https://example.com/item%d" % variant,
            "url": "https://example.com/item%d" % variant,
            "hostname": "host%d.example.com" % variant,
            "ipv4": "192.0.2.%d" % (variant + 1),
            "ipv6": "2001:db8::%d" % (variant + 1),
            "byte": "aGVsbG8=",
        }
        s = fixed.get(fmt)
        if s is None and schema.get("pattern"):
            s = from_pattern(schema["pattern"], schema.get("minLength", 0) or 0)
        if s is None:
            s = ["value", "other"][variant % 2] if variant < 2 else "value%d" % variant
            lo = schema.get("minLength", 0) or 0
            hi = schema.get("maxLength")
            if len(s) < lo:
                s = s + "x" * (lo - len(s))
            if hi is not None and len(s) > hi:
                s = s[:hi] if hi > 0 else ""
        return s

    def number(self, schema, variant, integer):
        lo, hi = schema.get("minimum"), schema.get("maximum")
        xlo, xhi = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
        step = 1 if integer else 0.5
        # 3.0: exclusive* are booleans next to minimum/maximum; 3.1: numbers.
        if isinstance(xlo, bool):
            xlo = lo if xlo else None
            lo = None if xlo is not None else lo
        if isinstance(xhi, bool):
            xhi = hi if xhi else None
            hi = None if xhi is not None else hi
        v = (1 if integer else 1.5) + variant
        if lo is not None and v < lo:
            v = lo
        if xlo is not None and v <= xlo:
            v = xlo + step
        if hi is not None and v > hi:
            v = hi
        if xhi is not None and v >= xhi:
            v = xhi - step
        m = schema.get("multipleOf")
        if m:
            v = m * max(1, round(v / m)) if (lo is None or m * max(1, round(v / m)) >= lo) else m * round(v / m)
        if integer:
            v = int(v)
        return v


def from_pattern(pattern, min_len):
    """A string matching a simple regex (literals, classes, repeats, groups, branches), or None."""
    try:
        parsed = sre_parse.parse(pattern)
        out = walk(parsed)
    except Exception:
        return None
    if out is not None and re.search(pattern, out) and len(out) >= min_len:
        return out
    return None


def walk(items):
    out = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(av) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(first_in(av))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            n = max(lo, 1) if hi != 0 else 0
            part = walk(sub)
            if part is None:
                return None
            out.append(part * n)
        elif name == "SUBPATTERN":
            part = walk(av[-1])
            if part is None:
                return None
            out.append(part)
        elif name == "BRANCH":
            part = walk(av[1][0])
            if part is None:
                return None
            out.append(part)
        elif name == "AT":
            continue
        elif name == "CATEGORY":
            out.append(category(str(av)))
        else:
            return None
    return "".join(out)


def first_in(av):
    negate = any(str(op) == "NEGATE" for op, _ in av)
    if negate:
        return "a"
    for op, v in av:
        name = str(op)
        if name == "LITERAL":
            return chr(v)
        if name == "RANGE":
            return chr(v[0])
        if name == "CATEGORY":
            return category(str(v))
    return "a"


def category(c):
    if "NOT" in c:
        return "-" if "DIGIT" not in c else "a"
    if "DIGIT" in c:
        return "1"
    if "SPACE" in c:
        return " "
    return "a"
