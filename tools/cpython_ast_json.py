#!/usr/bin/env python3
"""Print CPython's AST of a Python file as JSON, in the format MLIntern's `debug ast` uses.

Usage:
    cpython_ast_json.py FILE            one JSON document on stdout
    cpython_ast_json.py --batch         reads paths from stdin (one per line), writes one
                                        JSON line per path, in order

Format: every node is an object {"_type": <class name>, <fields in _fields order>,
lineno, col_offset, end_lineno, end_col_offset (when the node has them)}. Operators and
expression contexts are plain strings ("Add", "Load"). Constant values: str -> JSON string,
int -> JSON number, bool/None -> true/false/null, bytes -> {"bytes": hex},
float -> {"float": repr}, complex -> {"complex": repr of the imaginary part},
Ellipsis -> {"ellipsis": null}. Columns are CPython's: UTF-8 byte offsets.
A file CPython rejects prints {"error": {"line": N, "message": "..."}}.
Runs with any CPython >= 3.11.
"""
import ast
import json
import sys
import warnings

try:
    sys.set_int_max_str_digits(0)
except AttributeError:  # pragma: no cover - older Pythons have no limit
    pass

_ATTRS = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def _float_repr(x):
    return repr(x)


def _value(v):
    if v is None or v is True or v is False or isinstance(v, str):
        return v
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return {"float": _float_repr(v)}
    if isinstance(v, complex):
        return {"complex": _float_repr(v.imag)}
    if v is Ellipsis:
        return {"ellipsis": None}
    raise TypeError(type(v))


def _node(n):
    if isinstance(n, list):
        return [_node(x) for x in n]
    if not isinstance(n, ast.AST):
        return n
    fields = n._fields
    if not fields and not n._attributes:
        return type(n).__name__  # operators and contexts
    d = {"_type": type(n).__name__}
    for f in fields:
        v = getattr(n, f, None)
        if f == "value" and isinstance(n, (ast.Constant, ast.MatchSingleton)):
            d[f] = _value(v)
        else:
            d[f] = _node(v)
    for a in n._attributes:
        if a in _ATTRS:
            d[a] = getattr(n, a, None)
    return d


def dump_source(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            tree = ast.parse(data)
        except (SyntaxError, ValueError, UnicodeError, MemoryError, RecursionError) as e:
            line = getattr(e, "lineno", None) or 0
            msg = getattr(e, "msg", None) or str(e)
            return json.dumps({"error": {"line": line, "message": msg}}, separators=(",", ":"))
    return json.dumps(_node(tree), separators=(",", ":"))


def main(argv):
    if len(argv) >= 2 and argv[1] == "--batch":
        out = sys.stdout
        for line in sys.stdin:
            path = line.rstrip("\n")
            if not path:
                continue
            try:
                with open(path, "rb") as f:
                    data = f.read()
                out.write(dump_source(data))
            except OSError as e:
                out.write(json.dumps({"error": {"line": 0, "message": "io: " + str(e)}}))
            out.write("\n")
            out.flush()
        return 0
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], "rb") as f:
        print(dump_source(f.read()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
