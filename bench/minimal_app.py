"""Cold-start baseline: the smallest Gradio app (one textbox, one button, a queue), served like ours.

``python -m bench.minimal_app PORT``
"""

import os
import sys

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402


def echo(text: str) -> str:
    return text


if __name__ == "__main__":
    with gr.Blocks() as demo:
        box = gr.Textbox()
        out = gr.Textbox()
        gr.Button("Go").click(echo, box, out)
    demo.queue().launch(server_name="127.0.0.1", server_port=int(sys.argv[1]), ssr_mode=False, quiet=True)
