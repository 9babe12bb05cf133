"""Integer query parameters with their bounds, shared by every route that takes one.

A route declares `offset: Offset = 0` or `page: PageNumber = 1` rather than a bare `int`, so a
number past the database's range is refused as 422 naming the parameter (API: the JSON error;
pages: the error page) before any query runs (ASVS 4.0.3 V5.1.4). tests/security/
test_number_bounds.py walks the route table and fails on an int parameter without an upper bound.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from jusoor.core.bounds import MAX_INT64, MAX_OFFSET, MAX_PAGE

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Records to skip.")]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1.")]
SequenceNumber = Annotated[int | None, Query(ge=1, le=MAX_INT64)]
