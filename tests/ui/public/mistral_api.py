"""A loopback server speaking Mistral's API, as public mode's tests point the app at it."""

from __future__ import annotations

from tests.loopback import ModelServer, Reply, mistral_models, mistral_sse_events, text_chunk, thinking_chunk

KEY = "owner-mistral-key-5f3c9a1e7d"
CHAT = "/v1/chat/completions"
# One run: 6 chunks, so Mistral's usage says 6 completion tokens.
STREAM = [
    [thinking_chunk("Step 5 divides ")],
    [thinking_chunk("by x − y, which is 0.")],
    [text_chunk("**Step 5** divides by zero")],
    ": x − y = 0.",
    " So 2 = 1 does not follow.",
    "\nFlawed step: 5 (division by zero)",
]
RUN_TOKENS = len(STREAM)
ANSWER = "**Step 5** divides by zero: x − y = 0. So 2 = 1 does not follow."


def as_mistral(server: ModelServer) -> ModelServer:
    server.route("GET", "/v1/models", mistral_models({"id": "mistral-large-4-0", "max_context_length": 131072}))
    server.route("POST", CHAT, Reply(body=mistral_sse_events(STREAM, model="mistral-large-4-0")))
    return server


def public_settings(server: ModelServer, **overrides) -> dict:
    """The settings of a public page on the owner's key, pointed at ``server``."""
    return {
        "backend": "mistral",
        "mistral_base_url": server.url + "/v1",
        "mistral_api_key": KEY,
        "public": True,
        "connect_timeout": 2.0,
        **overrides,
    }


def chat_requests(server: ModelServer) -> list:
    return [r for r in server.requests if r.path == CHAT]
