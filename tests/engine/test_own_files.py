"""A prompt the app cannot read is the app's fault, and it says so in one line.

The prompts ship inside the package (``magistral_debugger.prompts``); an installation
without one used to end the run with "Something unexpected went wrong talking to
http://…" and a traceback, blaming the model server. Here the prompt folder really is
missing (the resource location points at an empty folder) and a real loopback server
answers everything it is asked.
"""

from __future__ import annotations

import re

import pytest

from magistral_debugger import cli
from magistral_debugger.i18n import LANGUAGES
from magistral_debugger.prompting import messages
from tests.loopback import ModelServer, Reply, ollama_chat_lines
from tests.runs import FLAWED, run_to_end, settings_for


@pytest.fixture
def prompts_gone(monkeypatch, tmp_path):
    """The package's prompt folder is empty (a wheel built without its data files)."""
    monkeypatch.setattr(messages, "PROMPTS_DIR", tmp_path / "prompts")
    messages._prompt_file.cache_clear()
    messages.flaw_kinds.cache_clear()
    yield
    messages._prompt_file.cache_clear()
    messages.flaw_kinds.cache_clear()


def assert_own_fault(text: str, server: ModelServer) -> None:
    assert "\n" not in text and "Traceback" not in text
    assert re.search(r"\bprompts/system_250[67]\.txt\b", text) and "Reinstall the package" in text, text
    assert server.url not in text and "talking to" not in text, text


@pytest.mark.parametrize("backend", ["ollama", "openai"])
def test_a_missing_prompt_ends_the_run_with_the_apps_own_one_line_message(srv, prompts_gone, backend):
    srv.route("POST", "/api/chat", Reply(body=ollama_chat_lines(content=["Step 5 divides by 0."])))
    _, state = run_to_end(settings_for(srv, backend))
    assert state.finish_reason == "error"
    assert state.error.key == "own_file_unreadable"
    assert_own_fault(str(state.error), srv)
    assert "(No such file or directory)" in state.error
    # Nothing was asked of the model: the request could not be written without its prompt.
    assert not [r for r in srv.requests if r.path.endswith("/chat") or r.path.endswith("/completions")]
    for lang in LANGUAGES:  # the page says it in every language, naming the file the same way
        translated = state.error.text(lang)
        assert "prompts/system_250" in translated and srv.url not in translated, (lang, translated)


def test_the_cli_prints_it_as_one_error_line_without_a_traceback(srv, prompts_gone, monkeypatch, tmp_path, capfd):
    monkeypatch.setenv("MAGISTRAL_BACKEND", "ollama")
    monkeypatch.setenv("MAGISTRAL_OLLAMA_URL", srv.url)
    monkeypatch.chdir(tmp_path)  # no developer's .env changes the run
    assert cli.main([FLAWED]) == 1
    out, err = capfd.readouterr()
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert_own_fault(lines[0], srv)
