"""Settings: one model, read from arguments, MAGISTRAL_* environment variables and
.env, in that order of precedence; the API key never shows up in text."""

from __future__ import annotations

import os

import pytest
from pydantic import SecretStr, ValidationError

from magistral_debugger.backends import make_backend
from magistral_debugger.settings import Settings

KEY = "sk-very-secret-key-123"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No MAGISTRAL_* variable or .env from the machine running the tests leaks in."""
    for name in list(os.environ):
        if name.startswith("MAGISTRAL_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults_match_the_design_and_the_model_cards():
    s = Settings()
    assert (s.backend, s.ollama_url, s.openai_base_url) == (
        "ollama",
        "http://localhost:11434",
        "http://localhost:8000/v1",
    )
    assert s.openai_api_key.get_secret_value() == "EMPTY"
    assert (s.model, s.model_version) == ("", "auto")
    assert (s.temperature, s.top_p, s.max_tokens) == (0.7, 0.95, 40960)
    assert (s.host, s.port, s.share) == ("127.0.0.1", 7860, False)
    assert s.first_token_timeout >= 300  # Ollama may load a 14 GB model first


def test_environment_variables_with_the_magistral_prefix_are_read(monkeypatch):
    monkeypatch.setenv("MAGISTRAL_BACKEND", "openai")
    monkeypatch.setenv("MAGISTRAL_OPENAI_BASE_URL", "http://gpu-box:8000/v1/")
    monkeypatch.setenv("MAGISTRAL_MODEL", "mistralai/Magistral-Small-2509")
    monkeypatch.setenv("MAGISTRAL_PORT", "7000")
    monkeypatch.setenv("MAGISTRAL_SHARE", "true")
    monkeypatch.setenv("BACKEND", "ollama")  # unprefixed names are not ours
    s = Settings()
    assert s.backend == "openai"
    assert s.openai_base_url == "http://gpu-box:8000/v1"  # trailing slash dropped
    assert s.server_url == "http://gpu-box:8000/v1"
    assert (s.model, s.port, s.share) == ("mistralai/Magistral-Small-2509", 7000, True)


def test_dotenv_file_in_the_working_directory_is_read(tmp_path):
    (tmp_path / ".env").write_text("MAGISTRAL_MODEL=magistral:24b\nMAGISTRAL_TEMPERATURE=0.3\n", encoding="utf-8")
    s = Settings()
    assert (s.model, s.temperature) == ("magistral:24b", 0.3)


def test_argument_beats_environment_beats_dotenv_beats_default(monkeypatch, tmp_path):
    (tmp_path / ".env").write_text(
        "MAGISTRAL_MODEL=from-dotenv\nMAGISTRAL_MAX_TOKENS=1000\nMAGISTRAL_TOP_P=0.5\n", encoding="utf-8"
    )
    monkeypatch.setenv("MAGISTRAL_MODEL", "from-env")
    monkeypatch.setenv("MAGISTRAL_MAX_TOKENS", "2000")
    s = Settings(model="from-argument")
    assert s.model == "from-argument"
    assert s.max_tokens == 2000  # environment over .env
    assert s.top_p == 0.5  # .env over default
    assert s.temperature == 0.7  # default


def test_invalid_values_are_refused(monkeypatch):
    monkeypatch.setenv("MAGISTRAL_BACKEND", "llamafile")
    with pytest.raises(ValidationError):
        Settings()
    monkeypatch.delenv("MAGISTRAL_BACKEND")
    with pytest.raises(ValidationError):
        Settings(model_version="2510")


def test_api_key_is_a_secret_and_never_in_the_text_of_settings_or_backend(monkeypatch):
    monkeypatch.setenv("MAGISTRAL_OPENAI_API_KEY", KEY)
    s = Settings(backend="openai")
    assert isinstance(s.openai_api_key, SecretStr)
    assert s.openai_api_key.get_secret_value() == KEY
    backend = make_backend(s)
    for text in (repr(s), str(s), repr(backend), str(backend), s.model_dump_json(), str(s.model_dump())):
        assert KEY not in text


def test_mistral_settings_default_to_the_hosted_api_and_read_mistrals_own_key_name(monkeypatch, tmp_path):
    monkeypatch.delenv("MISTRAL_API_KEY", raising=False)
    s = Settings(backend="mistral")
    assert (s.server_url, s.mistral_api_key.get_secret_value()) == ("https://api.mistral.ai/v1", "")
    (tmp_path / ".env").write_text("MISTRAL_API_KEY=from-dotenv\n", encoding="utf-8")
    assert Settings().mistral_api_key.get_secret_value() == "from-dotenv"
    monkeypatch.setenv("MISTRAL_API_KEY", "from-mistral-name")
    assert Settings().mistral_api_key.get_secret_value() == "from-mistral-name"
    monkeypatch.setenv("MAGISTRAL_MISTRAL_API_KEY", KEY)  # ours wins
    s = Settings(backend="mistral", mistral_base_url="http://proxy:8080/v1/")
    assert s.mistral_api_key.get_secret_value() == KEY and s.server_url == "http://proxy:8080/v1"
    for text in (repr(s), str(s), repr(make_backend(s)), s.model_dump_json()):
        assert KEY not in text


def test_reasoning_effort_is_auto_by_default_and_only_the_known_levels_are_taken(monkeypatch):
    assert Settings().reasoning_effort == "auto"
    monkeypatch.setenv("MAGISTRAL_REASONING_EFFORT", " High ")
    assert Settings().reasoning_effort == "high"
    monkeypatch.setenv("MAGISTRAL_REASONING_EFFORT", "none")
    assert Settings().reasoning_effort == "none"
    monkeypatch.setenv("MAGISTRAL_REASONING_EFFORT", "extreme")
    with pytest.raises(ValidationError):
        Settings()


@pytest.mark.parametrize(
    "value, makers_say, kept",
    [
        ("auto", True, True),
        ("auto", False, False),
        ("true", False, True),
        ("false", True, False),
        (True, False, True),
        ("FALSE", True, False),
    ],
)
def test_keeping_reasoning_in_follow_ups_is_the_makers_call_unless_set(monkeypatch, value, makers_say, kept):
    assert Settings(keep_reasoning_in_history=value).keeps_reasoning(makers_say) is kept
    if isinstance(value, str):
        monkeypatch.setenv("MAGISTRAL_KEEP_REASONING_IN_HISTORY", value)
        assert Settings().keeps_reasoning(makers_say) is kept


def test_auth_pairs_are_parsed_and_the_password_kept_secret():
    s = Settings(auth="ana:pw1, ben:pw2")
    assert s.auth_pairs() == [("ana", "pw1"), ("ben", "pw2")]
    assert "pw1" not in repr(s)
    with pytest.raises(ValueError, match="user:pass"):
        Settings(auth="no-colon").auth_pairs()


def test_root_path_gets_one_leading_slash_and_no_trailing_one():
    def root(value: str) -> str:
        return Settings(_env_file=None, root_path=value).root_path

    assert root("/debugger") == root("debugger/") == root(" /debugger/ ") == "/debugger"
    assert root("") == root("/") == ""
    assert root("https://uni.example/debugger/") == "https://uni.example/debugger"
