"""The page's words in five languages: every language has exactly the English ids, none
empty, the same placeholders; the browser's language picks one; the run's outcome and
stats read the same in English as RunState says them."""

from __future__ import annotations

import warnings

import pytest

from magistral_debugger.events import Answer, Reasoning, Usage
from magistral_debugger.i18n import (
    EN,
    LANGUAGES,
    TRANSLATIONS,
    gradio_i18n,
    normalize_language,
    outcome_text,
    pick_language,
    placeholders,
    stats_text,
    t,
)
from magistral_debugger.state import RunState

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


def test_every_language_builds_a_gradio_i18n_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an invalid locale code would warn
        i18n = gradio_i18n()
    assert i18n.translations_dict == TRANSLATIONS
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
        "pt", "es", "zh-CN", "zh-CN", "vi", "en", "en"
    ]


def test_t_fills_in_values_and_falls_back_to_english():
    assert t("replay_label", "en", date="2025-11-25 20:21", model="magistral") == (
        "Replay of a run recorded on 2025-11-25 20:21 with magistral"
    )
    assert t("reasoning_thought", "zh-CN", seconds=12) == "思考了 12 秒"
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


@pytest.mark.parametrize("state", ENDINGS)
def test_outcome_in_english_is_what_the_run_state_says(state):
    assert outcome_text(state, "en") == state.outcome()


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
            assert "40960" in text


@pytest.mark.parametrize("usage", [None, Usage(7, 120, 80)])
def test_stats_in_english_are_the_run_states_stats_line(usage):
    state = state_after("think " * 50, "answer " * 20, "stop", usage=usage)
    assert stats_text(state, "en") == state.stats_line()
    assert stats_text(state, "vi").startswith("token đầu tiên 0.5 giây")
    assert "思考 3 秒" in stats_text(state, "zh-CN")
