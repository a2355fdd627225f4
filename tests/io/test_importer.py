"""Form exports in: CSV in every encoding and delimiter Excel writes, Excel, and every bad row named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from seatalloc import Event, InputError
from seatalloc.cli.main import main
from seatalloc.io.importer import import_event

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
FORM = EXAMPLES / "s1-form"
SKELETON = {
    "passes": [{"id": "P1"}],
    "rooms": [{"id": "R1", "capacity": 5}, {"id": "R2", "capacity": 5}],
    "seminars": [{"id": "A"}, {"id": "B"}],
    "sessions": [{"seminar": "A", "pass": "P1", "room": "R1"}, {"seminar": "B", "pass": "P1", "room": "R2"}],
    "organisations": [{"id": "sdf"}],
}
MAPPING = """\
skeleton = "skeleton.json"
[columns]
id = "Id"
organisation = "Förvaltning"
choices = ["Val 1", "Val 2"]
registered = "Tid"
[attributes]
gender = "Kön"
[values.organisation]
"Stadsdelsförvaltningarna" = "sdf"
"""


def form(tmp_path: Path, text: str, *, encoding: str = "utf-8", mapping: str = MAPPING) -> Path:
    (tmp_path / "skeleton.json").write_text(json.dumps(SKELETON), encoding="utf-8")
    (tmp_path / "mapping.toml").write_text(mapping, encoding="utf-8")
    path = tmp_path / "form.csv"
    path.write_bytes(text.encode(encoding))
    return path


def problems(tmp_path: Path, text: str, **kw) -> list[str]:
    with pytest.raises(InputError) as err:
        import_event(form(tmp_path, text, **kw), tmp_path / "mapping.toml")
    return [str(p) for p in err.value.problems]


GOOD = "Id;Förvaltning;Val 1;Val 2;Tid;Kön\nx1;Stadsdelsförvaltningarna;A;B;2020-04-01 10:00;k\nx2;;B;;;\n"


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8", GOOD),
        ("utf-8-sig", GOOD),  # with a byte-order mark
        ("cp1252", GOOD),  # Swedish Excel's CSV
        ("utf-8", GOOD.replace(";", ",")),
        ("utf-8", GOOD.replace(";", "\t")),
    ],
)
def test_csv_in_any_encoding_and_delimiter(tmp_path, encoding, text) -> None:
    event = import_event(form(tmp_path, text, encoding=encoding), tmp_path / "mapping.toml")
    first, second = event.attendees
    assert (first.id, first.organisation, first.choices, first.attributes) == (
        "x1",
        "sdf",
        ("A", "B"),
        {"gender": "k"},
    )
    assert first.registered is not None and first.registered.isoformat() == "2020-04-01T10:00:00"
    assert (second.organisation, second.choices, second.registered) == (None, ("B",), None)


def test_every_bad_row_is_reported_with_row_and_column(tmp_path) -> None:
    text = (
        "Id;Förvaltning;Val 1;Val 2;Tid;Kön\n"
        "x1;Okänd förvaltning;A;B;2020-04-01 10:00;k\n"  # row 2: organisation
        "x2;;Z;B;;\n"  # row 3: seminar
        "x3;;A;A;;\n"  # row 4: twice
        "x4;;A;;igår;\n"  # row 5: time
        ";;;;;\n"  # an empty row is no registration
        "x1;;B;;;\n"  # row 7: duplicate id
    )
    assert problems(tmp_path, text) == [
        "row 2.Förvaltning: unknown organisation 'Okänd förvaltning'",
        "row 3.Val 1: unknown choice 'Z'",
        "row 4.Val 2: seminar 'A' is chosen twice",
        "row 5.Tid: not a date and time: 'igår'",
        "row 7.Id: id 'x1' is also in row 2",
    ]


def test_missing_columns_are_all_named(tmp_path) -> None:
    assert problems(tmp_path, "Id;Val 1\nx1;A\n") == [
        "row 1.Förvaltning: no such column in the sheet",
        "row 1.Val 2: no such column in the sheet",
        "row 1.Tid: no such column in the sheet",
        "row 1.Kön: no such column in the sheet",
    ]


def test_a_bad_mapping_is_named(tmp_path) -> None:
    found = problems(tmp_path, GOOD, mapping=MAPPING.replace('id = "Id"', 'idd = "Id"'))
    assert any("columns.idd" in p for p in found)


def test_an_empty_file_is_named(tmp_path) -> None:
    assert problems(tmp_path, "") == ["row 1: the file is empty: a header row is needed"]


def test_the_s1_form_imports_as_the_s1_event_from_excel_and_csv() -> None:
    s1 = Event.from_json(EXAMPLES / "jamlikhetskonferensen-2019.json")
    for name in ("registrations.xlsx", "registrations.csv"):
        event = import_event(FORM / name, FORM / "mapping.toml")
        plain = {"registered": None, "name": None, "email": None}
        assert [a.model_copy(update=plain) for a in event.attendees] == list(s1.attendees)
        assert all(a.name and a.email == f"{a.id}@example.org" for a in event.attendees)  # for rosters
        assert event.sessions == s1.sessions and event.quotas == s1.quotas


def test_event_json_round_trip() -> None:
    event = import_event(FORM / "registrations.xlsx", FORM / "mapping.toml")
    assert Event.from_json(event.to_json()) == event


def test_cli_import_writes_the_event(tmp_path, capsys) -> None:
    out = tmp_path / "event.json"
    code = main(
        ["import", str(FORM / "registrations.csv"), "--mapping", str(FORM / "mapping.toml"), "-o", str(out)]
    )
    assert code == 0
    assert len(Event.from_json(out).attendees) == 430
    assert "imported 430 registrations" in capsys.readouterr().err


def test_excels_unicode_text_export_is_read(tmp_path) -> None:
    """Excel's "Unicode text": UTF-16 with a byte-order mark, tab-delimited."""
    event = import_event(
        form(tmp_path, GOOD.replace(";", "\t"), encoding="utf-16"), tmp_path / "mapping.toml"
    )
    assert [a.id for a in event.attendees] == ["x1", "x2"]


def test_the_delimiter_comes_from_the_header_not_from_free_text(tmp_path) -> None:
    text = "Id;Förvaltning;Val 1;Val 2;Tid;Kön\n" + "".join(
        f'x{i};Stadsdelsförvaltningarna;A;B;;"k, sa hon, och mer, och mer"\n' for i in range(30)
    )
    event = import_event(form(tmp_path, text), tmp_path / "mapping.toml")
    assert len(event.attendees) == 30 and event.attendees[0].attributes == {
        "gender": "k, sa hon, och mer, och mer"
    }


def test_a_mapping_and_skeleton_in_the_windows_code_page_are_read(tmp_path) -> None:
    path = form(tmp_path, GOOD)
    (tmp_path / "mapping.toml").write_bytes(MAPPING.encode("cp1252"))  # Notepad's "ANSI"
    (tmp_path / "skeleton.json").write_bytes(json.dumps(SKELETON, ensure_ascii=False).encode("cp1252"))
    assert len(import_event(path, tmp_path / "mapping.toml").attendees) == 2


def _bad_file(tmp_path: Path, name: str, data: bytes) -> Path:
    form(tmp_path, GOOD)
    path = tmp_path / name
    path.write_bytes(data)
    return path


BAD_FILES = [
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Excel .xls"),
    ("old.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old Excel .xls"),
    ("binary.csv", bytes(range(256)) * 4, "not a CSV export"),
    ("renamed.xlsx", GOOD.encode(), "a CSV file? name it .csv"),
    ("truncated.xlsx", (FORM / "registrations.xlsx").read_bytes()[:3000], "not a readable .xlsx workbook"),
]


@pytest.mark.parametrize(("name", "data", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_file_that_is_no_form_export_is_named(tmp_path, name, data, words) -> None:
    path = _bad_file(tmp_path, name, data)
    with pytest.raises(InputError) as err:
        import_event(path, tmp_path / "mapping.toml")
    assert words in str(err.value) and name in str(err.value)


@pytest.mark.parametrize(
    ("skeleton", "words"),
    [
        ([SKELETON], "must be a JSON object (an event without attendees), not an array"),
        ({**SKELETON, "seminars": [{"id": "A"}, {"title": "no id"}]}, "seminars[1].id: Field required"),
    ],
)
def test_a_bad_skeleton_is_named(tmp_path, skeleton, words) -> None:
    path = form(tmp_path, "Id;Förvaltning;Val 1;Val 2;Tid;Kön\nx1;;A;;;\n")
    (tmp_path / "skeleton.json").write_text(json.dumps(skeleton), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_event(path, tmp_path / "mapping.toml")
    assert words in str(err.value)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    cut=st.integers(0, len(GOOD.encode())),
    junk=st.binary(max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]),
    suffix=st.sampled_from([".csv", ".xlsx", ".txt"]),
)
def test_a_damaged_form_export_is_imported_or_named(tmp_path, capsys, cut, junk, encoding, suffix) -> None:
    path = form(tmp_path, GOOD, encoding=encoding)
    data = path.read_bytes()
    damaged = path.with_suffix(suffix)
    damaged.write_bytes(data[:cut] + junk + data[cut:])
    code = main(
        ["import", str(damaged), "--mapping", str(tmp_path / "mapping.toml"), "-o", str(tmp_path / "e.json")]
    )
    assert code in (0, 2)
    assert "Traceback" not in capsys.readouterr().err


def test_a_column_of_pass_names_gives_the_passes_attended(tmp_path: Path) -> None:
    skeleton = {**SKELETON, "passes": [{"id": "P1"}, {"id": "P2"}]}
    mapping = MAPPING.replace('registered = "Tid"', 'registered = "Tid"\navailable = "Närvaro"')
    mapping += '[values.available]\n"Förmiddag" = "P1"\n"Eftermiddag" = "P2"\n'
    text = (
        "Id;Förvaltning;Val 1;Val 2;Tid;Kön;Närvaro\n"
        "x1;;A;B;;;Förmiddag\n"
        "x2;;A;B;;;Eftermiddag, Förmiddag\n"
        "x3;;A;B;;;\n"
        "x4;;A;B;;;Kväll\n"
    )
    path = form(tmp_path, text, mapping=mapping)
    (tmp_path / "skeleton.json").write_text(json.dumps(skeleton), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_event(path, tmp_path / "mapping.toml")
    assert [str(p) for p in err.value.problems] == ["row 5.Närvaro: unknown pass 'Kväll'"]
    path.write_text(text.rsplit("x4", 1)[0], encoding="utf-8")
    event = import_event(path, tmp_path / "mapping.toml")
    assert [a.available for a in event.attendees] == [("P1",), ("P2", "P1"), None]


def test_a_damaged_workbook_named_csv_is_named_not_a_traceback(tmp_path: Path) -> None:
    # (hypothesis found it: junk starting with a zip's signature sent a .csv to openpyxl, which
    # refused it by its name with an exception of its own)
    path = form(tmp_path, GOOD)
    path.write_bytes(b"PK\x03\x04" + path.read_bytes())
    with pytest.raises(InputError) as err:
        import_event(path, tmp_path / "mapping.toml")
    assert "not a readable .xlsx workbook" in str(err.value)
