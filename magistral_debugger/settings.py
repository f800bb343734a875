"""All configuration in one place, so the UI, the CLI and the tests agree on defaults.

Precedence is argument > environment (prefix ``MAGISTRAL_``) > ``.env`` > default,
which is what pydantic-settings gives when callers pass overrides as keyword arguments.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

BackendName = Literal["ollama", "openai"]
ModelVersion = Literal["auto", "2506", "2507", "2509"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="MAGISTRAL_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    backend: BackendName = "ollama"
    ollama_url: str = "http://localhost:11434"
    openai_base_url: str = "http://localhost:8000/v1"
    # A secret: SecretStr keeps it out of repr(), logs and tracebacks.
    openai_api_key: SecretStr = SecretStr("EMPTY")
    # Empty means: "magistral" on Ollama, the first model /v1/models lists on OpenAI-compatible servers.
    model: str = ""
    model_version: ModelVersion = "auto"

    temperature: float = Field(0.7, ge=0.0, le=2.0)
    top_p: float = Field(0.95, gt=0.0, le=1.0)
    # The cards recommend 40960 (131072 for 2509); the server may lower it to fit its context.
    max_tokens: int = Field(40960, ge=1)

    connect_timeout: float = Field(5.0, gt=0)
    # Ollama loads a 14 GB model on the first request; that can take minutes on a laptop.
    first_token_timeout: float = Field(600.0, gt=0)
    # Once tokens flow, a longer silence than this means the server is stuck.
    read_timeout: float = Field(120.0, gt=0)
    max_input_chars: int = Field(20000, ge=1)

    host: str = "127.0.0.1"
    port: int = Field(7860, ge=1, le=65535)
    share: bool = False
    # "user:pass[,user2:pass2]" protects the UI and the API.
    auth: SecretStr | None = None
    concurrency_limit: int = Field(16, ge=1)
    queue_max_size: int = Field(64, ge=1)

    @field_validator("ollama_url", "openai_base_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.rstrip("/")

    @property
    def server_url(self) -> str:
        """The URL of the selected backend, for messages and the UI."""
        return self.ollama_url if self.backend == "ollama" else self.openai_base_url

    def auth_pairs(self) -> list[tuple[str, str]]:
        text = self.auth.get_secret_value().strip() if self.auth is not None else ""
        pairs = []
        for item in filter(None, text.split(",")):
            user, sep, password = item.strip().partition(":")
            if not sep or not user:
                raise ValueError("MAGISTRAL_AUTH must look like user:pass[,user2:pass2]")
            pairs.append((user, password))
        return pairs
