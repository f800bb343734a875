"""What the room shows, as pure functions of its state (no Gradio): the projector's card (code,
link, QR, how many joined), the class's bars, the line that sets the class beside the model,
and a phone's words. Every text that came from a person (steps, names, sent proofs) is escaped:
the page shows it as text, never as markup.
"""

from __future__ import annotations

import html

from ...classroom.room import NO_FLAW, Tally
from ...classroom.store import Projected
from ...i18n import t


def answer_words(choice: int | None, lang: str) -> str:
    if choice is None:
        return "—"
    return t("room_no_flaw", lang) if choice == NO_FLAW else t("room_step", lang, step=choice)


def percent(share: float) -> int:
    return round(share * 100)


def room_card(code: str, link: str, qr_svg: str, joined: int, warning: str, lang: str) -> str:
    """The projector's invitation: the code large, the link, its QR code, how many joined."""
    alarm = f'<p class="room-warning" role="alert">⚠️ {html.escape(warning)}</p>' if warning else ""
    return (
        f'<div class="room-card"><div class="room-qr" role="img" aria-label="{html.escape(t("room_qr", lang))}">'
        f"{qr_svg}</div>"
        f'<div class="room-facts"><p class="room-code">{html.escape(t("room_code", lang, code=code))}</p>'
        f'<p class="room-link">{html.escape(t("room_join_at", lang))} '
        f'<a href="{html.escape(link)}" target="_blank" rel="noopener">{html.escape(link)}</a></p>'
        f'<p class="room-joined" data-joined="{joined}">{html.escape(t("room_joined", lang, count=joined))}</p>'
        f"{alarm}</div></div>"
    )


def summary_line(tally: Tally, lang: str) -> str:
    """ "62 % chose step 5 — so did the model", once the model's verdict is revealed."""
    leading = tally.leading()
    if leading is None:
        return t("room_no_votes", lang)
    values = {"percent": percent(tally.share(leading)), "answer": answer_words(leading, lang)}
    model = tally.proof.model_step
    if model is None:
        return t("room_class_model_none", lang, **values)
    if model == leading:
        return t("room_class_model_same", lang, **values)
    return t("room_class_model_differ", lang, model=answer_words(model, lang), **values)


def bars_html(tally: Tally | None, lang: str) -> str:
    """A bar per step and one for "no flaw", each with its count; after Reveal the model's
    answer is marked and the summary line heads them. Before Reveal nothing here names it."""
    if tally is None:
        return ""
    proof = tally.proof
    rows = []
    for choice in (*range(1, len(proof.steps) + 1), NO_FLAW):
        count = tally.counts.get(choice, 0)
        share = percent(tally.share(choice))
        model = proof.revealed and proof.model_step == choice
        mark = f' <span class="room-model-mark">◀ {html.escape(t("room_model", lang))}</span>' if model else ""
        rows.append(
            f'<div class="room-bar-row{" room-bar-model" if model else ""}" data-choice="{choice}" '
            f'data-count="{count}"><span class="room-bar-label">{html.escape(answer_words(choice, lang))}</span>'
            f'<span class="room-bar-track"><span class="room-bar" style="width:{share}%"></span></span>'
            f'<span class="room-bar-count">{count} · {share} %</span>{mark}</div>'
        )
    state = t("room_voting_open", lang) if proof.voting_open else t("room_voting_closed", lang)
    head = f"{t('room_votes_total', lang, count=tally.total)} · {state}"
    summary = f'<p class="room-summary">{html.escape(summary_line(tally, lang))}</p>' if proof.revealed else ""
    return (
        f'<div class="room-bars" data-total="{tally.total}" data-revealed="{int(proof.revealed)}">{summary}'
        f'<p class="room-bars-head">{html.escape(head)}</p>{"".join(rows)}</div>'
    )


def phone_status(proof: Projected | None, mine: int | None, lang: str) -> str:
    """What a phone says above its buttons: wait, vote, your vote, closed."""
    if proof is None:
        return t("room_waiting", lang)
    if proof.voting_open:
        if mine is None:
            return t("room_vote_prompt", lang)
        return t("room_your_vote", lang, answer=answer_words(mine, lang))
    if mine is None:
        return t("room_closed_no_vote", lang)
    return t("room_closed_phone", lang, answer=answer_words(mine, lang))


def phone_reveal(tally: Tally | None, lang: str) -> str:
    """After Reveal, the model's verdict and the class's answer on the phone (before: nothing)."""
    if tally is None or not tally.proof.revealed:
        return ""
    proof = tally.proof
    model = answer_words(proof.model_step, lang) if proof.model_step is not None else t("room_model_no_step", lang)
    words = f" ({proof.model_words})" if proof.model_words else ""
    return f"**{t('room_model_says', lang, answer=model)}**{words}\n\n{summary_line(tally, lang)}"


def step_label(position: int, step: str) -> str:
    """A step button's text: its number and the step (Gradio shows a button's value as text)."""
    return f"{position}. {' '.join(step.split())}"


def queue_label(name: str, text: str, lang: str, width: int = 70, photo: bool = False) -> str:
    """A sent proof in the teacher's menu: who sent it and how it begins, on one line; 📷 marks
    one that came with a photo (a photo alone says so where its text would begin)."""
    words = " ".join(text.split()) or (t("thread_photo", lang) if photo else "")
    start = words if len(words) <= width else words[: width - 1] + "…"
    mark = "📷 " if photo else ""
    return f"{mark}{name or t('room_anonymous', lang)}: {start}"
