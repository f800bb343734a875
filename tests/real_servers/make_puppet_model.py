"""Build a tiny Mistral-format "puppet" model that a real vLLM can serve.

The puppet always says the same script, whatever the prompt::

    [THINK] PUPPET_REASONING [/THINK] PUPPET_ANSWER PUPPET_VERDICT_LINE </s>

so tests can check, exactly, that a real vLLM server with
``--reasoning-parser mistral`` and our client put the reasoning and the answer
where they belong, and that the app reads the verdict line out of the answer.

How it works (a 2-layer, dim-128 transformer in bf16, ~70 MB):

* Every attention output projection (``wo``) and MLP down projection (``w2``)
  is zero, so the residual stream at a position is just that token's
  embedding: the next token depends on the current token only.
* Each script token that has a successor gets its own one-hot embedding slot;
  every other token of the vocabulary (the whole prompt, ``[/INST]`` ...) maps
  to a default slot whose successor is ``[THINK]``.
* The final RMSNorm turns a one-hot ``e_k`` into ``sqrt(dim) * e_k``; the
  output layer maps slot ``k`` to the next script token with weight
  ``MARGIN / sqrt(dim)``, i.e. a logit of ``MARGIN`` against 0 for every other
  token, so even sampling at temperature 1 follows the script.

Limits: script tokens must all be distinct (the model only sees the current
token) and there must be fewer of them than the hidden size.

The tokenizer (``tekken.json``) is the vocabulary and config of the tekken file
that mistral-common ships in its ``data/`` folder, set to version ``v13`` with
1000 special tokens, ``[THINK]``/``[/THINK]`` at ranks 34/35 as in Magistral.

This module is imported by the tests for its constants (no heavy imports at
module level). Building needs torch, safetensors and mistral-common, i.e. run
it with the vLLM server venv's Python::

    $CACHE/vllm-venv/bin/python tests/real_servers/make_puppet_model.py OUT_DIR
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
from pathlib import Path

PUPPET_MODEL_NAME = "puppet-magistral-2509"

# The script. Tokenized, the reasoning and the answer have no token in common
# and no repeated token (checked when building). PUPPET_ANSWER is the answer as the
# app shows it; the model's answer (PUPPET_CONTENT, vLLM's `content`) ends with the
# verdict line the app asks for and takes out. The step is one of the tier's
# argument "Let x = y. Then … Cancelling, x + y = y, so 2y = y and 2 = 1.", which
# the app numbers 1-5; step 5 is "Cancelling, …".
PUPPET_REASONING = "Step five divides both sides by x − y, which is zero."
PUPPET_ANSWER = "The flaw lies in the last sentence — it cancels a vanishing factor"
PUPPET_VERDICT_STEP = 5
PUPPET_VERDICT_KIND = "invalid cancellation"
PUPPET_VERDICT_LINE = f"\nFlawed step: {PUPPET_VERDICT_STEP} ({PUPPET_VERDICT_KIND})"
PUPPET_CONTENT = PUPPET_ANSWER + PUPPET_VERDICT_LINE

# Token ids of the special tokens as Magistral places them.
BOS_ID = 1
EOS_ID = 2
THINK_ID = 34
END_THINK_ID = 35

DIM = 128
N_LAYERS = 2
HEAD_DIM = 64
N_HEADS = 2
N_KV_HEADS = 1
HIDDEN_DIM = 256
VOCAB_SIZE = 131072
NUM_SPECIAL = 1000
MARGIN = 40.0  # logit of the scripted next token; all others get 0

BUILDER_VERSION = "1"
STAMP = ".puppet-stamp"


def _special_tokens() -> list[dict]:
    """1000 control tokens, in Magistral's order (ranks 0-35 named)."""
    named = {
        0: "<unk>",
        1: "<s>",
        2: "</s>",
        3: "[INST]",
        4: "[/INST]",
        5: "[AVAILABLE_TOOLS]",
        6: "[/AVAILABLE_TOOLS]",
        7: "[TOOL_RESULTS]",
        8: "[/TOOL_RESULTS]",
        9: "[TOOL_CALLS]",
        10: "[IMG]",
        11: "<pad>",
        12: "[IMG_BREAK]",
        13: "[IMG_END]",
        14: "[PREFIX]",
        15: "[MIDDLE]",
        16: "[SUFFIX]",
        17: "[SYSTEM_PROMPT]",
        18: "[/SYSTEM_PROMPT]",
        19: "[TOOL_CONTENT]",
        32: "[ARGS]",
        33: "[CALL_ID]",
        THINK_ID: "[THINK]",
        END_THINK_ID: "[/THINK]",
    }
    return [{"rank": i, "token_str": named.get(i, f"<SPECIAL_{i}>"), "is_control": True} for i in range(NUM_SPECIAL)]


def _source_tekken() -> Path:
    import mistral_common

    data = Path(mistral_common.__file__).parent / "data"
    candidates = sorted(data.glob("tekken_*.json"))
    if not candidates:
        raise SystemExit(f"no tekken_*.json in {data}")
    return candidates[-1]


def write_tekken(path: Path) -> None:
    src = json.loads(_source_tekken().read_text(encoding="utf-8"))
    n_inner = VOCAB_SIZE - NUM_SPECIAL
    config = dict(src["config"])
    config.update(
        version="v13",
        default_vocab_size=VOCAB_SIZE,
        default_num_special_tokens=NUM_SPECIAL,
        num_vocab_tokens=n_inner,
    )
    out = {
        "config": config,
        "vocab": src["vocab"][:n_inner],
        "special_tokens": _special_tokens(),
        # no "image" section: the puppet is text-only
    }
    path.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")


def script_token_ids(tokenizer) -> list[int]:
    """[THINK] reasoning [/THINK] answer-with-verdict-line </s> as token ids; checks the limits."""
    reasoning = tokenizer.encode(PUPPET_REASONING, bos=False, eos=False)
    answer = tokenizer.encode(PUPPET_CONTENT, bos=False, eos=False)
    assert tokenizer.decode(reasoning) == PUPPET_REASONING
    assert tokenizer.decode(answer) == PUPPET_CONTENT
    script = [THINK_ID, *reasoning, END_THINK_ID, *answer, EOS_ID]
    with_successor = script[:-1]
    if len(set(with_successor)) != len(with_successor):
        dup = sorted({t for t in with_successor if with_successor.count(t) > 1})
        raise ValueError(f"script tokens must be distinct; repeated ids {dup}")
    if len(with_successor) + 1 > DIM:
        raise ValueError(f"script too long: {len(with_successor)} tokens for dim {DIM}")
    return script


def _fingerprint() -> str:
    h = hashlib.sha256()
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:16]


def build(out_dir: Path, force: bool = False) -> Path:
    """Write params.json, tekken.json and consolidated.safetensors to out_dir."""
    out_dir = Path(out_dir)
    stamp = out_dir / STAMP
    fp = _fingerprint()
    if not force and stamp.is_file() and stamp.read_text() == fp:
        print(f"puppet model: up to date at {out_dir}")
        return out_dir

    import torch
    from mistral_common.tokens.tokenizers.tekken import Tekkenizer
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)

    tekken_path = out_dir / "tekken.json"
    write_tekken(tekken_path)
    tok = Tekkenizer.from_file(tekken_path)
    assert tok.version.value == "v13", tok.version
    assert tok.n_words == VOCAB_SIZE, tok.n_words
    special = getattr(tok, "get_special_token", None) or tok.get_control_token
    assert special("[THINK]") == THINK_ID
    assert special("[/THINK]") == END_THINK_ID
    assert tok.eos_id == EOS_ID and tok.bos_id == BOS_ID

    script = script_token_ids(tok)

    # slot 0: default (any token not in the script, incl. the whole prompt)
    slot_of = {t: k + 1 for k, t in enumerate(script[:-1])}
    next_of_slot = {0: THINK_ID}
    for k, t in enumerate(script[:-1]):
        next_of_slot[slot_of[t]] = script[k + 1]

    dt = torch.bfloat16
    emb = torch.zeros(VOCAB_SIZE, DIM)
    emb[:, 0] = 1.0
    for t, s in slot_of.items():
        emb[t, 0] = 0.0
        emb[t, s] = 1.0
    out = torch.zeros(VOCAB_SIZE, DIM)
    w = MARGIN / math.sqrt(DIM)  # RMSNorm scales a one-hot to sqrt(dim)
    for s, nxt in next_of_slot.items():
        out[nxt, s] = w

    tensors = {
        "tok_embeddings.weight": emb.to(dt),
        "norm.weight": torch.ones(DIM, dtype=dt),
        "output.weight": out.to(dt),
    }
    for i in range(N_LAYERS):
        p = f"layers.{i}."
        tensors |= {
            p + "attention_norm.weight": torch.ones(DIM, dtype=dt),
            p + "ffn_norm.weight": torch.ones(DIM, dtype=dt),
            p + "attention.wq.weight": torch.zeros(N_HEADS * HEAD_DIM, DIM, dtype=dt),
            p + "attention.wk.weight": torch.zeros(N_KV_HEADS * HEAD_DIM, DIM, dtype=dt),
            p + "attention.wv.weight": torch.zeros(N_KV_HEADS * HEAD_DIM, DIM, dtype=dt),
            p + "attention.wo.weight": torch.zeros(DIM, N_HEADS * HEAD_DIM, dtype=dt),
            p + "feed_forward.w1.weight": torch.zeros(HIDDEN_DIM, DIM, dtype=dt),
            p + "feed_forward.w2.weight": torch.zeros(DIM, HIDDEN_DIM, dtype=dt),
            p + "feed_forward.w3.weight": torch.zeros(HIDDEN_DIM, DIM, dtype=dt),
        }
    tmp = out_dir / "consolidated.safetensors.part"
    save_file(tensors, str(tmp))
    os.replace(tmp, out_dir / "consolidated.safetensors")

    params = {
        "dim": DIM,
        "n_layers": N_LAYERS,
        "head_dim": HEAD_DIM,
        "hidden_dim": HIDDEN_DIM,
        "n_heads": N_HEADS,
        "n_kv_heads": N_KV_HEADS,
        "rope_theta": 1000000000.0,
        "norm_eps": 1e-05,
        "vocab_size": VOCAB_SIZE,
        "max_position_embeddings": 4096,
    }
    (out_dir / "params.json").write_text(json.dumps(params, indent=2) + "\n")
    (out_dir / "script.json").write_text(
        json.dumps(
            {"reasoning": PUPPET_REASONING, "answer": PUPPET_ANSWER, "content": PUPPET_CONTENT, "token_ids": script},
            ensure_ascii=False,
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    stamp.write_text(fp)
    print(
        f"puppet model: built at {out_dir} ({len(script)} script tokens, "
        f"tokenizer {tok.version.value}, {tok.n_words} tokens)"
    )
    return out_dir


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = ap.parse_args(argv)
    build(args.out_dir, force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
