"""The benchmark's real-size notebooks are what the issue asks for: the course's own notebooks
with outputs, 0.1–1 MB each, one valid answer record per exercise. (Speed itself is measured by
`make bench`, never by a test.)"""
from __future__ import annotations

from helpers.bench.grading import build_real_submissions, json_parse_per_s
from helpers.grading.core import grade_folder
from helpers.grading.keys import load_banks


def test_real_size_notebooks_grade_cleanly(tmp_path):
    bank_dir, subs, mean_mb = build_real_submissions(tmp_path, n=12, seed=3)
    files = sorted(subs.glob("*.ipynb"))
    assert len(files) == 12
    sizes = [f.stat().st_size for f in files]
    assert all(100_000 <= s <= 1_000_000 for s in sizes), sizes
    assert abs(mean_mb - sum(sizes) / len(sizes) / 1e6) < 1e-9
    banks = load_banks(bank_dir)
    run = grade_folder(subs, banks, progress=False)
    assert run.problems == []
    assert len(run.counted) == 12
    for sub in run.counted:
        assert all(r.answered for r in sub.results.values()), sub.rel
        assert 0 < sub.points <= banks[sub.set].max_points
    assert json_parse_per_s(subs) > 0
