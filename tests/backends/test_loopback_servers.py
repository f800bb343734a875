"""Pins down the loopback servers themselves, using only `requests` and
`http.client`, so a failing client test can be trusted to be the client's
fault and not the fixture's."""

import http.client
import json
import socket
import threading

import pytest
import requests

from tests.loopback import (
    Close,
    Hold,
    ModelServer,
    Reply,
    Sleep,
    json_reply,
    ollama_chat_lines,
    openai_error,
    openai_sse_events,
    paced,
    sse_error,
)


def sse_payloads(raw: bytes) -> list[str]:
    return [event.removeprefix("data: ") for event in raw.decode().split("\n\n") if event]


def test_ollama_stream_arrives_line_by_line_and_parses():
    """Streamed, not buffered into one read: the first lines reach the client while the server
    holds back the rest, and the done line is written only after the client has them."""
    lines = ollama_chat_lines(["Let me ", "think."], ["x = ", "2"], done_reason="length")
    go_on = threading.Event()
    with ModelServer() as srv:
        srv.route("POST", "/api/chat", Reply(body=[*lines[:2], Hold(go_on), *lines[2:]]))
        parsed, written_when_two_arrived = [], None
        with requests.post(srv.url + "/api/chat", json={"model": "magistral"}, stream=True) as r:
            assert r.headers["content-type"] == "application/x-ndjson"
            for line in r.iter_lines():
                parsed.append(json.loads(line))
                if len(parsed) == 2:
                    written_when_two_arrived = b"".join(data for _, data in srv.wire)
                    go_on.set()
        assert srv.hangups == []  # a fully read reply is not a hang-up
    assert lines[1] in written_when_two_arrived and lines[2] not in written_when_two_arrived
    assert "".join(p["message"].get("thinking", "") for p in parsed) == "Let me think."
    assert "".join(p["message"]["content"] for p in parsed) == "x = 2"
    assert [p["done"] for p in parsed] == [False] * 4 + [True]
    assert parsed[-1]["done_reason"] == "length" and parsed[-1]["eval_count"] == 4


def test_ollama_error_line_replaces_the_done_line():
    lines = ollama_chat_lines(content=["partial"], error="an error was encountered while running the model")
    assert json.loads(lines[-1]) == {"error": "an error was encountered while running the model"}
    assert len(lines) == 2


@pytest.mark.parametrize("field", ["reasoning", "reasoning_content"])
def test_openai_sse_stream_parses_and_ends_with_done(field):
    events = openai_sse_events(["Check ", "step 3."], ["Division ", "by zero."], reasoning_field=field)
    with ModelServer() as srv:
        srv.route("POST", "/v1/chat/completions", Reply(body=paced(events, 0.01)))
        r = requests.post(srv.url + "/v1/chat/completions", json={"stream": True})
    assert r.headers["content-type"] == "text/event-stream"
    payloads = sse_payloads(r.content)
    assert payloads[-1] == "[DONE]"
    chunks = [json.loads(p) for p in payloads[:-1]]
    deltas = [c["choices"][0]["delta"] for c in chunks if c["choices"]]
    assert deltas[0]["role"] == "assistant"
    assert "".join(d.get(field, "") for d in deltas) == "Check step 3."
    assert "".join(d.get("content", "") for d in deltas) == "Division by zero."
    assert [c["choices"][0]["finish_reason"] for c in chunks if c["choices"]][-1] == "stop"
    assert chunks[-1]["choices"] == []
    assert chunks[-1]["usage"]["completion_tokens_details"]["reasoning_tokens"] == 2


def test_sse_builder_can_inline_reasoning_and_omit_usage_and_done():
    events = openai_sse_events(["[THINK]hm[/THINK]"], ["ok"], reasoning_field=None, usage=None, done=False)
    chunks = [json.loads(p) for p in sse_payloads(b"".join(events))]
    assert [c["choices"][0]["delta"].get("content") for c in chunks] == ["[THINK]hm[/THINK]", "ok", None]
    assert json.loads(sse_error("boom").decode().removeprefix("data: "))["error"]["code"] == 500


def test_body_split_mid_utf8_character_arrives_intact_as_separate_chunks():
    line = ollama_chat_lines(content=["x − y"])[0]  # U+2212 is three bytes
    cut = line.index("−".encode()) + 1
    with ModelServer() as srv:
        srv.route("POST", "/api/chat", Reply(body=[line[:cut], Sleep(0.05), line[cut:]]))
        with requests.post(srv.url + "/api/chat", json={}, stream=True) as r:
            pieces = list(r.iter_content(chunk_size=None))
    assert pieces[0] == line[:cut]  # the cut really reached the client
    assert json.loads(b"".join(pieces))["message"]["content"] == "x − y"


@pytest.mark.parametrize("reset", [False, True], ids=["fin", "rst"])
def test_close_step_gives_the_client_a_truncated_body(reset):
    lines = ollama_chat_lines(content=["a", "b"])
    with ModelServer() as srv:
        srv.route("POST", "/api/chat", Reply(body=[lines[0], Sleep(0.05), Close(reset=reset)]))
        conn = http.client.HTTPConnection(srv.url.removeprefix("http://"), timeout=5)
        conn.request("POST", "/api/chat", body=b"{}")
        resp = conn.getresponse()
        assert resp.status == 200
        with pytest.raises((http.client.IncompleteRead, ConnectionResetError)) as err:
            resp.read()
        conn.close()
    if isinstance(err.value, http.client.IncompleteRead):
        assert err.value.partial == lines[0]


def test_client_closing_during_a_sleep_is_seen_before_the_next_write():
    """A hang-up is noticed while the server sleeps between tokens, not only when it next
    writes: the cancel tests rely on it to tell a closed connection from an open one."""
    with ModelServer() as srv:
        srv.route("POST", "/api/chat", Reply(body=[b'{"a":1}\n', Sleep(5), b'{"b":2}\n']))
        conn = http.client.HTTPConnection(srv.url.removeprefix("http://"), timeout=5)
        conn.request("POST", "/api/chat", body=b"{}")
        resp = conn.getresponse()
        assert resp.readline() == b'{"a":1}\n'
        resp.close()
        conn.close()
        assert srv.wait_for_hangup(timeout=10) is not None
        wire = list(srv.wire)
    hangup = wire.index(("hangup", b""))
    assert any(b'{"a":1}' in data for _, data in wire[:hangup])
    assert not any(b'{"b":2}' in data for _, data in wire), "the hang-up was only seen at the write after the sleep"


def test_client_closing_while_server_is_writing_is_recorded():
    with ModelServer() as srv:
        srv.route("POST", "/api/chat", Reply(body=[b"x" * 65536] * 400))
        with socket.create_connection(srv.url.removeprefix("http://").split(":")) as sock:
            sock.sendall(b"POST /api/chat HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
            assert sock.recv(1024)
        assert srv.wait_for_hangup(timeout=2.0) is not None


def test_received_requests_record_method_headers_and_json():
    with ModelServer() as srv:
        requests.post(srv.url + "/api/chat", json={"model": "magistral", "think": True}, headers={"X-Probe": "1"})
        got = srv.wait_for_request("/api/chat")
    assert (got.method, got.path) == ("POST", "/api/chat")
    assert got.json == {"model": "magistral", "think": True}
    assert got.headers["x-probe"] == "1" and json.loads(got.body) == got.json


def test_reply_list_serves_one_per_request_and_repeats_the_last():
    with ModelServer() as srv:
        srv.route("GET", "/api/tags", [json_reply({"n": 1}), json_reply({"n": 2})])
        ns = [requests.get(srv.url + "/api/tags").json()["n"] for _ in range(3)]
    assert ns == [1, 2, 2]


def test_raw_reply_is_written_verbatim_for_proxy_style_faults():
    page = b"<html><body>502 Bad Gateway</body></html>"
    with ModelServer() as srv:
        srv.route(
            "POST",
            "/v1/chat/completions",
            Reply(raw=True, body=[b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n\r\n", page]),
        )
        r = requests.post(srv.url + "/v1/chat/completions", json={})
    assert (r.status_code, r.content) == (502, page)


def test_default_routes_look_like_ollama_and_vllm():
    with ModelServer() as srv:
        assert requests.get(srv.url + "/api/tags").json()["models"][0]["name"] == "magistral:latest"
        show = requests.post(srv.url + "/api/show", json={"model": "magistral"})
        assert "thinking" in show.json()["capabilities"]
        missing = requests.post(srv.url + "/api/show", json={"model": "nope"})
        assert (missing.status_code, missing.json()) == (404, {"error": "model 'nope' not found"})
        model = requests.get(srv.url + "/v1/models").json()["data"][0]
        assert (model["id"], model["max_model_len"]) == ("mistralai/Magistral-Small-2509", 40960)
        chat = requests.post(srv.url + "/api/chat", json={"model": "magistral"})
        lines = [json.loads(line) for line in chat.content.splitlines()]
        assert "".join(x["message"]["content"] for x in lines) == "Cancelling x − y divides by zero."
        sse = requests.post(
            srv.url + "/v1/chat/completions",
            json={"model": "mistralai/Magistral-Small-2509", "stream": True, "stream_options": {"include_usage": True}},
        )
        assert json.loads(sse_payloads(sse.content)[-2])["usage"]["total_tokens"] == 13
        assert requests.post(srv.url + "/v1/chat/completions", json={"model": "x"}).status_code == 404
    assert openai_error("bad", "BadRequestError", 400, flat=True).status == 400


def test_exit_closes_connections_still_mid_reply_and_leaks_no_threads():
    """Leaving the block ends a reply that is sleeping out a 30 s pause: its connection is
    closed, its reply left unfinished and its handler thread gone when the block is left."""
    before = threading.active_count()
    with ModelServer() as srv:
        srv.route("POST", "/api/chat", Reply(body=[b"{}\n", Sleep(30), b"[]\n"]))
        sock = socket.create_connection(srv.url.removeprefix("http://").split(":"))
        sock.settimeout(5)
        sock.sendall(b"POST /api/chat HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n")
        received = b""
        while b"{}\n" not in received:  # the first line is out: the server is in its pause
            received += sock.recv(1024)
    assert threading.active_count() == before  # the handler did not go on sleeping
    while chunk := sock.recv(65536):  # the client sees the end of the stream…
        received += chunk
    assert b"[]" not in received and not received.endswith(b"0\r\n\r\n")  # …before the reply ended
    assert ("write", b"3\r\n[]\n\r\n") not in srv.wire
    assert srv.hangups == []  # the server leaving is not the client hanging up
    sock.close()
