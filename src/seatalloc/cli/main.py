"""The ``seatalloc`` command line.

Exit codes: 0 success; 1 the checker found violations; 2 bad input (the
problems are printed, never a traceback); 3 no allocation (infeasible, or no
solution within the time limit).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import get_args

from seatalloc import __version__
from seatalloc.check import check
from seatalloc.check.belongs import mismatches
from seatalloc.collector import kept_until_exit
from seatalloc.errors import InputError, OutOfMemory, Problem, SeatallocError
from seatalloc.io import json_schema, opened, write_text
from seatalloc.io.importer import import_event
from seatalloc.io.rosters import write_rosters
from seatalloc.schema import Allocation, Event
from seatalloc.schema.records import ObjectiveKind
from seatalloc.solve.options import Progress, SolveOptions
from seatalloc.solve.registry import method_names

EXIT_OK, EXIT_VIOLATIONS, EXIT_INPUT, EXIT_NO_ALLOCATION = 0, 1, 2, 3
#: Violations ``check`` prints one by one; the rest are counted by kind.
MOST_VIOLATIONS = 20
OBJECTIVES = get_args(ObjectiveKind)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="seatalloc",
        description="Assign attendees to parallel sessions, optimally and with proof.",
    )
    parser.add_argument("--version", action="version", version=f"seatalloc {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    solve_cmd = commands.add_parser("solve", help="solve an event and write the allocation")
    solve_cmd.add_argument("event", help="event JSON file, or - for standard input")
    solve_cmd.add_argument("-o", "--output", help="write the allocation JSON here (- for standard output)")
    _solver_options(solve_cmd)
    solve_cmd.add_argument(
        "--method",
        choices=("auto", *method_names()),
        default="auto",
        help="auto (default: the methods that apply), cp-sat (every rule) or flow (plain events, any size)",
    )

    resolve_cmd = commands.add_parser(
        "resolve", help="re-solve after changes, keeping a published allocation where the rules allow"
    )
    resolve_cmd.add_argument("event", help="the event as it is now (JSON file, or - for standard input)")
    resolve_cmd.add_argument("published", help="the published allocation JSON file")
    resolve_cmd.add_argument(
        "-o", "--output", help="write the new allocation JSON here (- for standard output)"
    )
    resolve_cmd.add_argument(
        "--max-moves", type=int, help="at most this many attendee-passes may change seat"
    )
    resolve_cmd.add_argument(
        "--move-cost",
        type=int,
        help="cost of one move, paid when a better seat is worth it (default: move only when needed)",
    )
    resolve_cmd.add_argument(
        "--responses",
        help=(
            "a response round: the answers to the published offers (JSON, or CSV/Excel with the "
            "columns attendee, response, when); confirmed seats stay, declined and lapsed ones go on"
        ),
    )
    _solver_options(resolve_cmd)

    compare_cmd = commands.add_parser(
        "compare-objectives", help="solve under every objective and show cost and rank profile"
    )
    compare_cmd.add_argument("event", help="event JSON file, or - for standard input")
    _limits(compare_cmd, "the whole comparison")

    audit_cmd = commands.add_parser("audit", help="fairness audit of an allocation (aggregates only)")
    audit_cmd.add_argument("event", help="event JSON file")
    audit_cmd.add_argument("allocation", help="allocation JSON file")
    audit_cmd.add_argument("--json", action="store_true", help="print the audit as JSON")

    explain_cmd = commands.add_parser("explain", help="why attendees did not get a better choice")
    explain_cmd.add_argument("event", help="event JSON file")
    explain_cmd.add_argument("allocation", help="allocation JSON file")
    explain_cmd.add_argument(
        "--attendee", help="one attendee, with the cost of better seats (solves again per seat)"
    )
    explain_cmd.add_argument("--json", action="store_true", help="print JSON lines")
    _limits(explain_cmd, "the solves that price better seats")

    import_cmd = commands.add_parser(
        "import", help="make an event from a form export (CSV or Excel) and a column mapping"
    )
    import_cmd.add_argument("registrations", help="the form export: .csv or .xlsx, one row per registration")
    import_cmd.add_argument("--mapping", required=True, help="TOML column mapping (see docs)")
    import_cmd.add_argument("--skeleton", help="event JSON without attendees (default: the mapping's)")
    import_cmd.add_argument("-o", "--output", default="-", help="write the event JSON here (default: stdout)")

    history_cmd = commands.add_parser(
        "history",
        help="give returning attendees how they fared at earlier editions (priority across editions)",
    )
    history_cmd.add_argument("event", help="the new edition's event JSON file")
    history_cmd.add_argument(
        "earlier",
        nargs="+",
        metavar="EARLIER",
        help="each earlier edition as its event JSON file and its allocation JSON file, oldest first",
    )
    history_cmd.add_argument(
        "--key", choices=("email", "id"), default="email", help="what makes two registrations one person"
    )
    history_cmd.add_argument(
        "--priority", action="store_true", help="add each attendee's history score to their priority class"
    )
    history_cmd.add_argument("--weight", type=int, help="set objective.history_weight (0 to 1000)")
    history_cmd.add_argument(
        "-o", "--output", default="-", help="write the event with the histories here (default: stdout)"
    )

    report_cmd = commands.add_parser("report", help="write a one-page HTML report (aggregates only)")
    report_cmd.add_argument("event", help="event JSON file")
    report_cmd.add_argument("allocation", help="allocation JSON file")
    report_cmd.add_argument(
        "-o", "--output", default="report.html", help="the HTML file (default report.html)"
    )

    rosters_cmd = commands.add_parser("rosters", help="write rosters per session, attendee or organisation")
    rosters_cmd.add_argument("event", help="event JSON file")
    rosters_cmd.add_argument("allocation", help="allocation JSON file")
    rosters_cmd.add_argument(
        "-o", "--output", required=True, help="rosters.xlsx (a sheet each) or roster.csv"
    )
    rosters_cmd.add_argument(
        "--by",
        action="append",
        choices=("session", "attendee", "organisation"),
        help="which roster (repeat for several in .xlsx; default: all three in .xlsx, session in .csv)",
    )

    schema_cmd = commands.add_parser("schema", help="print the JSON Schema of the event or the allocation")
    schema_cmd.add_argument("which", choices=("event", "allocation"), help="which document")

    serve_cmd = commands.add_parser(
        "serve", help="run the HTTP service (needs the serve extra: pip install 'seatalloc[serve]')"
    )
    serve_cmd.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve_cmd.add_argument(
        "--workers",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes that solve (default: one per core)",
    )
    serve_cmd.add_argument(
        "--data", default="seatalloc-data", help="folder of the job database (default ./seatalloc-data)"
    )
    serve_cmd.add_argument("--database", help="a database URL instead (e.g. postgresql+psycopg://host/db)")
    serve_cmd.add_argument(
        "--token",
        default=os.environ.get("SEATALLOC_TOKEN"),
        help="bearer token every request must carry (default: $SEATALLOC_TOKEN); needed off loopback",
    )
    serve_cmd.add_argument(
        "--max-request-mb", type=float, default=64, help="largest request body in MB (default 64)"
    )
    serve_cmd.add_argument("--max-queue", type=int, default=100, help="jobs that may wait (default 100)")

    check_cmd = commands.add_parser("check", help="check an allocation against an event")
    check_cmd.add_argument("event", help="event JSON file")
    check_cmd.add_argument("allocation", help="allocation JSON file")
    return parser


def _limits(command: argparse.ArgumentParser, bounded: str) -> None:
    """Add the limits, seed and workers of a solve."""
    command.add_argument(
        "--time-limit",
        type=float,
        help=f"seconds for {bounded} (default 30, or none with --work-limit)",
    )
    command.add_argument(
        "--work-limit",
        type=float,
        help="deterministic work for the search: the same result on any machine, however fast or busy",
    )
    command.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    command.add_argument(
        "--workers", type=int, default=1, help="CP-SAT search workers (default 1, deterministic)"
    )


def _solver_options(command: argparse.ArgumentParser) -> None:
    """Add the options shared by solve and resolve."""
    _limits(command, "the whole solve")
    command.add_argument(
        "--objective",
        choices=OBJECTIVES,
        help="objective kind, overriding the event's (default: the event's, else rank-cost)",
    )
    command.add_argument("--as-of", type=_day, help="solve admission as of this day (YYYY-MM-DD)")
    command.add_argument(
        "--progress",
        action="store_true",
        help="print each better solution and bound (default when the terminal shows it)",
    )
    command.add_argument(
        "--no-timings",
        action="store_true",
        help="leave timings out of the allocation, so the same seed gives the same bytes",
    )


def _options(args: argparse.Namespace) -> SolveOptions:
    """Return the solve options the command line gives (one place for every command)."""
    return SolveOptions(
        time_limit=args.time_limit,
        work_limit=args.work_limit,
        seed=args.seed,
        workers=args.workers,
        objective=getattr(args, "objective", None),
        as_of=getattr(args, "as_of", None),
        progress=_progress(args) if hasattr(args, "progress") else None,
        method=getattr(args, "method", "auto"),
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD): {text!r}") from err


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    args.process = argv is None  # the process's own command line (not a call from Python)
    try:
        if args.command == "solve":
            return _solve(args)
        if args.command == "import":
            event = import_event(args.registrations, args.mapping, args.skeleton)
            write_text(event.to_json(indent=None if args.output == "-" else 1), args.output)
            print(f"imported {len(event.attendees)} registrations", file=sys.stderr)
            return EXIT_OK
        if args.command == "report":
            event = Event.from_json(args.event)
            from seatalloc.explain.report import render_report  # (numpy: not for --help, check, schema)

            write_text(render_report(event, Allocation.from_json(args.allocation)), args.output)
            print(f"wrote the report to {_where(args.output)} (one page; opens offline in any browser)")
            return EXIT_OK
        if args.command == "rosters":
            return _rosters(args)
        if args.command == "schema":
            print(json_schema(args.which))
            return EXIT_OK
        if args.command == "resolve":
            return _resolve(args)
        if args.command == "compare-objectives":
            return _compare(args)
        if args.command == "audit":
            return _audit(args)
        if args.command == "explain":
            return _explain(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "history":
            return _history(args)
        return _check(args)
    except InputError as err:
        print(f"seatalloc: {err}", file=sys.stderr)
        return EXIT_INPUT
    except OutOfMemory as err:
        print(f"seatalloc: {err}", file=sys.stderr)
        return EXIT_NO_ALLOCATION
    except SeatallocError as err:
        print(f"seatalloc: {err}", file=sys.stderr)
        return EXIT_INPUT
    except MemoryError:  # reading the input or writing the output: the solve itself says so
        print(
            f"seatalloc: out of memory in '{args.command}'; nothing more was written: "
            "a machine with more memory, or a smaller event",
            file=sys.stderr,
        )
        return EXIT_NO_ALLOCATION
    except BrokenPipeError:  # the reader stopped early (| head): the files are written by then
        with contextlib.suppress(OSError, ValueError):  # (no flush error at exit; a stream may have no file)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _solve(args: argparse.Namespace) -> int:
    from seatalloc.solve.solver import solve  # numpy and the solvers: only for a solve

    options = _options(args)  # (a method loads with the clock paused: a library is not the event's work)
    options = options.with_(started=time.perf_counter())  # the limit bounds reading the event too
    with kept_until_exit(args.process):  # (the event lives until the command ends)
        event = Event.from_json(args.event)
    allocation = solve(event, options)
    return _report(event, allocation, args.output, timings=not args.no_timings)


def _resolve(args: argparse.Namespace) -> int:
    from seatalloc.solve.resolve import resolve

    options = _options(args)
    options = options.with_(started=time.perf_counter())  # the limit bounds reading the input too
    with kept_until_exit(args.process):
        event = Event.from_json(args.event)
        published = Allocation.from_json(args.published)
    limits = {"move_cost": args.move_cost, "max_moves": args.max_moves}
    if args.responses is None:
        allocation = resolve(event, published, options, **limits)
    else:
        from seatalloc.io.responses import read_responses
        from seatalloc.solve.responses import respond

        allocation = respond(event, published, read_responses(args.responses), options, **limits)
    code = _report(event, allocation, args.output, timings=not args.no_timings)
    out = sys.stderr if args.output == "-" else sys.stdout
    if args.responses is not None:  # ids only: no names or attributes
        left = [w for w in allocation.waitlist if w.code in ("declined", "lapsed")]
        print(f"  {len(left)} left (declined or lapsed); new offers to {len(allocation.offers)}:", file=out)
        for who in allocation.offers:
            print(f"  offer {who}", file=out)
    for move in allocation.moves:  # ids only: no names or attributes
        to = "no seat" if move.to_seminar is None else f"{move.to_seminar} ({move.to_room})"
        print(
            f"  moved {move.attendee} in {move.pass_}: {move.from_seminar} -> {to}: {move.reason}", file=out
        )
    return code


def _progress(args: argparse.Namespace) -> Progress | None:
    """A printer of better solutions and bounds on stderr, at most twice a second."""
    if not (args.progress or sys.stderr.isatty()):
        return None
    last = [-1.0]

    def show(stage: str, seconds: float, best: float | None, bound: float | None) -> None:
        if best is None and seconds - last[0] < 0.5:
            return
        last[0] = seconds
        found = "" if best is None else f"best {best:,.0f}  "
        proven = "-" if bound is None else f"{bound:,.0f}"
        print(f"  {seconds:7.1f}s  {stage}: {found}bound {proven}", file=sys.stderr, flush=True)

    return show


def _report(event: Event, allocation: Allocation, output: str | None, *, timings: bool = True) -> int:
    """Write the allocation first (a reader that stops early never costs the file), then the
    summary; without ``output`` say that nothing was kept."""
    if output:
        indent = None if output == "-" else 1
        with opened(output) as out:  # (written a part at a time: never the whole text in memory)
            allocation.write_json(out, indent=indent, timings=timings)
    report = sys.stderr if output == "-" else sys.stdout
    if allocation.solver is not None and allocation.solver.interrupted:
        print("interrupted: this is the best allocation found so far", file=report)
    from seatalloc.cli.summary import summary

    print(summary(event, allocation), file=report)
    if not output:
        print(
            "note: the allocation was not written anywhere: give -o FILE (or -o - for standard output)",
            file=sys.stderr,
        )
    elif output != "-":
        print(f"wrote the allocation to {_where(output)}", file=report)
    return EXIT_OK if allocation.status in ("optimal", "feasible") else EXIT_NO_ALLOCATION


def _where(output: str) -> str:
    """The path a file went to, in full (standard output as such)."""
    return "standard output" if output == "-" else str(Path(output).resolve())


def _compare(args: argparse.Namespace) -> int:
    options = _options(args)
    from seatalloc.cli.summary import compare_table
    from seatalloc.explain.compare import compare_objectives

    results = compare_objectives(Event.from_json(args.event), options)
    print(compare_table(results))
    return (
        EXIT_OK if all(a.status in ("optimal", "feasible") for a in results.values()) else EXIT_NO_ALLOCATION
    )


def _history(args: argparse.Namespace) -> int:
    from seatalloc.explain.history import histories, with_history

    problems = []
    if len(args.earlier) % 2:
        problems.append(
            Problem("command line", "EARLIER", "give each earlier edition as two files: event, allocation")
        )
    if args.weight is not None and not 0 <= args.weight <= 1000:
        problems.append(Problem("command line", "--weight", f"must be 0 to 1000, got {args.weight}"))
    if problems:
        raise InputError(problems, "command line")
    event = Event.from_json(args.event)
    files = list(args.earlier)
    editions = [
        (Event.from_json(e), Allocation.from_json(a)) for e, a in zip(files[::2], files[1::2], strict=True)
    ]
    found = histories(event, editions, args.key)
    write_text(
        with_history(event, found, priority=args.priority, weight=args.weight).to_json(indent=1), args.output
    )
    scores = Counter(h.score for h in found.values())  # counts only: never the key itself
    shown = ", ".join(f"score {s}: {n}" for s, n in sorted(scores.items())) or "none"
    print(f"{len(found)} of {len(event.attendees)} attendees returning ({shown})", file=sys.stderr)
    return EXIT_OK


def _audit(args: argparse.Namespace) -> int:
    event = Event.from_json(args.event)
    from seatalloc.explain.audit import audit

    report = audit(event, Allocation.from_json(args.allocation))
    print(report.model_dump_json(indent=1) if args.json else report.to_text())
    return EXIT_OK


def _explain(args: argparse.Namespace) -> int:
    event = Event.from_json(args.event)
    allocation = Allocation.from_json(args.allocation)
    options = _options(args)
    who = [args.attendee] if args.attendee else [a.id for a in event.attendees]
    from seatalloc.explain.why import explain_many

    said: set[str | None] = set()
    for why in explain_many(event, allocation, who, price=args.attendee is not None, options=options):
        if args.json:
            print(why.model_dump_json())
        elif why.note is not None and not args.attendee:  # no allocation: the same for everyone, said once
            if why.note not in said:
                print(f"everyone ({len(who):,} attendees): {why.note}")
            said.add(why.note)
        else:
            print(why.to_text())
    return EXIT_OK


def _rosters(args: argparse.Namespace) -> int:
    event = Event.from_json(args.event)
    allocation = Allocation.from_json(args.allocation)
    if allocation.status not in ("optimal", "feasible"):
        print(
            f"seatalloc: no rosters: nobody is seated (the allocation's status is {allocation.status})",
            file=sys.stderr,
        )
        return EXIT_NO_ALLOCATION
    excel = args.output.lower().endswith(".xlsx")
    kinds = args.by or (["session", "attendee", "organisation"] if excel else ["session"])
    write_rosters(event, allocation, args.output, kinds)
    print(f"wrote the roster(s) by {', '.join(kinds)} to {_where(args.output)}")
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from seatalloc.serve.config import ServeConfig

    if not (math.isfinite(args.max_request_mb) and args.max_request_mb > 0):
        why = f"must be a number of MB above 0, got {args.max_request_mb}"
        raise InputError([Problem("serve", "max_request_mb", why)], "service settings")
    config = ServeConfig(
        host=args.host,
        port=args.port,
        workers=args.workers,
        data=args.data,
        database=args.database,
        token=args.token,
        max_request_bytes=max(1, round(args.max_request_mb * 2**20)),
        max_queue=args.max_queue,
    )
    try:
        from seatalloc.serve.server import run
    except ImportError as err:
        print(
            f"seatalloc: the service needs the serve extra ({err.name} is missing): "
            "pip install 'seatalloc[serve]'",
            file=sys.stderr,
        )
        return EXIT_INPUT
    run(config)
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    event = Event.from_json(args.event)
    allocation = Allocation.from_json(args.allocation)
    report = check(event, allocation)
    foreign = mismatches(event, allocation)
    if foreign:
        print("the allocation does not belong to this event:")
        for problem in foreign:
            print(f"  {problem}")
    for violation in report.violations[:MOST_VIOLATIONS]:
        print(f"violation: {violation}")
    if len(report.violations) > MOST_VIOLATIONS:
        kinds = Counter(re.sub(r"'[^']*'", "…", v) for v in report.violations)
        print(f"... and {len(report.violations) - MOST_VIOLATIONS:,} more; by kind:")
        for kind, count in kinds.most_common():
            print(f"  {count:>7,}  {kind}")
    if report.ok and allocation.status not in ("optimal", "feasible"):
        print(f"no seats to check: the allocation's status is {allocation.status}")
        return EXIT_NO_ALLOCATION
    if report.ok:
        print(f"ok: every rule holds; objective {report.objective}")
        if report.certified is not None:
            print(
                f"bound certified: the certificate's prices prove {report.certified}"
                f" (stated: {allocation.bound})"
            )
        return EXIT_OK
    print(f"{len(report.violations)} violation(s)")
    return EXIT_VIOLATIONS


if __name__ == "__main__":
    sys.exit(main())
