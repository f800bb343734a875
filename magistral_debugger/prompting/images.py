"""A photo of a proof, made fit to send: checked, turned upright, downscaled, re-encoded.

Checks happen before anything is decoded in full: the file size against
``MAGISTRAL_MAX_IMAGE_MB``, then the format from the file's own header (not its
name), so a text file renamed ``.png`` is refused with a sentence, not a
traceback. Only common photo and screenshot formats are opened: Pillow's
PostScript plugin, for one, would run Ghostscript on the upload.

The result is always re-encoded (JPEG, or PNG when the image has transparency):
that strips EXIF metadata such as a phone's GPS position, and a longest side of
``MAGISTRAL_IMAGE_MAX_SIDE`` (1540 px, what Magistral Small 1.2's vision
encoder takes in) keeps a 20 MB phone photo to a few hundred kilobytes.
"""

from __future__ import annotations

import base64
import io
import math
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Union, cast

from PIL import Image, ImageOps, UnidentifiedImageError

from ..i18n import Message
from .input_errors import InputError

if TYPE_CHECKING:
    from ..settings import Settings

ImageSource = Union[str, os.PathLike, bytes, bytearray, Image.Image, "PreparedImage"]

# Formats a phone, scanner or screenshot tool produces (the JPEG opener also takes MPO, some phones' JPEGs).
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF")
JPEG_QUALITY = 90
# Magistral Small 1.2 (Mistral Small 3.1's vision encoder): 14 px patches merged 2×2,
# so one token per 28×28 px, plus one row-break token per row.
PIXELS_PER_TOKEN_SIDE = 28


@dataclass(frozen=True)
class PreparedImage:
    """An image ready to send: encoded bytes, their MIME type and the pixel size."""

    data: bytes
    mime: str  # image/jpeg or image/png
    width: int
    height: int
    original_width: int
    original_height: int

    @property
    def downscaled(self) -> bool:
        return (self.width, self.height) != (self.original_width, self.original_height)

    @property
    def base64(self) -> str:
        """Plain base64, as Ollama's ``images`` field takes it."""
        return base64.b64encode(self.data).decode("ascii")

    @property
    def data_url(self) -> str:
        """A ``data:`` URL, as an OpenAI-compatible ``image_url`` content part takes it."""
        return f"data:{self.mime};base64,{self.base64}"

    def __repr__(self) -> str:  # never dump the bytes into a log
        return f"PreparedImage({self.mime}, {self.width}x{self.height}, {len(self.data):,} bytes)"


def estimate_image_tokens(width: int, height: int) -> int:
    rows = math.ceil(height / PIXELS_PER_TOKEN_SIDE)
    cols = math.ceil(width / PIXELS_PER_TOKEN_SIDE)
    return rows * (cols + 1)


def prepare_image(source: ImageSource, *, max_mb: float = 20.0, max_side: int = 1540) -> PreparedImage:
    """Load an upload (a path, raw bytes, or a Pillow image as ``gr.Image(type="pil")``
    gives it) and return it ready to send, or raise :class:`InputError` saying why not."""
    if isinstance(source, PreparedImage):
        return source
    if isinstance(source, Image.Image):
        return _encode(source, max_side)
    max_bytes = int(max_mb * 1024 * 1024)
    if isinstance(source, (bytes, bytearray)):
        _check_size(len(source), max_bytes, max_mb)
        return _decode(io.BytesIO(source), Message("image_uploaded_file"), max_side)
    path = Path(source)
    try:
        size = path.stat().st_size
    except OSError:
        raise InputError(Message("image_cannot_open", name=path.name)) from None
    _check_size(size, max_bytes, max_mb)
    try:
        with path.open("rb") as file:
            return _decode(file, Message("image_file_named", name=path.name), max_side)
    except OSError:  # unreadable file; decoding errors are turned into InputError inside
        raise InputError(Message("image_cannot_open", name=path.name)) from None


def prepare_image_for(source: ImageSource, settings: Settings) -> PreparedImage:
    """:func:`prepare_image` with the limits from the settings."""
    return prepare_image(source, max_mb=settings.max_image_mb, max_side=settings.image_max_side)


def _check_size(size: int, max_bytes: int, max_mb: float) -> None:
    if size > max_bytes:
        raise InputError(Message("image_too_big", megabytes=size / 1024 / 1024, limit=max_mb))
    if size == 0:
        raise InputError(Message("image_empty"))


def _decode(file: IO[bytes], what: Message, max_side: int) -> PreparedImage:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=ACCEPTED_FORMATS)
            original = image.size
            image.seek(0)  # the first frame of an animation
            scale = min(1.0, max_side / max(original))
            if scale < 1.0:  # JPEG: decode at 1/2, 1/4 or 1/8 scale (never below the target): far faster
                image.draft(None, (math.ceil(original[0] * scale), math.ceil(original[1] * scale)))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputError(Message("image_too_many_pixels", what=what)) from None
    except UnidentifiedImageError:
        raise InputError(Message("image_not_an_image", what=what)) from None
    except (OSError, ValueError, EOFError, SyntaxError, ZeroDivisionError):  # truncated or corrupt data
        raise InputError(Message("image_damaged", what=what)) from None
    return _encode(image, max_side, original)


def _upright(image: Image.Image) -> Image.Image:
    """Phones store a rotated photo as-is plus an EXIF orientation tag; apply the tag,
    since re-encoding drops it."""
    try:
        return ImageOps.exif_transpose(image) or image
    except Exception:  # a malformed EXIF block: the pixels are still fine
        return image


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        # One channel: its (min, max), not a tuple per band.
        return cast(tuple[int, int], image.getchannel("A").getextrema())[0] < 255
    return image.mode == "P" and "transparency" in image.info


def _encode(image: Image.Image, max_side: int, original: tuple[int, int] | None = None) -> PreparedImage:
    """``original``: the size the file declares (a JPEG draft decodes smaller)."""
    original = original or image.size
    upright = _upright(image)
    if upright.size != image.size and upright.size[::-1] == image.size:  # turned by 90°
        original = original[::-1]
    image = upright
    transparent = _has_transparency(image)
    if transparent:
        image = image.convert("RGBA")
    elif image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    if max(image.size) > max_side:
        scale = max_side / max(image.size)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if transparent:
        image.save(out, format="PNG", optimize=True)
        mime = "image/png"
    else:
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
        mime = "image/jpeg"
    return PreparedImage(out.getvalue(), mime, image.width, image.height, *original)
