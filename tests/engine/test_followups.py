"""Follow-up questions on the same proof: what each server receives for turns 2 and 3.

Earlier answers always travel; earlier reasoning only with
MAGISTRAL_KEEP_REASONING_IN_HISTORY=true, and then in the form each model and server
expects: a thinking chunk of the assistant message for the [THINK] models, ``<think>``
text for 2506, Ollama's ``thinking`` field on Ollama; never as loose text for the
[THINK] models. A conversation too long for the context loses its oldest turns
first, never the current question, and the person is told. Turns come from real
runs against the loopback servers, chained as the UI chains them.
"""

from __future__ import annotations

import asyncio
import io
import json

import pytest
from PIL import Image

from magistral_debugger.engine.context_fit import trim_history
from magistral_debugger.engine.run import DebugRun
from magistral_debugger.events import Notice
from magistral_debugger.prompting.images import prepare_image
from magistral_debugger.prompting.messages import Turn, build_messages, estimate_tokens, user_message_text
from magistral_debugger.settings import Settings
from tests.loopback import DEFAULT_ANSWER, DEFAULT_THINKING, ModelServer, Received, chat_path, json_reply
from tests.runs import FLAWED, settings_for

ANSWER = "".join(DEFAULT_ANSWER)  # what the loopback servers answer every turn
REASONING = "".join(DEFAULT_THINKING)
Q2 = "Why can't we cancel x − y?"
Q3 = "And if x ≠ y from the start?"


def drain(run: DebugRun) -> list:
    async def collect() -> list:
        return [event async for event in run.events()]

    return asyncio.run(asyncio.wait_for(collect(), 30))


def conversation(settings: Settings, srv: ModelServer, kind: str, questions: list[str], image=None) -> list[Received]:
    """Run the questions as one conversation, each turn's history the turns before it;
    returns the chat requests the server received, one per turn."""
    history: list[Turn] = []
    requests = []
    for i, question in enumerate(questions):
        run = DebugRun(settings, question, history=history, image=image if i == 0 else None)
        drain(run)
        assert run.state.ok, run.state.outcome()
        requests.append(srv.wait_for_request(chat_path(kind)))
        history.append(run.turn())
    return requests


def with_vision(srv: ModelServer) -> None:
    default_show = srv._show

    def show(request: Received):
        data = json.loads(default_show(request).body[0])
        data["capabilities"] = ["completion", "thinking", "vision"]
        return json_reply(data)

    srv.route("POST", "/api/show", show)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (250, 250, 250)).save(out, "PNG")
    return out.getvalue()


# --- turns 2 and 3, both policies, both backends ---------------------------------------------


@pytest.mark.parametrize("kind", ["ollama", "openai"])
def test_by_default_turns_2_and_3_carry_earlier_answers_and_no_reasoning(kind):
    with ModelServer() as srv:
        settings = settings_for(srv, kind)
        turn1, turn2, turn3 = conversation(settings, srv, kind, [FLAWED, Q2, Q3])
    system = turn1.json["messages"][0]
    assert turn1.json["messages"] == [system, {"role": "user", "content": user_message_text(FLAWED)}]
    first = {"role": "user", "content": user_message_text(FLAWED)}
    answer = {"role": "assistant", "content": ANSWER}
    assert turn2.json["messages"] == [system, first, answer, {"role": "user", "content": Q2}]
    assert turn3.json["messages"] == [
        system,
        first,
        answer,
        {"role": "user", "content": Q2},
        answer,
        {"role": "user", "content": Q3},
    ]
    for request in (turn2, turn3):
        assert REASONING not in request.body.decode("utf-8")


def test_kept_reasoning_travels_as_a_thinking_chunk_of_the_assistant_message_for_think_models():
    with ModelServer() as srv:  # the loopback vLLM serves Magistral-Small-2509
        settings = settings_for(srv, "openai", keep_reasoning_in_history=True)
        _, turn2, turn3 = conversation(settings, srv, "openai", [FLAWED, Q2, Q3])
    assistant = {
        "role": "assistant",
        "content": [{"type": "thinking", "thinking": REASONING, "closed": True}, {"type": "text", "text": ANSWER}],
    }
    assert turn2.json["messages"][1:] == [
        {"role": "user", "content": user_message_text(FLAWED)},
        assistant,
        {"role": "user", "content": Q2},
    ]
    assert turn3.json["messages"][2:] == [
        assistant,
        {"role": "user", "content": Q2},
        assistant,
        {"role": "user", "content": Q3},
    ]
    for request in (turn2, turn3):  # never as text the tokenizer would spell out
        body = request.body.decode("utf-8")
        assert "[THINK]" not in body and "<think>" not in body


def test_kept_reasoning_for_2506_on_an_openai_compatible_server_is_think_tag_text():
    with ModelServer() as srv:
        settings = settings_for(srv, "openai", keep_reasoning_in_history=True, model_version="2506")
        _, turn2, turn3 = conversation(settings, srv, "openai", [FLAWED, Q2, Q3])
    assistant = {"role": "assistant", "content": f"<think>\n{REASONING}\n</think>\n\n{ANSWER}"}
    assert turn2.json["messages"][2:] == [assistant, {"role": "user", "content": Q2}]
    assert turn3.json["messages"][2:] == [
        assistant,
        {"role": "user", "content": Q2},
        assistant,
        {"role": "user", "content": Q3},
    ]


@pytest.mark.parametrize("version", ["auto", "2509"])  # auto: the library magistral is 2506
def test_kept_reasoning_on_ollama_goes_in_the_assistant_messages_thinking_field(version):
    with ModelServer() as srv:
        settings = settings_for(srv, "ollama", keep_reasoning_in_history=True, model_version=version)
        _, turn2, turn3 = conversation(settings, srv, "ollama", [FLAWED, Q2, Q3])
    assistant = {"role": "assistant", "content": ANSWER, "thinking": REASONING}
    assert turn2.json["messages"][2:] == [assistant, {"role": "user", "content": Q2}]
    assert turn3.json["messages"][2:] == [
        assistant,
        {"role": "user", "content": Q2},
        assistant,
        {"role": "user", "content": Q3},
    ]
    assert turn3.json["think"] is True


@pytest.mark.parametrize("kind", ["ollama", "openai"])
def test_the_photo_of_turn_1_stays_in_turn_1_when_follow_ups_are_asked(kind):
    with ModelServer() as srv:
        with_vision(srv)
        settings = settings_for(srv, kind)
        turn1, turn2 = conversation(settings, srv, kind, ["", Q2], image=png())
    first_user = turn1.json["messages"][1]
    assert turn2.json["messages"][1] == first_user  # the same photo, sent the same way
    if kind == "ollama":
        assert len(first_user["images"]) == 1
    else:
        assert first_user["content"][0]["image_url"]["url"].startswith("data:image/jpeg;base64,")
    assert turn2.json["messages"][-1] == {"role": "user", "content": Q2}


def test_a_follow_up_with_its_own_photo_sends_the_question_as_typed_beside_it():
    image = prepare_image(png())
    history = [Turn(question=FLAWED, answer=ANSWER)]
    user = build_messages(Q2, "2509", image, history=history)[-1]
    assert user["content"] == [
        {"type": "image_url", "image_url": {"url": image.data_url}},
        {"type": "text", "text": Q2},
    ]


def test_turns_without_an_answer_are_left_out():
    history = [Turn(question=FLAWED, answer=ANSWER), Turn(question="stopped while thinking", answer="", reasoning="r")]
    messages = build_messages(Q3, "2509", history=history)
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"]
    assert "stopped while thinking" not in json.dumps(messages)


def test_the_one_shot_api_is_unchanged():
    """DebugRun(settings, text) still works and sends the same two messages as before."""
    with ModelServer() as srv:
        run = DebugRun(settings_for(srv, "openai", model=srv.openai_model), FLAWED)
        drain(run)
        body = srv.wait_for_request("/v1/chat/completions").json
    assert run.state.ok and body["messages"] == build_messages(FLAWED, "2509")
    assert run.turn() == Turn(question=FLAWED, answer=ANSWER, reasoning=REASONING)
    assert [r.path for r in srv.requests].count("/v1/models") == 1  # no context look-up without history


# --- the context budget ----------------------------------------------------------------------

LONG = [Turn(question=f"question {i}", answer=f"answer {i} " + "x" * 2990) for i in range(1, 4)]


def fit_messages(budget: int, question: str, version: str, history: list[Turn]) -> tuple[list[dict], int]:
    return trim_history(
        lambda n: build_messages(question, version, history=history, drop_oldest=n), len(history), budget
    )


def test_trimming_drops_the_oldest_turns_first_and_keeps_the_current_question():
    messages, dropped = fit_messages(2048, Q3, "2509", history=LONG)
    assert dropped == 2
    assert messages == build_messages(Q3, "2509", history=LONG, drop_oldest=2)
    texts = json.dumps(messages)
    assert "answer 3" in texts and "answer 1" not in texts and "answer 2" not in texts
    assert messages[-1] == {"role": "user", "content": Q3}
    assert estimate_tokens(messages) <= 2048


def test_the_current_question_is_sent_even_when_it_alone_is_over_the_budget():
    messages, dropped = fit_messages(10, Q3, "2509", history=LONG)
    assert dropped == 3 and [m["role"] for m in messages] == ["system", "user"]


def test_the_first_question_keeps_its_template_while_only_later_turns_are_dropped():
    history = [Turn(question=FLAWED, answer=ANSWER), Turn(question=Q2, answer=ANSWER)]
    kept = build_messages(Q3, "2509", history=history, drop_oldest=1)
    assert kept[1] == {"role": "user", "content": Q2}  # a follow-up stays as typed
    full = build_messages(Q3, "2509", history=history)
    assert full[1] == {"role": "user", "content": user_message_text(FLAWED)}


@pytest.mark.parametrize("kind", ["ollama", "openai"])
def test_a_conversation_over_the_context_loses_its_oldest_turns_and_says_how_many(kind):
    """vLLM's context comes from /v1/models (max_model_len); Ollama's from MAGISTRAL_CONTEXT_TOKENS.
    With 4096 tokens and 2048 kept for the reply, two of three long turns must go."""
    with ModelServer(max_model_len=4096) as srv:
        extra = {"context_tokens": 4096} if kind == "ollama" else {}
        run = DebugRun(settings_for(srv, kind, max_tokens=2048, **extra), Q3, history=LONG)
        events = drain(run)
        body = srv.wait_for_request(chat_path(kind)).json
    assert run.state.ok and run.dropped_turns == 2
    [notice] = [e for e in events if isinstance(e, Notice) and "Left out" in e.message]
    assert (
        notice.message == "Left out the 2 oldest turns of this conversation to fit the model's context of 4,096 tokens."
    )
    assert notice.message in run.state.notices
    sent = json.dumps(body["messages"], ensure_ascii=False)
    assert "answer 3" in sent and "answer 1" not in sent and "answer 2" not in sent
    assert body["messages"][-1] == {"role": "user", "content": Q3}


@pytest.mark.parametrize("kind", ["ollama", "openai"])
def test_a_conversation_that_fits_is_sent_whole_without_a_notice(kind):
    with ModelServer(max_model_len=131072) as srv:
        run = DebugRun(settings_for(srv, kind), Q3, history=LONG)
        events = drain(run)
        body = srv.wait_for_request(chat_path(kind)).json
    assert run.dropped_turns == 0 and not any(isinstance(e, Notice) for e in events)
    assert len(body["messages"]) == 1 + 2 * len(LONG) + 1


def test_one_oldest_turn_is_said_in_the_singular():
    with ModelServer(max_model_len=5000) as srv:
        run = DebugRun(settings_for(srv, "openai", max_tokens=2048), Q3, history=LONG)
        drain(run)
    assert run.dropped_turns == 1
    assert "Left out the oldest turn of this conversation" in run.state.notices[0]
