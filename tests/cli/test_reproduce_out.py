"""profitopt reproduce --out: an unusable directory is refused before any check runs."""

from __future__ import annotations

import pytest

from profitopt.cli import main


class TestUnusableOut:
    """An empty, uncreatable or non-directory --out: exit 2, one stderr line, nothing
    written (these fail before the 30 s of checks)."""

    @pytest.mark.parametrize("where,message", [
        pytest.param(lambda t: "", "empty", id="empty"),
        pytest.param(lambda t: "/proc/profitopt/out", "cannot create", id="proc"),
        pytest.param(lambda t: t / "file" / "out", "cannot create", id="parent-is-a-file"),
        pytest.param(lambda t: t / "file", "not a directory", id="out-is-a-file"),
        pytest.param(lambda t: (t / "out").mkdir() or (t / "out" / "figures"),
                     "not a directory", id="figures-is-a-file"),
    ])
    def test_refused(self, tmp_path, capsys, where, message):
        (tmp_path / "file").write_text("x")
        target = where(tmp_path)
        if str(target).endswith("figures"):
            target.write_text("x")
            target = target.parent
        before = sorted(str(p) for p in tmp_path.rglob("*"))
        assert main(["reproduce", "--out", str(target), "--no-pdf"]) == 2
        out, err = capsys.readouterr()
        assert out == "" and message in err and err.count("\n") == 1
        assert sorted(str(p) for p in tmp_path.rglob("*")) == before
