"""The page's words in Portuguese."""

PAGE = {
    "app_title": "Magistral Debugger",
    "intro": "Cole um argumento ou uma demonstração com erro. O Magistral raciocina passo a passo e explica onde ele falha.",
    "presenter_mode": "Modo apresentação",
    "language": "Idioma",
    "proof_label": "Argumento ou demonstração com erro",
    "proof_placeholder": "Suponha x = y. Então x² = xy, logo x² − y² = xy − y² …   (Shift+Enter executa Depurar)",
    "debug_button": "Depurar",
    "stop_button": "Parar",
    "answer_now_button": "Responder agora",
    "guess_first_mode": "Adivinhe primeiro",
    "reveal_reasoning_button": "Mostrar raciocínio (T)",
    "reveal_button": "Revelar (R)",
    "covered_working": "Trabalhando… a turma adivinha primeiro",
    "covered_ready": "A resposta está pronta: pressione Revelar (R)",
    "covered_reasoning": "Oculto até Mostrar raciocínio (T) ou Revelar (R): adivinhe primeiro.",
    "covered_answer": "🙈 Oculto até Revelar (R). Onde a demonstração falha?",
    "thinking_budget_label": "Limite de raciocínio (segundos, 0 = nenhum)",
    "effort_label": "Esforço de raciocínio",
    "effort_auto": "automático ({effort})",
    "effort_auto_fixed": "automático (este modelo não aceita esforço)",
    "status_effort": "esforço de raciocínio {effort}",
    "keys_title": "Atalhos de teclado",
    "keys_run": "Executar Depurar (na caixa da demonstração)",
    "keys_stop": "Parar",
    "keys_answer_now": "Responder agora",
    "keys_reveal_reasoning": "Mostrar o raciocínio (a resposta continua oculta)",
    "keys_reveal": "Revelar a resposta e o raciocínio",
    "keys_fullscreen": "Ligar ou desligar tela cheia",
    "keys_help": "Mostrar esta lista",
    "keys_close": "Fechar",
    "clear_button": "Limpar",
    "examples_label": "Exemplos (✓ = uma demonstração correta, como controle)",
    "topic_algebra": "Álgebra",
    "topic_geometry": "Geometria",
    "topic_analysis": "Cálculo e limites",
    "topic_number_theory": "Teoria dos números",
    "topic_induction": "Indução",
    "topic_logic": "Lógica",
    "topic_probability": "Probabilidade e estatística",
    "topic_competition": "Problemas de competição (benchmarks)",
    "skip_to_answer": "Pular para a resposta",
    "health_checking": "Verificando o servidor do modelo…",
    "examples_search": "Digite para buscar por tema, idioma ou título",
    "notes_label": "Notas",
    "status_label": "Estado",
    "reasoning_label": "Raciocínio",
    "reasoning_latest": "↓ mais recente",
    "reasoning_raw": "texto puro",
    "answer_label": "Resposta",
    "download_markdown": "Baixar Markdown",
    "download_json": "Baixar JSON",
    "backend_panel": "Servidor do modelo",
    "server_label": "Servidor",
    "backend_ollama": "Ollama",
    "backend_openai": "Compatível com OpenAI (vLLM)",
    "backend_mistral": "API da Mistral (na nuvem)",
    "backend_replay": "Reproduzir uma execução gravada",
    "url_label": "URL",
    "model_label": "Modelo (vazio: magistral no Ollama, o primeiro modelo do servidor no vLLM)",
    "refresh_button": "↻ Atualizar",
    "prompt_format_label": "Formato do prompt",
    "prompt_format_auto": "Detectar pelo nome do modelo",
    "temperature_label": "Temperatura",
    "top_p_label": "top_p",
    "max_tokens_label": "Máximo de tokens",
    "replay_label": "Reprodução de uma execução gravada em {date} com {model}",
    # talk mode: a rehearsal's replay, and its marks on the examples
    "rehearsal_replay": "Reprodução do ensaio de {date} ({model}): o servidor do modelo não está acessível",
    "rehearsal_mark_right": "✅ ensaio: certo",
    "rehearsal_mark_wrong": "❌ ensaio: errado",
    "rehearsal_mark_not_run": "➖ não ensaiado",
    "health_ready_detail": "Pronto: {model} em {url}",
    "status_idle": "Cole um argumento ou escolha um exemplo e pressione **Depurar**.",
    "status_waiting": "Aguardando {model}… {duration}",
    "status_waiting_model": "Aguardando o modelo… {duration}",
    "status_thinking": "Pensando…",
    "status_answering": "Respondendo…",
    "status_busy": "O aplicativo está ocupado com execuções de outras pessoas: tente de novo em instantes.",
    "status_queued": "Aguardando uma vaga: {ahead} execução(ões) à frente da sua…",
    "status_invalid_setting": "Configuração inválida ({fields}). Corrija-a no painel Servidor do modelo.",
    "reasoning_thinking": "Pensando… {duration}",
    "reasoning_thought": "Pensou por {duration} · {tokens} tokens",
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
    "stats_first_token": "primeiro token {duration}",
    "stats_thought": "pensou {duration}",
    "stats_tokens": "{reasoning} tokens de raciocínio + {answer} de resposta",
    "stats_rate": "{rate} tokens/s",
    # The photo box, the follow-up box and the conversation thread.
    "photo_label": "Foto da demonstração (opcional)",
    "question_label": "Pergunte sobre esta demonstração",
    "question_placeholder": "Por que não podemos cancelar x − y?   (Shift+Enter pergunta)",
    "ask_button": "Perguntar",
    "conversation_label": "Conversa",
    "thread_proof": "A demonstração",
    "thread_asked": "Você perguntou",
    "thread_photo": "(uma foto)",
    # the verdict on the numbered steps: kinds of flaw, the badge, each step's mark
    "kind_division_by_zero": "divisão por zero",
    "kind_invalid_cancellation": "cancelamento inválido",
    "kind_square_root_sign": "sinal da raiz quadrada",
    "kind_circular_reasoning": "raciocínio circular",
    "kind_unproven_assumption": "suposição não provada",
    "kind_hasty_generalization": "generalização apressada",
    "kind_induction_gap": "falha na indução",
    "kind_affirming_the_consequent": "afirmação do consequente",
    "kind_false_dilemma": "falso dilema",
    "kind_correlation_not_causation": "correlação não é causalidade",
    "kind_misuse_of_infinity": "uso indevido do infinito ou de séries divergentes",
    "kind_algebra_slip": "erro de álgebra ou de aritmética",
    "kind_misused_definition": "definição mal aplicada",
    "kind_other": "outro",
    "kind_other_named": "outro: {words}",
    "verdict_flawed_step": "Passo {step}: {kind}",
    "steps_label": "A demonstração, passo a passo",
    "verdict_no_flaw": "Nenhuma falha encontrada",
    "verdict_missing": "o modelo não indicou um passo",
    "step_checked": "verificado",
    "step_built_on_broken": "construído sobre um passo errado",
    # the Markdown download
    "export_title": "Execução do Magistral Debugger — {date}",
    "export_not_finished": "Não concluída.",
    "export_argument": "O argumento",
    "export_steps": "Passos",
    "export_verdict": "Veredito",
    "export_answer": "A resposta",
    "export_no_answer": "(sem resposta)",
    "export_reasoning": "Raciocínio ({tokens} tokens)",
    "export_reasoning_timed": "Raciocínio (pensou por {duration}, {tokens} tokens)",
    "export_no_reasoning": "(sem raciocínio)",
    "export_notes": "Observações",
    "export_details": "Detalhes da execução",
    "export_model": "Modelo",
    "export_backend": "Servidor do modelo",
    "export_finish_reason": "Motivo do término",
    "export_started": "Início",
    "export_first_token": "Tempo até o primeiro token",
    "export_thinking_time": "Tempo de raciocínio",
    "export_total_time": "Tempo total",
    "export_tokens": "Tokens gerados",
    "export_speed": "Velocidade",
    "export_prompt_tokens": "Tokens do prompt",
    # Public mode (ui/public/): a visitor's run refused, and when to try again.
    "public_settings_fixed": "Esta página pública mantém as configurações de servidor do dono: {fields} não pode ser mudado aqui. Nada foi enviado.",
    "public_max_tokens_cap": "O máximo de tokens nesta página pública é {cap:,}; foram pedidos {asked:,}. Nada foi enviado.",
    "public_runs_per_hour": "Você já fez suas {limit} execuções desta hora nesta página pública. Tente de novo em {wait}.",
    "public_tokens_per_day": "Você já usou sua parte desta página pública hoje ({limit:,} tokens por dia). Tente de novo em {wait}.",
    "public_tokens_per_day_soon": "Você já usou sua parte desta página pública hoje ({limit:,} tokens por dia), contando a execução em andamento. Tente de novo quando ela terminar.",
    "public_global_tokens_per_day": "Esta página pública já gastou o que pode hoje ({limit:,} tokens para todos). Tente de novo em {wait}.",
    "public_global_tokens_per_day_soon": "Esta página pública quase gastou o que pode hoje ({limit:,} tokens para todos): execuções de outras pessoas ocupam o resto. Tente de novo em alguns minutos.",
    "public_runs_at_once": "Sua outra execução ainda está em andamento: {limit} por vez por pessoa nesta página pública. Espere ela terminar, ou pare-a.",
    # The class's room (ui/room/): the projector's card and bars, the phone's page.
    "room_open_button": "Abrir uma sala",
    "room_code": "Sala {code}",
    "room_qr": "Código QR do link de entrada",
    "room_join_at": "Entre em",
    "room_joined": "{count} entraram",
    "room_loopback_only": "Os celulares não alcançam este app: ele só escuta em {host}. Inicie-o com MAGISTRAL_HOST=0.0.0.0, ou defina MAGISTRAL_PUBLIC_URL.",
    "room_teacher_link": "Seu link de professor",
    "room_teacher_link_note": "Guarde este link só para você: ele tem os controles da sala (abra-o em outro aparelho, ou depois de recarregar, para retomá-los).",
    "room_close_voting": "Encerrar votação",
    "room_queue_label": "Provas enviadas pela turma",
    "room_take_button": "Colocar na caixa da prova",
    "room_anonymous": "anônimo",
    "room_not_teacher": "Só o link do professor pode fazer isso.",
    "room_no_votes": "Nenhum voto ainda",
    "room_votes_total": "{count} votos",
    "room_voting_open": "votação aberta",
    "room_voting_closed": "votação encerrada",
    "room_step": "passo {step}",
    "room_no_flaw": "Sem falha",
    "room_model": "o modelo",
    "room_class_model_same": "{percent} % escolheram {answer} — o modelo também",
    "room_class_model_differ": "{percent} % escolheram {answer} — o modelo diz {model}",
    "room_class_model_none": "{percent} % escolheram {answer} — o modelo não apontou passo",
    "room_model_says": "O modelo diz: {answer}",
    "room_model_no_step": "nenhum passo apontado",
    "room_phone_title": "Entrar na turma",
    "room_phone_in_room": "Sala {code}",
    "room_code_label": "Código da sala",
    "room_name_label": "Seu nome (deixe vazio para ficar anônimo)",
    "room_join_button": "Entrar",
    "room_unknown_code": "Não há sala {code}. Confira o código no projetor.",
    "room_waiting": "Esperando o professor mostrar uma prova…",
    "room_vote_prompt": "Onde a prova quebra primeiro? Toque num passo, ou Sem falha.",
    "room_your_vote": "Seu voto: {answer}. Você pode mudá-lo até a votação encerrar.",
    "room_closed_phone": "A votação foi encerrada. Seu voto: {answer}.",
    "room_closed_no_vote": "A votação foi encerrada.",
    "room_vote_refused": "A votação foi encerrada: esse voto não contou.",
    "room_send_label": "Enviar uma prova ao professor",
    "room_send_text": "Sua prova",
    "room_send_button": "Enviar",
    "room_sent": "Enviada: está na fila do professor.",
    "room_send_empty": "Não há nada para enviar: digite a prova ou adicione uma foto dela.",
    "room_send_too_long": "São {length} caracteres; o limite é {limit}.",
    "room_send_too_often": "Você enviou {count} provas em {minutes} minutos; espere um pouco antes da próxima.",
    "room_send_photo": "Ou uma foto dela",
    "room_project_button": "Projetar esta",
    "room_project_nothing": "Não há prova nesta aba para mostrar à turma: digite uma ou pegue uma da fila.",
    "room_reveal_other": "A turma está votando na prova de outra aba, não desta: pressione primeiro Projetar esta, ou revele na aba que a projetou.",
    "room_photo_needs_vision": "A foto desta prova precisa de um modelo que leia imagens (um modelo de visão): escolha um no painel do servidor e pegue-a de novo. Ela continua na fila.",
    "export_class_vote": "O voto da turma",
    # a folha de exercícios: um PDF (e .tex) com o gabarito na página 2
    "handout_title": "Encontre o passo errado",
    "handout_name": "Nome",
    "handout_date": "Data",
    "handout_instructions": "Leia cada passo. Marque ✓ se ele decorre do que vem antes, ✗ se não decorre, e escreva o porquê na linha.",
    "handout_problem": "Problema",
    "handout_key": "Gabarito",
    "handout_verdict": "Veredito",
    "handout_step": "Passo {step}",
    "handout_flaw": "O que está errado",
    "handout_explanation": "A explicação do modelo",
    "handout_key_empty": "Ainda sem veredito: depure a prova e gere a folha de novo.",
    "handout_button": "Folha de exercícios (PDF, .tex)",
    "handout_files": "Folha de exercícios",
    "handout_failed": "Não foi possível gerar a folha de exercícios ({detail}); o que a página mostra não mudou.",
}

ENGINE = {
    # the text and the photo, before anything is sent
    "input_empty": "Cole primeiro um argumento ou uma demonstração com erro (ou escolha um exemplo).",
    "input_too_long": (
        "O texto tem {length:,} caracteres; o limite é {limit:,} (MAGISTRAL_MAX_INPUT_CHARS). "
        "Cole só a parte com o erro suspeito."
    ),
    "image_link_refused": "Só podem ser enviadas imagens carregadas aqui (não um link para uma imagem).",
    "image_data_damaged": "Os dados da imagem estão danificados: carregue-a de novo.",
    "image_cannot_open": "Não foi possível abrir a imagem {name!r}: carregue-a de novo.",
    "image_too_big": (
        "A imagem tem {megabytes:.1f} MB; o limite é {limit:g} MB (MAGISTRAL_MAX_IMAGE_MB). "
        "Tire a foto com resolução menor ou recorte-a na demonstração."
    ),
    "image_file_named": "O arquivo {name!r}",
    "image_uploaded_file": "O arquivo enviado",
    "image_empty": "A imagem enviada está vazia (0 bytes): carregue-a de novo.",
    "image_not_an_image": (
        "{what} não é uma imagem que este aplicativo consiga ler. Envie uma foto ou captura de tela em JPEG, PNG, "
        "WebP, GIF, BMP ou TIFF (um arquivo apenas renomeado para .png continua não sendo uma imagem)."
    ),
    "image_too_many_pixels": "{what} tem pixels demais para ser a foto de uma demonstração; recorte-a ou reduza-a.",
    "image_damaged": "{what} parece uma imagem, mas está danificado ou incompleto: carregue-o de novo.",
    "images_model_no_vision": "O modelo {model} em {url} não aceita imagens: remova a foto e digite a demonstração.",
    "images_turned_off": (
        "As imagens estão desativadas (MAGISTRAL_VISION=false): remova a foto e digite a demonstração."
    ),
    "images_ollama_no_vision": (
        "O modelo {model!r} em {url} não lê imagens (o Ollama não lista a capacidade de visão para ele). "
        "Remova a foto e digite a demonstração, ou escolha um modelo que enxergue, como o Magistral Small 1.2."
    ),
    "images_off_for_model": (
        "As imagens estão desativadas para {model!r} em {url}: dos modelos Magistral, só o Small 1.2 (2509) lê "
        "imagens. Remova a foto e digite a demonstração, ou defina MAGISTRAL_VISION=true se este servidor aceita "
        "imagens (vLLM: {flag})."
    ),
    # reaching the server
    "connect_timeout": (
        "A conexão com {url} esgotou o tempo: nada respondeu. Verifique a URL e se o servidor está no ar ({start}); "
        "um firewall pode estar bloqueando a conexão."
    ),
    "host_unknown": "O nome de host {host!r} em {url} não foi encontrado. Verifique se há um erro de digitação na URL.",
    "connection_refused": (
        "Não foi possível acessar o servidor do modelo em {url} (conexão recusada). Inicie-o com {start} "
        "ou informe a URL correta."
    ),
    "closed_without_answer": (
        "O servidor em {url} fechou a conexão sem responder. Verifique se esta URL é a do servidor do modelo "
        "({start}) e tente de novo."
    ),
    "connection_broke": "A conexão com {url} caiu no meio da transmissão; o que chegou foi mantido. Tente de novo.",
    "server_went_silent": "O servidor em {url} parou de responder (tempo esgotado). Tente de novo.",
    "talking_failed": "A comunicação com {url} falhou: {detail}. Tente de novo.",
    "web_page_not_api": (
        "{url} respondeu com uma página web (HTTP {status}), e não com a API do modelo: um proxy ou outro programa "
        "está no caminho, ou a URL está errada. Verifique a URL e se o servidor do modelo atrás do proxy está rodando."
    ),
    "no_first_token": (
        "Nenhuma resposta de {url} em {seconds:g} s (modelo {model!r}). O modelo ainda pode estar carregando: "
        "tente de novo ou aumente MAGISTRAL_FIRST_TOKEN_TIMEOUT."
    ),
    "stream_stalled": (
        "A transmissão de {url} ficou parada por {seconds:g} s; o que chegou foi mantido. Tente de novo "
        "ou aumente MAGISTRAL_READ_TIMEOUT."
    ),
    "unexpected_failure": (
        "Algo inesperado deu errado na comunicação com {url} ({detail}); o que chegou foi mantido. Tente de novo "
        "e verifique se a URL aponta para o tipo certo de servidor."
    ),
    # the app's own files (an incomplete installation, not the server)
    "own_file_unreadable": (
        "O aplicativo não conseguiu ler o próprio arquivo {path} ({detail}): a instalação está incompleta, a "
        "culpa não é do servidor. Reinstale o pacote."
    ),
    # what a server said: Ollama
    "ollama_not_json": (
        "O Ollama em {url} enviou uma linha que não é JSON ({line}…). Essa URL é mesmo de um servidor Ollama?"
    ),
    "ollama_odd_line": (
        "O Ollama em {url} enviou uma linha num formato inesperado ({line}…). Essa URL é mesmo de um servidor Ollama?"
    ),
    "ollama_error_mid_answer": (
        "O Ollama em {url} informou um erro no meio da resposta: {detail}. O que chegou foi mantido; tente de novo."
    ),
    "ollama_stream_ended_early": (
        "A transmissão do Ollama em {url} terminou antes de a resposta ficar completa; o que chegou foi mantido. "
        "Tente de novo."
    ),
    "ollama_wrong_url": (
        "{url} não parece ser um servidor Ollama: respondeu HTTP 404 ({detail}). Verifique a URL (a do Ollama "
        "costuma ser http://localhost:11434, sem /v1) ou escolha o servidor compatível com OpenAI."
    ),
    "ollama_model_missing": "O Ollama em {url} não tem o modelo {model!r}. Baixe-o com `ollama pull {model}`.",
    "ollama_too_large": (
        "O pedido é grande demais para o contexto de {model!r} em {url}: {detail}. Encurte o texto, reduza o "
        "máximo de tokens ou dê ao Ollama um contexto maior (OLLAMA_CONTEXT_LENGTH)."
    ),
    "ollama_refused": (
        "O Ollama em {url} recusou o pedido para {model!r}: {detail}. Verifique o nome do modelo e as configurações "
        "no painel Servidor do modelo."
    ),
    "ollama_http_error": "O Ollama em {url} respondeu HTTP {status}: {detail}. Tente de novo.",
    "ollama_not_its_api": "{url} respondeu algo que não é a API do Ollama.",
    "ollama_no_thinking": "{model} não oferece o modo de raciocínio; executando sem ele.",
    "ollama_pull_hint": "Baixe-o com `ollama pull {model}`.",
    "ollama_vision_hint": "baixe com `ollama pull` um modelo com capacidade de visão",
    # what a server said: OpenAI-compatible (vLLM)
    "openai_unreachable": "Não foi possível acessar o servidor do modelo em {url}. Inicie-o com {start}.",
    "openai_no_models": "O servidor em {url} não lista nenhum modelo. {start}",
    "openai_serve_hint": "Sirva-o, por exemplo com {start}, ou escolha um modelo que o servidor lista.",
    "openai_max_tokens_lowered": (
        "Máximo de tokens reduzido de {requested:,} para {fitted:,} para caber no contexto do servidor, de "
        "{limit:,} tokens (--max-model-len)."
    ),
    "openai_not_utf8": (
        "O servidor em {url} enviou bytes que não são texto UTF-8 válido; o que chegou foi mantido. Verifique o que "
        "está servindo essa URL e tente de novo."
    ),
    "openai_not_json": (
        "O servidor em {url} enviou uma linha de transmissão que não é JSON. Essa URL é de um servidor compatível "
        "com OpenAI?"
    ),
    "openai_odd_chunk": (
        "O servidor em {url} enviou um trecho num formato inesperado; o que chegou foi mantido. Essa URL é de um "
        "servidor compatível com OpenAI?"
    ),
    "openai_stream_ended_early": (
        "A transmissão de {url} terminou antes de a resposta ficar completa; o que chegou foi mantido. Tente de novo."
    ),
    "openai_error_mid_answer": (
        "O servidor em {url} informou um erro no meio da resposta: {detail}. O que chegou foi mantido; tente de novo."
    ),
    "openai_key_refused": "O servidor em {url} recusou a chave de API (HTTP 401): defina MAGISTRAL_OPENAI_API_KEY.",
    "openai_wrong_url": (
        "{url} não parece ser uma API compatível com OpenAI: respondeu HTTP 404 ({detail}). Verifique a URL: a do "
        "vLLM termina em /v1, por exemplo http://localhost:8000/v1."
    ),
    "openai_model_missing": (
        "O servidor em {url} não tem o modelo {model!r}: {detail}. Escolha um modelo que ele lista ou sirva-o com "
        "{start}."
    ),
    "openai_too_large": (
        "O pedido é grande demais para o contexto do modelo em {url}: {detail}. Encurte o texto ou reduza o máximo "
        "de tokens."
    ),
    "openai_refused": (
        "O servidor em {url} recusou o pedido para {model!r}: {detail}. Verifique o nome do modelo e as "
        "configurações no painel Servidor do modelo."
    ),
    "openai_http_error": "O servidor em {url} respondeu HTTP {status}: {detail}. Tente de novo.",
    "vllm_vision_hint": "vLLM: sirva o Magistral Small 2509 com {flag}",
    "images_refused": (
        "O servidor em {url} recusou a foto: {detail}. O modelo {model!r} de lá não aceita imagens. Remova a foto "
        "e digite a demonstração, ou sirva um modelo que enxergue ({start})."
    ),
    # the health badge
    "health_model_not_there": "{url} está no ar, mas o modelo {model!r} não está lá. {hint}",
    "health_three_ways": "Ainda sem servidor de modelo? Qualquer um de três: **Ollama** — {ollama}; **vLLM** (ou outro servidor compatível com a OpenAI) — {vllm}; **a API da Mistral** — {mistral}.",
    # follow-up questions
    "dropped_oldest_turn": (
        "A mensagem mais antiga desta conversa ficou de fora para caber no contexto do modelo, de {context:,} tokens."
    ),
    "dropped_oldest_turns": (
        "As {count} mensagens mais antigas desta conversa ficaram de fora para caber no contexto do modelo, "
        "de {context:,} tokens."
    ),
    # recording and replay
    "not_recording": "Esta execução não está sendo gravada: não é possível escrever em {folder} ({detail}).",
    "recording_stopped": "A gravação parou: não é possível escrever em {path} ({detail}).",
    "replay_none_chosen": (
        "Nenhuma gravação escolhida para reproduzir: defina MAGISTRAL_REPLAY_FILE com um arquivo .jsonl da pasta "
        "MAGISTRAL_RECORD_DIR."
    ),
    "replay_model_hint": "Uma reprodução usa o modelo que gravou ({model}); a configuração de modelo não se aplica.",
    "replay_recorded_error": "A execução gravada terminou com um erro: {detail}",
    "replay_recorded_stop": (
        "A execução gravada foi interrompida após {seconds:.1f} s, então a reprodução termina aqui também."
    ),
    "recording_missing": (
        "Não há gravação em {path}. Verifique MAGISTRAL_REPLAY_FILE (um arquivo .jsonl da pasta MAGISTRAL_RECORD_DIR)."
    ),
    "recording_unreadable": "Não foi possível ler a gravação {path}: {detail}.",
    "recording_empty": "A gravação {path} está vazia: não há nada para reproduzir.",
    "recording_damaged": "A gravação {path} está danificada: linha {line} — {detail}. Ela não pode ser reproduzida.",
    "recording_cut_short": (
        "A gravação {path} para na linha {line} sem a linha final: foi cortada (o aplicativo parou, ou o arquivo foi "
        "copiado, enquanto a execução ainda era gravada). Ela não pode ser reproduzida."
    ),
    # Mistral's API, prompt formats read from the server, rate limits, models that do not think
    "model_no_thinking": (
        "O servidor em {url} diz que {model} não tem modo de raciocínio: executando sem ele (o raciocínio que "
        "escrever entre tags de pensamento ainda vai para o painel de raciocínio)."
    ),
    "format_tokenizer_think": "Prompt [THINK] para {model}: o tokenizador do servidor tem tokens de pensamento.",
    "format_tokenizer_plain": "Prompt <think> para {model}: o tokenizador do servidor não tem tokens de pensamento.",
    "format_checkpoint": "Prompt {format} para {model}: o servidor carregou {checkpoint}.",
    "format_ollama_template": "Prompt {format} para {model}: o seu template do Ollama escreve tags {format}.",
    "format_mistral_api": "Prompt [THINK] para {model}: a API da Mistral aceita blocos de pensamento.",
    "rate_limited": "Limite de pedidos atingido em {url}: tente de novo em {seconds} s (HTTP 429: {detail}).",
    "rate_limited_no_wait": "Limite de pedidos atingido em {url}: tente de novo daqui a pouco (HTTP 429: {detail}).",
    "mistral_no_key": (
        "Falta a chave de API da Mistral: defina MAGISTRAL_MISTRAL_API_KEY (ou MISTRAL_API_KEY) com uma chave de "
        "console.mistral.ai."
    ),
    "mistral_key_refused": (
        "A API da Mistral em {url} recusou a chave de API (HTTP 401): defina MAGISTRAL_MISTRAL_API_KEY (ou "
        "MISTRAL_API_KEY) com uma chave válida de console.mistral.ai."
    ),
    "mistral_offline": (
        "Não foi possível alcançar a API da Mistral em {url}: esta máquina parece estar sem internet (ou um firewall "
        "ou proxy a bloqueia). Conecte-a, ou use um servidor local (Ollama ou vLLM)."
    ),
    "mistral_model_missing": (
        "A API da Mistral em {url} não tem o modelo {model!r} para esta chave: {detail}. Experimente {default} ou "
        "mistral-medium-3-5."
    ),
    "mistral_model_hint": "Escolha um modelo que a sua chave possa usar, p. ex. {default} ou mistral-medium-3-5.",
    # Answer now and the thinking budget
    "thinking_stopped_by_you": "Raciocínio interrompido por você (Responder agora).",
    "thinking_budget_reached": "Raciocínio interrompido no limite de {seconds:g} s.",
    "answer_now_prefill": (
        "O modelo responde a partir do raciocínio feito até aqui: o turno dele foi devolvido, "
        "fechado, para que ele continue."
    ),
    "answer_now_second_turn": (
        "O template deste modelo não permite continuar o próprio turno; por isso o raciocínio até "
        "aqui foi enviado como um turno concluído, com uma nova pergunta pedindo a resposta agora."
    ),
    "answer_now_no_answer": (
        "Nenhuma resposta veio depois que o raciocínio foi interrompido: o servidor em {url} "
        "encerrou o turno continuado sem nenhuma palavra. No vLLM, um mistral-common anterior à "
        "1.11.3 fecha esse turno em vez de continuá-lo: atualize-o no servidor. O raciocínio até "
        "aqui foi mantido."
    ),
    # reasoning effort, deprecated names, Stop before the first token
    "effort_not_adjustable": "{model} não aceita esforço de raciocínio aqui, então {effort} não foi enviado: ele raciocina como sempre.",
    "effort_not_taken": "{model} aceita esforço de raciocínio {efforts}, não {effort}: escolha um desses (o painel do servidor, --effort ou MAGISTRAL_REASONING_EFFORT). Nada foi enviado.",
    "effort_none_no_thinking": "Esforço de raciocínio none: {model} responde sem raciocinar, então não há raciocínio para mostrar.",
    "effort_refused": "O servidor em {url} recusou o esforço de raciocínio pedido a {model}: {detail}. Escolha outro esforço (o painel do servidor, --effort ou MAGISTRAL_REASONING_EFFORT).",
    "mistral_model_deprecated": "{model} está obsoleto na API da Mistral (o Magistral Medium 1.0 já foi retirado): ainda executa se a Mistral o servir, e a documentação da Mistral indica {replacement} no lugar dele.",
    "ollama_stop_during_prompt": "O Ollama em {url} pode continuar lendo o prompt até terminar: ele não percebe a desconexão antes do primeiro token (ollama#11889).",
    # A busy server asked once more (backends/openai_compat.py).
    "server_busy_retrying": "{url} está ocupado (HTTP {status}): pedindo mais uma vez em {seconds} s.",
}
