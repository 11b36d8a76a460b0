"""JSON out with orjson: the same bytes as Flask's own provider (compact,
UTF-8 as is, keys in insertion order, a trailing newline), several times
faster. tests/test_json.py compares the two on every route."""
import json

import orjson
from flask.json.provider import DefaultJSONProvider

OPTIONS = orjson.OPT_APPEND_NEWLINE | orjson.OPT_NON_STR_KEYS


def compact_json(value):
    """JSON text as the answers write it (no spaces, UTF-8 as is): the form
    stored for a word's parts, which raw_json puts into answers."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def raw_json(text):
    """JSON text put into an answer as it is, not parsed and written again.
    The text must be compact JSON (compact_json writes it so)."""
    return orjson.Fragment(text)


def json_float(number):
    """A float written as Python's json writes it (1e-05, where orjson would
    write 0.00001), so the answer's bytes stay the same."""
    return orjson.Fragment(repr(number)) if isinstance(number, float) else number


class OrjsonProvider(DefaultJSONProvider):
    """Answers (jsonify, and a route's dict or list) written by orjson."""

    def response(self, *args, **kwargs):
        body = orjson.dumps(self._prepare_response_obj(args, kwargs), default=self.default,
                            option=OPTIONS)
        return self._app.response_class(body, mimetype=self.mimetype)
