"""The ways lists are cut into pages: Flask-SQLAlchemy's `db.paginate` and its Pagination,
and, for a log too long to count, pages by key.

`paginate` takes a select of ORM objects (through `db.paginate`), a select of several columns
(`RowPagination`, one tuple per row) or a list already in memory (`ListPagination`). The page
number comes from the query string (`arg`); a missing, silly or too large number never
fails: below 1 reads as 1, past the end shows the last page. Templates show every pager with
the `pager` macro in `_macros/pager.html`.

`KeysetPage` is for the audit log: no count of the whole list and no OFFSET (which reads
every skipped row); a page is the rows just older (`before`) or just newer (`after`) than a
key, found through an index, whatever the log's length. Its pager is `keyset_pager`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flask import has_request_context, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from .extensions import db

MAX_PAGE = 100_000  # keeps the SQL offset a number every database holds


class RowPagination(Pagination):
    """Pages of a select whose rows are tuples (several entities or columns).

    `wrap`, when given, turns each row into the object templates read.
    """

    def _query_items(self) -> list:
        query = self._query_args["select"]
        rows = db.session.execute(query.limit(self.per_page).offset(self._query_offset)).all()
        wrap = self._query_args.get("wrap")
        return [wrap(*row) for row in rows] if wrap else list(rows)

    def _query_count(self) -> int:
        query = self._query_args["select"].order_by(None).subquery()
        return db.session.execute(select(func.count()).select_from(query)).scalar()


class ListPagination(Pagination):
    """Pages of a list already built in Python (rows sorted on computed numbers)."""

    def _query_items(self) -> list:
        rows = self._query_args["rows"]
        return list(rows[self._query_offset:self._query_offset + self.per_page])

    def _query_count(self) -> int:
        return len(self._query_args["rows"])


def page_arg(arg: str = "page") -> int:
    """The page number asked for in the query string, between 1 and MAX_PAGE (1 outside a
    request: a panel built by a test or a command)."""
    if not has_request_context():
        return 1
    return min(max(request.args.get(arg, 1, type=int) or 1, 1), MAX_PAGE)


def paginate(source: Select | Sequence, per_page: int, *, arg: str = "page",
             rows: bool = False, wrap: Callable | None = None,
             page: int | None = None) -> Pagination:
    """One page of `source`: ORM objects, tuples (`rows=True`) or a list.

    A page past the end answers the last page, so an old link never shows an empty list.
    """
    number = page or page_arg(arg)
    result = _page(source, number, per_page, rows, wrap)
    if result.page > result.pages > 0:
        result = _page(source, result.pages, per_page, rows, wrap)
    return result


def _page(source, number: int, per_page: int, rows: bool, wrap) -> Pagination:
    options = {"page": number, "per_page": per_page, "max_per_page": None, "error_out": False}
    if not isinstance(source, Select):
        return ListPagination(rows=source, **options)
    if rows or wrap:
        return RowPagination(select=source, wrap=wrap, **options)
    return db.paginate(source, **options)


MAX_KEY = 2**31 - 1  # the largest id an INTEGER column holds


def _key_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return None if value is None or value < 1 else min(value, MAX_KEY)


@dataclass
class KeysetPage:
    """One page of a list newest first by `key`: its rows, and the keys to go further."""

    items: list
    older: int | None  # `before=` for the next, older page (None: this is the oldest)
    newer: int | None  # `after=` for the previous, newer page (None: this is the newest)


def keyset_paginate(query: Select, key, per_page: int, key_of: Callable) -> KeysetPage:
    """A page of `query` (rows as tuples) ordered by `key` descending, from the `before` or
    `after` key in the query string; `key_of(row)` reads a row's key. One query."""
    before = _key_arg("before")
    after = None if before else _key_arg("after")
    if after:
        rows = db.session.execute(
            query.where(key > after).order_by(key.asc()).limit(per_page + 1)).all()
        more_newer, rows = len(rows) > per_page, list(reversed(rows[:per_page]))
        more_older = True
    else:
        if before:
            query = query.where(key < before)
        rows = db.session.execute(query.order_by(key.desc()).limit(per_page + 1)).all()
        more_older, rows = len(rows) > per_page, rows[:per_page]
        more_newer = bool(before)
    return KeysetPage(
        items=list(rows),
        older=key_of(rows[-1]) if rows and more_older else None,
        newer=key_of(rows[0]) if rows and more_newer else None,
    )
