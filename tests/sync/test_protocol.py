"""The wire schema: what it accepts, what it refuses, and that the device can import it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from pydantic import ValidationError

from fieldkit.sync import protocol as p


def test_referenced_attachments_finds_hashes_at_any_depth_once():
    a, b, c = "a" * 64, "b" * 64, "c" * 64
    body = {
        "photo": a,
        "events": [{"attachments": [{"sha256": b, "size": 3}]}, {"photos": [c, a]}],
        "title": "d" * 64,  # a hash-like string under an unrelated key is not a reference
        "file": "not-a-hash",
    }
    assert p.referenced_attachments(body) == [a, b, c]


def test_operation_bounds():
    good = {"op_id": "x", "seq": 1, "hlc": "h", "kind": "case", "record_id": "r", "site": "s"}
    assert p.Operation.model_validate(good).op == "put"
    for bad in (
        {"seq": 0},
        {"kind": "Case!"},
        {"op": "drop"},
        {"attachments": ["xyz"]},
        {"extra": 1},
    ):
        with pytest.raises(ValidationError):
            p.Operation.model_validate({**good, **bad})
    with pytest.raises(ValidationError):
        p.PushRequest(ops=[p.Operation.model_validate(good)] * (p.MAX_PUSH_OPS + 1))
    with pytest.raises(ValidationError):
        p.PullRequest(limit=p.MAX_PULL_LIMIT + 1)


def test_device_side_imports_no_server_stack():
    probe = (
        "import fieldkit.sync.protocol, fieldkit.sync.client, sys, json\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout))
    assert not loaded & {"fastapi", "sqlalchemy", "alembic", "uvicorn", "psycopg", "starlette"}


def test_text_that_no_database_can_store_is_refused():
    good = {"op_id": "x", "seq": 1, "hlc": "h", "kind": "case", "record_id": "r", "site": "s"}
    for bad in (
        {"record_id": "\udaa0"},
        {"body": {"note": ["\ud800"]}},
        {"body": {"\udfff": 1}},
        {"seq": p.MAX_SEQ + 1},
    ):
        with pytest.raises(ValidationError):
            p.Operation.model_validate({**good, **bad})
    with pytest.raises(ValidationError):
        p.EnrollRequest(code="ab\ud800cd")
