"""The page's words in Spanish."""

PAGE = {
    "app_title": "Magistral Debugger",
    "intro": "Pega un argumento o una demostración con un error. Magistral razona paso a paso y explica dónde falla.",
    "presenter_mode": "Modo presentación",
    "language": "Idioma",
    "proof_label": "Argumento o demostración con error",
    "proof_placeholder": "Supongamos x = y. Entonces x² = xy, así que x² − y² = xy − y² …   (Shift+Enter ejecuta Depurar)",
    "debug_button": "Depurar",
    "stop_button": "Detener",
    "answer_now_button": "Responder ahora",
    "guess_first_mode": "Adivina primero",
    "reveal_reasoning_button": "Mostrar razonamiento (T)",
    "reveal_button": "Revelar (R)",
    "covered_working": "Trabajando… la clase adivina primero",
    "covered_ready": "La respuesta está lista: pulsa Revelar (R)",
    "covered_reasoning": "Oculto hasta Mostrar razonamiento (T) o Revelar (R): adivina primero.",
    "covered_answer": "🙈 Oculto hasta Revelar (R). ¿Dónde falla la demostración?",
    "thinking_budget_label": "Límite de razonamiento (segundos, 0 = ninguno)",
    "effort_label": "Esfuerzo de razonamiento",
    "effort_auto": "automático ({effort})",
    "effort_auto_fixed": "automático (este modelo no acepta esfuerzo)",
    "status_effort": "esfuerzo de razonamiento {effort}",
    "keys_title": "Atajos de teclado",
    "keys_run": "Ejecutar Depurar (en el cuadro de la demostración)",
    "keys_stop": "Detener",
    "keys_answer_now": "Responder ya",
    "keys_reveal_reasoning": "Mostrar el razonamiento (la respuesta sigue oculta)",
    "keys_reveal": "Revelar la respuesta y el razonamiento",
    "keys_fullscreen": "Activar o salir de pantalla completa",
    "keys_help": "Mostrar esta lista",
    "keys_close": "Cerrar",
    "clear_button": "Borrar",
    "examples_label": "Ejemplos (✓ = una demostración correcta, como control)",
    "topic_algebra": "Álgebra",
    "topic_geometry": "Geometría",
    "topic_analysis": "Cálculo y límites",
    "topic_number_theory": "Teoría de números",
    "topic_induction": "Inducción",
    "topic_logic": "Lógica",
    "topic_probability": "Probabilidad y estadística",
    "topic_competition": "Problemas de competición (benchmarks)",
    "skip_to_answer": "Saltar a la respuesta",
    "health_checking": "Comprobando el servidor del modelo…",
    "examples_search": "Escribe para buscar por tema, idioma o título",
    "notes_label": "Notas",
    "status_label": "Estado",
    "reasoning_label": "Razonamiento",
    "reasoning_latest": "↓ lo último",
    "reasoning_raw": "texto sin formato",
    "answer_label": "Respuesta",
    "download_markdown": "Descargar Markdown",
    "download_json": "Descargar JSON",
    "backend_panel": "Servidor del modelo",
    "server_label": "Servidor",
    "backend_ollama": "Ollama",
    "backend_openai": "Compatible con OpenAI (vLLM)",
    "backend_mistral": "API de Mistral (en la nube)",
    "backend_replay": "Reproducir una ejecución grabada",
    "url_label": "URL",
    "model_label": "Modelo (vacío: magistral en Ollama, el primer modelo del servidor en vLLM)",
    "refresh_button": "↻ Actualizar",
    "prompt_format_label": "Formato del prompt",
    "prompt_format_auto": "Detectar por el nombre del modelo",
    "temperature_label": "Temperatura",
    "top_p_label": "top_p",
    "max_tokens_label": "Máximo de tokens",
    "replay_label": "Reproducción de una ejecución grabada el {date} con {model}",
    # talk mode: a rehearsal's replay, and its marks on the examples
    "rehearsal_replay": "Reproducción del ensayo del {date} ({model}): no se puede conectar con el servidor del modelo",
    "rehearsal_mark_right": "✅ ensayo: acierto",
    "rehearsal_mark_wrong": "❌ ensayo: fallo",
    "rehearsal_mark_not_run": "➖ sin ensayar",
    "health_ready_detail": "Listo: {model} en {url}",
    "status_idle": "Pega un argumento o elige un ejemplo y pulsa **Depurar**.",
    "status_waiting": "Esperando a {model}… {duration}",
    "status_waiting_model": "Esperando al modelo… {duration}",
    "status_thinking": "Pensando…",
    "status_answering": "Respondiendo…",
    "status_busy": "La aplicación está ocupada con ejecuciones de otras personas: inténtalo de nuevo en un momento.",
    "status_queued": "Esperando un turno libre: {ahead} ejecución(es) por delante de la tuya…",
    "status_invalid_setting": "Ajuste no válido ({fields}). Corrígelo en el panel Servidor del modelo.",
    "reasoning_thinking": "Pensando… {duration}",
    "reasoning_thought": "Pensó durante {duration} · {tokens} tokens",
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
    "stats_first_token": "primer token {duration}",
    "stats_thought": "pensó {duration}",
    "stats_tokens": "{reasoning} tokens de razonamiento + {answer} de respuesta",
    "stats_rate": "{rate} tokens/s",
    # The photo box, the follow-up box and the conversation thread.
    "photo_label": "Foto de la demostración (opcional)",
    "question_label": "Pregunta sobre esta demostración",
    "question_placeholder": "¿Por qué no podemos cancelar x − y?   (Shift+Enter pregunta)",
    "ask_button": "Preguntar",
    "conversation_label": "Conversación",
    "thread_proof": "La demostración",
    "thread_asked": "Preguntaste",
    "thread_photo": "(una foto)",
    # the verdict on the numbered steps: kinds of flaw, the badge, each step's mark
    "kind_division_by_zero": "división por cero",
    "kind_invalid_cancellation": "cancelación inválida",
    "kind_square_root_sign": "signo de la raíz cuadrada",
    "kind_circular_reasoning": "razonamiento circular",
    "kind_unproven_assumption": "suposición no demostrada",
    "kind_hasty_generalization": "generalización apresurada",
    "kind_induction_gap": "fallo en la inducción",
    "kind_affirming_the_consequent": "afirmación del consecuente",
    "kind_false_dilemma": "falso dilema",
    "kind_correlation_not_causation": "correlación no implica causalidad",
    "kind_misuse_of_infinity": "mal uso del infinito o de series divergentes",
    "kind_algebra_slip": "error de álgebra o de aritmética",
    "kind_misused_definition": "definición mal usada",
    "kind_other": "otro",
    "kind_other_named": "otro: {words}",
    "verdict_flawed_step": "Paso {step}: {kind}",
    "steps_label": "La demostración, paso a paso",
    "verdict_no_flaw": "No se encontró ningún fallo",
    "verdict_missing": "el modelo no señaló ningún paso",
    "step_checked": "comprobado",
    "step_built_on_broken": "construido sobre un paso erróneo",
    # the Markdown download
    "export_title": "Ejecución de Magistral Debugger — {date}",
    "export_not_finished": "Sin terminar.",
    "export_argument": "El argumento",
    "export_steps": "Pasos",
    "export_verdict": "Veredicto",
    "export_answer": "La respuesta",
    "export_no_answer": "(sin respuesta)",
    "export_reasoning": "Razonamiento ({tokens} tokens)",
    "export_reasoning_timed": "Razonamiento (pensó durante {duration}, {tokens} tokens)",
    "export_no_reasoning": "(sin razonamiento)",
    "export_notes": "Notas",
    "export_details": "Detalles de la ejecución",
    "export_model": "Modelo",
    "export_backend": "Servidor del modelo",
    "export_finish_reason": "Motivo de fin",
    "export_started": "Inicio",
    "export_first_token": "Tiempo hasta el primer token",
    "export_thinking_time": "Tiempo de razonamiento",
    "export_total_time": "Tiempo total",
    "export_tokens": "Tokens generados",
    "export_speed": "Velocidad",
    "export_prompt_tokens": "Tokens del prompt",
    # Public mode (ui/public/): a visitor's run refused, and when to try again.
    "public_settings_fixed": "Esta página pública mantiene la configuración de servidor de su dueño: {fields} no se puede cambiar aquí. No se envió nada.",
    "public_max_tokens_cap": "El máximo de tokens en esta página pública es {cap:,}; se pidieron {asked:,}. No se envió nada.",
    "public_runs_per_hour": "Ya hiciste tus {limit} ejecuciones de esta hora en esta página pública. Inténtalo de nuevo en {wait}.",
    "public_tokens_per_day": "Ya usaste tu parte de esta página pública hoy ({limit:,} tokens al día). Inténtalo de nuevo en {wait}.",
    "public_tokens_per_day_soon": "Ya usaste tu parte de esta página pública hoy ({limit:,} tokens al día), contando la ejecución en curso. Inténtalo de nuevo cuando termine.",
    "public_global_tokens_per_day": "Esta página pública ya gastó lo que puede hoy ({limit:,} tokens para todos). Inténtalo de nuevo en {wait}.",
    "public_global_tokens_per_day_soon": "Esta página pública casi gastó lo que puede hoy ({limit:,} tokens para todos): las ejecuciones de otras personas ocupan el resto. Inténtalo de nuevo en unos minutos.",
    "public_runs_at_once": "Tu otra ejecución sigue en curso: {limit} a la vez por persona en esta página pública. Espera a que termine, o detenla.",
    # The class's room (ui/room/): the projector's card and bars, the phone's page.
    "room_open_button": "Abrir una sala",
    "room_code": "Sala {code}",
    "room_qr": "Código QR del enlace para entrar",
    "room_join_at": "Entra en",
    "room_joined": "{count} dentro",
    "room_loopback_only": "Los móviles no llegan a esta app: solo escucha en {host}. Iníciala con MAGISTRAL_HOST=0.0.0.0, o define MAGISTRAL_PUBLIC_URL.",
    "room_teacher_link": "Tu enlace de docente",
    "room_teacher_link_note": "Guarda este enlace para ti: tiene los controles de la sala (ábrelo en otro aparato, o tras recargar, para recuperarlos).",
    "room_close_voting": "Cerrar la votación",
    "room_queue_label": "Demostraciones enviadas por la clase",
    "room_take_button": "Ponerla en el cuadro de la demostración",
    "room_anonymous": "anónimo",
    "room_not_teacher": "Solo el enlace del docente puede hacer eso.",
    "room_no_votes": "Aún no hay votos",
    "room_votes_total": "{count} votos",
    "room_voting_open": "votación abierta",
    "room_voting_closed": "votación cerrada",
    "room_step": "paso {step}",
    "room_no_flaw": "Sin fallo",
    "room_model": "el modelo",
    "room_class_model_same": "{percent} % eligió {answer} — y el modelo también",
    "room_class_model_differ": "{percent} % eligió {answer} — el modelo dice {model}",
    "room_class_model_none": "{percent} % eligió {answer} — el modelo no señaló ningún paso",
    "room_model_says": "El modelo dice: {answer}",
    "room_model_no_step": "ningún paso señalado",
    "room_phone_title": "Entrar en la clase",
    "room_phone_in_room": "Sala {code}",
    "room_code_label": "Código de la sala",
    "room_name_label": "Tu nombre (déjalo vacío para quedar anónimo)",
    "room_join_button": "Entrar",
    "room_unknown_code": "No hay ninguna sala {code}. Revisa el código en el proyector.",
    "room_waiting": "Esperando a que el docente muestre una demostración…",
    "room_vote_prompt": "¿Dónde falla primero la demostración? Toca un paso, o Sin fallo.",
    "room_your_vote": "Tu voto: {answer}. Puedes cambiarlo hasta que se cierre la votación.",
    "room_closed_phone": "La votación está cerrada. Tu voto: {answer}.",
    "room_closed_no_vote": "La votación está cerrada.",
    "room_vote_refused": "La votación se cerró: ese voto no contó.",
    "room_send_label": "Enviar una demostración al docente",
    "room_send_text": "Tu demostración",
    "room_send_button": "Enviar",
    "room_sent": "Enviada: está en la cola del docente.",
    "room_send_empty": "No hay nada que enviar: escribe la demostración o añade una foto de ella.",
    "room_send_too_long": "Son {length} caracteres; el límite es {limit}.",
    "room_send_too_often": "Enviaste {count} demostraciones en {minutes} minutos; espera un poco antes de la siguiente.",
    "room_send_photo": "O una foto de ella",
    "room_project_button": "Proyectar esta",
    "room_project_nothing": "En esta pestaña no hay ninguna demostración que mostrar a la clase: escribe una o toma una de la cola.",
    "room_reveal_other": "La clase vota sobre la demostración de otra pestaña, no sobre esta: pulsa primero Proyectar esta, o revela en la pestaña que la proyectó.",
    "room_photo_needs_vision": "La foto de esta demostración necesita un modelo que lea imágenes (un modelo de visión): elige uno en el panel del servidor y vuelve a tomarla. Sigue en la cola.",
    "export_class_vote": "El voto de la clase",
    # la hoja de ejercicios: un PDF (y .tex) con las soluciones en la página 2
    "handout_title": "Encuentra el paso erróneo",
    "handout_name": "Nombre",
    "handout_date": "Fecha",
    "handout_instructions": "Lee cada paso. Marca ✓ si se deduce de lo anterior, ✗ si no, y escribe por qué en la línea.",
    "handout_problem": "Problema",
    "handout_key": "Soluciones",
    "handout_verdict": "Veredicto",
    "handout_step": "Paso {step}",
    "handout_flaw": "Qué está mal",
    "handout_explanation": "La explicación del modelo",
    "handout_key_empty": "Aún no hay veredicto: depura la demostración y vuelve a generar la hoja.",
    "handout_button": "Hoja de ejercicios (PDF, .tex)",
    "handout_files": "Hoja de ejercicios",
    "handout_failed": "No se pudo generar la hoja de ejercicios ({detail}); lo que muestra la página no cambió.",
}

ENGINE = {
    # the text and the photo, before anything is sent
    "input_empty": "Primero pega un argumento o una demostración con un error (o elige un ejemplo).",
    "input_too_long": (
        "El texto tiene {length:,} caracteres; el límite es {limit:,} (MAGISTRAL_MAX_INPUT_CHARS). "
        "Pega solo la parte con el error que sospechas."
    ),
    "image_link_refused": "Solo se pueden enviar imágenes subidas aquí (no un enlace a una imagen).",
    "image_data_damaged": "Los datos de la imagen están dañados: súbela de nuevo.",
    "image_cannot_open": "No se pudo abrir la imagen {name!r}: súbela de nuevo.",
    "image_too_big": (
        "La imagen ocupa {megabytes:.1f} MB; el límite es {limit:g} MB (MAGISTRAL_MAX_IMAGE_MB). "
        "Toma la foto con menos resolución o recórtala a la demostración."
    ),
    "image_file_named": "El archivo {name!r}",
    "image_uploaded_file": "El archivo subido",
    "image_empty": "La imagen subida está vacía (0 bytes): súbela de nuevo.",
    "image_not_an_image": (
        "{what} no es una imagen que esta aplicación pueda leer. Sube una foto o captura de pantalla en JPEG, PNG, "
        "WebP, GIF, BMP o TIFF (un archivo solo renombrado a .png sigue sin ser una imagen)."
    ),
    "image_too_many_pixels": (
        "{what} tiene demasiados píxeles para ser la foto de una demostración; recórtala o redúcela."
    ),
    "image_damaged": "{what} parece una imagen, pero está dañado o incompleto: súbelo de nuevo.",
    "images_model_no_vision": "El modelo {model} en {url} no acepta imágenes: quita la foto y escribe la demostración.",
    "images_turned_off": (
        "Las imágenes están desactivadas (MAGISTRAL_VISION=false): quita la foto y escribe la demostración."
    ),
    "images_ollama_no_vision": (
        "El modelo {model!r} en {url} no puede leer imágenes (Ollama no indica que tenga visión). Quita la foto "
        "y escribe la demostración, o elige un modelo que vea, como Magistral Small 1.2."
    ),
    "images_off_for_model": (
        "Las imágenes están desactivadas para {model!r} en {url}: de los modelos Magistral solo Small 1.2 (2509) "
        "lee imágenes. Quita la foto y escribe la demostración, o pon MAGISTRAL_VISION=true si este servidor acepta "
        "imágenes (vLLM: {flag})."
    ),
    # reaching the server
    "connect_timeout": (
        "Se agotó el tiempo al conectar con {url}: nada respondió. Comprueba la URL y que el servidor esté en marcha "
        "({start}); puede que un cortafuegos esté bloqueando la conexión."
    ),
    "host_unknown": "El nombre de host {host!r} de {url} no se encuentra. Revisa si la URL tiene una errata.",
    "connection_refused": (
        "No se puede llegar al servidor del modelo en {url} (conexión rechazada). Inícialo con {start} "
        "o indica la URL correcta."
    ),
    "closed_without_answer": (
        "El servidor en {url} cerró la conexión sin responder. Comprueba que esta URL sea la del servidor del modelo "
        "({start}) e inténtalo de nuevo."
    ),
    "connection_broke": (
        "La conexión con {url} se cortó a mitad de la transmisión; lo que llegó se conserva. Inténtalo de nuevo."
    ),
    "server_went_silent": "El servidor en {url} dejó de responder (tiempo agotado). Inténtalo de nuevo.",
    "talking_failed": "La comunicación con {url} falló: {detail}. Inténtalo de nuevo.",
    "web_page_not_api": (
        "{url} respondió con una página web (HTTP {status}), no con la API del modelo: hay un proxy u otro programa "
        "en medio, o la URL es incorrecta. Comprueba la URL y que el servidor del modelo tras el proxy esté en marcha."
    ),
    "no_first_token": (
        "No hubo respuesta de {url} en {seconds:g} s (modelo {model!r}). Puede que el modelo aún se esté cargando: "
        "inténtalo de nuevo o aumenta MAGISTRAL_FIRST_TOKEN_TIMEOUT."
    ),
    "stream_stalled": (
        "La transmisión de {url} se detuvo durante {seconds:g} s; lo que llegó se conserva. Inténtalo de nuevo "
        "o aumenta MAGISTRAL_READ_TIMEOUT."
    ),
    "unexpected_failure": (
        "Algo inesperado falló al comunicarse con {url} ({detail}); lo que llegó se conserva. Inténtalo de nuevo "
        "y comprueba que la URL apunte al tipo de servidor correcto."
    ),
    # the app's own files (an incomplete installation, not the server)
    "own_file_unreadable": (
        "La aplicación no pudo leer su propio archivo {path} ({detail}): la instalación está incompleta, el "
        "servidor no tiene la culpa. Reinstala el paquete."
    ),
    # what a server said: Ollama
    "ollama_not_json": (
        "Ollama en {url} envió una línea que no es JSON ({line}…). ¿Esa URL es de verdad un servidor Ollama?"
    ),
    "ollama_odd_line": (
        "Ollama en {url} envió una línea con una forma inesperada ({line}…). ¿Esa URL es de verdad un servidor Ollama?"
    ),
    "ollama_error_mid_answer": (
        "Ollama en {url} informó de un error a mitad de la respuesta: {detail}. Lo que llegó se conserva; "
        "inténtalo de nuevo."
    ),
    "ollama_stream_ended_early": (
        "La transmisión de Ollama en {url} terminó antes de completar la respuesta; lo que llegó se conserva. "
        "Inténtalo de nuevo."
    ),
    "ollama_wrong_url": (
        "{url} no parece un servidor Ollama: respondió HTTP 404 ({detail}). Comprueba la URL (la de Ollama suele ser "
        "http://localhost:11434, sin /v1) o elige el servidor compatible con OpenAI."
    ),
    "ollama_model_missing": "Ollama en {url} no tiene el modelo {model!r}. Descárgalo con `ollama pull {model}`.",
    "ollama_too_large": (
        "La petición es demasiado grande para el contexto de {model!r} en {url}: {detail}. Acorta el texto, reduce "
        "el máximo de tokens o dale a Ollama un contexto mayor (OLLAMA_CONTEXT_LENGTH)."
    ),
    "ollama_refused": (
        "Ollama en {url} rechazó la petición para {model!r}: {detail}. Comprueba el nombre del modelo y los ajustes "
        "del panel Servidor del modelo."
    ),
    "ollama_http_error": "Ollama en {url} respondió HTTP {status}: {detail}. Inténtalo de nuevo.",
    "ollama_not_its_api": "{url} respondió algo que no es la API de Ollama.",
    "ollama_no_thinking": "{model} no admite el modo de razonamiento; se ejecuta sin él.",
    "ollama_pull_hint": "Descárgalo con `ollama pull {model}`.",
    "ollama_vision_hint": "descarga con `ollama pull` un modelo con capacidad de visión",
    # what a server said: OpenAI-compatible (vLLM)
    "openai_unreachable": "No se puede llegar al servidor del modelo en {url}. Inícialo con {start}.",
    "openai_no_models": "El servidor en {url} no ofrece ningún modelo. {start}",
    "openai_serve_hint": "Sírvelo, por ejemplo con {start}, o elige un modelo de los que ofrece el servidor.",
    "openai_max_tokens_lowered": (
        "Máximo de tokens reducido de {requested:,} a {fitted:,} para caber en el contexto del servidor, de "
        "{limit:,} tokens (--max-model-len)."
    ),
    "openai_not_utf8": (
        "El servidor en {url} envió bytes que no son texto UTF-8 válido; lo que llegó se conserva. Comprueba qué está "
        "sirviendo esa URL e inténtalo de nuevo."
    ),
    "openai_not_json": (
        "El servidor en {url} envió una línea de la transmisión que no es JSON. ¿Esa URL es un servidor compatible "
        "con OpenAI?"
    ),
    "openai_odd_chunk": (
        "El servidor en {url} envió un fragmento con una forma inesperada; lo que llegó se conserva. ¿Esa URL es un "
        "servidor compatible con OpenAI?"
    ),
    "openai_stream_ended_early": (
        "La transmisión de {url} terminó antes de completar la respuesta; lo que llegó se conserva. Inténtalo de nuevo."
    ),
    "openai_error_mid_answer": (
        "El servidor en {url} informó de un error a mitad de la respuesta: {detail}. Lo que llegó se conserva; "
        "inténtalo de nuevo."
    ),
    "openai_key_refused": "El servidor en {url} rechazó la clave de API (HTTP 401): define MAGISTRAL_OPENAI_API_KEY.",
    "openai_wrong_url": (
        "{url} no parece una API compatible con OpenAI: respondió HTTP 404 ({detail}). Comprueba la URL: la de vLLM "
        "termina en /v1, por ejemplo http://localhost:8000/v1."
    ),
    "openai_model_missing": (
        "El servidor en {url} no tiene el modelo {model!r}: {detail}. Elige un modelo de los que ofrece o sírvelo "
        "con {start}."
    ),
    "openai_too_large": (
        "La petición es demasiado grande para el contexto del modelo en {url}: {detail}. Acorta el texto o reduce "
        "el máximo de tokens."
    ),
    "openai_refused": (
        "El servidor en {url} rechazó la petición para {model!r}: {detail}. Comprueba el nombre del modelo y los "
        "ajustes del panel Servidor del modelo."
    ),
    "openai_http_error": "El servidor en {url} respondió HTTP {status}: {detail}. Inténtalo de nuevo.",
    "vllm_vision_hint": "vLLM: sirve Magistral Small 2509 con {flag}",
    "images_refused": (
        "El servidor en {url} rechazó la foto: {detail}. El modelo {model!r} de ese servidor no acepta imágenes. "
        "Quita la foto y escribe la demostración, o sirve un modelo que vea ({start})."
    ),
    # the health badge
    "health_model_not_there": "{url} está en marcha, pero el modelo {model!r} no está allí. {hint}",
    "health_three_ways": "¿Aún sin servidor de modelo? Cualquiera de tres: **Ollama** — {ollama}; **vLLM** (u otro servidor compatible con OpenAI) — {vllm}; **la API de Mistral** — {mistral}.",
    # follow-up questions
    "dropped_oldest_turn": (
        "Se dejó fuera el turno más antiguo de esta conversación para caber en el contexto del modelo, "
        "de {context:,} tokens."
    ),
    "dropped_oldest_turns": (
        "Se dejaron fuera los {count} turnos más antiguos de esta conversación para caber en el contexto del modelo, "
        "de {context:,} tokens."
    ),
    # recording and replay
    "not_recording": "Esta ejecución no se está grabando: no se puede escribir en {folder} ({detail}).",
    "recording_stopped": "La grabación se detuvo: no se puede escribir en {path} ({detail}).",
    "replay_none_chosen": (
        "No hay ninguna grabación elegida para reproducir: pon en MAGISTRAL_REPLAY_FILE un archivo .jsonl de la "
        "carpeta MAGISTRAL_RECORD_DIR."
    ),
    "replay_model_hint": "Una reproducción usa el modelo que grabó ({model}); el ajuste de modelo no se aplica.",
    "replay_recorded_error": "La ejecución grabada terminó con un error: {detail}",
    "replay_recorded_stop": (
        "La ejecución grabada se detuvo a los {seconds:.1f} s, así que la reproducción también termina aquí."
    ),
    "recording_missing": (
        "No hay ninguna grabación en {path}. Comprueba MAGISTRAL_REPLAY_FILE (un archivo .jsonl de la carpeta "
        "MAGISTRAL_RECORD_DIR)."
    ),
    "recording_unreadable": "No se puede leer la grabación {path}: {detail}.",
    "recording_empty": "La grabación {path} está vacía: no hay nada que reproducir.",
    "recording_damaged": "La grabación {path} está dañada: línea {line} — {detail}. No se puede reproducir.",
    "recording_cut_short": (
        "La grabación {path} se detiene en la línea {line} sin su línea final: quedó cortada (la aplicación se "
        "detuvo, o el archivo se copió, mientras la ejecución aún se grababa). No se puede reproducir."
    ),
    # Mistral's API, prompt formats read from the server, rate limits, models that do not think
    "model_no_thinking": (
        "El servidor en {url} dice que {model} no tiene modo de razonamiento: se ejecuta sin él (el razonamiento que "
        "escriba entre etiquetas de pensamiento sigue yendo al panel de razonamiento)."
    ),
    "format_tokenizer_think": "Prompt [THINK] para {model}: el tokenizador del servidor tiene tokens de pensamiento.",
    "format_tokenizer_plain": (
        "Prompt <think> para {model}: el tokenizador del servidor no tiene tokens de pensamiento."
    ),
    "format_checkpoint": "Prompt {format} para {model}: el servidor cargó {checkpoint}.",
    "format_ollama_template": "Prompt {format} para {model}: su plantilla de Ollama escribe etiquetas {format}.",
    "format_mistral_api": "Prompt [THINK] para {model}: la API de Mistral acepta bloques de pensamiento.",
    "rate_limited": "Límite de peticiones alcanzado en {url}: reintenta en {seconds} s (HTTP 429: {detail}).",
    "rate_limited_no_wait": "Límite de peticiones alcanzado en {url}: reintenta en un momento (HTTP 429: {detail}).",
    "mistral_no_key": (
        "Falta la clave de API de Mistral: define MAGISTRAL_MISTRAL_API_KEY (o MISTRAL_API_KEY) con una clave de "
        "console.mistral.ai."
    ),
    "mistral_key_refused": (
        "La API de Mistral en {url} rechazó la clave de API (HTTP 401): define MAGISTRAL_MISTRAL_API_KEY (o "
        "MISTRAL_API_KEY) con una clave válida de console.mistral.ai."
    ),
    "mistral_offline": (
        "No se puede alcanzar la API de Mistral en {url}: este equipo parece no tener internet (o un cortafuegos o "
        "proxy la bloquea). Conéctalo, o usa un servidor local (Ollama o vLLM)."
    ),
    "mistral_model_missing": (
        "La API de Mistral en {url} no tiene el modelo {model!r} para esta clave: {detail}. Prueba {default} o "
        "mistral-medium-3-5."
    ),
    "mistral_model_hint": "Elige un modelo que tu clave pueda usar, p. ej. {default} o mistral-medium-3-5.",
    # Answer now and the thinking budget
    "thinking_stopped_by_you": "Razonamiento detenido por ti (Responder ahora).",
    "thinking_budget_reached": "Razonamiento detenido en el límite de {seconds:g} s.",
    "answer_now_prefill": (
        "El modelo responde a partir de su razonamiento hasta ahora: su propio turno se le "
        "devolvió, cerrado, para que lo continúe."
    ),
    "answer_now_second_turn": (
        "La plantilla de este modelo no permite continuar su propio turno, así que su razonamiento "
        "hasta ahora se envió como un turno terminado, con una nueva pregunta que le pide responder "
        "ya."
    ),
    "answer_now_no_answer": (
        "No llegó ninguna respuesta después de detener el razonamiento: el servidor en {url} "
        "terminó el turno continuado sin una palabra. En vLLM, un mistral-common anterior a 1.11.3 "
        "cierra ese turno en lugar de continuarlo: actualízalo en el servidor. Se conserva el "
        "razonamiento hasta ahora."
    ),
    # reasoning effort, deprecated names, Stop before the first token
    "effort_not_adjustable": "{model} no acepta esfuerzo de razonamiento aquí, así que {effort} no se envió: razona como siempre.",
    "effort_not_taken": "{model} acepta esfuerzo de razonamiento {efforts}, no {effort}: elige uno de esos (el panel del servidor, --effort o MAGISTRAL_REASONING_EFFORT). No se envió nada.",
    "effort_none_no_thinking": "Esfuerzo de razonamiento none: {model} responde sin razonar, así que no hay razonamiento que mostrar.",
    "effort_refused": "El servidor en {url} rechazó el esfuerzo de razonamiento pedido a {model}: {detail}. Elige otro esfuerzo (el panel del servidor, --effort o MAGISTRAL_REASONING_EFFORT).",
    "mistral_model_deprecated": "{model} está obsoleto en la API de Mistral (Magistral Medium 1.0 ya fue retirado): aún se ejecuta si Mistral lo sirve, y la documentación de Mistral indica {replacement} en su lugar.",
    "ollama_stop_during_prompt": "Ollama en {url} puede seguir leyendo el prompt hasta terminarlo: no nota la desconexión antes del primer token (ollama#11889).",
    # A busy server asked once more (backends/openai_compat.py).
    "server_busy_retrying": "{url} está ocupado (HTTP {status}): se pide una vez más en {seconds} s.",
}
