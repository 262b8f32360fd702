"""BulkInsert (services/common/db.py) against a real PostgreSQL: rows of every column type the
services write in bulk go in as sent (arrays and dates too), duplicates are skipped and the rest
read back as their column's type, and an upsert updates a stored row only where its condition
holds."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import (ARRAY, Boolean, Column, Date, DateTime, Integer, LargeBinary, MetaData, SmallInteger, String,
                        Table, Text, create_engine, select)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Session

from conftest import new_database
from services.common.clock import LEGAL_TZ
from services.common.db import BulkInsert, Upsert

pytestmark = pytest.mark.timeout(60)
metadata = MetaData(schema="bulk")
ROWS = Table("rows", metadata,
             Column("id", UUID(as_uuid=True), primary_key=True), Column("key", String(40), unique=True),
             Column("n", SmallInteger), Column("body", Text), Column("flag", Boolean), Column("doc", JSONB),
             Column("payload", LargeBinary), Column("at", DateTime(timezone=True)), Column("note", Text))
WITH_ARRAY = Table("with_array", metadata, Column("id", Integer, primary_key=True), Column("tags", ARRAY(String(80))),
                   Column("day", Date), Column("version", Integer))


@pytest.fixture
def engine(postgres):
    engine = create_engine(new_database(postgres, "bulk"))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA bulk")
        metadata.create_all(conn)
    yield engine
    engine.dispose()


def row(key: str, **more) -> dict:
    return dict(id=uuid.uuid4(), key=key, n=7, body="审理期限已超期，'引号' 与 \"双引号\" 和 {花括号}", flag=True,
                doc={"案号": "（2026）粤0101民初1号", "days": [1, 2]}, payload=b"\x00\x01\xff",
                at=datetime(2026, 9, 3, 9, 30, tzinfo=LEGAL_TZ), note=None, **more)


def test_rows_of_every_type_go_in_as_sent(engine):
    rows = [row(f"k{i}") for i in range(300)]
    # Values an array literal must escape or tell apart from NULL, among ordinary ones.
    rows[1].update(body='C:\\案卷\\"第1卷"\\', note="NULL", n=None, flag=False, doc=None, payload=None, at=None)
    rows[2].update(body="", note='{"a",b}', doc="纯文本 \\ \"引号\"")
    with Session(engine) as session, session.begin():
        BulkInsert(ROWS).execute(session, rows)
    with Session(engine) as session:
        stored = {r.key: r for r in session.execute(select(ROWS))}
    assert len(stored) == 300
    for sent in rows[:3] + rows[-1:]:
        got = stored[sent["key"]]
        assert (got.id, got.n, got.body, got.flag, got.doc, got.payload and bytes(got.payload), got.at,
                got.note) == (sent["id"], sent["n"], sent["body"], sent["flag"], sent["doc"], sent["payload"],
                              sent["at"], sent["note"])


def test_duplicates_are_skipped_and_the_new_keys_read_back_as_their_type(engine):
    writer = BulkInsert(ROWS, skip_conflicts=True, returning="id")
    old = row("old")
    with Session(engine) as session, session.begin():
        writer.execute(session, [old])
    new = [row("new"), row("old"), row("new2")]
    with Session(engine) as session, session.begin():
        returned = set(writer.execute(session, new).scalars())
    assert returned == {new[0]["id"], new[2]["id"]}
    assert all(isinstance(v, uuid.UUID) for v in returned)


def test_array_and_date_columns_go_in_as_sent(engine):
    # unnest would flatten an array of arrays: each row's array goes as its literal and is cast back.
    rows = [dict(id=1, tags=["users/judge.440101.1", '带"引号"与\\反斜杠', "a,b {c}"], day=date(2026, 9, 30), version=1),
            dict(id=2, tags=[], day=None, version=1), dict(id=3, tags=None, day=date(2024, 2, 29), version=1)]
    with Session(engine) as session, session.begin():
        BulkInsert(WITH_ARRAY).execute(session, rows)
    with Session(engine) as session:
        stored = {r.id: (r.tags, r.day) for r in session.execute(select(WITH_ARRAY))}
    assert stored == {r["id"]: (r["tags"], r["day"]) for r in rows}


def test_an_upsert_updates_a_stored_row_only_where_its_condition_holds(engine):
    writer = BulkInsert(WITH_ARRAY, upsert=Upsert(key=("id",), where="excluded.version > t.version"))
    with Session(engine) as session, session.begin():
        writer.execute(session, [dict(id=1, tags=["old"], day=date(2026, 1, 1), version=2),
                                 dict(id=2, tags=["old"], day=date(2026, 1, 1), version=2)])
    # Row 1 newer: taken. Row 2 older (a late redelivery): left as it is. Row 3 new: inserted.
    with Session(engine) as session, session.begin():
        writer.execute(session, [dict(id=1, tags=["new"], day=date(2026, 2, 1), version=3),
                                 dict(id=2, tags=["new"], day=date(2026, 2, 1), version=1),
                                 dict(id=3, tags=["new"], day=None, version=1)])
    with Session(engine) as session:
        stored = {r.id: (r.tags, r.day, r.version) for r in session.execute(select(WITH_ARRAY))}
    assert stored == {1: (["new"], date(2026, 2, 1), 3), 2: (["old"], date(2026, 1, 1), 2), 3: (["new"], None, 1)}
    # Only the columns named are updated; the key is never.
    only_tags = BulkInsert(WITH_ARRAY, upsert=Upsert(key=("id",), columns=("tags",)))
    with Session(engine) as session, session.begin():
        only_tags.execute(session, [dict(id=1, tags=["tags only"], day=date(2030, 1, 1), version=9)])
    with Session(engine) as session:
        assert session.execute(select(WITH_ARRAY.c.tags, WITH_ARRAY.c.day, WITH_ARRAY.c.version)
                               .where(WITH_ARRAY.c.id == 1)).one() == (["tags only"], date(2026, 2, 1), 3)
