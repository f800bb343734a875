"""The page's words in five languages: every language has exactly the English ids, none
empty, the same placeholders; the browser's language picks one; the run's outcome and
stats read the same in English as RunState says them."""

from __future__ import annotations

import copy
import pickle
import re
import warnings
from pathlib import Path

import pytest

from magistral_debugger.engine.state import RunState
from magistral_debugger.events import Answer, Reasoning, Usage
from magistral_debugger.i18n import (
    EN,
    LANGUAGES,
    TRANSLATIONS,
    Message,
    gradio_i18n,
    normalize_language,
    number,
    pick_language,
    placeholders,
    t,
)
from magistral_debugger.prompting.examples import TOPICS
from magistral_debugger.ui.view import outcome_text, stats_text

PACKAGE = Path(__file__).resolve().parent.parent / "magistral_debugger"

OTHERS = [code for code in TRANSLATIONS if code != "en"]
# Words that are the same in every language: names, and what the screen shows as code.
SAME_EVERYWHERE = {"top_p_label", "url_label", "backend_ollama"}


def test_the_five_languages_of_the_seed_material_are_offered():
    assert list(TRANSLATIONS) == ["en", "pt", "es", "zh-CN", "vi"] == list(LANGUAGES)


@pytest.mark.parametrize("lang", OTHERS)
def test_every_language_has_exactly_the_english_keys(lang):
    table = TRANSLATIONS[lang]
    assert set(table) - set(EN) == set(), "ids English does not have"
    assert set(EN) - set(table) == set(), "ids left untranslated"


@pytest.mark.parametrize("lang", list(TRANSLATIONS))
def test_no_message_is_empty(lang):
    assert [key for key, text in TRANSLATIONS[lang].items() if not isinstance(text, str) or not text.strip()] == []


@pytest.mark.parametrize("lang", OTHERS)
def test_placeholders_are_the_same_as_in_english(lang):
    table = TRANSLATIONS[lang]
    assert {k: placeholders(table[k]) for k in EN if placeholders(table[k]) != placeholders(EN[k])} == {}


@pytest.mark.parametrize("lang", list(TRANSLATIONS))
def test_messages_without_placeholders_have_no_braces_for_the_browser_to_trip_on(lang):
    """gr.I18n formats static text in the browser as ICU messages: a stray brace would break it."""
    table = TRANSLATIONS[lang]
    assert [k for k, text in table.items() if not placeholders(text) and ("{" in text or "}" in text)] == []


@pytest.mark.parametrize("lang", OTHERS)
def test_messages_are_really_translated_not_copied_from_english(lang):
    table = TRANSLATIONS[lang]
    copied = {k for k in EN if table[k] == EN[k]} - SAME_EVERYWHERE
    # the product's name, and "tokens/s", read the same in Portuguese and Spanish
    allowed = {"app_title", "stats_rate"} if lang in ("pt", "es") else set()
    assert copied - allowed == set()


def test_the_debug_button_is_named_the_same_in_the_idle_hint():
    for lang, table in TRANSLATIONS.items():
        assert f"**{table['debug_button']}**" in table["status_idle"], lang


def test_the_browser_gets_every_languages_static_words_and_nothing_it_would_have_to_fill_in():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an invalid locale code would warn
        i18n = gradio_i18n()
    sent = i18n.translations_dict
    assert list(sent) == list(TRANSLATIONS)
    for lang, table in TRANSLATIONS.items():
        assert sent[lang] == {k: v for k, v in table.items() if not placeholders(v)}, lang
        assert sent[lang]["debug_button"] == table["debug_button"] and "input_too_long" not in sent[lang]
    assert i18n("debug_button").key == "debug_button"


@pytest.mark.parametrize(
    "header, lang",
    [
        ("pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7", "pt"),
        ("pt-PT", "pt"),
        ("es-419,es;q=0.9", "es"),
        ("zh-CN,zh;q=0.9", "zh-CN"),
        ("zh-TW,zh;q=0.9", "zh-CN"),
        ("zh-Hans", "zh-CN"),
        ("vi-VN,vi;q=0.9,en;q=0.5", "vi"),
        ("fr-FR,fr;q=0.9,es;q=0.8,en;q=0.7", "es"),
        ("en;q=0.3,vi;q=0.8", "vi"),
        ("de-DE", "en"),
        ("vi;q=0,pt", "pt"),
        ("*", "en"),
        ("", "en"),
        (None, "en"),
        ("vi;q=banana", "en"),
    ],
)
def test_the_browser_language_picks_the_closest_of_ours(header, lang):
    assert pick_language(header) == lang


def test_language_tags_are_normalised_to_our_codes():
    assert [normalize_language(c) for c in ("pt_BR", "ES", "zh", "zh-SG", "vi-VN", "ja", None)] == [
        "pt",
        "es",
        "zh-CN",
        "zh-CN",
        "vi",
        "en",
        "en",
    ]


def test_t_fills_in_values_and_falls_back_to_english():
    assert t("replay_label", "en", date="2025-11-25 20:21", model="magistral") == (
        "Replay of a run recorded on 2025-11-25 20:21 with magistral"
    )
    assert t("reasoning_thought", "zh-CN", duration="12秒", tokens=2916) == "思考了 12秒 · 2,916 个 token"
    assert t("reasoning_thought", "pt", duration="12 s", tokens=2916) == "Pensou por 12 s · 2.916 tokens"
    assert t("debug_button", "pt-BR") == "Depurar"
    assert t("debug_button", "klingon") == "Debug"
    assert t("debug_button") == "Debug"
    with pytest.raises(KeyError):
        t("no_such_message", "en")


# --- what the server says while a run goes on ------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def state_after(reasoning: str = "", answer: str = "", reason=None, error: str | None = None, usage=None) -> RunState:
    clock = Clock()
    state = RunState(model="magistral", max_tokens=40960, clock=clock)
    clock.now += 0.5
    if reasoning:
        state.apply(Reasoning(reasoning))
        clock.now += 3.2
    if answer:
        state.apply(Answer(answer))
        clock.now += 1.0
    state.usage = usage
    if reason:
        state.finish(reason, error)
    return state


ENDINGS = [
    state_after("think", "answer", "stop"),
    state_after("think", "", "stop"),
    state_after("", "", "stop"),
    state_after("think", "", "length"),
    state_after("think", "half an answ", "length"),
    state_after("think", "", "cancelled"),
    state_after("think", "", "error", "Cannot reach the model server at http://localhost:11434."),
    state_after("", "", "error"),
    state_after("think", ""),
]


ENGLISH_OUTCOMES = [
    "Finished.",
    "The model 'magistral' stopped thinking without giving an answer (its reasoning is kept). Try again.",
    "The model 'magistral' sent an empty reply. Try again, or check the server.",
    "Ran out of tokens while thinking (max tokens 40,960): raise max tokens and try again.",
    "The answer was cut off at the token limit (max tokens 40,960): raise max tokens.",
    "Stopped by you.",
    "Cannot reach the model server at http://localhost:11434.",
    "The run failed.",
    "",
]


@pytest.mark.parametrize(("state", "said"), zip(ENDINGS, ENGLISH_OUTCOMES, strict=True))
def test_each_ending_is_said_in_english_as_the_cli_and_exports_say_it(state, said):
    assert outcome_text(state, "en") == state.outcome() == said


@pytest.mark.parametrize("state", ENDINGS)
@pytest.mark.parametrize("lang", OTHERS)
def test_outcome_in_another_language_is_translated_but_errors_keep_their_own_words(state, lang):
    text = outcome_text(state, lang)
    if state.finish_reason is None:
        assert text == ""
    elif state.finish_reason == "error" and state.error:
        assert text == state.error
    else:
        assert text and text != state.outcome()
        if state.finish_reason == "length":
            assert number(40960, lang) in text  # 40.960 in pt, es and vi; 40,960 in zh-CN


@pytest.mark.parametrize("usage", [None, Usage(7, 120, 80)])
def test_stats_read_the_same_numbers_in_every_language(usage):
    state = state_after("think " * 50, "answer " * 20, "stop", usage=usage)
    counts = "80 reasoning + 40 answer tokens · 28.6" if usage else "1 reasoning + 1 answer tokens · 0.5"
    assert stats_text(state, "en") == f"first token 0.5 sec · thought 3 sec · {counts} tokens/s"
    assert stats_text(state, "vi").startswith("token đầu tiên 0,5 giây")
    assert stats_text(state, "pt").startswith("primeiro token 0,5 s · pensou 3 s")
    assert "思考 3秒" in stats_text(state, "zh-CN")


def test_an_engine_message_is_its_english_text_and_says_itself_in_other_languages():
    message = Message("input_too_long", length=12_345, limit=100)
    assert (
        message == "The text is 12,345 characters long; the limit is 100 (MAGISTRAL_MAX_INPUT_CHARS). "
        "Paste the part with the suspected flaw."
    )
    assert message.text("en") == message
    for lang in OTHERS:
        said = message.text(lang)
        assert said != message and number(12_345, lang) in said and "MAGISTRAL_MAX_INPUT_CHARS" in said, lang


def test_a_message_inside_a_message_is_translated_with_it():
    what = Message("image_file_named", name="proof.png")
    message = Message("image_not_an_image", what=what)
    assert message.startswith("The file 'proof.png' is not an image")
    assert message.text("pt").startswith(what.text("pt"))
    assert "The file" not in message.text("pt")


def test_a_message_survives_copying_as_gradio_copies_session_state():
    message = Message("connection_refused", url="http://127.0.0.1:9", start="`ollama serve`")
    for copied in (copy.deepcopy(message), pickle.loads(pickle.dumps(message))):
        assert copied == message and copied.text("vi") == message.text("vi")


def test_hiding_a_secret_in_a_message_hides_it_in_every_language():
    key = "sk-canary-0123456789"
    message = Message("openai_refused", url="http://h/v1", model="m", detail=f"bad header Bearer {key}")
    hidden = message.with_values(lambda text: text.replace(key, "[API key hidden]"))
    assert all(key not in hidden.text(lang) and "[API key hidden]" in hidden.text(lang) for lang in TRANSLATIONS)


def test_every_message_id_the_engine_uses_has_words():
    """A typo in an id would only show when that failure happens, in front of a class."""
    used = set()
    for path in PACKAGE.rglob("*.py"):
        used |= set(re.findall(r"""Message\(\s*["']([a-z0-9_]+)["']""", path.read_text()))
    assert len(used) > 50
    assert used - set(EN) == set()
    # and every message is used somewhere (none left behind by a refactor)
    code = "".join(path.read_text() for path in PACKAGE.rglob("*.py") if path.parent.name != "locales")
    dynamic = {
        "dropped_oldest_turn",
        "dropped_oldest_turns",
        "backend_ollama",
        "backend_openai",
        "backend_mistral",
        "backend_replay",
    }
    dynamic |= {f"topic_{name}" for name in TOPICS}
    assert {key for key in EN if not re.search(rf"""["']{key}["']""", code)} - dynamic == set()
