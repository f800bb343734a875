"""The page's words in Simplified Chinese."""

PAGE = {
    "app_title": "Magistral 调试器",
    "intro": "粘贴一段有错误的论证或证明。Magistral 会逐步推理，并指出它错在哪里。",
    "presenter_mode": "演示模式",
    "language": "语言",
    "proof_label": "有错误的论证或证明",
    "proof_placeholder": "设 x = y。则 x² = xy，所以 x² − y² = xy − y² …   （Shift+Enter 开始调试）",
    "debug_button": "调试",
    "stop_button": "停止",
    "answer_now_button": "立即回答",
    "guess_first_mode": "先猜",
    "reveal_reasoning_button": "显示推理 (T)",
    "reveal_button": "揭晓 (R)",
    "covered_working": "处理中…请大家先猜",
    "covered_ready": "答案已就绪：按揭晓 (R)",
    "covered_reasoning": "显示推理 (T) 或揭晓 (R) 之前隐藏：先猜一猜。",
    "covered_answer": "🙈 揭晓 (R) 之前隐藏。证明错在哪里？",
    "thinking_budget_label": "思考时限（秒，0 = 不限）",
    "effort_label": "推理强度",
    "effort_auto": "自动（{effort}）",
    "effort_auto_fixed": "自动（此模型不接受推理强度）",
    "status_effort": "推理强度 {effort}",
    "keys_title": "键盘快捷键",
    "keys_run": "运行调试（在证明框中）",
    "keys_stop": "停止",
    "keys_answer_now": "立即回答",
    "keys_reveal_reasoning": "显示推理过程（答案仍然隐藏）",
    "keys_reveal": "揭晓答案和推理过程",
    "keys_fullscreen": "进入或退出全屏",
    "keys_help": "显示此列表",
    "keys_close": "关闭",
    "clear_button": "清空",
    "examples_label": "示例（✓ = 正确的证明，作为对照）",
    "topic_algebra": "代数",
    "topic_geometry": "几何",
    "topic_analysis": "微积分与极限",
    "topic_number_theory": "数论",
    "topic_induction": "归纳法",
    "topic_logic": "逻辑",
    "topic_probability": "概率与统计",
    "topic_competition": "竞赛题（基准测试）",
    "skip_to_answer": "跳到回答",
    "health_checking": "正在检查模型服务器…",
    "examples_search": "输入以按主题、语言或标题搜索",
    "notes_label": "备注",
    "status_label": "状态",
    "reasoning_label": "推理过程",
    "reasoning_latest": "↓ 最新",
    "reasoning_raw": "原始文本",
    "answer_label": "回答",
    "download_markdown": "下载 Markdown",
    "download_json": "下载 JSON",
    "backend_panel": "模型服务器",
    "server_label": "服务器",
    "backend_ollama": "Ollama",
    "backend_openai": "OpenAI 兼容（vLLM）",
    "backend_mistral": "Mistral API（云端）",
    "backend_replay": "回放已录制的运行",
    "url_label": "URL",
    "model_label": "模型（留空：Ollama 上为 magistral，vLLM 上为服务器列出的第一个模型）",
    "refresh_button": "↻ 刷新",
    "prompt_format_label": "提示词格式",
    "prompt_format_auto": "根据模型名称检测",
    "temperature_label": "温度",
    "top_p_label": "top_p",
    "max_tokens_label": "最大 token 数",
    "replay_label": "回放：{date} 使用 {model} 录制的一次运行",
    # talk mode: a rehearsal's replay, and its marks on the examples
    "rehearsal_replay": "回放 {date} 的预演（{model}）：无法连接模型服务器",
    "rehearsal_mark_right": "✅ 预演：正确",
    "rehearsal_mark_wrong": "❌ 预演：错误",
    "rehearsal_mark_not_run": "➖ 未预演",
    "health_ready_detail": "就绪：{model}，位于 {url}",
    "status_idle": "粘贴一段论证或选择一个示例，然后点击 **调试**。",
    "status_waiting": "正在等待 {model}… {duration}",
    "status_waiting_model": "正在等待模型… {duration}",
    "status_thinking": "思考中…",
    "status_answering": "回答中…",
    "status_busy": "应用正忙于处理其他人的运行，请稍后再试。",
    "status_queued": "正在等待空闲名额：前面还有 {ahead} 个运行…",
    "status_invalid_setting": "设置无效（{fields}）。请在“模型服务器”面板中修改。",
    "reasoning_thinking": "思考中… {duration}",
    "reasoning_thought": "思考了 {duration} · {tokens} 个 token",
    "outcome_finished": "已完成。",
    "outcome_stopped": "已停止。",
    "outcome_stopped_by_you": "已由你停止。",
    "outcome_out_of_tokens_thinking": "思考过程中 token 已用尽（最大 token 数 {max_tokens}）：请调高最大 token 数后重试。",
    "outcome_answer_cut_off": "回答在 token 上限处被截断（最大 token 数 {max_tokens}）：请调高最大 token 数。",
    "outcome_no_answer": "模型 {model} 结束了思考，但没有给出回答（推理过程已保留）。请重试。",
    "outcome_empty_reply": "模型 {model} 返回了空回复。请重试，或检查服务器。",
    "outcome_failed": "运行失败。",
    "stats_first_token": "首个 token {duration}",
    "stats_thought": "思考 {duration}",
    "stats_tokens": "推理 {reasoning} + 回答 {answer} 个 token",
    "stats_rate": "每秒 {rate} 个 token",
    # The photo box, the follow-up box and the conversation thread.
    "photo_label": "证明的照片（可选）",
    "question_label": "就这个证明提问",
    "question_placeholder": "为什么不能约去 x − y？   （Shift+Enter 提问）",
    "ask_button": "提问",
    "conversation_label": "对话",
    "thread_proof": "证明",
    "thread_asked": "你的提问",
    "thread_photo": "（一张照片）",
    # the verdict on the numbered steps: kinds of flaw, the badge, each step's mark
    "kind_division_by_zero": "除以零",
    "kind_invalid_cancellation": "无效的约分",
    "kind_square_root_sign": "平方根的符号",
    "kind_circular_reasoning": "循环论证",
    "kind_unproven_assumption": "未经证明的假设",
    "kind_hasty_generalization": "以偏概全",
    "kind_induction_gap": "归纳法漏洞",
    "kind_affirming_the_consequent": "肯定后件",
    "kind_false_dilemma": "虚假两难",
    "kind_correlation_not_causation": "相关不等于因果",
    "kind_misuse_of_infinity": "误用无穷或发散级数",
    "kind_algebra_slip": "代数或算术错误",
    "kind_misused_definition": "误用定义",
    "kind_other": "其他",
    "kind_other_named": "其他：{words}",
    "verdict_flawed_step": "第 {step} 步：{kind}",
    "steps_label": "逐步列出的证明",
    "verdict_no_flaw": "未发现错误",
    "verdict_missing": "模型没有给出步骤判定",
    "step_checked": "已检查",
    "step_built_on_broken": "建立在错误的步骤之上",
    # the Markdown download
    "export_title": "Magistral 调试器运行记录 — {date}",
    "export_not_finished": "未完成。",
    "export_argument": "论证",
    "export_steps": "步骤",
    "export_verdict": "结论",
    "export_answer": "回答",
    "export_no_answer": "（没有回答）",
    "export_reasoning": "推理（{tokens} 个 token）",
    "export_reasoning_timed": "推理（思考了 {duration}，{tokens} 个 token）",
    "export_no_reasoning": "（没有推理）",
    "export_notes": "备注",
    "export_details": "运行详情",
    "export_model": "模型",
    "export_backend": "模型服务器",
    "export_finish_reason": "结束原因",
    "export_started": "开始时间",
    "export_first_token": "首个 token 用时",
    "export_thinking_time": "思考用时",
    "export_total_time": "总用时",
    "export_tokens": "生成的 token",
    "export_speed": "速度",
    "export_prompt_tokens": "提示词 token",
    # Public mode (ui/public/): a visitor's run refused, and when to try again.
    "public_settings_fixed": "此公开页面沿用所有者的服务器设置：此处不能更改 {fields}。未发送任何内容。",
    "public_max_tokens_cap": "此公开页面的最大 token 数为 {cap:,}；请求的是 {asked:,}。未发送任何内容。",
    "public_runs_per_hour": "你在此公开页面本小时的 {limit} 次运行已用完。请在 {wait}后重试。",
    "public_tokens_per_day": "你今天在此公开页面的额度已用完（每天 {limit:,} 个 token）。请在 {wait}后重试。",
    "public_tokens_per_day_soon": "算上正在进行的运行，你今天在此公开页面的额度已用完（每天 {limit:,} 个 token）。请在它结束后重试。",
    "public_global_tokens_per_day": "此公开页面今天可用的额度已用完（所有人共 {limit:,} 个 token）。请在 {wait}后重试。",
    "public_global_tokens_per_day_soon": "此公开页面今天可用的额度即将用完（所有人共 {limit:,} 个 token）：其余的被其他人的运行占用。请几分钟后重试。",
    "public_runs_at_once": "你的另一次运行仍在进行：此公开页面每人同时只能运行 {limit} 次。请等它结束，或停止它。",
    # The class's room (ui/room/): the projector's card and bars, the phone's page.
    "room_open_button": "开设课堂",
    "room_code": "课堂 {code}",
    "room_qr": "加入链接的二维码",
    "room_join_at": "加入地址",
    "room_joined": "已加入 {count} 人",
    "room_loopback_only": "手机无法访问此应用：它只在 {host} 上监听。请用 MAGISTRAL_HOST=0.0.0.0 启动，或设置 MAGISTRAL_PUBLIC_URL。",
    "room_teacher_link": "你的教师链接",
    "room_teacher_link_note": "请勿外传此链接：它掌握课堂的控制权（在另一台设备上或刷新后打开它即可收回控制）。",
    "room_close_voting": "结束投票",
    "room_queue_label": "学生发来的证明",
    "room_take_button": "放入证明框",
    "room_anonymous": "匿名",
    "room_not_teacher": "只有教师链接才能这样做。",
    "room_no_votes": "还没有投票",
    "room_votes_total": "{count} 票",
    "room_voting_open": "投票进行中",
    "room_voting_closed": "投票已结束",
    "room_step": "第 {step} 步",
    "room_no_flaw": "没有错误",
    "room_model": "模型",
    "room_class_model_same": "{percent}% 选了{answer}——模型也是",
    "room_class_model_differ": "{percent}% 选了{answer}——模型说是{model}",
    "room_class_model_none": "{percent}% 选了{answer}——模型没有指出步骤",
    "room_model_says": "模型的判断：{answer}",
    "room_model_no_step": "未指出步骤",
    "room_phone_title": "加入课堂",
    "room_phone_in_room": "课堂 {code}",
    "room_code_label": "课堂代码",
    "room_name_label": "你的名字（留空则匿名）",
    "room_join_button": "加入",
    "room_unknown_code": "没有课堂 {code}。请核对投影上的代码。",
    "room_waiting": "等待老师展示证明……",
    "room_vote_prompt": "证明最先在哪里出错？点一个步骤，或“没有错误”。",
    "room_your_vote": "你的投票：{answer}。投票结束前可以更改。",
    "room_closed_phone": "投票已结束。你的投票：{answer}。",
    "room_closed_no_vote": "投票已结束。",
    "room_vote_refused": "投票已结束：这一票没有计入。",
    "room_send_label": "把证明发给老师",
    "room_send_text": "你的证明",
    "room_send_button": "发送",
    "room_sent": "已发送：它在老师的队列里。",
    "room_send_empty": "没有可发送的内容：请输入证明，或添加一张证明的照片。",
    "room_send_too_long": "共 {length} 个字符；上限是 {limit}。",
    "room_send_too_often": "你在 {minutes} 分钟内发送了 {count} 个证明；请稍等再发下一个。",
    "room_send_photo": "或者发一张它的照片",
    "room_project_button": "投影这一个",
    "room_project_nothing": "这个标签页里没有可以展示给全班的证明：请输入一个，或从队列中取一个。",
    "room_reveal_other": "全班正在为另一个标签页的证明投票，不是这一个：请先按“投影这一个”，或在投影它的那个标签页里揭晓。",
    "room_photo_needs_vision": "这个证明的照片需要能读图片的模型（视觉模型）：请在服务器面板里选一个，然后再取一次。它仍留在队列中。",
    "export_class_vote": "全班的投票",
    # 讲义：练习单 PDF（及 .tex），第 2 页为答案
    "handout_title": "找出错误的步骤",
    "handout_name": "姓名",
    "handout_date": "日期",
    "handout_instructions": "逐步阅读。若该步能由前面的步骤推出，标 ✓；否则标 ✗，并在横线上写明理由。",
    "handout_problem": "题目",
    "handout_key": "答案",
    "handout_verdict": "结论",
    "handout_step": "第 {step} 步",
    "handout_flaw": "错在哪里",
    "handout_explanation": "模型的解释",
    "handout_key_empty": "尚无结论：先调试这个证明，再重新生成讲义。",
    "handout_button": "讲义（PDF、.tex）",
    "handout_files": "讲义",
    "handout_failed": "无法生成讲义（{detail}）；页面上显示的内容不变。",
}

# Messages from the engine: what went wrong and what to do. A {detail} is the server's own
# words (or a technical detail of a file) and is shown as it came.
ENGINE = {
    # the text and the photo, before anything is sent
    "input_empty": "请先粘贴一段有错误的论证或证明（或选择一个示例）。",
    "input_too_long": (
        "文本长度为 {length:,} 个字符，上限是 {limit:,}（MAGISTRAL_MAX_INPUT_CHARS）。请只粘贴疑似有错误的那一部分。"
    ),
    "image_link_refused": "只能发送在这里上传的图片（不能发送图片链接）。",
    "image_data_damaged": "图片数据已损坏：请重新上传。",
    "image_cannot_open": "无法打开图片 {name!r}：请重新上传。",
    "image_too_big": (
        "图片大小为 {megabytes:.1f} MB，上限是 {limit:g} MB（MAGISTRAL_MAX_IMAGE_MB）。"
        "请用较低的分辨率拍摄，或把照片裁剪到只剩证明部分。"
    ),
    "image_file_named": "文件 {name!r}",
    "image_uploaded_file": "上传的文件",
    "image_empty": "上传的图片是空的（0 字节）：请重新上传。",
    "image_not_an_image": (
        "{what}不是本应用能读取的图片。请上传 JPEG、PNG、WebP、GIF、BMP 或 TIFF 格式的照片或截图"
        "（只把文件改名为 .png，它仍然不是图片）。"
    ),
    "image_too_many_pixels": "{what}的像素太多，不像是一张证明的照片：请裁剪或缩小它。",
    "image_damaged": "{what}看起来是图片，但已损坏或不完整：请重新上传。",
    "images_model_no_vision": "{url} 上的模型 {model} 不接受图片：请移除照片，改为输入证明的文字。",
    "images_turned_off": "图片功能已关闭（MAGISTRAL_VISION=false）：请移除照片，改为输入证明的文字。",
    "images_ollama_no_vision": (
        "{url} 上的模型 {model!r} 无法读取图片（Ollama 没有为它列出 vision 能力）。"
        "请移除照片并输入证明的文字，或选择一个能识图的模型，例如 Magistral Small 1.2。"
    ),
    "images_off_for_model": (
        "{url} 上的 {model!r} 未启用图片：Magistral 系列模型中只有 Small 1.2（2509）能读取图片。"
        "请移除照片并输入证明的文字；如果这个服务器能接收图片，也可以设置 MAGISTRAL_VISION=true"
        "（vLLM：{flag}）。"
    ),
    # reaching the server
    "connect_timeout": (
        "连接 {url} 超时：没有任何响应。请检查 URL，并确认服务器已启动（{start}）；也可能是防火墙拦截了连接。"
    ),
    "host_unknown": "{url} 中的主机名 {host!r} 无法解析。请检查 URL 是否有拼写错误。",
    "connection_refused": ("无法连接到 {url} 上的模型服务器（连接被拒绝）。请用 {start} 启动它，或设置正确的 URL。"),
    "closed_without_answer": (
        "{url} 上的服务器没有响应就关闭了连接。请确认这个 URL 是模型服务器（{start}），然后重试。"
    ),
    "connection_broke": "与 {url} 的连接在传输途中断开；已收到的内容会保留。请重试。",
    "server_went_silent": "{url} 上的服务器停止了响应（超时）。请重试。",
    "talking_failed": "与 {url} 通信失败：{detail}。请重试。",
    "web_page_not_api": (
        "{url} 返回的是一个网页（HTTP {status}），而不是模型 API：可能有代理或其他程序挡在中间，"
        "或者 URL 不对。请检查 URL，并确认代理后面的模型服务器正在运行。"
    ),
    "no_first_token": (
        "{url} 在 {seconds:g} 秒内没有回复（模型 {model!r}）。模型可能还在加载：请重试，"
        "或调高 MAGISTRAL_FIRST_TOKEN_TIMEOUT。"
    ),
    "stream_stalled": (
        "来自 {url} 的数据流停顿了 {seconds:g} 秒；已收到的内容会保留。请重试，或调高 MAGISTRAL_READ_TIMEOUT。"
    ),
    "unexpected_failure": (
        "与 {url} 通信时发生了意外错误（{detail}）；已收到的内容会保留。请重试，"
        "并检查这个 URL 指向的服务器类型是否正确。"
    ),
    # the app's own files (an incomplete installation, not the server)
    "own_file_unreadable": (
        "应用无法读取它自己的文件 {path}（{detail}）：是安装不完整，不是服务器的问题。请重新安装这个软件包。"
    ),
    # what a server said: Ollama
    "ollama_not_json": "{url} 上的 Ollama 发来一行不是 JSON 的内容（{line}…）。这个 URL 真的是 Ollama 服务器吗？",
    "ollama_odd_line": ("{url} 上的 Ollama 发来一行格式异常的内容（{line}…）。这个 URL 真的是 Ollama 服务器吗？"),
    "ollama_error_mid_answer": ("{url} 上的 Ollama 在回答途中报告了错误：{detail}。已收到的内容会保留；请重试。"),
    "ollama_stream_ended_early": ("来自 {url} 上 Ollama 的数据流在回答完成前就结束了；已收到的内容会保留。请重试。"),
    "ollama_wrong_url": (
        "{url} 看起来不是 Ollama 服务器：它返回了 HTTP 404（{detail}）。请检查 URL（Ollama 的地址通常是 "
        "http://localhost:11434，不带 /v1），或改选“OpenAI 兼容（vLLM）”服务器。"
    ),
    "ollama_model_missing": "{url} 上的 Ollama 没有模型 {model!r}。请用 `ollama pull {model}` 下载。",
    "ollama_too_large": (
        "请求超出了 {url} 上 {model!r} 的上下文长度：{detail}。请缩短文本、调低最大 token 数，"
        "或给 Ollama 设置更大的上下文（OLLAMA_CONTEXT_LENGTH）。"
    ),
    "ollama_refused": (
        "{url} 上的 Ollama 拒绝了对 {model!r} 的请求：{detail}。请在“模型服务器”面板中检查模型名称和设置。"
    ),
    "ollama_http_error": "{url} 上的 Ollama 返回了 HTTP {status}：{detail}。请重试。",
    "ollama_not_its_api": "{url} 返回的内容不是 Ollama 的 API。",
    "ollama_no_thinking": "{model} 不支持思考模式；本次将不使用思考模式运行。",
    "ollama_pull_hint": "请用 `ollama pull {model}` 下载。",
    "ollama_vision_hint": "用 `ollama pull` 下载一个具有 vision 能力的模型",
    # what a server said: OpenAI-compatible (vLLM)
    "openai_unreachable": "无法连接到 {url} 上的模型服务器。请用 {start} 启动它。",
    "openai_no_models": "{url} 上的服务器没有列出任何模型。{start}",
    "openai_serve_hint": "请启动一个模型，例如 {start}，或选择服务器列出的模型。",
    "openai_max_tokens_lowered": (
        "最大 token 数已从 {requested:,} 调低到 {fitted:,}，以适应服务器 {limit:,} 个 token 的上下文"
        "（--max-model-len）。"
    ),
    "openai_not_utf8": (
        "{url} 上的服务器发来的字节不是有效的 UTF-8 文本；已收到的内容会保留。"
        "请检查是什么程序在提供这个 URL，然后重试。"
    ),
    "openai_not_json": "{url} 上的服务器发来的一行数据流不是 JSON。这个 URL 是 OpenAI 兼容的服务器吗？",
    "openai_odd_chunk": (
        "{url} 上的服务器发来一个格式异常的数据块；已收到的内容会保留。这个 URL 是 OpenAI 兼容的服务器吗？"
    ),
    "openai_stream_ended_early": ("来自 {url} 的数据流在回答完成前就结束了；已收到的内容会保留。请重试。"),
    "openai_error_mid_answer": ("{url} 上的服务器在回答途中报告了错误：{detail}。已收到的内容会保留；请重试。"),
    "openai_key_refused": "{url} 上的服务器拒绝了 API 密钥（HTTP 401）：请设置 MAGISTRAL_OPENAI_API_KEY。",
    "openai_wrong_url": (
        "{url} 看起来不是 OpenAI 兼容的 API：它返回了 HTTP 404（{detail}）。请检查 URL："
        "vLLM 的地址以 /v1 结尾，例如 http://localhost:8000/v1。"
    ),
    "openai_model_missing": (
        "{url} 上的服务器没有模型 {model!r}：{detail}。请选择它列出的模型，或用 {start} 启动该模型。"
    ),
    "openai_too_large": ("请求超出了 {url} 上模型的上下文长度：{detail}。请缩短文本或调低最大 token 数。"),
    "openai_refused": (
        "{url} 上的服务器拒绝了对 {model!r} 的请求：{detail}。请在“模型服务器”面板中检查模型名称和设置。"
    ),
    "openai_http_error": "{url} 上的服务器返回了 HTTP {status}：{detail}。请重试。",
    "vllm_vision_hint": "vLLM：用 {flag} 启动 Magistral Small 2509",
    "images_refused": (
        "{url} 上的服务器拒绝了照片：{detail}。那里的模型 {model!r} 不接收图片。"
        "请移除照片并输入证明的文字，或启动一个能识图的模型（{start}）。"
    ),
    # the health badge
    "health_model_not_there": "{url} 已在运行，但上面没有模型 {model!r}。{hint}",
    "health_three_ways": "还没有模型服务器？三种方式任选其一：**Ollama** — {ollama}；**vLLM**（或任何兼容 OpenAI 的服务器）— {vllm}；**Mistral 的 API** — {mistral}。",
    # follow-up questions
    "dropped_oldest_turn": "为适应模型 {context:,} 个 token 的上下文，已略去这段对话中最早的一轮。",
    "dropped_oldest_turns": ("为适应模型 {context:,} 个 token 的上下文，已略去这段对话中最早的 {count} 轮。"),
    # recording and replay
    "not_recording": "本次运行没有录制：无法写入 {folder}（{detail}）。",
    "recording_stopped": "录制已停止：无法写入 {path}（{detail}）。",
    "replay_none_chosen": (
        "没有选择要回放的录制文件：请把 MAGISTRAL_REPLAY_FILE 设为 MAGISTRAL_RECORD_DIR 文件夹中的一个 .jsonl 文件。"
    ),
    "replay_model_hint": "回放使用的是录制时的模型（{model}）；模型设置在这里不起作用。",
    "replay_recorded_error": "录制的那次运行出错：{detail}",
    "replay_recorded_stop": "录制的那次运行在 {seconds:.1f} 秒后被停止，所以回放也在这里结束。",
    "recording_missing": (
        "{path} 处没有录制文件。请检查 MAGISTRAL_REPLAY_FILE（应为 MAGISTRAL_RECORD_DIR 文件夹中的一个 .jsonl 文件）。"
    ),
    "recording_unreadable": "无法读取录制文件 {path}：{detail}。",
    "recording_empty": "录制文件 {path} 是空的：没有可回放的内容。",
    "recording_damaged": "录制文件 {path} 已损坏：第 {line} 行 — {detail}。无法回放。",
    "recording_cut_short": (
        "录制文件 {path} 停在第 {line} 行，缺少结束行：它不完整（录制还在进行时，应用停止了，"
        "或者文件被复制了）。无法回放。"
    ),
    # Mistral's API, prompt formats read from the server, rate limits, models that do not think
    "model_no_thinking": "{url} 上的服务器表示 {model} 没有思考模式：本次不使用思考模式运行（它在思考标签之间写出的推理仍会显示在推理面板中）。",
    "format_tokenizer_think": "{model} 使用 [THINK] 提示格式：服务器的分词器含有思考标记。",
    "format_tokenizer_plain": "{model} 使用 <think> 提示格式：服务器的分词器没有思考标记。",
    "format_checkpoint": "{model} 使用 {format} 提示格式：服务器加载的是 {checkpoint}。",
    "format_ollama_template": "{model} 使用 {format} 提示格式：它的 Ollama 模板写入 {format} 标签。",
    "format_mistral_api": "{model} 使用 [THINK] 提示格式：Mistral API 接受思考块。",
    "rate_limited": "{url} 限制了请求频率：请在 {seconds} 秒后重试（HTTP 429：{detail}）。",
    "rate_limited_no_wait": "{url} 限制了请求频率：请稍后重试（HTTP 429：{detail}）。",
    "mistral_no_key": "缺少 Mistral API 的密钥：请把 MAGISTRAL_MISTRAL_API_KEY（或 MISTRAL_API_KEY）设为 console.mistral.ai 上的密钥。",
    "mistral_key_refused": (
        "{url} 上的 Mistral API 拒绝了 API 密钥（HTTP 401）：请把 "
        "MAGISTRAL_MISTRAL_API_KEY（或 MISTRAL_API_KEY）设为 "
        "console.mistral.ai 上的有效密钥。"
    ),
    "mistral_offline": "无法连接 {url} 上的 Mistral API：这台机器似乎没有联网（或被防火墙、代理拦截）。请联网，或改用本地服务器（Ollama 或 vLLM）。",
    "mistral_model_missing": "{url} 上的 Mistral API 没有此密钥可用的模型 {model!r}：{detail}。请试试 {default} 或 mistral-medium-3-5。",
    "mistral_model_hint": "请选择你的密钥可用的模型，例如 {default} 或 mistral-medium-3-5。",
    # Answer now and the thinking budget
    "thinking_stopped_by_you": "你已停止思考（立即回答）。",
    "thinking_budget_reached": "思考已在 {seconds:g} 秒的预算处停止。",
    "answer_now_prefill": "模型根据目前的推理作答：它自己的回合已闭合后发回，由它接着写下去。",
    "answer_now_second_turn": "此模型的模板无法接续模型自己的回合，因此目前的推理作为已结束的回合发回，并附上一个新问题，要求它立即作答。",
    "answer_now_no_answer": (
        "停止思考后没有收到回答：{url} 的服务器没有输出任何内容就结束了接续的回合。在 vLLM 上，早于 1.11.3 的 mistral-common "
        "会关闭该回合而不是接续它：请在服务器上升级。目前的推理已保留。"
    ),
    # reasoning effort, deprecated names, Stop before the first token
    "effort_not_adjustable": "{model} 在此不接受推理强度，因此未发送 {effort}：它照常思考。",
    "effort_not_taken": "{model} 接受的推理强度为 {efforts}，不接受 {effort}：请从中选择一个（后端面板、--effort 或 MAGISTRAL_REASONING_EFFORT）。未发送任何请求。",
    "effort_none_no_thinking": "推理强度 none：{model} 不经思考直接回答，因此没有可显示的推理。",
    "effort_refused": "{url} 上的服务器拒绝了为 {model} 请求的推理强度：{detail}。请选择其他推理强度（后端面板、--effort 或 MAGISTRAL_REASONING_EFFORT）。",
    "mistral_model_deprecated": "{model} 在 Mistral API 上已弃用（Magistral Medium 1.0 已停用）：只要 Mistral 仍提供它就能运行，Mistral 文档推荐用 {replacement} 替代。",
    "ollama_stop_during_prompt": "{url} 上的 Ollama 可能会继续读取提示直到读完：在第一个标记之前，它察觉不到连接已断开（ollama#11889）。",
    # A busy server asked once more (backends/openai_compat.py).
    "server_busy_retrying": "{url} 正忙（HTTP {status}）：{seconds} 秒后再请求一次。",
}
