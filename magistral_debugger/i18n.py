"""The page's words in English, Portuguese, Spanish, Simplified Chinese and Vietnamese.

The seed material was written in four of these languages, and the model answers in
the language of the input; the page should too. ``TRANSLATIONS`` maps a locale code
to ``{message id: text}`` and fits ``gr.I18n(**TRANSLATIONS)`` as is (see
:func:`gradio_i18n`), which translates *static* text (labels, buttons, Markdown) in
the browser. Text the server computes while a run goes on (status, outcome, stats)
never passes through ``gr.I18n``: it is made with :func:`t`, :func:`outcome_text` and
:func:`stats_text` in the language :func:`pick_language` reads from the browser.

Ids with ``{placeholders}`` are for :func:`t` only (the browser has no values to fill
in); every language uses exactly the English placeholders. Messages from a model
server (errors, notices) stay in English: they quote the server's own words.

No Gradio import here: the tests and the CLI can use it without a web stack.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .state import RunState

DEFAULT_LANGUAGE = "en"
# Codes as Gradio's frontend knows them: "pt-BR" browsers fall back to "pt", and
# "zh-CN" is the code Gradio itself uses for Simplified Chinese.
LANGUAGES = {
    "en": "English",
    "pt": "Português",
    "es": "Español",
    "zh-CN": "简体中文",
    "vi": "Tiếng Việt",
}

EN = {
    # the page
    "app_title": "Magistral Debugger",
    "intro": "Paste a flawed argument or proof. Magistral reasons about it step by step and explains where it breaks.",
    "presenter_mode": "Presenter mode",
    "language": "Language",
    "proof_label": "Flawed argument or proof",
    "proof_placeholder": "Assume x = y. Then x² = xy, so x² − y² = xy − y² …   (Shift+Enter runs Debug)",
    "debug_button": "Debug",
    "stop_button": "Stop",
    "clear_button": "Clear",
    "examples_label": "Examples (✓ = a correct proof, as a control)",
    "status_label": "Status",
    "reasoning_label": "Reasoning",
    "reasoning_placeholder": "The model's reasoning streams here.",
    "answer_label": "Answer",
    "download_label": "Download",
    "download_markdown": "Download Markdown",
    "download_json": "Download JSON",
    # the backend panel
    "backend_panel": "Backend",
    "server_label": "Server",
    "backend_ollama": "Ollama",
    "backend_openai": "OpenAI-compatible (vLLM)",
    "backend_replay": "Replay a recorded run",
    "url_label": "URL",
    "model_label": "Model (empty: magistral on Ollama, the server's first model on vLLM)",
    "refresh_button": "↻ Refresh",
    "prompt_format_label": "Prompt format",
    "prompt_format_auto": "Detect from model name",
    "temperature_label": "Temperature",
    "top_p_label": "top_p",
    "max_tokens_label": "Max tokens",
    "replay_file_label": "Recording to replay",
    "replay_speed_label": "Replay speed",
    "replay_speed_instant": "Instant",
    "replay_label": "Replay of a run recorded on {date} with {model}",
    "recorded_to": "This run was recorded to {path}.",
    # health of the model server
    "health_checking": "Checking the server…",
    "health_ready": "Ready",
    "health_model_missing": "Model missing",
    "health_unreachable": "Unreachable",
    "health_ready_detail": "Ready: {model} at {url}",
    # status while a run goes on
    "status_idle": "Paste an argument or pick an example, then press **Debug**.",
    "status_waiting": "Waiting for {model}… {seconds} s",
    "status_waiting_model": "Waiting for the model… {seconds} s",
    "status_thinking": "Thinking…",
    "status_answering": "Answering…",
    "status_busy": "The app is busy with other people's runs: try again in a moment.",
    "status_queued": "Waiting for a free slot: {ahead} run(s) ahead of yours…",
    "status_invalid_setting": "Invalid setting ({fields}). Fix it in the Backend panel.",
    "reasoning_thinking": "Thinking… {seconds} s",
    "reasoning_thought": "Thought for {seconds} s",
    # how a run ended (as RunState.outcome says it in English)
    "outcome_finished": "Finished.",
    "outcome_stopped": "Stopped.",
    "outcome_stopped_by_you": "Stopped by you.",
    "outcome_out_of_tokens_thinking": (
        "Ran out of tokens while thinking (max tokens {max_tokens}): raise max tokens and try again."
    ),
    "outcome_answer_cut_off": "The answer was cut off at the token limit (max tokens {max_tokens}): raise max tokens.",
    "outcome_no_answer": (
        "The model {model} stopped thinking without giving an answer (its reasoning is kept). Try again."
    ),
    "outcome_empty_reply": "The model {model} sent an empty reply. Try again, or check the server.",
    "outcome_failed": "The run failed.",
    # the stats line
    "stats_first_token": "first token {seconds} s",
    "stats_thought": "thought {seconds} s",
    "stats_tokens": "{reasoning} reasoning + {answer} answer tokens",
    "stats_rate": "{rate} tokens/s",
    # The photo box, the follow-up box and the conversation thread.
    'photo_label': 'Photo of the proof (optional)',
    'question_label': 'Ask about this proof',
    'question_placeholder': "Why can't we cancel x − y?   (Shift+Enter asks)",
    'ask_button': 'Ask',
    'conversation_label': 'Conversation',
    'thread_proof': 'The proof',
    'thread_asked': 'You asked',
    'thread_photo': '(a photo)',
}

PT = {
    "app_title": "Magistral Debugger",
    "intro": "Cole um argumento ou uma demonstração com erro. O Magistral raciocina passo a passo e explica onde ele falha.",
    "presenter_mode": "Modo apresentação",
    "language": "Idioma",
    "proof_label": "Argumento ou demonstração com erro",
    "proof_placeholder": "Suponha x = y. Então x² = xy, logo x² − y² = xy − y² …   (Shift+Enter executa Depurar)",
    "debug_button": "Depurar",
    "stop_button": "Parar",
    "clear_button": "Limpar",
    "examples_label": "Exemplos (✓ = uma demonstração correta, como controle)",
    "status_label": "Estado",
    "reasoning_label": "Raciocínio",
    "reasoning_placeholder": "O raciocínio do modelo aparece aqui em tempo real.",
    "answer_label": "Resposta",
    "download_label": "Baixar",
    "download_markdown": "Baixar Markdown",
    "download_json": "Baixar JSON",
    "backend_panel": "Servidor do modelo",
    "server_label": "Servidor",
    "backend_ollama": "Ollama",
    "backend_openai": "Compatível com OpenAI (vLLM)",
    "backend_replay": "Reproduzir uma execução gravada",
    "url_label": "URL",
    "model_label": "Modelo (vazio: magistral no Ollama, o primeiro modelo do servidor no vLLM)",
    "refresh_button": "↻ Atualizar",
    "prompt_format_label": "Formato do prompt",
    "prompt_format_auto": "Detectar pelo nome do modelo",
    "temperature_label": "Temperatura",
    "top_p_label": "top_p",
    "max_tokens_label": "Máximo de tokens",
    "replay_file_label": "Gravação a reproduzir",
    "replay_speed_label": "Velocidade da reprodução",
    "replay_speed_instant": "Instantânea",
    "replay_label": "Reprodução de uma execução gravada em {date} com {model}",
    "recorded_to": "Esta execução foi gravada em {path}.",
    "health_checking": "Verificando o servidor…",
    "health_ready": "Pronto",
    "health_model_missing": "Modelo ausente",
    "health_unreachable": "Inacessível",
    "health_ready_detail": "Pronto: {model} em {url}",
    "status_idle": "Cole um argumento ou escolha um exemplo e pressione **Depurar**.",
    "status_waiting": "Aguardando {model}… {seconds} s",
    "status_waiting_model": "Aguardando o modelo… {seconds} s",
    "status_thinking": "Pensando…",
    "status_answering": "Respondendo…",
    "status_busy": "O aplicativo está ocupado com execuções de outras pessoas: tente de novo em instantes.",
    "status_queued": "Aguardando uma vaga: {ahead} execução(ões) à frente da sua…",
    "status_invalid_setting": "Configuração inválida ({fields}). Corrija-a no painel Servidor do modelo.",
    "reasoning_thinking": "Pensando… {seconds} s",
    "reasoning_thought": "Pensou por {seconds} s",
    "outcome_finished": "Concluído.",
    "outcome_stopped": "Interrompido.",
    "outcome_stopped_by_you": "Interrompido por você.",
    "outcome_out_of_tokens_thinking": (
        "Os tokens acabaram durante o raciocínio (máximo de tokens {max_tokens}): aumente o máximo de tokens "
        "e tente de novo."
    ),
    "outcome_answer_cut_off": (
        "A resposta foi cortada no limite de tokens (máximo de tokens {max_tokens}): aumente o máximo de tokens."
    ),
    "outcome_no_answer": (
        "O modelo {model} parou de raciocinar sem dar uma resposta (o raciocínio foi mantido). Tente de novo."
    ),
    "outcome_empty_reply": "O modelo {model} enviou uma resposta vazia. Tente de novo ou verifique o servidor.",
    "outcome_failed": "A execução falhou.",
    "stats_first_token": "primeiro token {seconds} s",
    "stats_thought": "pensou {seconds} s",
    "stats_tokens": "{reasoning} tokens de raciocínio + {answer} de resposta",
    "stats_rate": "{rate} tokens/s",
    # The photo box, the follow-up box and the conversation thread.
    'photo_label': 'Foto da demonstração (opcional)',
    'question_label': 'Pergunte sobre esta demonstração',
    'question_placeholder': 'Por que não podemos cancelar x − y?   (Shift+Enter pergunta)',
    'ask_button': 'Perguntar',
    'conversation_label': 'Conversa',
    'thread_proof': 'A demonstração',
    'thread_asked': 'Você perguntou',
    'thread_photo': '(uma foto)',
}

ES = {
    "app_title": "Magistral Debugger",
    "intro": "Pega un argumento o una demostración con un error. Magistral razona paso a paso y explica dónde falla.",
    "presenter_mode": "Modo presentación",
    "language": "Idioma",
    "proof_label": "Argumento o demostración con error",
    "proof_placeholder": "Supongamos x = y. Entonces x² = xy, así que x² − y² = xy − y² …   (Shift+Enter ejecuta Depurar)",
    "debug_button": "Depurar",
    "stop_button": "Detener",
    "clear_button": "Borrar",
    "examples_label": "Ejemplos (✓ = una demostración correcta, como control)",
    "status_label": "Estado",
    "reasoning_label": "Razonamiento",
    "reasoning_placeholder": "El razonamiento del modelo aparece aquí en directo.",
    "answer_label": "Respuesta",
    "download_label": "Descargar",
    "download_markdown": "Descargar Markdown",
    "download_json": "Descargar JSON",
    "backend_panel": "Servidor del modelo",
    "server_label": "Servidor",
    "backend_ollama": "Ollama",
    "backend_openai": "Compatible con OpenAI (vLLM)",
    "backend_replay": "Reproducir una ejecución grabada",
    "url_label": "URL",
    "model_label": "Modelo (vacío: magistral en Ollama, el primer modelo del servidor en vLLM)",
    "refresh_button": "↻ Actualizar",
    "prompt_format_label": "Formato del prompt",
    "prompt_format_auto": "Detectar por el nombre del modelo",
    "temperature_label": "Temperatura",
    "top_p_label": "top_p",
    "max_tokens_label": "Máximo de tokens",
    "replay_file_label": "Grabación que reproducir",
    "replay_speed_label": "Velocidad de reproducción",
    "replay_speed_instant": "Instantánea",
    "replay_label": "Reproducción de una ejecución grabada el {date} con {model}",
    "recorded_to": "Esta ejecución se grabó en {path}.",
    "health_checking": "Comprobando el servidor…",
    "health_ready": "Listo",
    "health_model_missing": "Falta el modelo",
    "health_unreachable": "Inaccesible",
    "health_ready_detail": "Listo: {model} en {url}",
    "status_idle": "Pega un argumento o elige un ejemplo y pulsa **Depurar**.",
    "status_waiting": "Esperando a {model}… {seconds} s",
    "status_waiting_model": "Esperando al modelo… {seconds} s",
    "status_thinking": "Pensando…",
    "status_answering": "Respondiendo…",
    "status_busy": "La aplicación está ocupada con ejecuciones de otras personas: inténtalo de nuevo en un momento.",
    "status_queued": "Esperando un turno libre: {ahead} ejecución(es) por delante de la tuya…",
    "status_invalid_setting": "Ajuste no válido ({fields}). Corrígelo en el panel Servidor del modelo.",
    "reasoning_thinking": "Pensando… {seconds} s",
    "reasoning_thought": "Pensó durante {seconds} s",
    "outcome_finished": "Terminado.",
    "outcome_stopped": "Detenido.",
    "outcome_stopped_by_you": "Detenido por ti.",
    "outcome_out_of_tokens_thinking": (
        "Se agotaron los tokens mientras pensaba (máximo de tokens {max_tokens}): aumenta el máximo de tokens "
        "y vuelve a intentarlo."
    ),
    "outcome_answer_cut_off": (
        "La respuesta se cortó en el límite de tokens (máximo de tokens {max_tokens}): aumenta el máximo de tokens."
    ),
    "outcome_no_answer": (
        "El modelo {model} dejó de pensar sin dar una respuesta (se conserva su razonamiento). Vuelve a intentarlo."
    ),
    "outcome_empty_reply": "El modelo {model} envió una respuesta vacía. Vuelve a intentarlo o revisa el servidor.",
    "outcome_failed": "La ejecución falló.",
    "stats_first_token": "primer token {seconds} s",
    "stats_thought": "pensó {seconds} s",
    "stats_tokens": "{reasoning} tokens de razonamiento + {answer} de respuesta",
    "stats_rate": "{rate} tokens/s",
    # The photo box, the follow-up box and the conversation thread.
    'photo_label': 'Foto de la demostración (opcional)',
    'question_label': 'Pregunta sobre esta demostración',
    'question_placeholder': '¿Por qué no podemos cancelar x − y?   (Shift+Enter pregunta)',
    'ask_button': 'Preguntar',
    'conversation_label': 'Conversación',
    'thread_proof': 'La demostración',
    'thread_asked': 'Preguntaste',
    'thread_photo': '(una foto)',
}

ZH_CN = {
    "app_title": "Magistral 调试器",
    "intro": "粘贴一段有错误的论证或证明。Magistral 会逐步推理，并指出它错在哪里。",
    "presenter_mode": "演示模式",
    "language": "语言",
    "proof_label": "有错误的论证或证明",
    "proof_placeholder": "设 x = y。则 x² = xy，所以 x² − y² = xy − y² …   （Shift+Enter 开始调试）",
    "debug_button": "调试",
    "stop_button": "停止",
    "clear_button": "清空",
    "examples_label": "示例（✓ = 正确的证明，作为对照）",
    "status_label": "状态",
    "reasoning_label": "推理过程",
    "reasoning_placeholder": "模型的推理过程会实时显示在这里。",
    "answer_label": "回答",
    "download_label": "下载",
    "download_markdown": "下载 Markdown",
    "download_json": "下载 JSON",
    "backend_panel": "模型服务器",
    "server_label": "服务器",
    "backend_ollama": "Ollama",
    "backend_openai": "OpenAI 兼容（vLLM）",
    "backend_replay": "回放已录制的运行",
    "url_label": "URL",
    "model_label": "模型（留空：Ollama 上为 magistral，vLLM 上为服务器列出的第一个模型）",
    "refresh_button": "↻ 刷新",
    "prompt_format_label": "提示词格式",
    "prompt_format_auto": "根据模型名称检测",
    "temperature_label": "温度",
    "top_p_label": "top_p",
    "max_tokens_label": "最大 token 数",
    "replay_file_label": "要回放的录制文件",
    "replay_speed_label": "回放速度",
    "replay_speed_instant": "即时",
    "replay_label": "回放：{date} 使用 {model} 录制的一次运行",
    "recorded_to": "本次运行已录制到 {path}。",
    "health_checking": "正在检查服务器…",
    "health_ready": "就绪",
    "health_model_missing": "缺少模型",
    "health_unreachable": "无法连接",
    "health_ready_detail": "就绪：{model}，位于 {url}",
    "status_idle": "粘贴一段论证或选择一个示例，然后点击 **调试**。",
    "status_waiting": "正在等待 {model}… {seconds} 秒",
    "status_waiting_model": "正在等待模型… {seconds} 秒",
    "status_thinking": "思考中…",
    "status_answering": "回答中…",
    "status_busy": "应用正忙于处理其他人的运行，请稍后再试。",
    "status_queued": "正在等待空闲名额：前面还有 {ahead} 个运行…",
    "status_invalid_setting": "设置无效（{fields}）。请在“模型服务器”面板中修改。",
    "reasoning_thinking": "思考中… {seconds} 秒",
    "reasoning_thought": "思考了 {seconds} 秒",
    "outcome_finished": "已完成。",
    "outcome_stopped": "已停止。",
    "outcome_stopped_by_you": "已由你停止。",
    "outcome_out_of_tokens_thinking": "思考过程中 token 已用尽（最大 token 数 {max_tokens}）：请调高最大 token 数后重试。",
    "outcome_answer_cut_off": "回答在 token 上限处被截断（最大 token 数 {max_tokens}）：请调高最大 token 数。",
    "outcome_no_answer": "模型 {model} 结束了思考，但没有给出回答（推理过程已保留）。请重试。",
    "outcome_empty_reply": "模型 {model} 返回了空回复。请重试，或检查服务器。",
    "outcome_failed": "运行失败。",
    "stats_first_token": "首个 token {seconds} 秒",
    "stats_thought": "思考 {seconds} 秒",
    "stats_tokens": "推理 {reasoning} + 回答 {answer} 个 token",
    "stats_rate": "每秒 {rate} 个 token",
    # The photo box, the follow-up box and the conversation thread.
    'photo_label': '证明的照片（可选）',
    'question_label': '就这个证明提问',
    'question_placeholder': '为什么不能约去 x − y？   （Shift+Enter 提问）',
    'ask_button': '提问',
    'conversation_label': '对话',
    'thread_proof': '证明',
    'thread_asked': '你的提问',
    'thread_photo': '（一张照片）',
}

VI = {
    "app_title": "Trình gỡ lỗi Magistral",
    "intro": "Dán một lập luận hoặc chứng minh có lỗi. Magistral suy luận từng bước và giải thích chỗ sai.",
    "presenter_mode": "Chế độ trình chiếu",
    "language": "Ngôn ngữ",
    "proof_label": "Lập luận hoặc chứng minh có lỗi",
    "proof_placeholder": "Giả sử x = y. Khi đó x² = xy, nên x² − y² = xy − y² …   (Shift+Enter để chạy Gỡ lỗi)",
    "debug_button": "Gỡ lỗi",
    "stop_button": "Dừng",
    "clear_button": "Xóa",
    "examples_label": "Ví dụ (✓ = một chứng minh đúng, dùng để đối chứng)",
    "status_label": "Trạng thái",
    "reasoning_label": "Suy luận",
    "reasoning_placeholder": "Phần suy luận của mô hình hiện ra trực tiếp tại đây.",
    "answer_label": "Câu trả lời",
    "download_label": "Tải xuống",
    "download_markdown": "Tải xuống Markdown",
    "download_json": "Tải xuống JSON",
    "backend_panel": "Máy chủ mô hình",
    "server_label": "Máy chủ",
    "backend_ollama": "Ollama",
    "backend_openai": "Tương thích OpenAI (vLLM)",
    "backend_replay": "Phát lại một lần chạy đã ghi",
    "url_label": "URL",
    "model_label": "Mô hình (để trống: magistral trên Ollama, mô hình đầu tiên của máy chủ trên vLLM)",
    "refresh_button": "↻ Làm mới",
    "prompt_format_label": "Định dạng prompt",
    "prompt_format_auto": "Nhận diện theo tên mô hình",
    "temperature_label": "Nhiệt độ",
    "top_p_label": "top_p",
    "max_tokens_label": "Số token tối đa",
    "replay_file_label": "Bản ghi cần phát lại",
    "replay_speed_label": "Tốc độ phát lại",
    "replay_speed_instant": "Tức thì",
    "replay_label": "Phát lại một lần chạy được ghi lúc {date} với {model}",
    "recorded_to": "Lần chạy này đã được ghi vào {path}.",
    "health_checking": "Đang kiểm tra máy chủ…",
    "health_ready": "Sẵn sàng",
    "health_model_missing": "Thiếu mô hình",
    "health_unreachable": "Không kết nối được",
    "health_ready_detail": "Sẵn sàng: {model} tại {url}",
    "status_idle": "Dán một lập luận hoặc chọn một ví dụ, rồi nhấn **Gỡ lỗi**.",
    "status_waiting": "Đang chờ {model}… {seconds} giây",
    "status_waiting_model": "Đang chờ mô hình… {seconds} giây",
    "status_thinking": "Đang suy nghĩ…",
    "status_answering": "Đang trả lời…",
    "status_busy": "Ứng dụng đang bận với các lần chạy của người khác: vui lòng thử lại sau giây lát.",
    "status_queued": "Đang chờ lượt trống: còn {ahead} lần chạy trước bạn…",
    "status_invalid_setting": "Cài đặt không hợp lệ ({fields}). Hãy sửa trong bảng Máy chủ mô hình.",
    "reasoning_thinking": "Đang suy nghĩ… {seconds} giây",
    "reasoning_thought": "Đã suy nghĩ {seconds} giây",
    "outcome_finished": "Đã xong.",
    "outcome_stopped": "Đã dừng.",
    "outcome_stopped_by_you": "Bạn đã dừng lần chạy.",
    "outcome_out_of_tokens_thinking": (
        "Hết token khi đang suy nghĩ (số token tối đa {max_tokens}): hãy tăng số token tối đa rồi thử lại."
    ),
    "outcome_answer_cut_off": "Câu trả lời bị cắt ở giới hạn token (số token tối đa {max_tokens}): hãy tăng số token tối đa.",
    "outcome_no_answer": (
        "Mô hình {model} đã ngừng suy nghĩ mà không đưa ra câu trả lời (phần suy luận vẫn được giữ). Hãy thử lại."
    ),
    "outcome_empty_reply": "Mô hình {model} trả về một câu trả lời trống. Hãy thử lại hoặc kiểm tra máy chủ.",
    "outcome_failed": "Lần chạy thất bại.",
    "stats_first_token": "token đầu tiên {seconds} giây",
    "stats_thought": "suy nghĩ {seconds} giây",
    "stats_tokens": "{reasoning} token suy luận + {answer} token trả lời",
    "stats_rate": "{rate} token/giây",
    # The photo box, the follow-up box and the conversation thread.
    'photo_label': 'Ảnh chụp chứng minh (không bắt buộc)',
    'question_label': 'Hỏi về chứng minh này',
    'question_placeholder': 'Vì sao không thể giản ước x − y?   (Shift+Enter để hỏi)',
    'ask_button': 'Hỏi',
    'conversation_label': 'Cuộc trò chuyện',
    'thread_proof': 'Chứng minh',
    'thread_asked': 'Bạn đã hỏi',
    'thread_photo': '(một ảnh chụp)',
}

TRANSLATIONS: dict[str, dict[str, str]] = {"en": EN, "pt": PT, "es": ES, "zh-CN": ZH_CN, "vi": VI}


def normalize_language(code: str | None) -> str:
    """One of our five codes for any browser language tag: ``pt-BR`` → ``pt``, ``zh-Hans-CN``
    and ``zh-TW`` → ``zh-CN`` (Simplified is the Chinese we have), anything else → ``en``."""
    tag = (code or "").strip().replace("_", "-").lower()
    primary = tag.split("-", 1)[0]
    if primary == "zh":
        return "zh-CN"
    return primary if primary in TRANSLATIONS else DEFAULT_LANGUAGE


def pick_language(accept_language: str | None) -> str:
    """The best of our languages for an ``Accept-Language`` header (``"vi-VN,vi;q=0.9,en;q=0.8"``)."""
    choices: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, params = item.strip().partition(";")
        if not tag or tag == "*":
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            choices.append((-quality, position, tag))
    for _, _, tag in sorted(choices):
        primary = tag.strip().replace("_", "-").lower().split("-", 1)[0]
        if primary == "zh" or primary in TRANSLATIONS:
            return normalize_language(tag)
    return DEFAULT_LANGUAGE


def t(key: str, lang: str | None = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The message ``key`` in ``lang`` (English where missing), with ``values`` filled in."""
    table = TRANSLATIONS.get(lang or "", None) or TRANSLATIONS[normalize_language(lang)]
    text = table.get(key) or EN[key]
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a message expects."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def outcome_text(state: RunState, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """``RunState.outcome()`` in ``lang``; an error's own message stays as the server or app said it."""
    reason = state.finish_reason
    if reason is None:
        return ""
    if reason == "error":
        return state.error or t("outcome_failed", lang)
    if reason == "cancelled":
        return t("outcome_stopped_by_you", lang)
    if reason == "length":
        key = "outcome_answer_cut_off" if state.answer else "outcome_out_of_tokens_thinking"
        return t(key, lang, max_tokens=state.max_tokens)
    if not state.answer:
        key = "outcome_no_answer" if state.reasoning else "outcome_empty_reply"
        return t(key, lang, model=repr(state.model))
    return t("outcome_finished", lang)


def stats_text(state: RunState, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """``RunState.stats_line()`` in ``lang``."""
    parts = []
    ttft = state.time_to_first_token()
    if ttft is not None:
        parts.append(t("stats_first_token", lang, seconds=f"{ttft:.1f}"))
    thinking = state.thinking_seconds()
    if thinking is not None:
        parts.append(t("stats_thought", lang, seconds=f"{thinking:.0f}"))
    parts.append(t("stats_tokens", lang, reasoning=state.reasoning_tokens(), answer=state.answer_tokens()))
    rate = state.tokens_per_second()
    if rate is not None:
        parts.append(t("stats_rate", lang, rate=f"{rate:.1f}"))
    return " · ".join(parts)


def gradio_i18n() -> Any:
    """``gr.I18n`` with every language, for ``Blocks.launch(i18n=…)`` and ``i18n("debug_button")`` labels."""
    import gradio as gr

    return gr.I18n(**TRANSLATIONS)
