#!/usr/bin/env python3
"""Builds the differential fixture: (configuration, request) pairs run through the real
flask-cors, with what it answered.

Run it with scripts/flask-parity.sh, which makes the virtualenv (flask-cors pinned) and writes
tests/parity/flask_cors.json. The Rust test tests/flask_parity.rs replays every pair through an
actix App built from the same options and compares what a browser would conclude.

The pairs come from a seeded generator, not from flask-cors's own tests: every option is tried
alone with each of its values, then random combinations of several options, each against a
battery of requests of every kind.

The fixture is one JSON object, deduplicated to stay small:
- configs: {mode: "app" | "decorator", options: flask-cors's keyword arguments, flask_error:
  the ValueError flask-cors raised for them, or null};
- requests: [method, path, Origin, ACRM, ACRH, private network (0/1), credentials (0/1)];
- fields: [name, value], the name lowercased without "access-control-";
- responses: [status, [field index, ...]];
- pairs: [config index, request index, response index (null when flask-cors refused the
  configuration)].
"""

import importlib.metadata
import json
import random
import sys

import flask_cors
from flask import Flask, abort, make_response

SEED = 20261204
assert flask_cors.__version__ == "6.0.5", flask_cors.__version__

# ---------------------------------------------------------------------------------------------
# Option values, in flask-cors's own terms (what a user passes to CORS() or @cross_origin()).
# ---------------------------------------------------------------------------------------------
APP = "https://app.example.com"
LOCAL = "http://localhost:5173"

OPTION_VALUES = {
    "origins": [
        "*",
        APP,
        [APP, LOCAL],
        r"https://.*\.example\.com",
        [r"https://[a-z0-9-]+\.example\.com", APP],
        r"https://app\.example\.com",
        r"^https://.*example\.com$",
        ".*",
        [APP, "null"],
        APP + "/",
        "https://App.Example.com",
        [],
        ["http://app.example.com", LOCAL],
    ],
    "methods": [["GET", "POST"], "PUT", ["GET", "PUT", "DELETE"], ["get", "put"], "*", "GET, PUT"],
    "allow_headers": [["Content-Type", "X-Token"], "X-Token", "*", ["x-token"], []],
    "expose_headers": [["X-Total-Count"], "X-Total-Count, X-Page", ["X-Page", "X-Total-Count"]],
    "supports_credentials": [True, False],
    "max_age": [600, 0, 7200, 86400],
    "send_wildcard": [True, False],
    "vary_header": [True, False],
    "always_send": [True, False],
    "automatic_options": [True, False],
    "allow_private_network": [True, False],
}

RESOURCES = [
    {"/api/*": {}},
    {"*": {"origins": APP}},
    {"/api/*": {"origins": APP, "supports_credentials": True}, "/*": {"origins": "*"}},
    {"/*": {"origins": "*"}, "/api/*": {"origins": [APP, LOCAL], "max_age": 600}},
    {"/api/items": {"methods": ["GET", "PUT"]}, "/other": {"origins": LOCAL}},
]

# ---------------------------------------------------------------------------------------------
# Requests.
# ---------------------------------------------------------------------------------------------
REQUEST_ORIGINS = [
    APP,
    LOCAL,
    "http://app.example.com",
    "https://a.example.com",
    "https://evil.example",
    "https://app.example.com.evil.io",
    "https://evilexample.com",
    "null",
    "https://APP.example.com",
]
PATHS = ["/api/items", "/api/error", "/api/abort", "/api/own-acao", "/api/own-vary",
         "/api/options", "/apidocs", "/other", "/nowhere"]
ACRM = ["PUT", "GET", "DELETE", "PATCH", "POST", "put", "ET"]
ACRH = [None, "x-token", "content-type,x-token", "authorization", "x-other", "X-Token"]


def request(method, path, origin=None, acrm=None, acrh=None, pna=False, cred=False):
    """[method, path, Origin, ACRM, ACRH, private network asked (0/1), credentials mode (0/1)];
    None leaves a header out."""
    return [method, path, origin, acrm, acrh, int(pna), int(cred)]


def battery():
    """A fixed set of requests every single-option configuration is tried against."""
    out = []
    for origin in [APP, LOCAL, "https://a.example.com", "https://evil.example",
                   "https://app.example.com.evil.io", "null", "", None]:
        out.append(request("GET", "/api/items", origin))
    out.append(request("GET", "/api/items", APP, cred=True))
    out.append(request("GET", "/api/items", "http://app.example.com", cred=True))
    out.append(request("PUT", "/api/items", APP))
    for origin in [APP, "https://evil.example", "https://a.example.com"]:
        out.append(request("OPTIONS", "/api/items", origin, "PUT", "x-token"))
    out.append(request("OPTIONS", "/api/items", APP, "DELETE", "content-type,x-token", cred=True))
    out.append(request("OPTIONS", "/api/items", APP, "PATCH", "authorization"))
    out.append(request("OPTIONS", "/api/items", APP, "ET"))
    out.append(request("OPTIONS", "/api/items", APP, "PUT", pna=True))
    out.append(request("OPTIONS", "/api/items", APP))
    out.append(request("OPTIONS", "/api/items", None, "PUT", "x-token"))
    out.append(request("OPTIONS", "/api/items", "", "PUT"))
    for path in ["/api/error", "/api/abort", "/api/own-acao", "/api/own-vary", "/nowhere"]:
        out.append(request("GET", path, APP))
    out.append(request("GET", "/api/own-vary", None))
    out.append(request("OPTIONS", "/api/options", APP, "PUT", "x-token"))
    out.append(request("OPTIONS", "/api/options", APP))
    out.append(request("GET", "/apidocs", APP))
    out.append(request("GET", "/other", LOCAL))
    return out


def random_request(rng):
    path = rng.choice(PATHS)
    origin = rng.choice(REQUEST_ORIGINS + [None, ""]) if rng.random() < 0.25 else rng.choice(REQUEST_ORIGINS[:5])
    cred = rng.random() < 0.3
    kind = rng.random()
    if kind < 0.4:
        method = rng.choice(["GET", "GET", "POST", "PUT", "DELETE"]) if path == "/api/items" else "GET"
        return request(method, path, origin, cred=cred)
    if kind < 0.85:
        return request("OPTIONS", path, origin, rng.choice(ACRM), rng.choice(ACRH),
                       pna=rng.random() < 0.1, cred=cred)
    return request("OPTIONS", path, origin, cred=cred)


# ---------------------------------------------------------------------------------------------
# The Flask app, in both modes.
# ---------------------------------------------------------------------------------------------
def views():
    def items():
        return "ok"

    def error():
        raise RuntimeError("boom")

    def aborted():
        abort(400)

    def own_acao():
        resp = make_response("own")
        resp.headers["Access-Control-Allow-Origin"] = "https://own.example"
        return resp

    def own_vary():
        resp = make_response("vary")
        resp.headers["Vary"] = "Accept-Encoding"
        return resp

    def options():
        return "own options"

    def plain():
        return "plain"

    return [
        ("/api/items", items, ["GET", "POST", "PUT", "DELETE", "PATCH"]),
        ("/api/error", error, ["GET"]),
        ("/api/abort", aborted, ["GET"]),
        ("/api/own-acao", own_acao, ["GET"]),
        ("/api/own-vary", own_vary, ["GET"]),
        ("/api/options", options, ["GET", "OPTIONS"]),
        ("/apidocs", plain, ["GET"]),
        ("/other", plain, ["GET"]),
    ]


def build_app(mode, options):
    app = Flask(__name__)
    app.logger.disabled = True  # the error route's traceback is expected
    for path, view, methods in views():
        view.__name__ = "view" + path.replace("/", "_").replace("-", "_")
        if mode == "decorator":
            view = flask_cors.cross_origin(**options)(view)
        app.add_url_rule(path, view_func=view, methods=methods)
    if mode == "app":
        flask_cors.CORS(app, **options)
    return app


REQUEST_HEADERS = [(2, "Origin"), (3, "Access-Control-Request-Method"),
                   (4, "Access-Control-Request-Headers")]


def answer(client, req):
    """[status, [[name, value], ...]]: the CORS fields and Vary, in order; names lowercased and
    without their "access-control-" prefix."""
    method, path = req[0], req[1]
    headers = [(name, req[i]) for i, name in REQUEST_HEADERS if req[i] is not None]
    if req[5]:
        headers.append(("Access-Control-Request-Private-Network", "true"))
    resp = client.open(path, method=method, headers=headers)
    kept = []
    for k, v in resp.headers.items():
        k = k.lower()
        if k.startswith("access-control-") or k == "vary":
            kept.append([k.removeprefix("access-control-"), v])
    return [resp.status_code, kept]


# ---------------------------------------------------------------------------------------------
# Configurations.
# ---------------------------------------------------------------------------------------------
def configurations(rng):
    configs = []
    for mode in ["app", "decorator"]:
        configs.append(("single", mode, {}))
        for name, values in OPTION_VALUES.items():
            for value in values:
                configs.append(("single", mode, {name: value}))
    for resources in RESOURCES:
        configs.append(("single", "app", {"resources": resources}))
    names = list(OPTION_VALUES)
    for _ in range(260):
        mode = rng.choice(["app", "decorator"])
        picked = rng.sample(names, rng.randint(2, 5))
        options = {n: rng.choice(OPTION_VALUES[n]) for n in sorted(picked)}
        if mode == "app" and rng.random() < 0.3:
            options["resources"] = rng.choice(RESOURCES)
        configs.append(("random", mode, options))
    return configs


def main(out_path):
    rng = random.Random(SEED)
    fixed = battery()
    # Random configurations draw their requests from one pool, so the fixture stays small.
    pool = [random_request(rng) for _ in range(200)]
    requests, request_index = [], {}
    responses, response_index = [], {}
    field_table, field_index = [], {}
    configs, pairs = [], []

    def intern(table, index, item):
        key = json.dumps(item, sort_keys=True)
        if key not in index:
            index[key] = len(table)
            table.append(item)
        return index[key]

    for kind, mode, options in configurations(rng):
        try:
            app = build_app(mode, options)
            error = None
        except ValueError as e:
            app, error = None, str(e)
        configs.append({"mode": mode, "options": options, "flask_error": error})
        c = len(configs) - 1
        reqs = fixed if kind == "single" else rng.sample(pool, 12)
        client = app.test_client() if app else None
        for req in reqs:
            r = intern(requests, request_index, req)
            if client is None:
                pairs.append([c, r, None])
            else:
                status, fields = answer(client, req)
                fields = [intern(field_table, field_index, f) for f in fields]
                pairs.append([c, r, intern(responses, response_index, [status, fields])])

    fixture = {
        "generator": "scripts/flask_parity.py",
        "seed": SEED,
        "flask_cors": flask_cors.__version__,
        "flask": importlib.metadata.version("flask"),
        "configs": configs,
        "requests": requests,
        "fields": field_table,
        "responses": responses,
        "pairs": pairs,
    }
    with open(out_path, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    print(f"{len(pairs)} pairs, {len(configs)} configurations, {len(requests)} requests, "
          f"{len(responses)} distinct answers -> {out_path}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/parity/flask_cors.json")
