"""The page's words in English."""

PAGE = {
    # the page
    "app_title": "Magistral Debugger",
    "intro": "Paste a flawed argument or proof. Magistral reasons about it step by step and explains where it breaks.",
    "presenter_mode": "Presenter mode",
    "language": "Language",
    "proof_label": "Flawed argument or proof",
    "proof_placeholder": "Assume x = y. Then x² = xy, so x² − y² = xy − y² …   (Shift+Enter runs Debug)",
    "debug_button": "Debug",
    "stop_button": "Stop",
    "answer_now_button": "Answer now",
    "guess_first_mode": "Guess first",
    "reveal_reasoning_button": "Show reasoning (T)",
    "reveal_button": "Reveal (R)",
    "covered_working": "Working… the room guesses first",
    "covered_ready": "The answer is ready: press Reveal (R)",
    "covered_reasoning": "Hidden until Show reasoning (T) or Reveal (R): guess first.",
    "covered_answer": "🙈 Hidden until Reveal (R). Where does the proof break?",
    "thinking_budget_label": "Thinking budget (seconds, 0 = none)",
    "effort_label": "Reasoning effort",
    "effort_auto": "auto ({effort})",
    "effort_auto_fixed": "auto (this model takes no effort)",
    "status_effort": "reasoning effort {effort}",
    "keys_title": "Keyboard shortcuts",
    "keys_run": "Run Debug (in the proof box)",
    "keys_stop": "Stop",
    "keys_answer_now": "Answer now",
    "keys_reveal_reasoning": "Show the reasoning (the answer stays hidden)",
    "keys_reveal": "Reveal the answer and the reasoning",
    "keys_fullscreen": "Full screen on or off",
    "keys_help": "Show this list",
    "keys_close": "Close",
    "clear_button": "Clear",
    "examples_label": "Examples (✓ = a correct proof, as a control)",
    "topic_algebra": "Algebra",
    "topic_geometry": "Geometry",
    "topic_analysis": "Calculus and limits",
    "topic_number_theory": "Number theory",
    "topic_induction": "Induction",
    "topic_logic": "Logic",
    "topic_probability": "Probability and statistics",
    "topic_competition": "Competition problems (benchmarks)",
    "skip_to_answer": "Skip to the answer",
    "health_checking": "Checking the model server…",
    "examples_search": "Type to search by topic, language or title",
    "notes_label": "Notes",
    "status_label": "Status",
    "reasoning_label": "Reasoning",
    "reasoning_latest": "↓ latest",
    "reasoning_raw": "raw",
    "answer_label": "Answer",
    "download_markdown": "Download Markdown",
    "download_json": "Download JSON",
    # the backend panel
    "backend_panel": "Backend",
    "server_label": "Server",
    "backend_ollama": "Ollama",
    "backend_openai": "OpenAI-compatible (vLLM)",
    "backend_mistral": "Mistral's API (hosted)",
    "backend_replay": "Replay a recorded run",
    "url_label": "URL",
    "model_label": "Model (empty: magistral on Ollama, the server's first model on vLLM)",
    "refresh_button": "↻ Refresh",
    "prompt_format_label": "Prompt format",
    "prompt_format_auto": "Detect from model name",
    "temperature_label": "Temperature",
    "top_p_label": "top_p",
    "max_tokens_label": "Max tokens",
    "replay_label": "Replay of a run recorded on {date} with {model}",
    # talk mode: a rehearsal's replay, and its marks on the examples
    "rehearsal_replay": "Replay of the rehearsal from {date} ({model}): the model server cannot be reached",
    "rehearsal_mark_right": "✅ rehearsal: right",
    "rehearsal_mark_wrong": "❌ rehearsal: wrong",
    "rehearsal_mark_not_run": "➖ not rehearsed",
    # health of the model server
    "health_ready_detail": "Ready: {model} at {url}",
    # status while a run goes on
    "status_idle": "Paste an argument or pick an example, then press **Debug**.",
    "status_waiting": "Waiting for {model}… {duration}",
    "status_waiting_model": "Waiting for the model… {duration}",
    "status_thinking": "Thinking…",
    "status_answering": "Answering…",
    "status_busy": "The app is busy with other people's runs: try again in a moment.",
    "status_queued": "Waiting for a free slot: {ahead} run(s) ahead of yours…",
    "status_invalid_setting": "Invalid setting ({fields}). Fix it in the Backend panel.",
    "reasoning_thinking": "Thinking… {duration}",
    "reasoning_thought": "Thought for {duration} · {tokens} tokens",
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
    "stats_first_token": "first token {duration}",
    "stats_thought": "thought {duration}",
    "stats_tokens": "{reasoning} reasoning + {answer} answer tokens",
    "stats_rate": "{rate} tokens/s",
    # The photo box, the follow-up box and the conversation thread.
    "photo_label": "Photo of the proof (optional)",
    "question_label": "Ask about this proof",
    "question_placeholder": "Why can't we cancel x − y?   (Shift+Enter asks)",
    "ask_button": "Ask",
    "conversation_label": "Conversation",
    "thread_proof": "The proof",
    "thread_asked": "You asked",
    "thread_photo": "(a photo)",
    # the verdict on the numbered steps: kinds of flaw, the badge, each step's mark
    "kind_division_by_zero": "division by zero",
    "kind_invalid_cancellation": "invalid cancellation",
    "kind_square_root_sign": "square-root sign",
    "kind_circular_reasoning": "circular reasoning",
    "kind_unproven_assumption": "unproven assumption",
    "kind_hasty_generalization": "hasty generalization",
    "kind_induction_gap": "induction gap",
    "kind_affirming_the_consequent": "affirming the consequent",
    "kind_false_dilemma": "false dilemma",
    "kind_correlation_not_causation": "correlation is not causation",
    "kind_misuse_of_infinity": "misuse of infinity or divergent series",
    "kind_algebra_slip": "algebra or arithmetic slip",
    "kind_misused_definition": "misused definition",
    "kind_other": "other",
    "kind_other_named": "other: {words}",
    "verdict_flawed_step": "Step {step}: {kind}",
    "steps_label": "The proof, step by step",
    "verdict_no_flaw": "No flaw found",
    "verdict_missing": "the model gave no step verdict",
    "step_checked": "checked",
    "step_built_on_broken": "built on a broken step",
    # the Markdown download
    "export_title": "Magistral Debugger run — {date}",
    "export_not_finished": "Not finished.",
    "export_argument": "The argument",
    "export_steps": "Steps",
    "export_verdict": "Verdict",
    "export_answer": "The answer",
    "export_no_answer": "(no answer)",
    "export_reasoning": "Reasoning ({tokens} tokens)",
    "export_reasoning_timed": "Reasoning (thought for {duration}, {tokens} tokens)",
    "export_no_reasoning": "(no reasoning)",
    "export_notes": "Notes",
    "export_details": "Run details",
    "export_model": "Model",
    "export_backend": "Backend",
    "export_finish_reason": "Finish reason",
    "export_started": "Started",
    "export_first_token": "Time to first token",
    "export_thinking_time": "Thinking time",
    "export_total_time": "Total time",
    "export_tokens": "Tokens",
    "export_speed": "Speed",
    "export_prompt_tokens": "Prompt tokens",
    # Public mode (ui/public/): a visitor's run refused, and when to try again.
    "public_settings_fixed": "This public page keeps its owner's server settings: {fields} cannot be changed here. Nothing was sent.",
    "public_max_tokens_cap": "Max tokens on this public page is at most {cap:,}; {asked:,} was asked. Nothing was sent.",
    "public_runs_per_hour": "You have had your {limit} runs of this hour on this public page. Try again in {wait}.",
    "public_tokens_per_day": "You have used your share of this public page for today ({limit:,} tokens a day). Try again in {wait}.",
    "public_tokens_per_day_soon": "You have used your share of this public page for today ({limit:,} tokens a day), counting the run you have going. Try again once it has ended.",
    "public_global_tokens_per_day": "This public page has used what it may spend today ({limit:,} tokens for everyone). Try again in {wait}.",
    "public_global_tokens_per_day_soon": "This public page has nearly used what it may spend today ({limit:,} tokens for everyone): other people's runs hold the rest. Try again in a few minutes.",
    "public_runs_at_once": "Your other run is still going: {limit} at a time per person on this public page. Wait for it to end, or stop it.",
    # The class's room (ui/room/): the projector's card and bars, the phone's page.
    "room_open_button": "Open a room",
    "room_code": "Room {code}",
    "room_qr": "QR code of the join link",
    "room_join_at": "Join at",
    "room_joined": "{count} joined",
    "room_loopback_only": "Phones cannot reach this app: it listens on {host} only. Start it with MAGISTRAL_HOST=0.0.0.0, or set MAGISTRAL_PUBLIC_URL.",
    "room_teacher_link": "Your teacher's link",
    "room_teacher_link_note": "Keep this link to yourself: it holds the room's controls (open it on another device, or after a reload, to take them back).",
    "room_close_voting": "Close voting",
    "room_queue_label": "Proofs the class sent",
    "room_take_button": "Put it in the proof box",
    "room_anonymous": "anonymous",
    "room_not_teacher": "Only the teacher's link can do that.",
    "room_no_votes": "No votes yet",
    "room_votes_total": "{count} votes",
    "room_voting_open": "voting open",
    "room_voting_closed": "voting closed",
    "room_step": "step {step}",
    "room_no_flaw": "No flaw",
    "room_model": "the model",
    "room_class_model_same": "{percent} % chose {answer} — so did the model",
    "room_class_model_differ": "{percent} % chose {answer} — the model says {model}",
    "room_class_model_none": "{percent} % chose {answer} — the model named no step",
    "room_model_says": "The model says: {answer}",
    "room_model_no_step": "no step named",
    "room_phone_title": "Join the class",
    "room_phone_in_room": "Room {code}",
    "room_code_label": "Room code",
    "room_name_label": "Your name (leave it empty to stay anonymous)",
    "room_join_button": "Join",
    "room_unknown_code": "There is no room {code}. Check the code on the projector.",
    "room_waiting": "Waiting for the teacher to put a proof up…",
    "room_vote_prompt": "Where does the proof first break? Tap a step, or No flaw.",
    "room_your_vote": "Your vote: {answer}. You can change it until voting closes.",
    "room_closed_phone": "Voting is closed. Your vote: {answer}.",
    "room_closed_no_vote": "Voting is closed.",
    "room_vote_refused": "Voting has closed: that vote was not counted.",
    "room_send_label": "Send a proof to the teacher",
    "room_send_text": "Your proof",
    "room_send_button": "Send",
    "room_sent": "Sent: it is in the teacher's queue.",
    "room_send_empty": "There is nothing to send: type the proof or add a photo of it.",
    "room_send_too_long": "That is {length} characters; the limit is {limit}.",
    "room_send_too_often": "You sent {count} proofs in {minutes} minutes; wait a little before the next.",
    "room_send_photo": "Or a photo of it",
    "room_project_button": "Project this one",
    "room_project_nothing": "There is no proof in this tab to put before the class: type one, or take one from the queue.",
    "room_reveal_other": "The class is voting on another tab's proof, not this one: press Project this one first, or reveal in the tab that put it up.",
    "room_photo_needs_vision": "This proof's photo needs a model that reads images (a vision model): pick one in the server panel, then take it again. It stays in the queue.",
    "export_class_vote": "The class's vote",
    # the handout: a worksheet PDF (and .tex) with its answer key on page 2
    "handout_title": "Find the broken step",
    "handout_name": "Name",
    "handout_date": "Date",
    "handout_instructions": "Read each step. Mark ✓ if it follows from what comes before it, ✗ if it does not, and write why on the line.",
    "handout_problem": "Problem",
    "handout_key": "Answer key",
    "handout_verdict": "Verdict",
    "handout_step": "Step {step}",
    "handout_flaw": "What is wrong",
    "handout_explanation": "The model's explanation",
    "handout_key_empty": "No verdict yet: debug the proof, then make the handout again.",
    "handout_button": "Handout (PDF, .tex)",
    "handout_files": "Handout",
    "handout_failed": "The handout could not be made ({detail}); what the page shows is unchanged.",
}

# Messages from the engine: what went wrong and what to do. A {detail} is the server's own
# words (or a technical detail of a file) and is shown as it came.
ENGINE = {
    # the text and the photo, before anything is sent
    "input_empty": "Paste a flawed argument or proof first (or pick an example).",
    "input_too_long": (
        "The text is {length:,} characters long; the limit is {limit:,} (MAGISTRAL_MAX_INPUT_CHARS). "
        "Paste the part with the suspected flaw."
    ),
    "image_link_refused": "Only images uploaded here can be sent (not a link to one).",
    "image_data_damaged": "The image data is damaged: upload it again.",
    "image_cannot_open": "The image {name!r} could not be opened: upload it again.",
    "image_too_big": (
        "The image is {megabytes:.1f} MB; the limit is {limit:g} MB (MAGISTRAL_MAX_IMAGE_MB). "
        "Take the photo at a lower resolution or crop it to the proof."
    ),
    "image_file_named": "The file {name!r}",
    "image_uploaded_file": "The uploaded file",
    "image_empty": "The uploaded image is empty (0 bytes): upload it again.",
    "image_not_an_image": (
        "{what} is not an image this app can read. Upload a photo or screenshot as JPEG, PNG, WebP, "
        "GIF, BMP or TIFF (a file only renamed to .png is still not an image)."
    ),
    "image_too_many_pixels": "{what} has too many pixels to be a photo of a proof; crop or shrink it.",
    "image_damaged": "{what} looks like an image but is damaged or cut short: upload it again.",
    "images_model_no_vision": "The model {model} at {url} does not take images: remove the photo and type the proof instead.",
    "images_turned_off": "Images are turned off (MAGISTRAL_VISION=false): remove the photo and type the proof instead.",
    "images_ollama_no_vision": (
        "The model {model!r} at {url} cannot read images (Ollama does not list the vision capability for it). "
        "Remove the photo and type the proof, or pick a model that can see, such as Magistral Small 1.2."
    ),
    "images_off_for_model": (
        "Images are off for {model!r} at {url}: of the Magistral models only Small 1.2 (2509) reads images. "
        "Remove the photo and type the proof, or set MAGISTRAL_VISION=true if this server takes images "
        "(vLLM: {flag})."
    ),
    # reaching the server
    "connect_timeout": (
        "Connecting to {url} timed out: nothing answered. Check the URL and that the server is up ({start}); "
        "a firewall may be dropping the connection."
    ),
    "host_unknown": "The host name {host!r} in {url} does not resolve. Check the URL for a typo.",
    "connection_refused": (
        "Cannot reach the model server at {url} (connection refused). Start it with {start}, or set the right URL."
    ),
    "closed_without_answer": (
        "The server at {url} closed the connection without answering. Check that this URL is the model server "
        "({start}) and try again."
    ),
    "connection_broke": "The connection to {url} broke off mid-stream; what arrived is kept. Try again.",
    "server_went_silent": "The server at {url} stopped answering (timeout). Try again.",
    "talking_failed": "Talking to {url} failed: {detail}. Try again.",
    "web_page_not_api": (
        "{url} answered with a web page (HTTP {status}), not the model API: a proxy or another program is in "
        "the way, or the URL is wrong. Check the URL, and that the model server behind any proxy is running."
    ),
    "no_first_token": (
        "No reply from {url} within {seconds:g} s (model {model!r}). The model may still be loading: try again, "
        "or raise MAGISTRAL_FIRST_TOKEN_TIMEOUT."
    ),
    "stream_stalled": (
        "The stream from {url} stalled for {seconds:g} s; what arrived is kept. Try again, or raise "
        "MAGISTRAL_READ_TIMEOUT."
    ),
    "unexpected_failure": (
        "Something unexpected went wrong talking to {url} ({detail}); what arrived is kept. Try again, and check "
        "that the URL points at the right kind of server."
    ),
    # the app's own files (an incomplete installation, not the server)
    "own_file_unreadable": (
        "The app could not read its own file {path} ({detail}): its installation is incomplete; the server is "
        "not at fault. Reinstall the package."
    ),
    # what a server said: Ollama
    "ollama_not_json": "Ollama at {url} sent a line that is not JSON ({line}…). Is that URL really an Ollama server?",
    "ollama_odd_line": (
        "Ollama at {url} sent a line of an unexpected shape ({line}…). Is that URL really an Ollama server?"
    ),
    "ollama_error_mid_answer": (
        "Ollama at {url} reported an error mid-answer: {detail}. What arrived is kept; try again."
    ),
    "ollama_stream_ended_early": (
        "The stream from Ollama at {url} ended before the answer was complete; what arrived is kept. Try again."
    ),
    "ollama_wrong_url": (
        "{url} does not look like an Ollama server: it answered HTTP 404 ({detail}). Check the URL (Ollama's is "
        "usually http://localhost:11434, without /v1), or choose the OpenAI-compatible server."
    ),
    "ollama_model_missing": "Ollama at {url} does not have the model {model!r}. Download it with `ollama pull {model}`.",
    "ollama_too_large": (
        "The request is too large for the context of {model!r} at {url}: {detail}. Shorten the text, lower max "
        "tokens, or give Ollama a larger context (OLLAMA_CONTEXT_LENGTH)."
    ),
    "ollama_refused": (
        "Ollama at {url} refused the request for {model!r}: {detail}. Check the model name and the settings in "
        "the Backend panel."
    ),
    "ollama_http_error": "Ollama at {url} answered HTTP {status}: {detail}. Try again.",
    "ollama_not_its_api": "{url} answered something that is not Ollama's API.",
    "ollama_no_thinking": "{model} does not support thinking mode; running without it.",
    "ollama_pull_hint": "Download it with `ollama pull {model}`.",
    "ollama_vision_hint": "`ollama pull` a model with the vision capability",
    # what a server said: OpenAI-compatible (vLLM)
    "openai_unreachable": "Cannot reach the model server at {url}. Start it with {start}.",
    "openai_no_models": "The server at {url} lists no models. {start}",
    "openai_serve_hint": "Serve it, e.g. {start}, or pick a model the server lists.",
    "openai_max_tokens_lowered": (
        "Max tokens lowered from {requested:,} to {fitted:,} to fit the server's context of {limit:,} tokens "
        "(--max-model-len)."
    ),
    "openai_not_utf8": (
        "The server at {url} sent bytes that are not valid UTF-8 text; what arrived is kept. Check what is "
        "serving that URL, and try again."
    ),
    "openai_not_json": "The server at {url} sent a stream line that is not JSON. Is that URL an OpenAI-compatible server?",
    "openai_odd_chunk": (
        "The server at {url} sent a stream chunk of an unexpected shape; what arrived is kept. Is that URL an "
        "OpenAI-compatible server?"
    ),
    "openai_stream_ended_early": (
        "The stream from {url} ended before the answer was complete; what arrived is kept. Try again."
    ),
    "openai_error_mid_answer": (
        "The server at {url} reported an error mid-answer: {detail}. What arrived is kept; try again."
    ),
    "openai_key_refused": "The server at {url} refused the API key (HTTP 401): set MAGISTRAL_OPENAI_API_KEY.",
    "openai_wrong_url": (
        "{url} does not look like an OpenAI-compatible API: it answered HTTP 404 ({detail}). Check the URL: "
        "vLLM's ends in /v1, e.g. http://localhost:8000/v1."
    ),
    "openai_model_missing": (
        "The server at {url} has no model {model!r}: {detail}. Pick a model it lists, or serve it with {start}."
    ),
    "openai_too_large": (
        "The request is too large for the model's context at {url}: {detail}. Shorten the text or lower max tokens."
    ),
    "openai_refused": (
        "The server at {url} refused the request for {model!r}: {detail}. Check the model name and the settings "
        "in the Backend panel."
    ),
    "openai_http_error": "The server at {url} answered HTTP {status}: {detail}. Try again.",
    "vllm_vision_hint": "vLLM: serve Magistral Small 2509 with {flag}",
    "images_refused": (
        "The server at {url} refused the photo: {detail}. The model {model!r} there does not take images. Remove "
        "the photo and type the proof, or serve a model that can see ({start})."
    ),
    # the health badge
    "health_model_not_there": "{url} is up, but the model {model!r} is not there. {hint}",
    "health_three_ways": "No model server yet? Any of three: **Ollama** — {ollama}; **vLLM** (or any OpenAI-compatible server) — {vllm}; **Mistral's API** — {mistral}.",
    # follow-up questions
    "dropped_oldest_turn": "Left out the oldest turn of this conversation to fit the model's context of {context:,} tokens.",
    "dropped_oldest_turns": (
        "Left out the {count} oldest turns of this conversation to fit the model's context of {context:,} tokens."
    ),
    # recording and replay
    "not_recording": "This run is not being recorded: cannot write to {folder} ({detail}).",
    "recording_stopped": "Recording stopped: cannot write to {path} ({detail}).",
    "replay_none_chosen": (
        "No recording chosen to replay: set MAGISTRAL_REPLAY_FILE to a .jsonl file from the MAGISTRAL_RECORD_DIR "
        "folder."
    ),
    "replay_model_hint": "A replay plays the model it recorded ({model}); the model setting does not apply.",
    "replay_recorded_error": "In the recording: {detail}",
    "replay_recorded_stop": "The recorded run was stopped after {seconds:.1f} s, so the replay ends here too.",
    "recording_missing": (
        "There is no recording at {path}. Check MAGISTRAL_REPLAY_FILE (a .jsonl file from the MAGISTRAL_RECORD_DIR "
        "folder)."
    ),
    "recording_unreadable": "Cannot read the recording {path}: {detail}.",
    "recording_empty": "The recording {path} is empty: nothing to replay.",
    "recording_damaged": "The recording {path} is damaged: line {line} {detail}. It cannot be replayed.",
    "recording_cut_short": (
        "The recording {path} stops at line {line} without its end line: it was cut short (the app stopped, or "
        "the file was copied, while the run was still being recorded). It cannot be replayed."
    ),
    # Mistral's API, prompt formats read from the server, rate limits, models that do not think
    "model_no_thinking": (
        "The server at {url} says {model} has no thinking mode: it runs without it (reasoning it writes between "
        "think tags still goes to the reasoning pane)."
    ),
    "format_tokenizer_think": "[THINK] prompt for {model}: the server's tokenizer has think tokens.",
    "format_tokenizer_plain": "<think> prompt for {model}: the server's tokenizer has no think tokens.",
    "format_checkpoint": "{format} prompt for {model}: the server loaded {checkpoint}.",
    "format_ollama_template": "{format} prompt for {model}: its Ollama template writes {format} tags.",
    "format_mistral_api": "[THINK] prompt for {model}: Mistral's API takes thinking chunks.",
    "rate_limited": "Rate limited by {url}: retry in {seconds} s (HTTP 429: {detail}).",
    "rate_limited_no_wait": "Rate limited by {url}: retry in a moment (HTTP 429: {detail}).",
    "mistral_no_key": (
        "No API key for Mistral's API: set MAGISTRAL_MISTRAL_API_KEY (or MISTRAL_API_KEY) to a key from "
        "console.mistral.ai."
    ),
    "mistral_key_refused": (
        "Mistral's API at {url} refused the API key (HTTP 401): set MAGISTRAL_MISTRAL_API_KEY (or MISTRAL_API_KEY) "
        "to a valid key from console.mistral.ai."
    ),
    "mistral_offline": (
        "Cannot reach Mistral's API at {url}: this machine seems to have no internet (or a firewall or proxy blocks "
        "it). Connect it, or use a local server (Ollama or vLLM)."
    ),
    "mistral_model_missing": (
        "Mistral's API at {url} has no model {model!r} for this key: {detail}. Try {default} or mistral-medium-3-5."
    ),
    "mistral_model_hint": "Pick a model your key can use, e.g. {default} or mistral-medium-3-5.",
    # Answer now and the thinking budget
    "thinking_stopped_by_you": "Thinking stopped by you (Answer now).",
    "thinking_budget_reached": "Thinking stopped at the {seconds:g} s budget.",
    "answer_now_prefill": (
        "The model answers from its reasoning so far: its own turn was sent back, closed, for it to continue."
    ),
    "answer_now_second_turn": (
        "This model's template cannot continue the model's own turn, so its reasoning so far was "
        "sent back as a finished turn, with a new question asking it to answer now."
    ),
    "answer_now_no_answer": (
        "No answer came after the thinking was stopped: the server at {url} ended the continued "
        "turn without a word. On vLLM, a mistral-common older than 1.11.3 closes that turn instead "
        "of continuing it: upgrade it on the server. The reasoning so far is kept."
    ),
    # reasoning effort, deprecated names, Stop before the first token
    "effort_not_adjustable": "{model} takes no reasoning effort here, so {effort} was not sent: it thinks as it always does.",
    "effort_not_taken": "{model} takes reasoning effort {efforts}, not {effort}: pick one of those (the Backend panel, --effort or MAGISTRAL_REASONING_EFFORT). Nothing was sent.",
    "effort_none_no_thinking": "Reasoning effort none: {model} answers without thinking, so there is no reasoning to show.",
    "effort_refused": "The server at {url} refused the reasoning effort asked of {model}: {detail}. Pick another effort (the Backend panel, --effort or MAGISTRAL_REASONING_EFFORT).",
    "mistral_model_deprecated": "{model} is deprecated on Mistral's API (Magistral Medium 1.0 is already retired): it still runs if Mistral serves it, and Mistral's docs name {replacement} in its place.",
    "ollama_stop_during_prompt": "Ollama at {url} may go on reading the prompt until it has finished: it does not notice a hang-up before the first token (ollama#11889).",
    # A busy server asked once more (backends/openai_compat.py).
    "server_busy_retrying": "{url} is busy (HTTP {status}): asking once more in {seconds} s.",
}
