"""The Hugging Face Space's entry: the debugger in public mode on Mistral's API, spending the
owner's key (the Space secret MISTRAL_API_KEY) within the budgets of MAGISTRAL_PUBLIC=true.

Public mode is not optional here: a Space is open to anyone. Every other setting is a
``MAGISTRAL_*`` variable of the Space (Settings → Variables and secrets), as anywhere else.
"""

import os

os.environ["MAGISTRAL_PUBLIC"] = "true"
os.environ.setdefault("MAGISTRAL_BACKEND", "mistral")
# A Space reaches the app through its proxy on port 7860 of the container.
os.environ.setdefault("MAGISTRAL_HOST", "0.0.0.0")
os.environ.setdefault("MAGISTRAL_PORT", os.environ.get("GRADIO_SERVER_PORT", "7860"))

from magistral_debugger.ui import launch  # noqa: E402  (after the settings above)

if __name__ == "__main__":
    launch()
