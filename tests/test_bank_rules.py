"""Rules every bank of the course keeps."""
from __future__ import annotations

import re

from helpers.exercises.bank import load_all

DOUBT = re.compile(r"\b(defensible|arguabl[ey]|also (?:acceptable|accepted|right|correct)|could also be|"
                   r"another answer|either answer)\b", re.IGNORECASE)


def test_doubt_detector_catches_what_it_must():
    assert DOUBT.search("Option b is also defensible.")
    assert DOUBT.search("One could arguably place it under values.")
    assert not DOUBT.search("Quy places culture first [quy2024 ¶14].")


def test_no_auto_scored_key_calls_itself_into_doubt():
    offenders = []
    for bank in load_all().values():
        for ex in bank:
            if ex.type == "text":
                continue
            for field in ("prompt", "explanation"):
                m = DOUBT.search(getattr(ex, field) or "")
                if m:
                    offenders.append(f"{bank.set}/{ex.id}.{field}: {m.group(0)!r}")
    assert not offenders, ("an auto-scored exercise says another answer is defensible; accept it with "
                           "'also_accept' (course/exercises/README.md) and explain both readings instead:\n"
                           + "\n".join(offenders))
