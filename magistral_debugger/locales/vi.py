"""The page's words in Vietnamese."""

PAGE = {
    "app_title": "Trình gỡ lỗi Magistral",
    "intro": "Dán một lập luận hoặc chứng minh có lỗi. Magistral suy luận từng bước và giải thích chỗ sai.",
    "presenter_mode": "Chế độ trình chiếu",
    "language": "Ngôn ngữ",
    "proof_label": "Lập luận hoặc chứng minh có lỗi",
    "proof_placeholder": "Giả sử x = y. Khi đó x² = xy, nên x² − y² = xy − y² …   (Shift+Enter để chạy Gỡ lỗi)",
    "debug_button": "Gỡ lỗi",
    "stop_button": "Dừng",
    "answer_now_button": "Trả lời ngay",
    "guess_first_mode": "Đoán trước",
    "reveal_reasoning_button": "Hiện suy luận (T)",
    "reveal_button": "Công bố (R)",
    "covered_working": "Đang xử lý… cả lớp đoán trước",
    "covered_ready": "Câu trả lời đã sẵn sàng: nhấn Công bố (R)",
    "covered_reasoning": "Ẩn cho đến khi Hiện suy luận (T) hoặc Công bố (R): hãy đoán trước.",
    "covered_answer": "🙈 Ẩn cho đến khi Công bố (R). Chứng minh sai ở đâu?",
    "thinking_budget_label": "Giới hạn suy luận (giây, 0 = không giới hạn)",
    "effort_label": "Mức suy luận",
    "effort_auto": "tự động ({effort})",
    "effort_auto_fixed": "tự động (mô hình này không nhận mức suy luận)",
    "status_effort": "mức suy luận {effort}",
    "keys_title": "Phím tắt",
    "keys_run": "Chạy Gỡ lỗi (trong ô chứng minh)",
    "keys_stop": "Dừng",
    "keys_answer_now": "Trả lời ngay",
    "keys_reveal_reasoning": "Hiện phần suy luận (câu trả lời vẫn ẩn)",
    "keys_reveal": "Công bố câu trả lời và phần suy luận",
    "keys_fullscreen": "Bật hoặc tắt toàn màn hình",
    "keys_help": "Hiện danh sách này",
    "keys_close": "Đóng",
    "clear_button": "Xóa",
    "examples_label": "Ví dụ (✓ = một chứng minh đúng, dùng để đối chứng)",
    "topic_algebra": "Đại số",
    "topic_geometry": "Hình học",
    "topic_analysis": "Giải tích và giới hạn",
    "topic_number_theory": "Lý thuyết số",
    "topic_induction": "Quy nạp",
    "topic_logic": "Lôgic",
    "topic_probability": "Xác suất và thống kê",
    "topic_competition": "Bài toán thi (bộ đánh giá)",
    "skip_to_answer": "Chuyển đến câu trả lời",
    "health_checking": "Đang kiểm tra máy chủ mô hình…",
    "examples_search": "Gõ để tìm theo chủ đề, ngôn ngữ hoặc tiêu đề",
    "notes_label": "Ghi chú",
    "status_label": "Trạng thái",
    "reasoning_label": "Suy luận",
    "reasoning_latest": "↓ mới nhất",
    "reasoning_raw": "văn bản thô",
    "answer_label": "Câu trả lời",
    "download_markdown": "Tải xuống Markdown",
    "download_json": "Tải xuống JSON",
    "backend_panel": "Máy chủ mô hình",
    "server_label": "Máy chủ",
    "backend_ollama": "Ollama",
    "backend_openai": "Tương thích OpenAI (vLLM)",
    "backend_mistral": "API của Mistral (trên đám mây)",
    "backend_replay": "Phát lại một lần chạy đã ghi",
    "url_label": "URL",
    "model_label": "Mô hình (để trống: magistral trên Ollama, mô hình đầu tiên của máy chủ trên vLLM)",
    "refresh_button": "↻ Làm mới",
    "prompt_format_label": "Định dạng prompt",
    "prompt_format_auto": "Nhận diện theo tên mô hình",
    "temperature_label": "Nhiệt độ",
    "top_p_label": "top_p",
    "max_tokens_label": "Số token tối đa",
    "replay_label": "Phát lại một lần chạy được ghi lúc {date} với {model}",
    # talk mode: a rehearsal's replay, and its marks on the examples
    "rehearsal_replay": "Phát lại buổi chạy thử ngày {date} ({model}): không kết nối được với máy chủ mô hình",
    "rehearsal_mark_right": "✅ chạy thử: đúng",
    "rehearsal_mark_wrong": "❌ chạy thử: sai",
    "rehearsal_mark_not_run": "➖ chưa chạy thử",
    "health_ready_detail": "Sẵn sàng: {model} tại {url}",
    "status_idle": "Dán một lập luận hoặc chọn một ví dụ, rồi nhấn **Gỡ lỗi**.",
    "status_waiting": "Đang chờ {model}… {duration}",
    "status_waiting_model": "Đang chờ mô hình… {duration}",
    "status_thinking": "Đang suy nghĩ…",
    "status_answering": "Đang trả lời…",
    "status_busy": "Ứng dụng đang bận với các lần chạy của người khác: vui lòng thử lại sau giây lát.",
    "status_queued": "Đang chờ lượt trống: còn {ahead} lần chạy trước bạn…",
    "status_invalid_setting": "Cài đặt không hợp lệ ({fields}). Hãy sửa trong bảng Máy chủ mô hình.",
    "reasoning_thinking": "Đang suy nghĩ… {duration}",
    "reasoning_thought": "Đã suy nghĩ {duration} · {tokens} token",
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
    "stats_first_token": "token đầu tiên {duration}",
    "stats_thought": "suy nghĩ {duration}",
    "stats_tokens": "{reasoning} token suy luận + {answer} token trả lời",
    "stats_rate": "{rate} token/giây",
    # The photo box, the follow-up box and the conversation thread.
    "photo_label": "Ảnh chụp chứng minh (không bắt buộc)",
    "question_label": "Hỏi về chứng minh này",
    "question_placeholder": "Vì sao không thể giản ước x − y?   (Shift+Enter để hỏi)",
    "ask_button": "Hỏi",
    "conversation_label": "Cuộc trò chuyện",
    "thread_proof": "Chứng minh",
    "thread_asked": "Bạn đã hỏi",
    "thread_photo": "(một ảnh chụp)",
    # the verdict on the numbered steps: kinds of flaw, the badge, each step's mark
    "kind_division_by_zero": "chia cho không",
    "kind_invalid_cancellation": "giản ước sai",
    "kind_square_root_sign": "dấu của căn bậc hai",
    "kind_circular_reasoning": "lập luận vòng quanh",
    "kind_unproven_assumption": "giả thiết chưa được chứng minh",
    "kind_hasty_generalization": "khái quát hóa vội vàng",
    "kind_induction_gap": "lỗ hổng trong quy nạp",
    "kind_affirming_the_consequent": "khẳng định hệ quả",
    "kind_false_dilemma": "song đề giả",
    "kind_correlation_not_causation": "tương quan không phải là nhân quả",
    "kind_misuse_of_infinity": "dùng sai vô cực hoặc chuỗi phân kỳ",
    "kind_algebra_slip": "lỗi đại số hoặc số học",
    "kind_misused_definition": "dùng sai định nghĩa",
    "kind_other": "khác",
    "kind_other_named": "khác: {words}",
    "verdict_flawed_step": "Bước {step}: {kind}",
    "steps_label": "Phần chứng minh, từng bước",
    "verdict_no_flaw": "Không tìm thấy lỗi",
    "verdict_missing": "mô hình không chỉ ra bước sai nào",
    "step_checked": "đã kiểm tra",
    "step_built_on_broken": "dựa trên một bước sai",
    # the Markdown download
    "export_title": "Lần chạy Trình gỡ lỗi Magistral — {date}",
    "export_not_finished": "Chưa xong.",
    "export_argument": "Lập luận",
    "export_steps": "Các bước",
    "export_verdict": "Kết luận",
    "export_answer": "Câu trả lời",
    "export_no_answer": "(không có câu trả lời)",
    "export_reasoning": "Suy luận ({tokens} token)",
    "export_reasoning_timed": "Suy luận (đã suy nghĩ {duration}, {tokens} token)",
    "export_no_reasoning": "(không có suy luận)",
    "export_notes": "Ghi chú",
    "export_details": "Chi tiết lần chạy",
    "export_model": "Mô hình",
    "export_backend": "Máy chủ mô hình",
    "export_finish_reason": "Lý do kết thúc",
    "export_started": "Bắt đầu",
    "export_first_token": "Thời gian đến token đầu tiên",
    "export_thinking_time": "Thời gian suy nghĩ",
    "export_total_time": "Tổng thời gian",
    "export_tokens": "Số token",
    "export_speed": "Tốc độ",
    "export_prompt_tokens": "Token của prompt",
    # Public mode (ui/public/): a visitor's run refused, and when to try again.
    "public_settings_fixed": "Trang công khai này giữ cài đặt máy chủ của chủ trang: không thể đổi {fields} ở đây. Chưa gửi gì cả.",
    "public_max_tokens_cap": "Số token tối đa trên trang công khai này là {cap:,}; bạn đã yêu cầu {asked:,}. Chưa gửi gì cả.",
    "public_runs_per_hour": "Bạn đã dùng hết {limit} lần chạy của giờ này trên trang công khai này. Hãy thử lại sau {wait}.",
    "public_tokens_per_day": "Bạn đã dùng hết phần của mình trên trang công khai này hôm nay ({limit:,} token mỗi ngày). Hãy thử lại sau {wait}.",
    "public_tokens_per_day_soon": "Tính cả lần chạy đang diễn ra, bạn đã dùng hết phần của mình trên trang công khai này hôm nay ({limit:,} token mỗi ngày). Hãy thử lại khi lần chạy đó kết thúc.",
    "public_global_tokens_per_day": "Trang công khai này đã dùng hết mức được chi hôm nay ({limit:,} token cho mọi người). Hãy thử lại sau {wait}.",
    "public_global_tokens_per_day_soon": "Trang công khai này sắp dùng hết mức được chi hôm nay ({limit:,} token cho mọi người): phần còn lại đang được các lần chạy của người khác giữ. Hãy thử lại sau vài phút.",
    "public_runs_at_once": "Lần chạy khác của bạn vẫn đang diễn ra: mỗi người chỉ được {limit} lần cùng lúc trên trang công khai này. Hãy đợi nó kết thúc, hoặc dừng nó.",
    # The class's room (ui/room/): the projector's card and bars, the phone's page.
    "room_open_button": "Mở phòng học",
    "room_code": "Phòng {code}",
    "room_qr": "Mã QR của liên kết tham gia",
    "room_join_at": "Tham gia tại",
    "room_joined": "{count} người đã vào",
    "room_loopback_only": "Điện thoại không truy cập được ứng dụng này: nó chỉ nghe trên {host}. Hãy chạy với MAGISTRAL_HOST=0.0.0.0, hoặc đặt MAGISTRAL_PUBLIC_URL.",
    "room_teacher_link": "Liên kết giáo viên của bạn",
    "room_teacher_link_note": "Giữ liên kết này cho riêng bạn: nó nắm quyền điều khiển phòng (mở nó trên thiết bị khác, hoặc sau khi tải lại, để lấy lại quyền).",
    "room_close_voting": "Đóng bình chọn",
    "room_queue_label": "Chứng minh lớp đã gửi",
    "room_take_button": "Đưa vào ô chứng minh",
    "room_anonymous": "ẩn danh",
    "room_not_teacher": "Chỉ liên kết của giáo viên mới làm được việc đó.",
    "room_no_votes": "Chưa có phiếu nào",
    "room_votes_total": "{count} phiếu",
    "room_voting_open": "đang bình chọn",
    "room_voting_closed": "đã đóng bình chọn",
    "room_step": "bước {step}",
    "room_no_flaw": "Không có lỗi",
    "room_model": "mô hình",
    "room_class_model_same": "{percent} % chọn {answer} — mô hình cũng vậy",
    "room_class_model_differ": "{percent} % chọn {answer} — mô hình nói {model}",
    "room_class_model_none": "{percent} % chọn {answer} — mô hình không chỉ ra bước nào",
    "room_model_says": "Mô hình nói: {answer}",
    "room_model_no_step": "không chỉ ra bước nào",
    "room_phone_title": "Tham gia lớp",
    "room_phone_in_room": "Phòng {code}",
    "room_code_label": "Mã phòng",
    "room_name_label": "Tên của bạn (để trống để ẩn danh)",
    "room_join_button": "Tham gia",
    "room_unknown_code": "Không có phòng {code}. Hãy xem lại mã trên máy chiếu.",
    "room_waiting": "Đang chờ giáo viên đưa lên một chứng minh…",
    "room_vote_prompt": "Chứng minh sai đầu tiên ở đâu? Chạm vào một bước, hoặc Không có lỗi.",
    "room_your_vote": "Phiếu của bạn: {answer}. Bạn có thể đổi đến khi đóng bình chọn.",
    "room_closed_phone": "Đã đóng bình chọn. Phiếu của bạn: {answer}.",
    "room_closed_no_vote": "Đã đóng bình chọn.",
    "room_vote_refused": "Bình chọn đã đóng: phiếu đó không được tính.",
    "room_send_label": "Gửi một chứng minh cho giáo viên",
    "room_send_text": "Chứng minh của bạn",
    "room_send_button": "Gửi",
    "room_sent": "Đã gửi: nó đang trong hàng chờ của giáo viên.",
    "room_send_empty": "Không có gì để gửi: hãy gõ chứng minh hoặc thêm một ảnh của nó.",
    "room_send_too_long": "Có {length} ký tự; giới hạn là {limit}.",
    "room_send_too_often": "Bạn đã gửi {count} chứng minh trong {minutes} phút; hãy chờ một chút trước khi gửi tiếp.",
    "room_send_photo": "Hoặc một ảnh của nó",
    "room_project_button": "Chiếu bài này",
    "room_project_nothing": "Thẻ này không có chứng minh nào để đưa lên cho cả lớp: hãy gõ một chứng minh, hoặc lấy một bài từ hàng chờ.",
    "room_reveal_other": "Cả lớp đang bình chọn chứng minh của một thẻ khác, không phải thẻ này: hãy bấm Chiếu bài này trước, hoặc tiết lộ ở thẻ đã chiếu nó.",
    "room_photo_needs_vision": "Ảnh của chứng minh này cần một mô hình đọc được ảnh (mô hình thị giác): hãy chọn một mô hình trong bảng máy chủ rồi lấy lại. Nó vẫn ở trong hàng chờ.",
    "export_class_vote": "Phiếu của cả lớp",
    # phiếu bài tập: PDF (và .tex), đáp án ở trang 2
    "handout_title": "Tìm bước sai",
    "handout_name": "Họ tên",
    "handout_date": "Ngày",
    "handout_instructions": "Đọc từng bước. Đánh ✓ nếu bước đó suy ra được từ các bước trước, ✗ nếu không, và ghi lý do trên dòng kẻ.",
    "handout_problem": "Đề bài",
    "handout_key": "Đáp án",
    "handout_verdict": "Kết luận",
    "handout_step": "Bước {step}",
    "handout_flaw": "Sai ở đâu",
    "handout_explanation": "Giải thích của mô hình",
    "handout_key_empty": "Chưa có kết luận: hãy gỡ lỗi chứng minh rồi tạo lại phiếu.",
    "handout_button": "Phiếu bài tập (PDF, .tex)",
    "handout_files": "Phiếu bài tập",
    "handout_failed": "Không tạo được phiếu bài tập ({detail}); những gì trang đang hiển thị vẫn giữ nguyên.",
}

# Messages from the engine: what went wrong and what to do. A {detail} is the server's own
# words (or a technical detail of a file) and is shown as it came.
ENGINE = {
    # the text and the photo, before anything is sent
    "input_empty": "Hãy dán một lập luận hoặc chứng minh có lỗi trước (hoặc chọn một ví dụ).",
    "input_too_long": (
        "Văn bản dài {length:,} ký tự; giới hạn là {limit:,} (MAGISTRAL_MAX_INPUT_CHARS). "
        "Hãy chỉ dán phần nghi là có lỗi."
    ),
    "image_link_refused": "Chỉ gửi được ảnh tải lên tại đây (không gửi được đường liên kết tới ảnh).",
    "image_data_damaged": "Dữ liệu ảnh bị hỏng: hãy tải ảnh lên lại.",
    "image_cannot_open": "Không mở được ảnh {name!r}: hãy tải ảnh lên lại.",
    "image_too_big": (
        "Ảnh nặng {megabytes:.1f} MB; giới hạn là {limit:g} MB (MAGISTRAL_MAX_IMAGE_MB). "
        "Hãy chụp ở độ phân giải thấp hơn hoặc cắt ảnh chỉ còn phần chứng minh."
    ),
    "image_file_named": "Tệp {name!r}",
    "image_uploaded_file": "Tệp đã tải lên",
    "image_empty": "Ảnh đã tải lên bị trống (0 byte): hãy tải ảnh lên lại.",
    "image_not_an_image": (
        "{what} không phải là ảnh mà ứng dụng này đọc được. Hãy tải lên ảnh chụp hoặc ảnh màn hình dạng JPEG, "
        "PNG, WebP, GIF, BMP hoặc TIFF (một tệp chỉ được đổi tên thành .png thì vẫn không phải là ảnh)."
    ),
    "image_too_many_pixels": (
        "{what} có quá nhiều điểm ảnh, không giống ảnh chụp một chứng minh; hãy cắt hoặc thu nhỏ ảnh."
    ),
    "image_damaged": "{what} trông giống ảnh nhưng bị hỏng hoặc bị cắt cụt: hãy tải lên lại.",
    "images_model_no_vision": "Mô hình {model} tại {url} không nhận hình ảnh: hãy bỏ ảnh và gõ phần chứng minh.",
    "images_turned_off": (
        "Tính năng ảnh đang tắt (MAGISTRAL_VISION=false): hãy bỏ ảnh và gõ chứng minh vào ô văn bản."
    ),
    "images_ollama_no_vision": (
        "Mô hình {model!r} tại {url} không đọc được ảnh (Ollama không liệt kê khả năng vision cho mô hình này). "
        "Hãy bỏ ảnh và gõ chứng minh, hoặc chọn một mô hình nhìn được ảnh, chẳng hạn Magistral Small 1.2."
    ),
    "images_off_for_model": (
        "Ảnh đang tắt với {model!r} tại {url}: trong các mô hình Magistral, chỉ Small 1.2 (2509) đọc được ảnh. "
        "Hãy bỏ ảnh và gõ chứng minh, hoặc đặt MAGISTRAL_VISION=true nếu máy chủ này nhận ảnh "
        "(vLLM: {flag})."
    ),
    # reaching the server
    "connect_timeout": (
        "Kết nối tới {url} bị quá thời gian: không có phản hồi. Hãy kiểm tra URL và xem máy chủ đã chạy chưa "
        "({start}); cũng có thể tường lửa đang chặn kết nối."
    ),
    "host_unknown": "Không phân giải được tên máy {host!r} trong {url}. Hãy kiểm tra xem URL có gõ nhầm không.",
    "connection_refused": (
        "Không kết nối được tới máy chủ mô hình tại {url} (kết nối bị từ chối). Hãy khởi động nó bằng {start}, "
        "hoặc đặt đúng URL."
    ),
    "closed_without_answer": (
        "Máy chủ tại {url} đã đóng kết nối mà không trả lời. Hãy kiểm tra xem URL này có đúng là máy chủ mô hình "
        "không ({start}) rồi thử lại."
    ),
    "connection_broke": "Kết nối tới {url} bị ngắt giữa chừng; phần đã nhận vẫn được giữ. Hãy thử lại.",
    "server_went_silent": "Máy chủ tại {url} đã ngừng phản hồi (quá thời gian chờ). Hãy thử lại.",
    "talking_failed": "Giao tiếp với {url} thất bại: {detail}. Hãy thử lại.",
    "web_page_not_api": (
        "{url} trả về một trang web (HTTP {status}) chứ không phải API của mô hình: có một proxy hoặc chương trình "
        "khác chen vào giữa, hoặc URL bị sai. Hãy kiểm tra URL, và xem máy chủ mô hình phía sau proxy có đang "
        "chạy không."
    ),
    "no_first_token": (
        "Không có phản hồi từ {url} trong {seconds:g} giây (mô hình {model!r}). Có thể mô hình vẫn đang tải: "
        "hãy thử lại, hoặc tăng MAGISTRAL_FIRST_TOKEN_TIMEOUT."
    ),
    "stream_stalled": (
        "Luồng dữ liệu từ {url} bị đứng {seconds:g} giây; phần đã nhận vẫn được giữ. Hãy thử lại, hoặc tăng "
        "MAGISTRAL_READ_TIMEOUT."
    ),
    "unexpected_failure": (
        "Đã xảy ra lỗi không mong đợi khi giao tiếp với {url} ({detail}); phần đã nhận vẫn được giữ. Hãy thử lại, "
        "và kiểm tra xem URL có trỏ tới đúng loại máy chủ không."
    ),
    # the app's own files (an incomplete installation, not the server)
    "own_file_unreadable": (
        "Ứng dụng không đọc được tệp của chính nó {path} ({detail}): bản cài đặt chưa đầy đủ, không phải lỗi "
        "của máy chủ. Hãy cài lại gói."
    ),
    # what a server said: Ollama
    "ollama_not_json": (
        "Ollama tại {url} gửi một dòng không phải JSON ({line}…). URL đó có thật là máy chủ Ollama không?"
    ),
    "ollama_odd_line": (
        "Ollama tại {url} gửi một dòng có dạng không như mong đợi ({line}…). URL đó có thật là máy chủ Ollama không?"
    ),
    "ollama_error_mid_answer": (
        "Ollama tại {url} báo lỗi khi đang trả lời: {detail}. Phần đã nhận vẫn được giữ; hãy thử lại."
    ),
    "ollama_stream_ended_early": (
        "Luồng dữ liệu từ Ollama tại {url} kết thúc trước khi câu trả lời hoàn tất; phần đã nhận vẫn được giữ. "
        "Hãy thử lại."
    ),
    "ollama_wrong_url": (
        "{url} có vẻ không phải máy chủ Ollama: nó trả về HTTP 404 ({detail}). Hãy kiểm tra URL (của Ollama "
        "thường là http://localhost:11434, không có /v1), hoặc chọn máy chủ Tương thích OpenAI (vLLM)."
    ),
    "ollama_model_missing": "Ollama tại {url} không có mô hình {model!r}. Hãy tải về bằng `ollama pull {model}`.",
    "ollama_too_large": (
        "Yêu cầu quá lớn so với ngữ cảnh của {model!r} tại {url}: {detail}. Hãy rút ngắn văn bản, giảm số token "
        "tối đa, hoặc cho Ollama ngữ cảnh lớn hơn (OLLAMA_CONTEXT_LENGTH)."
    ),
    "ollama_refused": (
        "Ollama tại {url} từ chối yêu cầu cho {model!r}: {detail}. Hãy kiểm tra tên mô hình và các cài đặt "
        "trong bảng Máy chủ mô hình."
    ),
    "ollama_http_error": "Ollama tại {url} trả về HTTP {status}: {detail}. Hãy thử lại.",
    "ollama_not_its_api": "{url} trả về nội dung không phải API của Ollama.",
    "ollama_no_thinking": "{model} không hỗ trợ chế độ suy nghĩ; lần này sẽ chạy không có chế độ đó.",
    "ollama_pull_hint": "Hãy tải về bằng `ollama pull {model}`.",
    "ollama_vision_hint": "dùng `ollama pull` để tải một mô hình có khả năng vision",
    # what a server said: OpenAI-compatible (vLLM)
    "openai_unreachable": "Không kết nối được tới máy chủ mô hình tại {url}. Hãy khởi động nó bằng {start}.",
    "openai_no_models": "Máy chủ tại {url} không liệt kê mô hình nào. {start}",
    "openai_serve_hint": "Hãy chạy mô hình, ví dụ {start}, hoặc chọn một mô hình mà máy chủ liệt kê.",
    "openai_max_tokens_lowered": (
        "Số token tối đa đã được giảm từ {requested:,} xuống {fitted:,} cho vừa ngữ cảnh {limit:,} token "
        "của máy chủ (--max-model-len)."
    ),
    "openai_not_utf8": (
        "Máy chủ tại {url} gửi các byte không phải văn bản UTF-8 hợp lệ; phần đã nhận vẫn được giữ. Hãy kiểm tra "
        "chương trình nào đang chạy ở URL đó, rồi thử lại."
    ),
    "openai_not_json": (
        "Máy chủ tại {url} gửi một dòng dữ liệu không phải JSON. URL đó có phải máy chủ tương thích OpenAI không?"
    ),
    "openai_odd_chunk": (
        "Máy chủ tại {url} gửi một khối dữ liệu có dạng không như mong đợi; phần đã nhận vẫn được giữ. "
        "URL đó có phải máy chủ tương thích OpenAI không?"
    ),
    "openai_stream_ended_early": (
        "Luồng dữ liệu từ {url} kết thúc trước khi câu trả lời hoàn tất; phần đã nhận vẫn được giữ. Hãy thử lại."
    ),
    "openai_error_mid_answer": (
        "Máy chủ tại {url} báo lỗi khi đang trả lời: {detail}. Phần đã nhận vẫn được giữ; hãy thử lại."
    ),
    "openai_key_refused": "Máy chủ tại {url} từ chối khóa API (HTTP 401): hãy đặt MAGISTRAL_OPENAI_API_KEY.",
    "openai_wrong_url": (
        "{url} có vẻ không phải API tương thích OpenAI: nó trả về HTTP 404 ({detail}). Hãy kiểm tra URL: "
        "URL của vLLM kết thúc bằng /v1, ví dụ http://localhost:8000/v1."
    ),
    "openai_model_missing": (
        "Máy chủ tại {url} không có mô hình {model!r}: {detail}. Hãy chọn một mô hình mà máy chủ liệt kê, "
        "hoặc chạy mô hình đó bằng {start}."
    ),
    "openai_too_large": (
        "Yêu cầu quá lớn so với ngữ cảnh của mô hình tại {url}: {detail}. Hãy rút ngắn văn bản hoặc giảm số token "
        "tối đa."
    ),
    "openai_refused": (
        "Máy chủ tại {url} từ chối yêu cầu cho {model!r}: {detail}. Hãy kiểm tra tên mô hình và các cài đặt "
        "trong bảng Máy chủ mô hình."
    ),
    "openai_http_error": "Máy chủ tại {url} trả về HTTP {status}: {detail}. Hãy thử lại.",
    "vllm_vision_hint": "vLLM: chạy Magistral Small 2509 với {flag}",
    "images_refused": (
        "Máy chủ tại {url} từ chối ảnh: {detail}. Mô hình {model!r} ở đó không nhận ảnh. Hãy bỏ ảnh và gõ "
        "chứng minh, hoặc chạy một mô hình nhìn được ảnh ({start})."
    ),
    # the health badge
    "health_model_not_there": "{url} đang chạy, nhưng không có mô hình {model!r}. {hint}",
    "health_three_ways": "Chưa có máy chủ mô hình? Chọn một trong ba cách: **Ollama** — {ollama}; **vLLM** (hoặc máy chủ tương thích OpenAI) — {vllm}; **API của Mistral** — {mistral}.",
    # follow-up questions
    "dropped_oldest_turn": (
        "Đã bỏ lượt cũ nhất của cuộc trò chuyện này cho vừa ngữ cảnh {context:,} token của mô hình."
    ),
    "dropped_oldest_turns": (
        "Đã bỏ {count} lượt cũ nhất của cuộc trò chuyện này cho vừa ngữ cảnh {context:,} token của mô hình."
    ),
    # recording and replay
    "not_recording": "Lần chạy này không được ghi lại: không ghi được vào {folder} ({detail}).",
    "recording_stopped": "Đã ngừng ghi: không ghi được vào {path} ({detail}).",
    "replay_none_chosen": (
        "Chưa chọn bản ghi để phát lại: hãy đặt MAGISTRAL_REPLAY_FILE là một tệp .jsonl trong thư mục "
        "MAGISTRAL_RECORD_DIR."
    ),
    "replay_model_hint": "Bản phát lại dùng đúng mô hình đã ghi ({model}); cài đặt mô hình không có tác dụng.",
    "replay_recorded_error": "Lần chạy được ghi đã gặp lỗi: {detail}",
    "replay_recorded_stop": (
        "Lần chạy được ghi đã bị dừng sau {seconds:.1f} giây, nên bản phát lại cũng kết thúc tại đây."
    ),
    "recording_missing": (
        "Không có bản ghi nào tại {path}. Hãy kiểm tra MAGISTRAL_REPLAY_FILE (một tệp .jsonl trong thư mục "
        "MAGISTRAL_RECORD_DIR)."
    ),
    "recording_unreadable": "Không đọc được bản ghi {path}: {detail}.",
    "recording_empty": "Bản ghi {path} trống: không có gì để phát lại.",
    "recording_damaged": "Bản ghi {path} bị hỏng: dòng {line} — {detail}. Không thể phát lại.",
    "recording_cut_short": (
        "Bản ghi {path} dừng ở dòng {line} mà không có dòng kết thúc: nó bị cắt cụt (ứng dụng đã dừng, hoặc tệp "
        "bị sao chép, khi lần chạy vẫn đang được ghi). Không thể phát lại."
    ),
    # Mistral's API, prompt formats read from the server, rate limits, models that do not think
    "model_no_thinking": (
        "Máy chủ tại {url} cho biết {model} không có chế độ suy nghĩ: lần này chạy không có chế độ đó (phần suy luận "
        "nó viết giữa các thẻ suy nghĩ vẫn hiện ở khung suy luận)."
    ),
    "format_tokenizer_think": "Prompt [THINK] cho {model}: bộ tách từ của máy chủ có token suy nghĩ.",
    "format_tokenizer_plain": "Prompt <think> cho {model}: bộ tách từ của máy chủ không có token suy nghĩ.",
    "format_checkpoint": "Prompt {format} cho {model}: máy chủ đã nạp {checkpoint}.",
    "format_ollama_template": "Prompt {format} cho {model}: template Ollama của nó viết thẻ {format}.",
    "format_mistral_api": "Prompt [THINK] cho {model}: API của Mistral nhận các khối suy nghĩ.",
    "rate_limited": "{url} đang giới hạn tần suất yêu cầu: hãy thử lại sau {seconds} giây (HTTP 429: {detail}).",
    "rate_limited_no_wait": "{url} đang giới hạn tần suất yêu cầu: hãy thử lại sau giây lát (HTTP 429: {detail}).",
    "mistral_no_key": (
        "Thiếu khóa API của Mistral: hãy đặt MAGISTRAL_MISTRAL_API_KEY (hoặc MISTRAL_API_KEY) bằng một khóa từ "
        "console.mistral.ai."
    ),
    "mistral_key_refused": (
        "API của Mistral tại {url} từ chối khóa API (HTTP 401): hãy đặt MAGISTRAL_MISTRAL_API_KEY (hoặc "
        "MISTRAL_API_KEY) bằng một khóa hợp lệ từ console.mistral.ai."
    ),
    "mistral_offline": (
        "Không kết nối được API của Mistral tại {url}: máy này có vẻ không có internet (hoặc tường lửa hay proxy "
        "chặn). Hãy kết nối mạng, hoặc dùng máy chủ cục bộ (Ollama hoặc vLLM)."
    ),
    "mistral_model_missing": (
        "API của Mistral tại {url} không có mô hình {model!r} cho khóa này: {detail}. Hãy thử {default} hoặc "
        "mistral-medium-3-5."
    ),
    "mistral_model_hint": "Hãy chọn một mô hình mà khóa của bạn dùng được, ví dụ {default} hoặc mistral-medium-3-5.",
    # Answer now and the thinking budget
    "thinking_stopped_by_you": "Bạn đã dừng suy luận (Trả lời ngay).",
    "thinking_budget_reached": "Suy luận đã dừng ở giới hạn {seconds:g} giây.",
    "answer_now_prefill": (
        "Mô hình trả lời dựa trên phần suy luận đến lúc này: lượt của chính nó được gửi lại, đã đóng, để nó viết tiếp."
    ),
    "answer_now_second_turn": (
        "Template của mô hình này không cho viết tiếp lượt của chính nó, nên phần suy luận đến lúc "
        "này được gửi lại như một lượt đã xong, kèm một câu hỏi mới yêu cầu trả lời ngay."
    ),
    "answer_now_no_answer": (
        "Không có câu trả lời nào sau khi dừng suy luận: máy chủ tại {url} kết thúc lượt được viết "
        "tiếp mà không có chữ nào. Trên vLLM, mistral-common cũ hơn 1.11.3 đóng lượt đó thay vì "
        "viết tiếp: hãy nâng cấp nó trên máy chủ. Phần suy luận đến lúc này được giữ lại."
    ),
    # reasoning effort, deprecated names, Stop before the first token
    "effort_not_adjustable": "{model} không nhận mức suy luận ở đây, nên {effort} không được gửi: nó vẫn suy nghĩ như mọi khi.",
    "effort_not_taken": "{model} nhận mức suy luận {efforts}, không nhận {effort}: hãy chọn một trong số đó (bảng máy chủ, --effort hoặc MAGISTRAL_REASONING_EFFORT). Chưa gửi gì cả.",
    "effort_none_no_thinking": "Mức suy luận none: {model} trả lời mà không suy nghĩ, nên không có phần suy luận để hiện.",
    "effort_refused": "Máy chủ tại {url} đã từ chối mức suy luận yêu cầu cho {model}: {detail}. Hãy chọn mức khác (bảng máy chủ, --effort hoặc MAGISTRAL_REASONING_EFFORT).",
    "mistral_model_deprecated": "{model} đã bị ngừng khuyến dùng trên API của Mistral (Magistral Medium 1.0 đã bị gỡ): nó vẫn chạy nếu Mistral còn phục vụ, và tài liệu của Mistral đề xuất {replacement} thay thế.",
    "ollama_stop_during_prompt": "Ollama tại {url} có thể vẫn đọc tiếp lời nhắc cho đến hết: nó không nhận ra việc ngắt kết nối trước token đầu tiên (ollama#11889).",
    # A busy server asked once more (backends/openai_compat.py).
    "server_busy_retrying": "{url} đang bận (HTTP {status}): sẽ hỏi lại một lần nữa sau {seconds} giây.",
}
