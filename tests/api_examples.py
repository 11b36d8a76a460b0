"""The examples of docs/api.md, read as tests/test_docs.py replays them.

An example is a ```sh block holding one `curl` command, then an ```http block
with the answer: the status line, the headers worth showing, a blank line and
the JSON body (a list may end with a line `// ... 48 more words`), or a CSV or
NDJSON body as sent. An HTML comment right before the request says how it is
replayed:
`<!-- not replayed: why -->` or `<!-- replayed with LANG_PORTAL_ADMIN_TOKEN=t -->`.
Every fenced block of the page must belong to an example, so none is skipped
silently.
"""
import re
import shlex
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*(?P<kind>not replayed|replayed with)\s*:?\s*(?P<text>.*?)\s*-->\s*$")
PIPED_BODY = re.compile(r"^head -c (\d+) /dev/zero \| tr '\\0' '(.)' \| (curl .*)$", re.S)


class ExampleError(ValueError):
    """An example that cannot be read; the message starts with its line."""


@dataclass
class Block:
    line: int  # of the opening fence, counted from 1
    lang: str
    text: str
    marker: tuple = None  # (kind, text) of an HTML comment just before it


@dataclass
class Request:
    method: str
    url: str
    headers: list = field(default_factory=list)
    body: bytes = b""


@dataclass
class Answer:
    line: int
    status: str
    headers: list
    body: str


@dataclass
class Example:
    line: int
    request: Request = None
    answer: Answer = None
    not_replayed: str = None  # the reason, for a marked example
    setting: tuple = None  # (variable, value) to replay it with


def read_blocks(text):
    """The fenced blocks of a Markdown text, with the marker before each."""
    blocks, lines, number = [], text.splitlines(), 0
    marker = None
    while number < len(lines):
        line = lines[number]
        opening = FENCE.match(line)
        if opening:
            indent = len(opening["indent"])
            body, number = [], number + 1
            while number < len(lines) and lines[number].strip() != "```":
                body.append(lines[number][indent:] if lines[number][:indent].isspace() else lines[number])
                number += 1
            blocks.append(Block(number - len(body), opening["lang"], "\n".join(body), marker))
            marker = None
        elif MARKER.match(line):
            found = MARKER.match(line)
            marker = (found["kind"], found["text"])
        elif line.strip() and marker:
            raise ExampleError(f"{number + 1}: text between a <!-- {marker[0]} --> comment and its block")
        number += 1
    return blocks


def read_examples(text):
    """Pairs each request with its answer; raises ExampleError at the first
    block that is neither part of an example nor marked."""
    examples, blocks = [], read_blocks(text)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        example = Example(block.line)
        if block.marker and block.marker[0] == "not replayed":
            example.not_replayed = block.marker[1]
            if not example.not_replayed:
                raise ExampleError(f"{block.line}: say why: <!-- not replayed: why -->")
        elif block.lang != "sh":
            raise ExampleError(f"{block.line}: a ```{block.lang} block without a ```sh request before it; "
                               "add the request or mark it <!-- not replayed: why -->")
        if block.lang == "sh" and index + 1 < len(blocks) and blocks[index + 1].lang == "http":
            index += 1
            if not example.not_replayed:
                example.request = read_curl(block)
                example.answer = read_answer(blocks[index])
                example.setting = read_setting(block)
        elif not example.not_replayed:
            raise ExampleError(f"{block.line}: a request without an ```http answer right after it")
        examples.append(example)
        index += 1
    return examples


def read_setting(block):
    if not block.marker or block.marker[0] != "replayed with":
        return None
    variable, _, value = block.marker[1].partition("=")
    if not value:
        raise ExampleError(f"{block.line}: write <!-- replayed with VARIABLE=value -->")
    return variable.strip(), value.strip()


def read_answer(block):
    head, _, body = block.text.partition("\n\n")
    status_line, *header_lines = head.splitlines()
    status = re.fullmatch(r"HTTP/1\.1 (\d{3} [A-Z' -]+)", status_line.strip())
    if not status:
        raise ExampleError(f"{block.line}: an answer starts with its status line, "
                           f"e.g. HTTP/1.1 200 OK, not {status_line!r}")
    headers = []
    for header in header_lines:
        name, colon, value = header.partition(":")
        if not colon:
            raise ExampleError(f"{block.line}: {header!r} is not a header; a blank line goes before the body")
        headers.append((name.strip(), value.strip()))
    return Answer(block.line, status[1], headers, body.strip())


def read_curl(block):
    """The request of a `curl` command, as curl would send it."""
    command = block.text.replace("\\\n", " ").strip()
    stdin = b""
    piped = PIPED_BODY.match(command)
    if piped:
        stdin = piped[2].encode() * int(piped[1])
        command = piped[3]
    try:
        words = shlex.split(command)
    except ValueError as error:
        raise ExampleError(f"{block.line}: {error}") from None
    if not words or words[0] != "curl":
        raise ExampleError(f"{block.line}: not a curl command; mark it <!-- not replayed: why -->")
    return curl_request(block.line, words[1:], stdin)


def curl_request(line, words, stdin):
    method, url, headers, data, encoded, get, include = None, None, [], [], [], False, False
    words = iter(words)
    for word in words:
        if word in ("-i", "--include"):
            include = True
        elif word in ("-I", "--head"):
            method, include = "HEAD", True
        elif word in ("-G", "--get"):
            get = True
        elif word in ("-X", "--request"):
            method = next(words)
        elif word in ("-H", "--header"):
            name, _, value = next(words).partition(":")
            headers.append((name.strip(), value.strip()))
        elif word in ("-d", "--data", "--data-raw", "--data-binary"):
            value = next(words)
            data.append(stdin if value == "@-" else value.encode())
        elif word == "--data-urlencode":
            name, _, value = next(words).partition("=")
            encoded.append(f"{name}={quote(value, safe='')}".encode())
        elif word.startswith(("http://", "https://")) and url is None:
            url = word
        else:
            raise ExampleError(f"{line}: curl option {word!r} is not replayed; "
                               "use those the other examples use, or mark it <!-- not replayed: why -->")
    if url is None:
        raise ExampleError(f"{line}: curl without a URL")
    if not include:
        raise ExampleError(f"{line}: use curl -i, since the answer shows the status line")
    body = b"&".join(data + encoded)
    if get:
        url += ("&" if urlsplit(url).query else "?") + body.decode()
        return Request(method or "GET", url, headers)
    if body and not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))  # as curl does
    return Request(method or ("POST" if data or encoded else "GET"), url, headers, body)
