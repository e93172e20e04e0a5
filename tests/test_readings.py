"""The readings: format, fidelity to the texts as received, and the loader's behaviour."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from helpers import ROOT
from helpers.core import readings
from helpers.core.errors import CourseFileError

RECEIVED = ROOT / "seeds" / "received"  # the readings as received, unchanged
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"  # where they came from, when it is beside the repository
EXPECTED = {"quy2024", "trong2016", "yu2022", "hien2018", "quytung2009"}

GOOD = """---
id: test2020
title: "A test reading"
authors:
  - name: A. Author
    affiliation: Somewhere
outlet: Test Review
date: 2020-05-01
url: unknown
language: en
speaker: "A tester speaking to the test suite"
---

## A heading

¶1 The first paragraph about soft power.[^1]

[^1]: A note on the first paragraph.

¶2 The second paragraph, also about Soft Power and trust.
"""


def write(tmp_path: Path, text: str, name: str = "test2020.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def words(text: str) -> list[str]:
    # digits and letters apart: "¹²Theoretical" (a footnote call glued to a word) is 12 + theoretical
    return re.findall(r"\d+|[^\W\d_]+", unicodedata.normalize("NFKC", text).lower())


def runs_in(needle: list[str], hay: list[str], start_probe: int = 6) -> int | None:
    """How many contiguous runs of `hay` spell out `needle` in order (None if impossible)."""
    runs, i, pos = 0, 0, 0
    index: dict[str, list[int]] = {}
    for k, w in enumerate(hay):
        index.setdefault(w, []).append(k)
    while i < len(needle):
        found = None
        for size in (start_probe, 3, 1):  # prefer long anchors; a lone word starts a run last
            probe = needle[i:i + size]
            found = next((k for k in index.get(probe[0], []) if k >= pos and hay[k:k + len(probe)] == probe), None)
            if found is not None:
                break
        if found is None:
            return None
        runs += 1
        k = found
        while i < len(needle) and k < len(hay) and hay[k] == needle[i]:
            i += 1
            k += 1
        pos = k
    return runs


# --- the real readings ---------------------------------------------------------------------

def test_all_five_readings_load_with_their_ids():
    loaded = readings.load_readings()
    assert set(loaded) == EXPECTED
    for r in loaded.values():
        assert len(r.paragraphs) >= 8, r.id
        assert [p.number for p in r.paragraphs] == list(range(1, len(r.paragraphs) + 1))


def test_every_header_says_who_speaks_and_marks_inferred_dates():
    loaded = readings.load_readings().values()
    # each reading names its own received text: a bare file name, as the received files are named
    assert len({r.meta["source_file"] for r in loaded}) == len(loaded)
    for r in loaded:
        m = r.meta
        assert len(m["speaker"]) > 20, r.id
        assert re.fullmatch(r"\d{3}_[0-9a-f]{16}\.txt", m["source_file"]), (r.id, m["source_file"])
        assert (RECEIVED / m["source_file"]).is_file(), (r.id, m["source_file"])
        if m.get("date_inferred"):
            assert len(m["date_evidence"]) > 40, r.id
    # the deepening-relations article prints no date: it must be inferred, with evidence
    assert readings.reading("quytung2009").meta["date_inferred"] is True
    assert readings.reading("quy2024").meta["date"].isoformat() == "2024-10-10"


def test_the_received_texts_are_unchanged():
    """seeds/received/ holds the five texts exactly as received: their SHA-256 sums, recorded when
    they were copied in, still match; and where the originals lie beside the repository, the
    copies are byte for byte the same."""
    import hashlib

    sums = dict(reversed(line.split()) for line in (RECEIVED / "SHA256SUMS").read_text().splitlines())
    names = sorted(p.name for p in RECEIVED.glob("*.txt"))
    assert names == sorted(sums) and len(names) == len(EXPECTED)
    for name in names:
        data = (RECEIVED / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sums[name], f"seeds/received/{name} was changed"
        if SHARED_SEEDS.exists():
            assert data == (SHARED_SEEDS / name).read_bytes(), name
    assert sorted(r.meta["source_file"] for r in readings.load_readings().values()) == names


@pytest.mark.parametrize("reading_id", sorted(EXPECTED))
def test_not_a_word_rewritten(reading_id):
    """Every paragraph and footnote is made of the received text's own words, in order."""
    r = readings.reading(reading_id)
    raw = words((RECEIVED / r.meta["source_file"]).read_text(encoding="utf-8"))
    for p in r.paragraphs:
        for piece in [p.text] + p.footnotes:
            piece = re.sub(r"\[\^(\w+)\]", r" \1 ", piece)  # footnote calls: [^3] was (3) or ³
            piece = re.sub(r"^\[(\w+)\]", "", piece)  # a footnote's own label, added on loading
            w = words(piece)
            n = runs_in(w, raw)
            assert n is not None, f"{reading_id} ¶{p.number}: words not found in order in the received text: {piece[:80]!r}"
            # a paragraph rejoined across a page break is two or three runs; more means rewording
            assert n <= 4, f"{reading_id} ¶{p.number}: {n} separate runs, looks rewritten: {piece[:80]!r}"


def test_debris_is_gone():
    text = "\n".join(p.text for r in readings.load_readings().values() for p in r.paragraphs)
    for debris in ["Sign In", "Alternate Text", "Leave a Reply", "Paylaş", "Send Print",
                   "Your email address will not be published"]:
        assert debris not in text


def test_paragraph_table_and_kwic():
    table = readings.paragraphs()
    assert list(table.columns) == ["reading", "paragraph", "section", "text", "footnotes"]
    assert set(table["reading"]) == EXPECTED
    hits = readings.kwic("soft power")
    assert {"quy2024", "trong2016"} <= set(hits["reading"])
    assert (hits["match"].str.lower() == "soft power").all()
    row = hits.iloc[0]
    para = table[(table.reading == row.reading) & (table.paragraph == row.paragraph)].text.iloc[0]
    assert (row.left.lstrip("…") + row.match + row.right.rstrip("…")) in para


def test_cite_checks_the_paragraph_exists():
    assert readings.cite("quy2024", 1) == "[quy2024 ¶1]"
    with pytest.raises(KeyError):
        readings.cite("quy2024", 999)
    with pytest.raises(KeyError):
        readings.cite("nosuch2000", 1)
    assert readings.check_citations("as argued [quy2024 ¶1] and [quy2024 ¶999]") == ["[quy2024 ¶999]"]


# --- the loader on small files ----------------------------------------------------------------

def test_good_file_parses(tmp_path):
    r = readings.parse_reading(write(tmp_path, GOOD))
    assert r.id == "test2020"
    assert [p.number for p in r.paragraphs] == [1, 2]
    assert r.paragraphs[0].section == "A heading"
    assert r.paragraphs[0].footnotes == ["[1] A note on the first paragraph."]
    assert readings.kwic("soft power", folder=tmp_path)["paragraph"].tolist() == [1, 2]
    assert readings.term_counts(["trust", "soft power"], folder=tmp_path).loc["test2020"].tolist() == [1, 2]
    normed = readings.term_counts(["trust", "soft power"], folder=tmp_path, per_thousand=True).loc["test2020"]
    words = int(normed["words"])
    assert words == len(" ".join(p.text for p in r.paragraphs).split())
    assert normed["trust"] == round(1000 / words, 1) and normed["soft power"] == round(2000 / words, 1)


def test_the_catalogue_flags_an_inferred_outlet():
    cat = readings.catalogue().set_index("reading")
    assert cat.loc["trong2016", "outlet_inferred"] and not cat.loc["quy2024", "outlet_inferred"]


@pytest.mark.parametrize("mutate, line, field", [
    (lambda s: s.replace("outlet: Test Review\n", ""), 2, "outlet"),
    (lambda s: s.replace("date: 2020-05-01", "date: 5th of May"), 8, "date"),
    (lambda s: s.replace("¶2 The second", "¶1 The second"), 20, "paragraph"),
    (lambda s: s.replace("¶2 The second", "¶3 The second"), 20, "paragraph"),
    (lambda s: s.replace("¶1 The first", "The first"), 16, "paragraph"),
    (lambda s: s.replace("date: 2020-05-01", "date: 2020-05-01\ndate_inferred: true"), 9, "date_evidence"),
])
def test_malformed_reading_names_file_line_and_field(tmp_path, mutate, line, field):
    path = write(tmp_path, mutate(GOOD))
    with pytest.raises(CourseFileError) as err:
        readings.parse_reading(path)
    assert err.value.path == str(path)
    assert err.value.line == line
    assert err.value.field == field
    assert f"{path}:{line}" in str(err.value)
