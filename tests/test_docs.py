"""docs/api.md cannot drift: its examples are replayed, top to bottom, on a
fresh database, and each answer must be the one the page shows (status,
headers shown, body), but for what the page says changes from run to run."""
from pathlib import Path

import pytest
from api_examples import ExampleError, Request, read_examples
from api_replay import compare, read_changing, read_csv, replay, sent_as_received

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"


def replay_page(client, text):
    """(problems, examples replayed, examples marked not replayed)."""
    try:
        examples = read_examples(text)
    except ExampleError as error:
        return [f"docs/api.md:{error}"], 0, 0
    changing = read_changing(text)
    problems, replayed, skipped = [], 0, 0
    for example in examples:
        if example.not_replayed:
            skipped += 1
            continue
        problems += replay(client, example, changing)
        replayed += 1
    return problems, replayed, skipped


def test_every_example_of_the_api_reference_gets_the_answer_shown(client):
    problems, replayed, skipped = replay_page(client, API_DOC.read_text(encoding="utf-8"))
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    assert replayed > 50, "the page's examples were not found"
    print(f"{replayed} examples replayed, {skipped} marked not replayed")


# The replay itself, on small pages: it must see a drift, and name its line.
NOTE = "- **Times** from 2026-12-02 on\n- **Numbers** of `retrievability`\n- **Headers**: `ETag`\n"


def page(*examples):
    return NOTE + "".join(f"\n```sh\n{request}\n```\n\n```http\n{answer}\n```\n" for request, answer in examples)


def test_an_answer_that_drifted_is_named_by_its_line(client):
    text = page(("curl -i http://localhost:5000/api/health", 'HTTP/1.1 200 OK\n\n{"status": "ok"}'),
                ("curl -i http://localhost:5000/api/words/9999", 'HTTP/1.1 404 NOT FOUND\n\n{"error": "No word 9999"}'))
    problems, replayed, _ = replay_page(client, text)
    assert replayed == 2
    assert problems == ["docs/api.md:19: GET http://localhost:5000/api/words/9999: body.error: "
                        "'Word with id 9999 not found', the page shows 'No word 9999'"]


def test_a_block_that_is_not_replayed_must_say_so(client):
    answer = '```http\nHTTP/1.1 500 INTERNAL SERVER ERROR\n\n{"error": "Internal server error"}\n```\n'
    assert replay_page(client, NOTE + "\n" + answer)[0] == [
        "docs/api.md:5: a ```http block without a ```sh request before it; "
        "add the request or mark it <!-- not replayed: why -->"]
    assert replay_page(client, NOTE + "\n<!-- not replayed: the database must fail -->\n" + answer) == ([], 0, 1)


def test_only_times_from_the_day_named_match_any_time(client):
    create = ("curl -i -X POST http://localhost:5000/api/study-sessions -H 'Content-Type: application/json' "
              "-d '{\"group_id\": 1, \"study_activity_id\": 1, \"created_at\": \"%s\"}'")
    fields = '"id": %d, "session_id": %d, "group_id": 1, "group_name": "Core Verbs", "activity_id": 1, ' \
             '"study_activity_id": 1, "activity_name": "Typing Tutor", "review_items_count": 0, ' \
             '"correct_count": 0, "wrong_count": 0, '
    times = '"start_time": "%s", "created_at": "%s", "end_time": "%s"'
    answer = "HTTP/1.1 201 CREATED\n\n{" + fields + times + "}"
    text = page((create % "2026-11-21T09:30:00Z", answer % ((1, 1) + ("2026-11-21T09:31:00Z",) * 3)),
                (create.replace(', "created_at": "%s"', ""), answer % ((2, 2) + ("2026-12-02T04:24:16Z",) * 3)))
    problems = replay_page(client, text)[0]
    assert [problem.split(": ", 2)[2] for problem in problems] == [
        f"body.{name}: '2026-11-21T09:30:00Z', the page shows '2026-11-21T09:31:00Z'"
        for name in ("start_time", "created_at", "end_time")]


def test_a_shortened_list_says_how_many_items_it_leaves_out(client):
    group = '{"id": 2, "name": "Core Adjectives", "group_name": "Core Adjectives", "words_count": 60, "word_count": 60}'
    answer = 'HTTP/1.1 200 OK\n\n{"items": [\n%s\n// ... %d more groups\n], "total": 2, "page": 1, "per_page": 10, ' \
             '"total_pages": 1}'
    request = "curl -i http://localhost:5000/api/groups"
    assert replay_page(client, page((request, answer % (group, 1)))) == ([], 1, 0)
    assert replay_page(client, page((request, answer % (group, 5))))[0] == [
        "docs/api.md:9: GET http://localhost:5000/api/groups: body.items: 2 items (the page shows 1 and 5 more)"]


def test_an_etag_shown_is_sent_back_as_received(client):
    text = page(("curl -i http://localhost:5000/api/groups/1",
                 'HTTP/1.1 200 OK\nETag: W/"shown"\n\n{"id": 1, "name": "Core Verbs", "group_name": "Core Verbs", '
                 '"words_count": 60, "word_count": 60}'),
                ("curl -i http://localhost:5000/api/groups/1 -H 'If-None-Match: W/\"shown\"'",
                 'HTTP/1.1 304 NOT MODIFIED\nETag: W/"shown"\n'))
    assert replay_page(client, text) == ([], 2, 0)


def test_a_marker_stands_right_before_its_block(client):
    text = NOTE + "\n<!-- not replayed: why -->\nSome text.\n\n```sh\ncurl -i http://localhost:5000/api/health\n```\n"
    assert replay_page(client, text)[0] == ["docs/api.md:6: text between a <!-- not replayed --> comment and its block"]


def test_a_cursor_shown_is_sent_back_and_read_as_received():
    changing = read_changing(NOTE + "- **Fields**: `next`\n")
    shown = {"next": "c2hvd24", "next_url": "/api/reviews?limit=2&cursor=c2hvd24"}
    problems = []
    compare(shown, {"next": "Z290", "next_url": "/api/reviews?limit=2&cursor=Z290"}, "body", "", changing, problems)
    assert problems == []
    url = sent_as_received(Request("GET", "http://localhost:5000/api/reviews?limit=2&cursor=c2hvd24"), changing)[0]
    assert url == "http://localhost:5000/api/reviews?limit=2&cursor=Z290"
    compare(shown, {"next": "Z290", "next_url": "/api/reviews?limit=3&cursor=Z290"}, "body", "", changing, problems)
    assert problems == ["body.next_url: '/api/reviews?limit=3&cursor=Z290', "
                        "the page shows '/api/reviews?limit=2&cursor=c2hvd24'"]


def test_a_csv_time_in_milliseconds_from_the_day_named_matches_any_such_time():
    shown = read_csv("card_id,review_time\n1,1795253460000\n2,1796403340000\n")  # 2026-11-21, 2026-12-04
    problems = []
    compare(shown, read_csv("card_id,review_time\n1,1795253460000\n2,1796405112000\n"), "body", "",
            read_changing(NOTE), problems)
    assert problems == []
    compare(shown, read_csv("card_id,review_time\n1,1795253520000\n2,1796000000000\n"), "body", "",
            read_changing(NOTE), problems)
    assert problems == ["body[1][1]: '1795253520000', the page shows '1795253460000'",
                        "body[2][1]: '1796000000000', the page shows '1796403340000'"]
