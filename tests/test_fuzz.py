"""Every operation of the OpenAPI document fuzzed by schemathesis, with every
check it has, on an app without and with an admin token."""
import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from app import create_app

# schemathesis needs the apps when the tests are collected: one app of each
# configuration, each on its own temporary database, for the whole fuzzing run.
FUZZ_DIR = tempfile.mkdtemp(prefix="lang-portal-fuzz-")
atexit.register(shutil.rmtree, FUZZ_DIR, ignore_errors=True)
FUZZ_TOKEN = "fuzz-admin-token"


def fuzzed_schema(name, token):
    app = create_app({"TESTING": True, "DATABASE": str(Path(FUZZ_DIR) / f"{name}.db"),
                      "ADMIN_TOKEN": token})
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


# Without an admin token the document asks for none; with one, the fuzzer
# sends it, and checks that a write without it, or with another, is refused.
open_schema = fuzzed_schema("open", None)
locked_schema = fuzzed_schema("locked", FUZZ_TOKEN)


# Fields with a rule JSON Schema cannot state, each described in the document:
# a time not in the future (our clock: created_at, reviewed_at, the queue's at),
# or not before its session started;
# reviews of words in the session's group, each review_id once (and the path's
# word_id of a single answer in that group); kanji the dictionary can read;
# parts that spell the word (and whose romaji, joined, make a romaji of at
# most 500 characters); a URL's port; a review log cursor the API gave.
RULES_BEYOND_SCHEMA = {"created_at", "reviewed_at", "at", "reviews", "word_id", "text", "kanji",
                       "parts", "romaji", "launch_url", "cursor"}


@schemathesis.check
def schema_valid_data_is_accepted(ctx, response, case):
    """Schemathesis' positive_data_acceptance, but for a 400 that names only
    fields whose refusal the document describes in words."""
    if response.status_code == 400:
        fields = {detail["field"].split(".")[-1] for detail in response.json().get("details", [])}
        if fields and fields <= RULES_BEYOND_SCHEMA:
            return None
    return positive_data_acceptance(ctx, response, case)


FUZZ_SETTINGS = settings(max_examples=30, deadline=None,
                         suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                HealthCheck.too_slow, HealthCheck.filter_too_much])


def call_and_validate(case, headers=None):
    # Every check schemathesis has (`--checks all`, the authentication checks
    # included), with positive data acceptance as above.
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance],
                           additional_checks=[schema_valid_data_is_accepted])


@pytest.mark.slow
@open_schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_every_operation_without_a_token(case):
    call_and_validate(case)


@pytest.mark.slow
@locked_schema.parametrize()
@FUZZ_SETTINGS
def test_fuzz_every_operation_with_a_token(case):
    call_and_validate(case, {"Authorization": f"Bearer {FUZZ_TOKEN}"})
