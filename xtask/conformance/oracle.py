"""The request oracle of `cargo xtask conformance`, on openapi-core (pinned in requirements.txt).

    oracle.py SPEC PLAN CALLS_OUT PRISM_COPY

1. Reads the original document SPEC and PLAN (the operations of the generated client, by
   `cargo xtask conformance`: key, method, path, parameters by location and wire name, body
   content type), and writes CALLS_OUT: one JSON line per operation with its arguments (see
   synth.py), plus the oracle gaps of each operation.
2. Writes PRISM_COPY: the document with its `servers` removed, so Prism serves its paths at
   the root of 127.0.0.1 (the only change; documented in the README).
3. Serves on 127.0.0.1 (a free port, printed as `listening PORT` on stdout): every request is
   validated and unmarshalled by openapi-core against the document (its `servers` replaced by
   this address, the only change) and answered with status 418 and what was decoded, as JSON:
   `{"errors": [..], "parameters": {"path": {..}, "query": {..}, "header": {..},
   "cookie": {..}}, "body": ..}`. (For HEAD the same JSON is in the `x-conformance-echo`
   header.) It stops when stdin closes, and after 15 minutes in any case.
"""

import base64
import datetime
import decimal
import json
import sys
import threading
import uuid

import yaml
from werkzeug.datastructures import Headers
from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from openapi_core import Config, OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest

from synth import Doc

LOCATIONS = ("path", "query", "header", "cookie")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Headers OpenAPI says to ignore as parameters (the client sets them itself).
IGNORED_HEADERS = {"accept", "content-type", "authorization"}

# Parameter forms openapi-core 0.23.1 does not decode (checked on
# ../shared/corpus/fragments/r20-parameter-styles.yaml): a mismatch there is an oracle gap,
# reported as such; the byte-exact wire tests cover those forms.
# (location, style, explode, kind) with kind "array" or "object"; None matches any explode.
ORACLE_GAPS = {
    ("query", "spaceDelimited", None, "array"): "openapi-core does not split spaceDelimited arrays",
    ("query", "form", True, "object"): "openapi-core does not decode exploded form objects",
    ("query", "spaceDelimited", None, "object"): "openapi-core does not decode spaceDelimited "
    "objects (a form the OpenAPI table leaves undefined)",
    ("query", "deepObject", None, "array"): "openapi-core does not decode a deepObject array "
    "(our convention `a[]=x`, which the OpenAPI table leaves undefined)",
    ("cookie", "form", True, "object"): "openapi-core does not decode exploded cookie objects",
    ("path", "label", None, "primitive"): "openapi-core does not match label-style path segments",
    ("path", "label", None, "array"): "openapi-core does not match label-style path segments",
    ("path", "label", None, "object"): "openapi-core does not match label-style path segments",
    ("path", "matrix", None, "primitive"): "openapi-core does not match matrix-style path segments",
    ("path", "matrix", None, "array"): "openapi-core does not match matrix-style path segments",
    ("path", "matrix", None, "object"): "openapi-core does not match matrix-style path segments",
}


# Styles of form-body `encoding` openapi-core 0.23.1 does not decode ("not available").
BODY_GAP_STYLES = ("deepObject", "spaceDelimited", "pipeDelimited")


def load(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8")
    return yaml.load(text, Loader=SafeLoaderNoDates)


class SafeLoaderNoDates(yaml.SafeLoader):
    """YAML 1.1's timestamps stay strings, as JSON Schema sees them."""


SafeLoaderNoDates.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in SafeLoaderNoDates.yaml_implicit_resolvers.copy().items()
}


def jsonable(v):
    """openapi-core's unmarshalled values as JSON (the normalisations are in the README)."""
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    if isinstance(v, (datetime.date, datetime.time)):
        return v.isoformat()
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, decimal.Decimal):
        return float(v)
    if isinstance(v, (bytes, bytearray)):
        try:
            return bytes(v).decode("utf-8")
        except UnicodeDecodeError:
            return base64.b64encode(bytes(v)).decode()
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if hasattr(v, "__dict__"):
        return jsonable(vars(v))
    return str(v)


def operation(doc, path, method):
    paths = doc.spec.get("paths", {}) or {}
    # The generator adds a missing leading `/` (a `missing_key` warning).
    item = doc.resolve(paths.get(path, paths.get(path.lstrip("/"), {})))
    return item, doc.resolve(item.get(method.lower(), {}))


def parameters(doc, item, op):
    """Operation parameters over path-item ones, by (location, name)."""
    out = {}
    for p in list(item.get("parameters", []) or []) + list(op.get("parameters", []) or []):
        p = doc.resolve(p)
        if "name" in p and "in" in p:
            out[(p["in"], p["name"])] = p
    return out


def param_schema(doc, p):
    if "schema" in p:
        return doc.resolve(p["schema"])
    if "type" in p:  # Swagger 2.0 style, which the generator moves into `schema`
        return {k: p[k] for k in ("type", "format", "items", "enum") if k in p}
    for mt in (p.get("content") or {}).values():
        return doc.resolve((mt or {}).get("schema", {}))
    return {}


def param_value(doc, p):
    schema = param_schema(doc, p)
    if "example" in p and doc.valid(p["example"], schema):
        return p["example"]
    for ex in (p.get("examples") or {}).values():
        ex = doc.resolve(ex)
        if "value" in ex and doc.valid(ex["value"], schema):
            return ex["value"]
    for mt in (p.get("content") or {}).values():
        if "example" in (mt or {}) and doc.valid(mt["example"], schema):
            return mt["example"]
    return doc.value(schema)


def kind(doc, schema):
    schema = doc.resolve(schema)
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    if t == "array" or "items" in schema:
        return "array"
    if t == "object" or "properties" in schema or "allOf" in schema:
        return "object"
    return "primitive"


def gap(doc, p):
    if "content" in p:
        return None
    loc = p["in"]
    style = p.get("style") or ("form" if loc in ("query", "cookie") else "simple")
    explode = p.get("explode", style == "form")
    schema = param_schema(doc, p)
    k = kind(doc, schema)
    if style == "deepObject" and k == "object":
        props = (doc.resolve(schema).get("properties") or {}).values()
        if any(kind(doc, v) != "primitive" for v in props):
            return ("openapi-core does not decode nested deepObject values (our convention "
                    "`a[b][c]=x`, which the OpenAPI table leaves undefined)")
    return ORACLE_GAPS.get((loc, style, explode, k)) or ORACLE_GAPS.get((loc, style, None, k))


def body_value(doc, op, content_type):
    body = doc.resolve(op.get("requestBody", {}))
    if "content" not in body and body:
        # A `$ref` to a schema, read as a JSON body of it (a warned `stray_key`).
        body = {"content": {content_type: {"schema": body}}}
    mt = (body.get("content") or {}).get(content_type) or {}
    schema = doc.resolve(mt.get("schema", {}))
    if "example" in mt and doc.valid(mt["example"], schema):
        return mt["example"]
    for ex in (mt.get("examples") or {}).values():
        ex = doc.resolve(ex)
        if "value" in ex and doc.valid(ex["value"], schema):
            return ex["value"]
    if "schema" not in mt and content_type == "application/x-www-form-urlencoded":
        # Any fields: the client takes a map of them.
        return {"field": "value", "other": "text"}
    return doc.value(schema)


def calls(doc, plan):
    out = []
    for entry in plan:
        item, op = operation(doc, entry["path"], entry["method"])
        declared = parameters(doc, item, op)
        args = {loc: {} for loc in LOCATIONS}
        gaps = []
        for p in entry["params"]:
            loc, wire = p["in"], p["wire"]
            spec_param = declared.get((loc, wire))
            if spec_param is None:
                # Case differs for headers.
                spec_param = next((v for (l, n), v in declared.items()
                                   if l == loc and n.lower() == wire.lower()), None)
            if spec_param is None or (loc == "header" and wire.lower() in IGNORED_HEADERS):
                continue
            args[loc][wire] = param_value(doc, spec_param)
            why = gap(doc, spec_param)
            if why:
                gaps.append({"in": loc, "wire": wire, "why": why})
        if entry.get("body"):
            args["body"] = body_value(doc, op, entry["body"]["content_type"])
        out.append({"key": entry["key"], "args": args, "gaps": gaps})
    return out


def single_types(params):
    """Parameters as openapi-core can read them, as the generator reads them: openapi-core
    0.23.1 crashes on a parameter schema whose `type` is a list (3.1), which it gets as its
    one non-null type (a parameter's text cannot be JSON null), and finds no value for a
    parameter without `schema` (Swagger 2.0's `type` beside it, or nothing: a string)."""
    out = []
    for p in params or []:
        if isinstance(p, dict) and "schema" not in p and "content" not in p and "type" in p:
            # Swagger 2.0 style, moved into `schema` as the generator does (warned).
            keys = ("type", "format", "items", "enum")
            p = dict({k: v for k, v in p.items() if k not in keys},
                     schema={k: p[k] for k in keys if k in p})
        elif isinstance(p, dict) and "schema" not in p and "content" not in p and "name" in p:
            p = dict(p, schema={"type": "string"})  # no schema: a string, as generated
        schema = p.get("schema") if isinstance(p, dict) else None
        if isinstance(schema, dict) and isinstance(schema.get("type"), list):
            types = [t for t in schema["type"] if t != "null"]
            if len(types) == 1:
                p = dict(p, schema=dict(schema, type=types[0]))
        out.append(p)
    return out


def server_copy(spec, base):
    spec = dict(spec)
    if base is None:
        spec.pop("servers", None)
    else:
        spec["servers"] = [{"url": base}]
    paths = {}
    for path, item in (spec.get("paths") or {}).items():
        if isinstance(item, dict):
            item = {k: v for k, v in item.items() if k != "servers"}
            if "parameters" in item:
                item["parameters"] = single_types(item["parameters"])
            for m in METHODS:
                if isinstance(item.get(m), dict):
                    item[m] = {k: v for k, v in item[m].items() if k != "servers"}
                    if "parameters" in item[m]:
                        item[m]["parameters"] = single_types(item[m]["parameters"])
                    body = item[m].get("requestBody")
                    if isinstance(body, dict) and str(body.get("$ref", "")).startswith(
                            "#/components/schemas/"):
                        # A `$ref` to a schema, read as a JSON body of it (warned).
                        item[m]["requestBody"] = {
                            "content": {"application/json": {"schema": body}}}
        # The generator adds a missing leading `/` (warned); openapi-core matches none.
        paths[path if str(path).startswith("/") else "/" + str(path)] = item
    spec["paths"] = paths
    return spec


def raw_media(mimetype):
    m = (mimetype or "").lower()
    return bool(m) and not ("json" in m or m == "application/x-www-form-urlencoded"
                            or m.startswith("multipart/"))


def unknown_formats(spec):
    """Every `format` of the document that openapi-core has no checker for: accepted as is
    (openapi-core 0.23 refuses a parameter whose format it does not know)."""
    known = {"date", "date-time", "uuid", "byte", "binary", "int32", "int64", "float",
             "double", "password", "email", "ipv4", "ipv6", "hostname", "regex", "time"}
    found = set()
    stack = [spec]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            f = node.get("format")
            if isinstance(f, str) and f not in known:
                found.add(f)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return sorted(found)


def check(spec_path, failures_path):
    """`oracle.py check SPEC FAILURES`: for each decode failure (`{"key", "status", "raw"}`),
    whether the body Prism made up satisfies the document's own response schema. When it
    does, the failure is ours; when it does not, the document contradicts itself (Prism made
    the body from it)."""
    doc = Doc(load(spec_path))
    with open(failures_path) as f:
        for line in f:
            entry = json.loads(line)
            method, path = entry["key"].split(" ", 1)
            _, op = operation(doc, path, method)
            responses = op.get("responses") or {}
            status = str(entry.get("status"))
            response = (responses.get(status) or responses.get(status[0] + "XX")
                        or responses.get(status[0] + "xx") or responses.get("default") or {})
            response = doc.resolve(response)
            content = response.get("content") or {}
            mt = next((v for k, v in content.items() if "json" in k), None) or {}
            schema = doc.resolve(mt.get("schema", {}))
            try:
                body = json.loads(entry.get("raw") or "null")
            except ValueError:
                print(json.dumps({"valid": False, "error": "not JSON"}), flush=True)
                continue
            print(json.dumps({"valid": doc.valid(body, schema), "error": doc.why(body, schema)}),
                  flush=True)


def main():
    if sys.argv[1] == "check":
        return check(sys.argv[2], sys.argv[3])
    spec_path, plan_path, calls_out, prism_copy = sys.argv[1:5]
    spec = load(spec_path)
    doc = Doc(spec)
    with open(plan_path) as f:
        plan = json.load(f)
    with open(calls_out, "w") as f:
        for c in calls(doc, plan):
            f.write(json.dumps(c) + "\n")
    with open(prism_copy, "w") as f:
        json.dump(server_copy(spec, None), f, default=str)

    state = {}

    class RawHeaders(WSGIRequestHandler):
        """Werkzeug's WSGI environ drops header names with `_` (`api_key`, legal in HTTP and
        used by real documents): the raw list is kept for openapi-core."""

        def make_environ(self):
            environ = super().make_environ()
            environ["conformance.headers"] = list(self.headers.items())
            return environ

    @Request.application
    def app(request):
        result = {"errors": [], "parameters": {loc: {} for loc in LOCATIONS}, "body": None}
        try:
            oreq = WerkzeugOpenAPIRequest(request)
            raw = request.environ.get("conformance.headers")
            if raw is not None:
                oreq.parameters.header = Headers(raw)
            r = state["openapi"].unmarshal_request(oreq)
            result["errors"] = [describe(e) for e in r.errors]
            # Styles openapi-core does not implement inside a form body's `encoding`.
            gaps = [e for e in result["errors"] if e.startswith("RequestBodyValidationError")
                    and "DeserializeError: ('" in e
                    and any("('%s'" % style in e for style in BODY_GAP_STYLES)]
            if gaps:
                result["errors"] = [e for e in result["errors"] if e not in gaps]
                result["oracle_gaps"] = ["body: openapi-core does not decode this form "
                                         "encoding: " + g for g in gaps]
            params = r.parameters
            if params is not None:
                for loc in LOCATIONS:
                    result["parameters"][loc] = jsonable(dict(getattr(params, loc, {}) or {}))
            result["body"] = jsonable(r.body)
            if raw_media(request.mimetype):
                # openapi-core 0.23 checks a raw body's bytes against `type: string` and
                # fails every one: a raw body is compared as its text instead.
                result["errors"] = [e for e in result["errors"]
                                    if not e.startswith("InvalidRequestBody")]
                result["body"] = request.get_data(as_text=True)
        except Exception as e:  # the oracle itself failed: a violation, with its reason
            result["errors"].append("oracle: %s: %s" % (type(e).__name__, e))
        text = json.dumps(result)
        headers = {"content-type": "application/json"}
        if request.method == "HEAD":
            headers["x-conformance-echo"] = base64.b64encode(text.encode()).decode()
        return Response(text, status=418, headers=headers)

    server = make_server("127.0.0.1", 0, app, threaded=False, request_handler=RawHeaders)
    base = "http://127.0.0.1:%d" % server.server_port
    formats = unknown_formats(spec)
    config = Config(
        spec_validator_cls=None,
        extra_format_validators={f: (lambda v: True) for f in formats},
        extra_format_unmarshallers={f: (lambda v: v) for f in formats},
    )
    state["openapi"] = OpenAPI.from_dict(server_copy(spec, base), config=config)
    threading.Thread(target=lambda: (sys.stdin.read(), server.shutdown()), daemon=True).start()
    timer = threading.Timer(900, server.shutdown)
    timer.daemon = True
    timer.start()
    print("listening %d" % server.server_port, flush=True)
    server.serve_forever()
    sys.exit(0)


def describe(e):
    parts = [type(e).__name__ + ": " + str(e)]
    cause = e.__cause__
    while cause is not None and len(parts) < 4:
        parts.append(type(cause).__name__ + ": " + str(cause))
        extra = getattr(cause, "schema_errors", None)
        if extra:
            parts.extend(str(getattr(x, "message", x)) for x in list(extra)[:3])
        cause = cause.__cause__
    return " <- ".join(parts)


if __name__ == "__main__":
    main()
