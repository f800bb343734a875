"""``magistral-debugger handout``: an example, a text file, standard input or a recording of a
finished run made into NAME.pdf and NAME.tex, in-process through the CLI's dispatch."""

from __future__ import annotations

import io

from magistral_debugger.cli import main
from magistral_debugger.i18n import t
from tests.backends.test_recording import record
from tests.loopback import Reply, chat_stream

from .conftest import page_count, page_text, squeezed

# The recorded proof (tests.runs.FLAWED) is two steps: the second divides by x − y.
ANSWER = ["Step 2 divides by $x - y$, which is $0$.\n\n", "Flawed step: 2 (division by zero)"]
PROOF = "Let x = y.\nThen x² = xy.\nSo x² − y² = xy − y².\nDivide by x − y: x + y = y.\nSo 2 = 1."


def test_an_example_by_name_in_portuguese(tmp_path, capsys):
    assert main(["handout", "01_two_equals_one_cancel", "--lang", "pt", "--out", str(tmp_path / "out")]) == 0
    pdf = tmp_path / "out" / "01_two_equals_one_cancel.pdf"
    assert capsys.readouterr().out.split() == [str(pdf), str(pdf.with_suffix(".tex"))]
    assert squeezed(t("handout_key", "pt")) in squeezed(page_text(pdf.read_bytes(), 2, tmp_path))
    assert t("handout_name", "pt") in pdf.with_suffix(".tex").read_text(encoding="utf-8")


def test_a_recording_of_a_finished_run_gives_its_verdict_and_explanation(srv, tmp_path):
    _, _, recording = record(srv, tmp_path / "rec", reply=Reply(body=chat_stream("ollama", ["Hmm. "], ANSWER)))
    assert main(["handout", str(recording), "--out", str(tmp_path)]) == 0
    pdf = (tmp_path / recording.name).with_suffix(".pdf").read_bytes()
    key = squeezed(page_text(pdf, 2, tmp_path))
    assert squeezed("Step 2: division by zero") in key and squeezed("which is") in key
    assert squeezed("2.Then x² = xy") in squeezed(page_text(pdf, 1, tmp_path))  # the recorded steps


def test_a_text_file_and_standard_input_and_no_key(tmp_path, monkeypatch):
    proof = tmp_path / "student.txt"
    proof.write_text(PROOF, encoding="utf-8")
    assert main(["handout", str(proof), "--out", str(tmp_path), "--title", "Ana's proof"]) == 0
    pdf = (tmp_path / "student.pdf").read_bytes()
    assert squeezed("Ana's proof") in squeezed(page_text(pdf, 1, tmp_path)) and page_count(pdf, tmp_path) == 2
    monkeypatch.setattr("sys.stdin", io.StringIO(PROOF))
    assert main(["handout", "-", "--no-key", "--out", str(tmp_path / "in")]) == 0
    assert page_count((tmp_path / "in" / "handout.pdf").read_bytes(), tmp_path) == 1


def test_a_source_that_is_neither_an_example_nor_a_file_is_one_line_and_exit_1(tmp_path, capsys):
    assert main(["handout", "no_such_example", "--out", str(tmp_path)]) == 1
    assert capsys.readouterr().err.strip() == "error: no_such_example is neither an example's name nor a file"
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    assert main(["handout", str(empty), "--out", str(tmp_path)]) == 1
    assert not (tmp_path / "empty.pdf").exists()
