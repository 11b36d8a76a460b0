"""Replays the examples of docs/api.md (read by api_examples.py) through a
Flask test client and lists where the answers differ from the page.

What may differ is what the page's note "What changes from run to run" says:
times from the day the examples were made on, the numbers of the fields it
names, the headers it names and the fields it names. A changing value shown
in an answer and sent back by a later request (an ETag in If-None-Match, a
cursor in cursor=) is sent as it was received, and read as received in the
answers after it (a `next_url`). A CSV answer is compared cell by cell, an
NDJSON one line by line, as JSON.
"""
import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from app import create_app
from conformance import check_responses

TIME = re.compile(r"(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}:\d{2}Z)?")
TIME_PATTERNS = {False: r"\d{4}-\d{2}-\d{2}", True: r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"}
MILLISECONDS = re.compile(r"\d{13}")
MORE = re.compile(r"^\s*// \.\.\. (\d+) more \S.*$")
ELIDED = "// more"
# The settings an example may be replayed with, by variable: their app.config key.
SETTINGS = {"LANG_PORTAL_ADMIN_TOKEN": "ADMIN_TOKEN"}


@dataclass
class Changing:
    """The note's rules, read from the page itself."""
    made_on: str
    numbers: set
    headers: set
    fields: set = field(default_factory=set)  # string fields whose value is sent back as received
    seen: dict = field(default_factory=dict)  # a value shown -> the value received


def read_changing(text):
    """The bullets of the page's note: `- **Times** from YYYY-MM-DD on ...`,
    `- **Numbers** ...` and `- **Headers** ...`, naming fields in backquotes."""
    made_on = re.search(r"^- \*\*Times\*\* from (\d{4}-\d{2}-\d{2}) on", text, re.M)
    numbers = re.search(r"^- \*\*Numbers\*\*(.*)$", text, re.M)
    headers = re.search(r"^- \*\*Headers\*\*(.*)$", text, re.M)
    fields = re.search(r"^- \*\*Fields\*\*(.*)$", text, re.M)  # optional
    if not (made_on and numbers and headers):
        raise AssertionError("docs/api.md has lost its note on what changes from run to run "
                             "(its bullets **Times** from YYYY-MM-DD on, **Numbers** and **Headers**)")
    names = re.compile(r"`([^`]+)`")
    return Changing(made_on[1], set(names.findall(numbers[1])), {name.lower() for name in names.findall(headers[1])},
                    set(names.findall(fields[1])) if fields else set())


def replay(client, example, changing):
    """The differences between the answer shown at example.answer and the
    server's, each as a line starting with the page's line number."""
    request = example.request
    url, headers, body = sent_as_received(request, changing)
    violations = []
    if example.setting:
        variable, value = example.setting
        config_key = SETTINGS.get(variable)
        if config_key is None:
            return [f"docs/api.md:{example.line}: cannot replay with {variable}; the test knows {sorted(SETTINGS)}"]
        client, violations, close = configured_client(client.application, config_key, value)
    try:
        response = client.open(url, method=request.method, headers=headers, data=body)
    finally:
        if example.setting:
            close()
    problems = compare_answer(example.answer, response, changing) + violations
    where = f"docs/api.md:{example.answer.line}: {request.method} {request.url}"
    return [f"{where}: {problem}" for problem in problems]


def configured_client(app, key, value):
    """(a client, its list of answers the document does not describe, a
    function that closes it) of an app like app but for one setting, on the
    same database: the OpenAPI document, and so the conformance check, is
    made per configuration (the admin token's 401 is in one of them only)."""
    other = create_app({"TESTING": True, "DATABASE": app.config["DATABASE"], key: value})
    violations = check_responses(other)
    return other.test_client(), violations, other.extensions["db_pool"].close


def sent_as_received(request, changing):
    url, body = request.url, request.body
    headers = [(name, value) for name, value in request.headers]
    for shown, received in sorted(changing.seen.items(), key=lambda seen: -len(seen[0])):
        url = url.replace(shown, received)
        body = body.replace(shown.encode(), received.encode())
        headers = [(name, value.replace(shown, received)) for name, value in headers]
    return url, headers, body


def compare_answer(answer, response, changing):
    problems = []
    if response.status != answer.status:
        problems.append(f"status {response.status}, the page shows {answer.status}")
    for name, shown in answer.headers:
        received = ", ".join(response.headers.getlist(name)) or None
        if received is None:
            problems.append(f"no {name} header, the page shows {shown!r}")
        elif name.lower() in changing.headers:
            changing.seen[shown] = received
        elif not text_matches(shown, received, changing):
            problems.append(f"header {name}: {received!r}, the page shows {shown!r}")
    received_body = response.get_data(as_text=True)
    if not answer.body:
        if received_body:
            problems.append(f"a body the page does not show: {received_body[:200]!r}")
        return problems
    kind = response.mimetype
    read = {"text/csv": read_csv, "application/x-ndjson": read_ndjson}.get(kind)
    if read is None:
        read, kind = read_json, "JSON"
    try:
        shown = read(answer.body)
    except ValueError as error:
        return problems + [f"the body shown is not {kind}: {error}"]
    try:
        received = (json.loads if read is read_json else read)(received_body)
    except ValueError:
        return problems + [f"the body received is not {kind}: {received_body[:200]!r}"]
    compare(shown, received, "body", "", changing, problems)
    return problems


def read_json(text):
    """JSON where a line `// ... 48 more words` stands for the rest of a list."""
    lines = []
    for line in text.splitlines():
        more = MORE.match(line)
        if more:
            lines.append(f', {{"{ELIDED}": {more[1]}}}')
        elif line.strip().startswith("//"):
            raise ValueError(f"a comment other than `// ... N more things`: {line.strip()!r}")
        else:
            lines.append(line)
    return json.loads("\n".join(lines))


def read_csv(text):
    """The rows of a CSV text, each a list of its cells, the header row first."""
    return list(csv.reader(io.StringIO(text.strip() + "\n")))


def read_ndjson(text):
    """The JSON values of a text holding one a line."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def compare(shown, received, path, name, changing, problems):
    def differ(what=None):
        problems.append(f"{path}: {what}" if what else f"{path}: {received!r}, the page shows {shown!r}")

    if isinstance(shown, dict):
        if not isinstance(received, dict):
            return differ()
        missing, extra = shown.keys() - received.keys(), received.keys() - shown.keys()
        if missing or extra:
            differ(f"fields {sorted(missing)} missing and {sorted(extra)} not shown")
        for key in [key for key in shown if key in received]:
            compare(shown[key], received[key], f"{path}.{key}", key, changing, problems)
    elif isinstance(shown, list):
        if not isinstance(received, list):
            return differ()
        more = shown[-1][ELIDED] if shown and isinstance(shown[-1], dict) and ELIDED in shown[-1] else None
        items = shown[:-1] if more is not None else shown
        if len(received) != len(items) + (more or 0):
            differ(f"{len(received)} items" + (f" (the page shows {len(items)} and {more} more)" if more else ""))
        for index, (item, got) in enumerate(zip(items, received, strict=False)):
            compare(item, got, f"{path}[{index}]", name, changing, problems)
    elif isinstance(shown, str) and name in changing.fields:
        if isinstance(received, str):
            changing.seen[shown] = received
        else:
            differ()
    elif isinstance(shown, str):
        if not (isinstance(received, str) and text_matches(shown, received, changing)):
            differ()
    elif isinstance(shown, bool) or shown is None:
        if received is not shown:
            differ()
    elif name in changing.numbers:
        if isinstance(received, bool) or not isinstance(received, (int, float)):
            differ()
    elif type(received) is not type(shown) or received != shown:
        differ()


def text_matches(shown, received, changing):
    """Equal, but for the times from the day the examples were made on, which
    match any time written the same way (or as milliseconds since the epoch,
    13 digits, as the CSV export writes them), and for the values of the
    changing fields, read as received."""
    for value, got in sorted(changing.seen.items(), key=lambda seen: -len(seen[0])):
        if not TIME.fullmatch(value):
            shown = shown.replace(value, got)
    if MILLISECONDS.fullmatch(shown) and int(shown) >= epoch_ms(changing.made_on):
        return bool(MILLISECONDS.fullmatch(received)) and int(received) >= epoch_ms(changing.made_on)
    pattern, end = [], 0
    for time in TIME.finditer(shown):
        if time[1] >= changing.made_on:
            pattern += [re.escape(shown[end:time.start()]), TIME_PATTERNS[bool(time[2])]]
            end = time.end()
    if not pattern:
        return shown == received
    if not re.fullmatch("".join(pattern) + re.escape(shown[end:]), received):
        return False
    if TIME.fullmatch(shown):
        changing.seen[shown] = received
    return True


def epoch_ms(day):
    return int(datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp() * 1000)
