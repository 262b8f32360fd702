"""The audit log's hash chain: any alteration, deletion or reordering of a record is detectable."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from services.audit.chain import GENESIS, canonical, link

PREV = "a" * 64
RECORD = {"sequence": 7, "actor": "users/judge.440101.civil1.1", "action": "UpdateCase",
          "resource": "courts/440101/cases/1", "result": "OK", "court": "440101",
          "occur_time": datetime(2026, 3, 1, 8, 30, tzinfo=timezone.utc)}


def test_hash_is_hex_sha256_and_deterministic():
    h = link(PREV, RECORD)
    assert re.fullmatch(r"[0-9a-f]{64}", h)
    assert link(PREV, dict(RECORD)) == h


def test_genesis_is_64_zeros():
    assert GENESIS == "0" * 64


def test_hash_depends_on_the_previous_hash():
    assert link(GENESIS, RECORD) != link(PREV, RECORD)
    assert link("b" * 64, RECORD) != link(PREV, RECORD)


@pytest.mark.parametrize("field, value", [
    ("sequence", 8), ("actor", "users/someone.else"), ("action", "DeleteCase"), ("result", "DENIED"),
    ("court", "440102"), ("occur_time", datetime(2026, 3, 1, 8, 31, tzinfo=timezone.utc)),
])
def test_changing_any_field_changes_the_hash(field, value):
    assert link(PREV, {**RECORD, field: value}) != link(PREV, RECORD)


def test_adding_or_removing_a_field_changes_the_hash():
    assert link(PREV, {**RECORD, "extra": ""}) != link(PREV, RECORD)
    without = {k: v for k, v in RECORD.items() if k != "result"}
    assert link(PREV, without) != link(PREV, RECORD)


def test_renaming_a_field_changes_the_hash():
    renamed = {("outcome" if k == "result" else k): v for k, v in RECORD.items()}
    assert link(PREV, renamed) != link(PREV, RECORD)


def test_value_type_matters():
    assert link(PREV, {"sequence": 7}) != link(PREV, {"sequence": "7"})
    assert link(PREV, {"flag": True}) != link(PREV, {"flag": 1})


def test_key_insertion_order_does_not_matter():
    reversed_order = dict(reversed(list(RECORD.items())))
    assert list(reversed_order) != list(RECORD)
    assert link(PREV, reversed_order) == link(PREV, RECORD)


def test_nested_key_order_does_not_matter():
    assert link(PREV, {"m": {"a": 1, "b": 2}}) == link(PREV, {"m": {"b": 2, "a": 1}})


def test_canonical_form_is_compact_sorted_utf8_json():
    assert canonical({"b": 1, "a": "法院"}) == '{"a":"法院","b":1}'.encode()


def test_moving_text_between_fields_changes_the_hash():
    assert link(PREV, {"a": "xy", "b": ""}) != link(PREV, {"a": "x", "b": "y"})


# -- a chain verified by recomputation -----------------------------------------------------------------

def build_chain(contents: list[dict]) -> list[dict]:
    records, previous = [], GENESIS
    for content in contents:
        digest = link(previous, content)
        records.append({"content": content, "previous_hash": previous, "hash": digest})
        previous = digest
    return records


def first_bad(records: list[dict]) -> int | None:
    """Index of the first record whose hash does not follow from its predecessor, or None."""
    previous = GENESIS
    for i, record in enumerate(records):
        if link(previous, record["content"]) != record["hash"]:
            return i
        previous = record["hash"]
    return None


def contents(n: int = 6) -> list[dict]:
    return [{**RECORD, "sequence": i + 1, "resource": f"courts/440101/cases/{i}"} for i in range(n)]


def test_an_intact_chain_verifies():
    assert first_bad(build_chain(contents())) is None


def test_altered_record_is_detected_at_its_index():
    records = build_chain(contents())
    records[3] = {**records[3], "content": {**records[3]["content"], "result": "DENIED"}}
    assert first_bad(records) == 3


def test_altered_record_with_recomputed_hash_is_detected_at_the_next_record():
    records = build_chain(contents())
    forged = {**records[2]["content"], "actor": "users/intruder"}
    records[2] = {**records[2], "content": forged, "hash": link(records[1]["hash"], forged)}
    assert first_bad(records) == 3


def test_deleted_record_is_detected_where_it_was():
    records = build_chain(contents())
    del records[2]
    assert first_bad(records) == 2


def test_deleted_first_record_is_detected():
    records = build_chain(contents())
    del records[0]
    assert first_bad(records) == 0


def test_swapped_records_are_detected():
    records = build_chain(contents())
    records[1], records[2] = records[2], records[1]
    assert first_bad(records) == 1


def test_inserted_record_is_detected():
    records = build_chain(contents())
    extra = {**RECORD, "sequence": 99}
    records.insert(4, {"content": extra, "previous_hash": records[3]["hash"], "hash": link(records[3]["hash"], extra)})
    assert first_bad(records) == 5


def test_a_change_detail_is_hashed_when_set_and_old_records_hash_as_before():
    from services.audit.chain import CONTENT_FIELDS, hashed_content

    full = {f: RECORD.get(f, "") for f in CONTENT_FIELDS}
    # A record written before `detail` existed (empty) hashes exactly as it did then.
    assert link(PREV, hashed_content({**full, "detail": ""})) == link(PREV, full)
    changed = {**full, "detail": "handler: users/a → users/b；原因：回避"}
    assert link(PREV, hashed_content(changed)) != link(PREV, full)
    assert link(PREV, hashed_content({**changed, "detail": "handler: users/a → users/c；原因：回避"})) != \
        link(PREV, hashed_content(changed))
