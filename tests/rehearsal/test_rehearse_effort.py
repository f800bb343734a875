"""``rehearse --compare effort=none effort=high`` against a loopback Ollama whose ``/api/show``
says the model thinks on or off: each configuration's runs carry their effort (``think`` false,
then true), the scorecard names the effort each used, and ``--effort`` asks every run for one
level, refused before any request where the model does not take it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from magistral_debugger.rehearsal.rehearse import configuration_settings
from magistral_debugger.settings import Settings
from tests.loopback import PerRequest, Reply, json_reply, ollama_chat_lines
from tests.rehearsals import BY_SLUG, answer_pieces, rehearse, server_flags, write_gallery

ON_OFF = {"values": [False, True], "default": False}


@pytest.fixture(autouse=True)
def no_env_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def thinking_on_or_off(srv) -> None:
    srv.route(
        "POST",
        "/api/show",
        json_reply({"template": "{{ .Prompt }}", "capabilities": ["completion", "thinking"], "thinking": ON_OFF}),
    )
    example = BY_SLUG["a_right"]
    replies = {
        False: ollama_chat_lines([], answer_pieces(example)),
        True: ollama_chat_lines(["x − y = 0, ", "so step 2 divides by zero."], answer_pieces(example)),
    }
    srv.route(
        "POST", "/api/chat", PerRequest(lambda r: r.json.get("think"), {k: Reply(body=v) for k, v in replies.items()})
    )


def test_compare_effort_none_with_effort_high_side_by_side(srv, tmp_path):
    thinking_on_or_off(srv)
    out, gallery = tmp_path / "out", write_gallery(tmp_path / "gallery", [BY_SLUG["a_right"]])
    code = rehearse(
        "--examples", str(gallery), "--out", str(out), "--compare", "effort=none", "effort=high", *server_flags(srv)
    )
    data = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    assert code == 0
    assert sorted(r.json["think"] for r in srv.requests if r.path == "/api/chat") == [False, True]
    assert [(c["label"], c["reasoning_effort"]) for c in data["configurations"]] == [
        ("effort=none", "none"),
        ("effort=high", "high"),
    ]
    assert "| reasoning effort | none | high |" in Path(out / "scorecard.md").read_text(encoding="utf-8")


def test_effort_is_a_compare_key_as_is_the_settings_own_name():
    base = Settings(_env_file=None, backend="ollama")
    assert configuration_settings(base, "effort=none").reasoning_effort == "none"
    assert configuration_settings(base, "MAGISTRAL_REASONING_EFFORT=low").reasoning_effort == "low"


def test_an_effort_the_model_does_not_take_fails_every_run_before_any_request(srv, tmp_path, capsys):
    thinking_on_or_off(srv)
    out, gallery = tmp_path / "out", write_gallery(tmp_path / "gallery", [BY_SLUG["a_right"]])
    code = rehearse("--examples", str(gallery), "--out", str(out), "--effort", "medium", *server_flags(srv))
    data = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    assert code == 1 and not [r for r in srv.requests if r.path == "/api/chat"]
    ((run,),) = (example["runs"]["A"] for example in data["examples"])
    assert "takes reasoning effort none, high, not medium" in run["message"]
