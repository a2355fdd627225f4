"""The routes of a job's results: its allocation, report, rosters, audit and explanations."""

import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response
from fastapi.responses import HTMLResponse, JSONResponse

from seatalloc.serve.http import ALLOCATION, Store, allocation_text, documents, find

router = APIRouter(prefix="/jobs/{ident}", tags=["results"])
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@router.get("/allocation", responses=ALLOCATION)
def allocation(ident: str, jobs: Store) -> Response:
    """The allocation JSON, as the command line writes it."""
    return Response(allocation_text(find(jobs, ident, "allocation")), media_type="application/json")


@router.get("/report", response_class=HTMLResponse)
def report(ident: str, jobs: Store) -> HTMLResponse:
    """The one-page HTML report."""
    from seatalloc.explain.report import render_report

    return HTMLResponse(render_report(*documents(jobs, ident)))


@router.get(
    "/rosters",
    response_class=Response,  # (no JSON by default: the two media types below)
    responses={
        200: {
            "description": "An .xlsx workbook, or one CSV roster",
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA.values()
            },
        }
    },
)
def rosters(
    ident: str,
    jobs: Store,
    format: Literal["xlsx", "csv"] = "xlsx",
    by: Annotated[list[Literal["session", "attendee", "organisation"]] | None, Query()] = None,
) -> Response:
    """Rosters: an .xlsx workbook (a sheet per roster) or one CSV roster (``by``, default session)."""
    from seatalloc.io.rosters import write_rosters

    event, seats = documents(jobs, ident)
    kinds = by or (["session", "attendee", "organisation"] if format == "xlsx" else ["session"])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"rosters.{format}"
        write_rosters(event, seats, path, kinds)
        content = path.read_bytes()
    disposition = f'attachment; filename="rosters-{ident}.{format}"'
    return Response(content, media_type=MEDIA[format], headers={"Content-Disposition": disposition})


@router.get("/audit")
def audit(ident: str, jobs: Store) -> Response:
    """The fairness audit (aggregates only)."""
    from seatalloc.explain.audit import audit

    return Response(audit(*documents(jobs, ident)).model_dump_json(), media_type="application/json")


@router.get("/explanations")
def explanations(ident: str, jobs: Store, attendee: Annotated[list[str] | None, Query()] = None) -> Response:
    """Why attendees did not get a better choice: everyone, or the ``attendee`` ids given."""
    from seatalloc.explain.why import explain_many

    event, seats = documents(jobs, ident)
    known = {a.id for a in event.attendees}
    unknown = [a for a in attendee or () if a not in known]
    if unknown:  # (no such resource: the request itself is well formed)
        raise HTTPException(404, "no attendee " + ", ".join(map(repr, unknown)) + " in the job's event")
    who = attendee or [a.id for a in event.attendees]
    return JSONResponse([why.model_dump(mode="json") for why in explain_many(event, seats, who)])
