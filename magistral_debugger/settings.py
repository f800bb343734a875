"""All configuration in one place, so the UI, the CLI and the tests agree on defaults.

Precedence is argument > environment (prefix ``MAGISTRAL_``) > ``.env`` > default,
which is what pydantic-settings gives when callers pass overrides as keyword arguments.
"""

from __future__ import annotations

from typing import Annotated, Literal, NamedTuple

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class BackendEntry(NamedTuple):
    """Where a kind of server's backend class lives (``module:Class``, imported when first
    used), and which setting holds its server URL ("" for none)."""

    path: str
    url_setting: str = ""


# The registry of backends, by the name MAGISTRAL_BACKEND takes: a new kind of server is one
# file in backends/ and one line here.
BACKENDS: dict[str, BackendEntry] = {
    "ollama": BackendEntry("magistral_debugger.backends.ollama:OllamaBackend", "ollama_url"),
    "openai": BackendEntry("magistral_debugger.backends.openai_compat:OpenAICompatBackend", "openai_base_url"),
    # Mistral's hosted API (Magistral Medium/Small, Small 4, Medium 3.5 with reasoning_effort).
    "mistral": BackendEntry("magistral_debugger.backends.mistral:MistralBackend", "mistral_base_url"),
    # A run recorded earlier (MAGISTRAL_RECORD_DIR), played back from MAGISTRAL_REPLAY_FILE.
    "replay": BackendEntry("magistral_debugger.backends.replay:ReplayBackend", "replay_file"),
}
ModelVersion = Literal["auto", "2506", "2507", "2509"]
# auto: decided per model (by what the server says, or what the model's makers say).
Switch = Literal["auto", "true", "false"]
# auto: the model's default where it takes an effort ("high" where it takes that), nothing otherwise.
ReasoningEffort = Literal["auto", "none", "low", "medium", "high"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MAGISTRAL_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # A name in the registry, BACKENDS.
    backend: str = "ollama"
    ollama_url: str = "http://localhost:11434"
    openai_base_url: str = "http://localhost:8000/v1"
    # A secret: SecretStr keeps it out of repr(), logs and tracebacks.
    openai_api_key: SecretStr = SecretStr("EMPTY")
    mistral_base_url: str = "https://api.mistral.ai/v1"
    # Also read from MISTRAL_API_KEY, the name Mistral's own tools use; a secret like the one above.
    mistral_api_key: SecretStr = Field(
        SecretStr(""), validation_alias=AliasChoices("magistral_mistral_api_key", "mistral_api_key")
    )
    # Empty means: "magistral" on Ollama, the first model /v1/models lists on OpenAI-compatible servers,
    # mistral-small-latest on Mistral's API.
    model: str = ""
    model_version: ModelVersion = "auto"

    temperature: float = Field(0.7, ge=0.0, le=2.0)
    top_p: float = Field(0.95, gt=0.0, le=1.0)
    # The cards recommend 40960 (131072 for 2509); the server may lower it to fit its context.
    max_tokens: int = Field(40960, ge=1)
    # Sent only where the model takes that level (Small 4 and Medium 3.5: none or high; Large 4: low,
    # medium or high; Ollama: what /api/show lists); a level it does not take is refused before any request.
    reasoning_effort: ReasoningEffort = "auto"

    connect_timeout: float = Field(5.0, gt=0)
    # Ollama loads a 14 GB model on the first request; that can take minutes on a laptop.
    first_token_timeout: float = Field(600.0, gt=0)
    # Once tokens flow, a longer silence than this means the server is stuck.
    read_timeout: float = Field(120.0, gt=0)
    max_input_chars: int = Field(20000, ge=1)
    # Seconds of thinking after which the model is made to answer from its reasoning so far
    # ("Answer now" by itself). Seconds rather than tokens: a room waits in seconds, and the app
    # measures time the same way on every server, where token counts are each server's own.
    # 0 (or empty) sets no budget.
    thinking_budget: float = Field(0.0, ge=0)

    # Photos of a proof. auto: Ollama's /api/show lists "vision"; on OpenAI-compatible
    # servers only a 2509 model name (Magistral Small 1.2 has the vision encoder).
    vision: Switch = "auto"
    max_image_mb: float = Field(20.0, gt=0)
    # 1540 px is the longest side Magistral Small 1.2's vision encoder takes in.
    image_max_side: int = Field(1540, ge=64, le=8192)

    # Follow-up questions: whether earlier reasoning goes with the history. auto: as the model's
    # makers say (kept for Ministral 3 Reasoning and on Mistral's API, left out for Magistral).
    keep_reasoning_in_history: Switch = "auto"
    # The model's context window where the server does not report one (Ollama, llama.cpp).
    context_tokens: int = Field(40960, ge=1024)

    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    share: bool = False
    # The path a reverse proxy serves the app under ("/debugger", or a full URL), with the
    # proxy stripping it before forwarding (deploy/haproxy.cfg); empty: served at the root.
    root_path: str = ""
    # "user:pass[,user2:pass2]" protects the UI and the API.
    auth: SecretStr | None = None
    concurrency_limit: int = Field(16, ge=1)
    queue_max_size: int = Field(64, ge=1)

    # Seconds between two updates of a live run on the page; "adaptive": 80 ms while few
    # people stream, up to 200 ms for a class of 128 in one process (pacing.py).
    update_interval: Annotated[float, Field(gt=0)] | Literal["adaptive"] = "adaptive"

    # A folder: each run is saved there as one JSON Lines file (empty: no recording).
    record_dir: str = ""
    # The recording the "replay" backend plays, and how fast: a factor (1, 2, 4…) or "instant".
    replay_file: str = ""
    replay_speed: Annotated[float, Field(gt=0)] | Literal["instant"] = 1.0
    # Talk mode: a folder `magistral-debugger rehearse` wrote. The page marks the examples it got
    # right or wrong, and replays an example's recording when the model server is not reachable.
    rehearsal_dir: str = ""
    # A folder of one's own example files (``rehearse --keep`` writes them), listed after the app's.
    examples_dir: str = ""
    # Serve the debugger to assistants as one MCP tool, debug_proof, through Gradio's MCP server
    # (/gradio_api/mcp/ and /gradio_api/mcp/sse); needs the `mcp` package (pip install '.[mcp]').
    mcp: bool = False

    # Seconds the app may wait to ask a busy server (HTTP 429, 502, 503, 504, before any token)
    # once more; a longer Retry-After, or a second refusal, is told at once. 0: no second try.
    busy_retry_s: float = Field(0.0, ge=0)

    # Public mode: strangers on the owner's key (a Hugging Face Space). The Backend panel is
    # locked, every visitor has budgets, and some settings above get safer defaults where they
    # are not set (ui/public/lockdown.py: PUBLIC_DEFAULTS). A visitor is a browser session and
    # the client's address; each budget holds for both, and the whole app has its own.
    public: bool = False
    public_runs_per_hour: int = Field(10, ge=1)
    public_tokens_per_day: int = Field(120_000, ge=1)
    public_global_tokens_per_day: int = Field(3_000_000, ge=1)
    # Runs of one visitor at the same time: one stuck run never takes more than its share.
    public_runs_at_once: int = Field(1, ge=1)
    # The proxies in front of the app that append to X-Forwarded-For (1 on a Hugging Face Space);
    # the client's address is the entry the outermost of them appended. 0: the peer's address.
    public_proxy_hops: int = Field(1, ge=0)

    # The class's room (students' votes, their proofs in the teacher's queue): one SQLite file that
    # every app process on this machine shares; a relative path is from where the app starts.
    room_db: str = "magistral-rooms.sqlite3"
    # The address phones use to reach the app (a proxy's, "https://class.example.org/debugger");
    # empty: the share link when sharing is on, else this machine's address on its network.
    public_url: str = ""

    @field_validator("vision", "keep_reasoning_in_history", mode="before")
    @classmethod
    def _auto_or_bool(cls, value: object) -> object:
        if isinstance(value, bool):
            return "true" if value else "false"
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("reasoning_effort", mode="before")
    @classmethod
    def _effort_word(cls, value: object) -> object:
        return (value.strip().lower() or "auto") if isinstance(value, str) else value

    @field_validator("thinking_budget", mode="before")
    @classmethod
    def _empty_budget_is_none(cls, value: object) -> object:
        return 0.0 if isinstance(value, str) and not value.strip() else value

    @field_validator("backend", mode="before")
    @classmethod
    def _backend_name(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("backend")
    @classmethod
    def _backend_known(cls, name: str) -> str:
        if name not in BACKENDS:
            raise ValueError(f"Input should be one of: {', '.join(BACKENDS)}")
        return name

    @field_validator("root_path")
    @classmethod
    def _one_leading_slash(cls, path: str) -> str:
        path = path.strip().rstrip("/")
        return path if not path or path.startswith(("/", "http://", "https://")) else "/" + path

    @field_validator("ollama_url", "openai_base_url", "mistral_base_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @property
    def server_url(self) -> str:
        """The URL of the selected backend, for messages and the UI."""
        return self.url_of(self.backend)

    def with_server_url(self, url: str) -> Settings:
        """These settings with ``url`` as the chosen backend's server URL."""
        field = BACKENDS[self.backend].url_setting
        return Settings.model_validate(self.model_dump() | {field: url}) if field and url else self

    def url_of(self, backend: str) -> str:
        """The server URL these settings give ``backend`` (a registry name)."""
        entry = BACKENDS.get(backend)
        return getattr(self, entry.url_setting) if entry and entry.url_setting else ""

    def keeps_reasoning(self, makers_say: bool) -> bool:
        """Whether follow-ups carry earlier reasoning: the setting, or on auto what the model's makers say."""
        if self.keep_reasoning_in_history == "auto":
            return makers_say
        return self.keep_reasoning_in_history == "true"

    @property
    def fixed_update_interval(self) -> float | None:
        """The update interval, or None where it adapts to the load."""
        return None if self.update_interval == "adaptive" else float(self.update_interval)

    @property
    def replay_pace(self) -> float | None:
        """The replay speed factor; None plays the recording instantly."""
        return None if self.replay_speed == "instant" else float(self.replay_speed)

    def auth_pairs(self) -> list[tuple[str, str]]:
        text = self.auth.get_secret_value().strip() if self.auth is not None else ""
        pairs = []
        for item in filter(None, text.split(",")):
            user, sep, password = item.strip().partition(":")
            if not sep or not user:
                raise ValueError("MAGISTRAL_AUTH must look like user:pass[,user2:pass2]")
            pairs.append((user, password))
        return pairs
