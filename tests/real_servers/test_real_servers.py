"""The real servers themselves, by raw HTTP: proves the tier's peers behave as
the app expects before the app is pointed at them.

vLLM serves the puppet model (it always says [THINK] PUPPET_REASONING [/THINK]
PUPPET_CONTENT </s>, an answer that ends in a verdict line); llama.cpp serves
SmolLM2-135M-Instruct (real text that differs between builds, so only its shape is
checked).
"""

from __future__ import annotations

import json
import re

import pytest
import requests

from make_puppet_model import (
    END_THINK_ID,
    PUPPET_CONTENT,
    PUPPET_MODEL_NAME,
    PUPPET_REASONING,
    THINK_ID,
)

pytestmark = pytest.mark.real_server

USER = "x = y, so x² = xy, so x² − y² = xy − y², so (x+y)(x−y) = y(x−y), so x + y = y, so 2y = y, so 2 = 1. Where is the flaw?"


def _session() -> requests.Session:
    s = requests.Session()
    s.trust_env = False  # loopback only, never through a proxy
    return s


def sse_events(resp: requests.Response):
    """Yield the JSON payloads of an OpenAI-style SSE stream (stops at [DONE])."""
    for raw in resp.iter_lines(decode_unicode=False):
        if not raw or not raw.startswith(b"data:"):
            continue
        data = raw[5:].strip()
        if data == b"[DONE]":
            return
        yield json.loads(data)


def stream_chat(server, **body):
    body.setdefault("model", server.model)
    body.setdefault("messages", [{"role": "user", "content": USER}])
    body["stream"] = True
    r = _session().post(f"{server.base_url}/chat/completions", json=body, stream=True, timeout=60)
    r.raise_for_status()
    return r


def collect(resp):
    """Concatenate a whole stream: (reasoning, content, finish_reason, usage, chunks)."""
    reasoning, content, finish, usage, chunks = [], [], None, None, []
    with resp:
        for ev in sse_events(resp):
            chunks.append(ev)
            if ev.get("usage"):
                usage = ev["usage"]
            for ch in ev.get("choices", []):
                d = ch.get("delta") or {}
                if d.get("reasoning"):
                    reasoning.append(d["reasoning"])
                if d.get("content"):
                    content.append(d["content"])
                if ch.get("finish_reason"):
                    finish = ch["finish_reason"]
    return "".join(reasoning), "".join(content), finish, usage, chunks


# ----------------------------------------------------------------- vLLM


@pytest.mark.parametrize(
    "sampling",
    [{"temperature": 0.0}, {"temperature": 0.7, "top_p": 0.95}],  # greedy; Magistral's recommended
    ids=["greedy", "magistral-sampling"],
)
def test_vllm_streams_reasoning_then_answer(vllm_server, sampling):
    reasoning, content, finish, usage, chunks = collect(
        stream_chat(vllm_server, stream_options={"include_usage": True}, max_tokens=512, **sampling)
    )
    assert reasoning == PUPPET_REASONING
    assert content == PUPPET_CONTENT
    assert finish == "stop"
    # vLLM's field is `reasoning`; the think tokens themselves never appear as text
    raw = json.dumps(chunks, ensure_ascii=False)
    assert "reasoning_content" not in raw
    assert "[THINK]" not in raw and "[/THINK]" not in raw
    # all reasoning arrives before any answer text
    kinds = [
        k
        for ev in chunks
        for ch in ev.get("choices", [])
        for k in ("reasoning", "content")
        if (ch.get("delta") or {}).get(k)
    ]
    assert kinds == sorted(kinds, key=lambda k: k != "reasoning")
    assert usage is not None
    assert usage["completion_tokens_details"]["reasoning_tokens"] > 0
    assert usage["completion_tokens"] > usage["completion_tokens_details"]["reasoning_tokens"]


def test_vllm_non_streamed_message_splits_reasoning(vllm_server):
    r = _session().post(
        f"{vllm_server.base_url}/chat/completions",
        json={"model": PUPPET_MODEL_NAME, "messages": [{"role": "user", "content": USER}]},
        timeout=60,
    )
    r.raise_for_status()
    msg = r.json()["choices"][0]["message"]
    assert msg["reasoning"] == PUPPET_REASONING
    assert msg["content"] == PUPPET_CONTENT


def test_vllm_max_tokens_inside_reasoning_ends_with_length_and_no_content(vllm_server):
    reasoning, content, finish, _, _ = collect(stream_chat(vllm_server, max_tokens=5))
    assert finish == "length"
    assert content == ""
    assert reasoning and PUPPET_REASONING.startswith(reasoning)
    assert reasoning != PUPPET_REASONING


def test_vllm_closing_the_stream_aborts_the_request(vllm_server):
    since = vllm_server.log_offset()
    # ignore_eos makes the puppet loop through its script until max_tokens, so
    # the request is surely still running when the client goes away.
    resp = stream_chat(vllm_server, max_tokens=4000, ignore_eos=True)
    request_id = None
    for i, ev in enumerate(sse_events(resp)):
        request_id = ev["id"]
        if i >= 3:
            break
    resp.close()
    assert request_id
    vllm_server.wait_for_log(
        rf"Aborted request\(s\) {re.escape(request_id)}|Request {re.escape(request_id)} aborted",
        timeout=20,
        since=since,
    )


def test_vllm_unknown_model_is_404_not_found(vllm_server):
    r = _session().post(
        f"{vllm_server.base_url}/chat/completions",
        json={"model": "no-such-model", "messages": [{"role": "user", "content": "hi"}]},
        timeout=30,
    )
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["type"] == "NotFoundError"
    assert "no-such-model" in err["message"] and "does not exist" in err["message"]


def test_vllm_tokenize_encodes_thinking_chunk_as_special_tokens(vllm_server):
    """A system message with a thinking chunk is encoded [THINK]=34 ... [/THINK]=35."""
    system = [
        {"type": "text", "text": "Think it through first:"},
        {"type": "thinking", "thinking": "draft the steps, check each", "closed": True},
        {"type": "text", "text": " then answer."},
    ]
    r = _session().post(
        f"{vllm_server.root_url}/tokenize",
        json={
            "model": PUPPET_MODEL_NAME,
            "messages": [
                {"role": "system", "content": system},
                {"role": "user", "content": "literal [THINK] text stays text"},
            ],
        },
        timeout=30,
    )
    r.raise_for_status()
    ids = r.json()["tokens"]
    assert ids.count(THINK_ID) == 1 and ids.count(END_THINK_ID) == 1
    begin_sys, end_sys = ids.index(17), ids.index(18)  # [SYSTEM_PROMPT], [/SYSTEM_PROMPT]
    assert begin_sys < ids.index(THINK_ID) < ids.index(END_THINK_ID) < end_sys
    # the user's literal "[THINK]" is plain text, not the control token
    assert ids.index(THINK_ID) < end_sys < ids.index(3)  # [INST] comes after the system prompt


# ------------------------------------------------------------- llama.cpp


def test_llamacpp_streams_plain_content(llamacpp_server):
    reasoning, content, finish, _, chunks = collect(
        stream_chat(
            llamacpp_server,
            messages=[{"role": "user", "content": "What is 2 + 2? Answer briefly."}],
            max_tokens=48,
            temperature=0.0,
        )
    )
    assert content.strip(), "expected real text from SmolLM2"
    assert reasoning == ""
    assert finish in {"stop", "length"}
    deltas = [ch.get("delta") or {} for ev in chunks for ch in ev.get("choices", [])]
    assert not any("reasoning" in d or "reasoning_content" in d for d in deltas)


def test_llamacpp_logs_client_disconnect(llamacpp_server):
    since = llamacpp_server.log_offset()
    resp = stream_chat(
        llamacpp_server,
        messages=[{"role": "user", "content": "Write a long story about a proof."}],
        max_tokens=1500,
    )
    for i, _ in enumerate(sse_events(resp)):
        if i >= 3:
            break
    resp.close()
    llamacpp_server.wait_for_log(r"Disconnected from client", timeout=30, since=since)
