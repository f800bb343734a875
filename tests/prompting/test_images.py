"""A photo of a proof: checked, downscaled and re-encoded before it is sent, and sent
where each server looks for it (Ollama: base64 in the message's ``images``; an
OpenAI-compatible server: an ``image_url`` content part with a data URL). A model
that cannot see gets a clear refusal, never a request with the photo dropped.
The tests look at what the loopback server received."""

from __future__ import annotations

import asyncio
import base64
import io
import json
import os

import numpy as np
import pytest
from PIL import Image

from magistral_debugger.backends import OllamaBackend, OpenAICompatBackend, supports_images
from magistral_debugger.backends.ollama import flatten_for_ollama
from magistral_debugger.engine.run import DebugRun
from magistral_debugger.prompting.images import PreparedImage, prepare_image, prepare_image_for
from magistral_debugger.prompting.input_errors import InputError
from magistral_debugger.prompting.messages import build_messages, image_message_text
from magistral_debugger.settings import Settings
from tests.loopback import ModelServer, Received, dead_url, json_reply, ollama_error, openai_error
from tests.runs import settings_for

MIB = 1024 * 1024
VISION_MODEL = "mistralai/Magistral-Small-2509"
TEXT_ONLY_MODEL = "mistralai/Magistral-Small-2507"
NOTE = "Step 4 is where I think it breaks."


@pytest.fixture(scope="module")
def big_photo(tmp_path_factory) -> str:
    """A 6000×4000 phone-sized photo of almost 20 MB: noise keeps JPEG from compressing it."""
    pixels = np.random.default_rng(6).integers(0, 256, size=(4000, 6000, 3), dtype=np.uint8)
    path = tmp_path_factory.mktemp("photos") / "whiteboard.jpg"
    Image.fromarray(pixels).save(path, "JPEG", quality=88)
    return str(path)


def png_bytes(size=(800, 600), mode="RGB", color=(255, 255, 255)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, color).save(out, "PNG")
    return out.getvalue()


def decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def with_ollama_capabilities(srv: ModelServer, *capabilities: str) -> None:
    """The loopback /api/show, listing these capabilities instead of its defaults."""
    default_show = srv._show

    def show(request: Received):
        reply = default_show(request)
        data = json.loads(reply.body[0])
        if "capabilities" in data:
            data["capabilities"] = list(capabilities)
        return json_reply(data, reply.status)

    srv.route("POST", "/api/show", show)


def run(settings: Settings, text: str, image=None, **kw) -> DebugRun:
    debug_run = DebugRun(settings, text, image=image, **kw)

    async def drain() -> None:
        async for _ in debug_run.events():
            pass

    asyncio.run(asyncio.wait_for(drain(), 30))
    return debug_run


def chat_requests(srv: ModelServer) -> list[Received]:
    return [r for r in srv.requests if r.path in ("/api/chat", "/v1/chat/completions")]


# --- preparing the upload -----------------------------------------------------------------


def test_a_20_mb_phone_photo_is_downscaled_to_the_longest_side_keeping_its_aspect(big_photo):
    size = os.path.getsize(big_photo)
    assert 15 * MIB < size <= 20 * MIB  # under the default limit, as a real phone photo would be
    prepared = prepare_image(big_photo)
    assert (prepared.original_width, prepared.original_height) == (6000, 4000)
    assert (prepared.width, prepared.height) == (1540, 1027)  # 6000:4000 kept
    assert prepared.downscaled and prepared.mime == "image/jpeg"
    assert len(prepared.data) < 2 * MIB  # what goes on the wire is a small fraction of the upload
    assert decoded(prepared.data).size == (1540, 1027)


def test_the_longest_side_is_a_setting(monkeypatch, big_photo):
    monkeypatch.setenv("MAGISTRAL_IMAGE_MAX_SIDE", "800")
    prepared = prepare_image_for(big_photo, Settings(_env_file=None))
    assert (prepared.width, prepared.height) == (800, 533)


def test_a_photo_over_the_size_limit_is_refused_before_it_is_decoded(monkeypatch, big_photo):
    monkeypatch.setenv("MAGISTRAL_MAX_IMAGE_MB", "10")
    with pytest.raises(InputError) as refused:
        prepare_image_for(big_photo, Settings(_env_file=None))
    message = str(refused.value)
    assert "limit is 10 MB" in message and "MAGISTRAL_MAX_IMAGE_MB" in message
    # Bytes over the limit are refused for their size, without being looked at.
    with pytest.raises(InputError, match="limit is 20 MB"):
        prepare_image(b"\0" * (20 * MIB + 1))


def test_a_text_file_renamed_png_is_refused_with_a_clear_message(tmp_path):
    fake = tmp_path / "proof.png"
    fake.write_text("Assume x = y. Then 2 = 1.", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        prepare_image(str(fake))
    message = str(refused.value)
    assert "'proof.png' is not an image" in message and "renamed" in message and "Traceback" not in message


@pytest.mark.parametrize(
    "data",
    [b"", b"GIF89a", png_bytes()[:120], b"%PDF-1.7\n" + b"0" * 500],
    ids=["empty", "gif-header-only", "truncated-png", "pdf"],
)
def test_empty_damaged_or_non_image_uploads_are_refused(data):
    with pytest.raises(InputError) as refused:
        prepare_image(data)
    assert str(refused.value).endswith((".", ")"))


def test_transparency_is_kept_as_png_and_everything_else_becomes_jpeg():
    transparent = prepare_image(png_bytes(mode="RGBA", color=(0, 0, 0, 0)))
    assert transparent.mime == "image/png" and decoded(transparent.data).mode == "RGBA"
    opaque_rgba = prepare_image(png_bytes(mode="RGBA", color=(9, 9, 9, 255)))
    assert opaque_rgba.mime == "image/jpeg"
    small = prepare_image(png_bytes((300, 200)))
    assert small.mime == "image/jpeg" and (small.width, small.height) == (300, 200) and not small.downscaled


def test_a_phone_photo_taken_sideways_is_turned_upright_and_its_metadata_is_dropped():
    image = Image.new("RGB", (400, 300), (200, 200, 200))
    exif = image.getexif()
    exif[0x0112] = 6  # "rotate 90° to display"
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    prepared = prepare_image(out.getvalue())
    assert (prepared.width, prepared.height) == (300, 400)
    assert not decoded(prepared.data).getexif()


def test_a_pillow_image_as_gradio_gives_it_is_accepted():
    prepared = prepare_image(Image.new("RGB", (3080, 1540)))
    assert (prepared.width, prepared.height) == (1540, 770)


# --- the prompt builder ------------------------------------------------------------------


def test_the_user_message_is_built_from_an_image_chunk_and_a_text_chunk():
    image = prepare_image(png_bytes())
    system, user = build_messages(NOTE, "2509", image)
    assert user["content"] == [
        {"type": "image_url", "image_url": {"url": image.data_url}},
        {"type": "text", "text": image_message_text(NOTE)},
    ]
    assert image.data_url.startswith("data:image/jpeg;base64,")
    assert NOTE in image_message_text(NOTE)


def test_image_alone_asks_to_debug_the_proof_in_the_image():
    image = prepare_image(png_bytes())
    user = build_messages("", "2509", image)[-1]
    text = user["content"][1]["text"]
    assert text == image_message_text() and "image" in text and "proof" in text and "step by step" in text


def test_ollama_gets_the_image_as_plain_base64_in_the_messages_images_field():
    image = prepare_image(png_bytes())
    user = flatten_for_ollama(build_messages(NOTE, "2506", image))[-1]
    assert user == {"role": "user", "content": image_message_text(NOTE), "images": [image.base64]}
    assert base64.b64decode(user["images"][0]) == image.data


def test_an_image_link_is_refused_rather_than_dropped():
    messages = [{"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/y.png"}}]}]
    with pytest.raises(InputError, match="not a link"):
        flatten_for_ollama(messages)


# --- what the servers receive -------------------------------------------------------------


@pytest.mark.parametrize("text", [NOTE, ""], ids=["text-and-image", "image-alone"])
def test_ollama_receives_the_photo_base64_in_images_next_to_the_text(big_photo, text):
    with ModelServer() as srv:
        with_ollama_capabilities(srv, "completion", "thinking", "vision")
        debug_run = run(settings_for(srv, "ollama"), text, big_photo)
        body = srv.wait_for_request("/api/chat").json
    assert debug_run.state.ok, debug_run.state.outcome()
    user = body["messages"][-1]
    assert user["role"] == "user" and user["content"] == image_message_text(text)
    [sent] = user["images"]
    assert not sent.startswith("data:")  # Ollama wants the bare base64
    assert decoded(base64.b64decode(sent)).size == (1540, 1027)
    assert debug_run.image is not None and debug_run.image.base64 == sent


@pytest.mark.parametrize("text", [NOTE, ""], ids=["text-and-image", "image-alone"])
def test_an_openai_compatible_server_receives_an_image_url_part_with_a_data_url(big_photo, text):
    with ModelServer(openai_model=VISION_MODEL) as srv:
        debug_run = run(settings_for(srv, "openai"), text, big_photo)
        body = srv.wait_for_request("/v1/chat/completions").json
    assert debug_run.state.ok, debug_run.state.outcome()
    image_part, text_part = body["messages"][-1]["content"]
    assert text_part == {"type": "text", "text": image_message_text(text)}
    assert image_part["type"] == "image_url"
    url = image_part["image_url"]["url"]
    assert url.startswith("data:image/jpeg;base64,")
    assert decoded(base64.b64decode(url.partition(",")[2])).size == (1540, 1027)


def test_a_photo_does_not_count_as_its_base64_length_when_max_tokens_is_fitted(big_photo):
    """Counted as text, the photo's data URL would look like ~300 000 tokens and max tokens
    would be cut to 1; counted as the vision encoder sees it, 8192 still fits."""
    with ModelServer(openai_model=VISION_MODEL, max_model_len=40960) as srv:
        debug_run = run(settings_for(srv, "openai", max_tokens=8192), NOTE, big_photo)
        body = srv.wait_for_request("/v1/chat/completions").json
    assert body["max_tokens"] == 8192 and not debug_run.state.notices


def test_ollama_model_without_vision_refuses_the_photo_before_any_chat_request():
    with ModelServer() as srv:  # the loopback magistral lists completion and thinking only
        debug_run = run(settings_for(srv, "ollama"), NOTE, png_bytes())
        assert not chat_requests(srv)
    state = debug_run.state
    assert state.finish_reason == "error"
    assert "cannot read images" in state.error and "'magistral'" in state.error and "Remove the photo" in state.error


def test_openai_compatible_model_without_2509_in_its_name_refuses_the_photo_unless_vision_is_on():
    with ModelServer(openai_model=TEXT_ONLY_MODEL) as srv:
        refused = run(settings_for(srv, "openai"), NOTE, png_bytes())
        assert not chat_requests(srv)
        sent = run(settings_for(srv, "openai", vision="true"), NOTE, png_bytes())
        body = srv.wait_for_request("/v1/chat/completions").json
    assert refused.state.finish_reason == "error" and "MAGISTRAL_VISION=true" in refused.state.error
    assert sent.state.ok and body["messages"][-1]["content"][0]["type"] == "image_url"


def test_vision_false_refuses_photos_even_for_a_model_that_can_see():
    with ModelServer(openai_model=VISION_MODEL) as srv:
        debug_run = run(settings_for(srv, "openai", vision="false"), NOTE, png_bytes())
        assert not chat_requests(srv)
    assert "MAGISTRAL_VISION=false" in debug_run.state.error


def test_a_text_file_renamed_png_ends_the_run_with_the_message_and_sends_nothing(tmp_path):
    fake = tmp_path / "proof.png"
    fake.write_bytes(b"x = y so 2 = 1\n")
    with ModelServer(openai_model=VISION_MODEL) as srv:
        debug_run = run(settings_for(srv, "openai"), "", str(fake))
        assert not chat_requests(srv)
    assert debug_run.state.finish_reason == "error" and "is not an image" in debug_run.state.error


def test_no_text_and_no_image_is_still_refused():
    with ModelServer() as srv:
        debug_run = run(settings_for(srv, "ollama"), "   ")
    assert "Paste a flawed argument" in debug_run.state.error


# --- servers that refuse images -------------------------------------------------------------


@pytest.mark.parametrize(
    "detail",
    [
        "mistralai/Magistral-Small-2509 is not a multimodal model None",
        "At most 0 image(s) may be provided in one request. You can set `--limit-mm-per-prompt` to increase this "
        "limit.",
    ],
    ids=["not-multimodal", "limit-mm-per-prompt-0"],
)
def test_a_vllm_400_rejecting_the_image_becomes_a_readable_message(detail):
    with ModelServer(openai_model=VISION_MODEL) as srv:
        srv.route("POST", "/v1/chat/completions", openai_error(detail, "BadRequestError", 400))
        debug_run = run(settings_for(srv, "openai"), NOTE, png_bytes())
    state = debug_run.state
    assert state.finish_reason == "error"
    assert state.error.startswith(f"The server at {srv.url}/v1 refused the photo: ")
    assert (
        detail.rstrip(".") in state.error
        and "Remove the photo" in state.error
        and "--limit-mm-per-prompt" in state.error
    )
    assert "{" not in state.error.replace("""'{"image":10}'""", "")  # no JSON body dumped on the person


def test_the_same_400_without_a_photo_is_not_blamed_on_images():
    with ModelServer(openai_model=VISION_MODEL) as srv:
        srv.route(
            "POST", "/v1/chat/completions", openai_error("temperature: bad vision of things", "BadRequestError", 400)
        )
        debug_run = run(settings_for(srv, "openai"), NOTE)
    assert "refused the photo" not in debug_run.state.error


def test_an_ollama_refusal_of_the_image_becomes_a_readable_message():
    with ModelServer() as srv:
        srv.route("POST", "/api/chat", ollama_error("this model is missing data required for image input", 500))
        debug_run = run(settings_for(srv, "ollama", vision="true"), NOTE, png_bytes())
    assert debug_run.state.error.startswith(f"The server at {srv.url} refused the photo: this model is missing data")


# --- supports_images, for the UI -----------------------------------------------------------


def test_supports_images_reads_ollamas_capabilities():
    with ModelServer() as srv:
        backend = OllamaBackend(srv.url)
        assert not asyncio.run(supports_images(backend, "magistral", settings_for(srv, "ollama").vision))
        with_ollama_capabilities(srv, "completion", "vision", "thinking")
        assert asyncio.run(supports_images(backend, "magistral", settings_for(srv, "ollama").vision))
        assert asyncio.run(supports_images(backend, "", settings_for(srv, "ollama").vision))  # the default model


def test_supports_images_on_openai_compatible_servers_follows_the_model_name_or_the_setting():
    with ModelServer(openai_model=VISION_MODEL) as srv:
        backend = OpenAICompatBackend(srv.url + "/v1")
        settings = settings_for(srv, "openai")
        assert asyncio.run(supports_images(backend, VISION_MODEL, settings.vision))
        assert asyncio.run(supports_images(backend, "", settings.vision))  # the first model the server lists
        assert not asyncio.run(supports_images(backend, "mistralai/Magistral-Small-2507", settings.vision))
        assert asyncio.run(supports_images(backend, "my-alias", settings_for(srv, "openai", vision="true").vision))
        assert not asyncio.run(
            supports_images(backend, VISION_MODEL, settings_for(srv, "openai", vision="false").vision)
        )


def test_supports_images_is_false_when_the_server_cannot_be_asked():
    url = dead_url()
    settings = Settings(_env_file=None, ollama_url=url, connect_timeout=1.0)
    assert not asyncio.run(supports_images(OllamaBackend(url, 1.0), "magistral", settings.vision))


def test_prepared_image_repr_never_dumps_the_bytes():
    image = prepare_image(png_bytes())
    assert isinstance(image, PreparedImage) and len(repr(image)) < 80
