"""Turn the bench's results into the Markdown tables of ``bench/results/latest.md``."""

from __future__ import annotations

import math
from typing import Any

from .stats import fmt, fmt_summary

FORM_NAMES = {"field": "separate field", "bracket": "[THINK] inline", "angle": "<think> inline"}


def _met(ok: bool | None) -> str:
    return "–" if ok is None else ("✅ met" if ok else "❌ missed")


def _med(s: dict | None) -> float:
    return math.nan if not s or not s.get("n") else s["median"]


def _ratio(a: float, b: float) -> str:
    if a is None or b is None or not b or math.isnan(a) or math.isnan(b):
        return "–"
    return f"{a / b:,.1f}×" if a / b < 100 else f"{a / b:,.0f}×"


def goals(results: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per goal of issue 8: what we got, against what baseline, and whether it is met."""
    rows: list[dict[str, Any]] = []
    if results.get("pipeline"):
        rows += _pipeline_goals(results["pipeline"])
    app = results.get("app") or {}
    for key, rows_of in (
        ("gradio", _gradio_goals),
        ("class", _class_goals),
        ("stop", _stop_goals),
        ("interval", _interval_goals),
        ("cold_start", _cold_start_goals),
    ):
        if app.get(key):
            rows += rows_of(app[key])
    if results.get("rehearsal"):
        rows += _rehearsal_goals(results["rehearsal"])
    if results.get("room"):
        rows += _room_goals(results["room"])
    return rows


def _pipeline_goals(p: dict[str, Any]) -> list[dict[str, Any]]:
    """Measurements 1 and 2: our code alone, the whole path, and the tutorial's loop."""
    rows: list[dict[str, Any]] = []
    small, big = p["sizes"]
    alone = {k: v for k, v in p["alone"].items()}
    worst_key = min(alone, key=lambda k: _med(alone[k]["tokens_per_s"]))
    worst = alone[worst_key]["tokens_per_s"]
    tut = p["tutorial"]
    rows.append(
        {
            "id": "1",
            "what": f"Our code alone (splitter + run state), worst of 3 forms × 2 sizes ({worst_key})",
            "result": fmt_summary(worst, "tokens/s"),
            "baseline": f"tutorial loop, no sleep: {fmt(_med(tut['no_sleep_tokens_per_s']))} tokens/s",
            "ratio": _ratio(_med(worst), _med(tut["no_sleep_tokens_per_s"])),
            "goal": "≥ 1,000,000 tokens/s",
            "met": _med(worst) >= 1_000_000,
        }
    )
    for protocol, client_key, client_name in (
        ("ollama", "ollama/httpx lines + json.loads", "httpx lines + json.loads alone"),
        ("openai", "openai/openai client", "openai client alone"),
    ):
        paths = {k: v for k, v in p["path"].items() if k.startswith(protocol + "/")}
        if not paths:
            continue
        wk = min(paths, key=lambda k: _med(paths[k]["tokens_per_s"]))
        client = p["client"].get(client_key, {}).get("tokens_per_s")
        rows.append(
            {
                "id": "1",
                "what": f"Whole path, bytes on loopback → run state, {'Ollama NDJSON' if protocol == 'ollama' else 'OpenAI SSE'}, worst ({wk.split('/', 1)[1]})",
                "result": fmt_summary(paths[wk]["tokens_per_s"], "tokens/s"),
                "baseline": f"{client_name}: {fmt(_med(client))} tokens/s" if client else "–",
                "ratio": _ratio(_med(paths[wk]["tokens_per_s"]), _med(client)) if client else "–",
                "goal": "≥ 20,000 tokens/s per stream",
                "met": _med(paths[wk]["tokens_per_s"]) >= 20_000,
            }
        )
    return rows + _cost_and_tutorial_goals(p)


def _cost_and_tutorial_goals(p: dict[str, Any]) -> list[dict[str, Any]]:
    """Measurement 1's cost per token along a long stream, and measurement 2: ours against the tutorial's loop."""
    rows: list[dict[str, Any]] = []
    big = p["sizes"][1]
    tut = p["tutorial"]
    lin = []
    for kind, table in (("our code", p["alone"]), ("whole path", p["path"])):
        for key, value in table.items():
            if key.endswith(f"/{big}") and value["end_over_start"].get("n"):
                lin.append((f"{kind} {key.rsplit('/', 1)[0]}", value["end_over_start"]))
    if lin:
        name, worst_lin = max(lin, key=lambda item: _med(item[1]))
        rows.append(
            {
                "id": "1",
                "what": f"Cost per token, end ÷ start of a {big:,}-token stream, worst of {len(lin)} ({name})",
                "result": fmt_summary(worst_lin, "×"),
                "baseline": f"tutorial loop at {tut['tokens']:,}: {fmt(_med(tut['no_sleep_end_over_start']))}×",
                "ratio": "–",
                "goal": "≤ 1.2×",
                "met": _med(worst_lin) <= 1.2,
            }
        )
    rows.append(
        {
            "id": "2",
            "what": f"Speed-up over the tutorial's loop without its sleep, {tut['tokens']:,} tokens, <think> inline",
            "result": fmt_summary(tut["speedup_no_sleep"], "×"),
            "baseline": f"tutorial loop: {fmt(_med(tut['no_sleep_tokens_per_s']))} tokens/s; ours {fmt(_med(tut['ours_tokens_per_s']))}",
            # The loop is quadratic, so the goal only means something at the size it names.
            "ratio": fmt(_med(tut["speedup_no_sleep"])) + "×",
            "goal": "≥ 100× at 40,960 tokens",
            "met": _med(tut["speedup_no_sleep"]) >= 100 if tut["tokens"] == 40_960 else None,
        }
    )
    rows.append(
        {
            "id": "2",
            "what": "Speed-up over the tutorial's loop with its time.sleep(0.02) (extrapolated)",
            "result": f"{fmt(tut['speedup_with_sleep'])}×",
            "baseline": f"tutorial loop: {fmt(tut['with_sleep_tokens_per_s_extrapolated'])} tokens/s",
            "ratio": f"{fmt(tut['speedup_with_sleep'])}×",
            "goal": "–",
            "met": None,
        }
    )
    return rows


def _gradio_goals(g: dict[str, Any]) -> list[dict[str, Any]]:
    """Measurement 3: one session through Gradio, latency, bytes and CPU per token."""
    rows: list[dict[str, Any]] = []
    for rate in sorted(g, key=int):
        entry = g[rate]
        rows.append(
            {
                "id": "3",
                "what": f"Added latency server → client through Gradio, p95, {rate} tokens/s (p50 {fmt(_med(entry['p50_ms']))} ms)",
                "result": fmt_summary(entry["p95_ms"], "ms"),
                "baseline": f"our run loop in-process (80 ms coalescing), p95 {fmt(_med(entry['baseline_p95_ms']))} ms",
                "ratio": _ratio(_med(entry["p95_ms"]), _med(entry["baseline_p95_ms"])),
                "goal": "≤ 100 ms",
                "met": _med(entry["p95_ms"]) <= 100,
            }
        )
    for rate in sorted(g, key=int):
        entry = g[rate]
        rows.append(
            {
                "id": "3",
                "what": f"Bytes on the wire per token to the client, {rate} tokens/s",
                "result": fmt_summary(entry["bytes_per_token"], "B"),
                "baseline": f"model server's own wire: {fmt(entry['model_server_bytes_per_token'])} B/token",
                "ratio": _ratio(_med(entry["bytes_per_token"]), entry["model_server_bytes_per_token"]),
                "goal": "≤ 40 B" if rate == "1000" else "–",
                "met": _med(entry["bytes_per_token"]) <= 40 if rate == "1000" else None,
            }
        )
    for rate in sorted(g, key=int):
        entry = g[rate]
        rows.append(
            {
                "id": "3",
                "what": f"App CPU per token, {rate} tokens/s",
                "result": fmt_summary(entry["app_cpu_us_per_token"], "µs"),
                "baseline": f"our run loop in-process at the same rate: {fmt(_med(entry['in_process_cpu_us_per_token']))} µs/token"
                + (
                    f" (bulk, measurement 1: {fmt(entry['pipeline_us_per_token'])} µs)"
                    if entry.get("pipeline_us_per_token")
                    else ""
                ),
                "ratio": _ratio(_med(entry["app_cpu_us_per_token"]), _med(entry["in_process_cpu_us_per_token"])),
                "goal": "–",
                "met": None,
            }
        )
    return rows


def _class_goals(c: dict[str, Any]) -> list[dict[str, Any]]:
    """Measurement 4: a class at once through the API."""
    rows: list[dict[str, Any]] = []
    n_max = max(c, key=int)
    top, one = c[n_max], c[min(c, key=int)]
    rows += [
        {
            "id": "4",
            "what": f"{n_max} sessions × {top['tokens_per_session']:,} tokens at {top['rate']} tokens/s: tokens on time (≤ 300 ms)",
            "result": f"{top['on_time_share']:.1%}",
            "baseline": f"1 session: {one['on_time_share']:.1%}",
            "ratio": "–",
            "goal": "≥ 95 %",
            "met": top["on_time_share"] >= 0.95,
        },
        {
            "id": "4",
            "what": f"{n_max} sessions: p95 gap between updates, median over sessions [min–max]",
            "result": fmt_summary(top["gap_p95_ms"], "ms"),
            "baseline": f"1 session: {fmt(_med(one['gap_p95_ms']))} ms",
            "ratio": _ratio(_med(top["gap_p95_ms"]), _med(one["gap_p95_ms"])),
            "goal": "≤ 300 ms",
            "met": _med(top["gap_p95_ms"]) <= 300,
        },
        {
            "id": "4",
            "what": f"{n_max} sessions: anyone queued, i.e. started only after another run had ended (Gradio queue wait max {fmt(top['queue_wait_s']['max'])} s; submit → request at the model server max {fmt(top['start_delay_s']['max'])} s)",
            "result": "nobody" if not top["queued_sessions"] else f"{top['queued_sessions']} of {n_max}",
            "baseline": f"1 session: max wait {fmt(one['queue_wait_s']['max'])} s",
            "ratio": "–",
            "goal": "nobody queued",
            "met": top["queued_sessions"] == 0,
        },
        {
            "id": "4",
            "what": f"{n_max} sessions: app RSS (max)",
            "result": f"{top['app_rss_mb']:.0f} MB",
            "baseline": f"1 session: {one['app_rss_mb']:.0f} MB",
            "ratio": _ratio(top["app_rss_mb"], one["app_rss_mb"]),
            "goal": "≤ 600 MB",
            "met": top["app_rss_mb"] <= 600,
        },
    ]
    return rows


def _stop_goals(s: dict[str, Any]) -> list[dict[str, Any]]:
    """Measurement 5: Stop, until the model server sees the close."""
    rows: list[dict[str, Any]] = []
    for key, entry in s.items():
        protocol, mode = key.split("/")
        rows.append(
            {
                "id": "5",
                "what": f"Stop → model server sees the close, {protocol}, {'tokens flowing' if mode == 'flowing' else 'server silent'} (p95; median [min–max])",
                "result": f"p95 {fmt(entry['from_cancel_p95_ms'])} ms; {fmt_summary(entry['from_cancel_ms'], 'ms')}",
                "baseline": f"in-process cancel: p95 {fmt(entry['direct_p95_ms'])} ms",
                "ratio": _ratio(entry["from_cancel_p95_ms"], entry["direct_p95_ms"]),
                "goal": "p95 ≤ 250 ms",
                "met": entry["from_cancel_p95_ms"] <= 250 and not entry["missed"],
            }
        )
    return rows


def _interval_goals(iv: dict[str, Any]) -> list[dict[str, Any]]:
    """Measurement 7: a bigger class on the page, adaptive interval against fixed."""
    rows: list[dict[str, Any]] = []
    adaptive, fixed = iv["adaptive"], iv["0.08"]
    n_max = max(adaptive, key=int)
    top, top_fixed = adaptive[n_max], fixed[n_max]
    one, one_fixed = adaptive[min(adaptive, key=int)], fixed[min(fixed, key=int)]
    rows += [
        {
            "id": "7",
            "what": f"{n_max} sessions × {top['tokens_per_session']:,} tokens at {top['rate']} tokens/s, adaptive update interval: tokens on time (≤ 300 ms)",
            "result": f"{top['on_time_share']:.1%}",
            "baseline": f"fixed 80 ms: {top_fixed['on_time_share']:.1%}",
            "ratio": "–",
            "goal": "≥ 95 %",
            "met": top["on_time_share"] >= 0.95,
        },
        {
            "id": "7",
            "what": f"{n_max} sessions, adaptive: p95 gap between updates, median over sessions [min–max]",
            "result": fmt_summary(top["gap_p95_ms"], "ms"),
            "baseline": f"fixed 80 ms: {fmt_summary(top_fixed['gap_p95_ms'], 'ms')}",
            "ratio": _ratio(_med(top["gap_p95_ms"]), _med(top_fixed["gap_p95_ms"])),
            "goal": "≤ 300 ms",
            "met": _med(top["gap_p95_ms"]) <= 300,
        },
        {
            "id": "7",
            "what": f"{n_max} sessions, adaptive: app RSS (max)",
            "result": f"{top['app_rss_mb']:.0f} MB",
            "baseline": f"fixed 80 ms: {top_fixed['app_rss_mb']:.0f} MB",
            "ratio": _ratio(top["app_rss_mb"], top_fixed["app_rss_mb"]),
            "goal": "≤ 600 MB",
            "met": top["app_rss_mb"] <= 600,
        },
        {
            "id": "7",
            "what": "1 session, adaptive: p95 latency server → client",
            "result": fmt_summary(one["latency_p95_ms"], "ms"),
            "baseline": f"fixed 80 ms: {fmt_summary(one_fixed['latency_p95_ms'], 'ms')}",
            "ratio": _ratio(_med(one["latency_p95_ms"]), _med(one_fixed["latency_p95_ms"])),
            "goal": "as fixed 80 ms (≤ 1.2×)",
            "met": _med(one["latency_p95_ms"]) <= 1.2 * _med(one_fixed["latency_p95_ms"]),
        },
    ]
    return rows


def _cold_start_goals(cs: dict[str, Any]) -> list[dict[str, Any]]:
    """Measurement 6: cold start against a minimal Gradio app."""
    rows: list[dict[str, Any]] = []
    rows.append(
        {
            "id": "6",
            "what": "Cold start: process start → page served, backend down",
            "result": fmt_summary(cs["app_s"], "s"),
            "baseline": f"minimal Gradio app: {fmt(_med(cs['minimal_gradio_s']))} s",
            "ratio": fmt_summary(cs["ratio"], "×"),
            "goal": "≤ 5 s",
            "met": _med(cs["app_s"]) <= 5,
        }
    )
    return rows


CLASS_HEADER = (
    "Sessions | On time (≤ 300 ms) | p95 gap between updates | p95 latency | Gradio queue wait | Queued "
    "| Submit → request at model server | App RSS max | App CPU | App CPU/token | Bench clients CPU |"
)


def _class_rows(classes: dict[str, Any]) -> list[str]:
    """One table row per class size of measurement 4 or 7."""
    rows = []
    for n in sorted(classes, key=int):
        e = classes[n]
        rows.append(
            f"| {n} | {e['on_time_share']:.1%} | {fmt_summary(e['gap_p95_ms'], 'ms')} | {fmt_summary(e['latency_p95_ms'], 'ms')} "
            f"| {fmt_summary(e['queue_wait_s'], 's')} | {e['queued_sessions']} | {fmt_summary(e['start_delay_s'], 's')} | {e['app_rss_mb']:.0f} MB | {e['app_cpu_share']:.0%} "
            f"| {fmt(e['app_cpu_us_per_token'], 'µs')} | {e['bench_cpu_share']:.0%} |"
        )
    return rows


def goal_rows(rows: list[dict[str, Any]]) -> list[str]:
    """The goals as a Markdown table: the bench's own page and the README's table are this."""
    return [
        "| # | Measurement | Result | Baseline (same run) | Ratio | Goal | |",
        "|---|---|---|---|---|---|---|",
        *(
            f"| {row['id']} | {row['what']} | {row['result']} | {row['baseline']} | {row['ratio']} | {row['goal']} | {_met(row['met'])} |"
            for row in rows
        ),
    ]


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        "# Benchmark results",
        "",
        f"`{results['command']}` — {results['started']}, {results['duration_s']:.0f} s"
        + (" (**quick** smoke run: small sizes, one repetition; not for comparison)" if results["quick"] else ""),
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']:.1f} GB RAM, {m['os']}; Python {m['python']}; "
        f"gradio {m['versions'].get('gradio')}, httpx {m['versions'].get('httpx')}, openai {m['versions'].get('openai')}. "
        f"Load average at start {m['load_start']}, at end {m.get('load_end', '–')} (shared machine: other work was running).",
        "",
        "Each figure is the median over repetitions with [min–max]; ratios compare with a baseline measured in the same run.",
        "",
        "## Goals (issue 8)",
        "",
        *goal_rows(goals(results)),
    ]
    if results.get("pipeline"):
        lines += _pipeline_section(results["pipeline"])
    app = results.get("app") or {}
    for key, section in (
        ("gradio", _gradio_section),
        ("class", _class_section),
        ("interval", _interval_section),
        ("stop", _stop_section),
        ("cold_start", _cold_start_section),
    ):
        if app.get(key):
            lines += section(app)
    if results.get("rehearsal"):
        lines += _rehearsal_section(results["rehearsal"])
    if results.get("room"):
        lines += _room_section(results["room"])
    return "\n".join(lines) + "\n"


def _pipeline_section(p: dict[str, Any]) -> list[str]:
    """Measurements 1 and 2 in detail: each form and size, alone, in DebugRun and on the whole path."""
    lines: list[str] = []
    small, big = p["sizes"]
    lines += [
        "",
        "## 1. Pipeline throughput (tokens/s, one core)",
        "",
        "Our code alone = splitter + run state fed ready-made events; in DebugRun = the same through the async run "
        "loop with an in-memory backend; whole path = bytes on a loopback socket → HTTP client → backend → splitter → "
        "run state (model server on the other core). End ÷ start = cost per token in the cheapest block of 4,096 "
        "tokens among the last quarter of the stream ÷ the cheapest among the first quarter (block 0 skipped; the "
        "cheapest block is the least disturbed by other work on the machine).",
        "",
        "| Wire form | Tokens | Our code alone | in DebugRun | Whole path, Ollama | Whole path, OpenAI | End ÷ start: ours / Ollama / OpenAI |",
        "|---|---|---|---|---|---|---|",
    ]
    for form in ("field", "bracket", "angle"):
        for count in (small, big):
            alone = p["alone"].get(f"{form}/{count}", {})
            in_run = p["alone_in_run"].get(f"{form}/{count}", {})
            ol = p["path"].get(f"ollama/{form}/{count}", {})
            oa = p["path"].get(f"openai/{form}/{count}", {})
            lin = " / ".join(fmt_summary(x.get("end_over_start", {})) for x in (alone, ol, oa))
            lines.append(
                f"| {FORM_NAMES[form]} | {count:,} | {fmt_summary(alone.get('tokens_per_s', {}))} | {fmt_summary(in_run.get('tokens_per_s', {}))} "
                f"| {fmt_summary(ol.get('tokens_per_s', {}))} | {fmt_summary(oa.get('tokens_per_s', {}))} | {lin} |"
            )
    lines += [
        "",
        f"Where the whole path's time goes (separate-field form, tokens/s; each row reads the same stream and does "
        f"more; {p['client'].get('ollama/httpx raw bytes', {}).get('tokens', '')} tokens, whole path at {small:,}):",
        "",
        "| Reader | Ollama NDJSON | OpenAI SSE |",
        "|---|---|---|",
    ]
    for how in (
        "httpx raw bytes",
        "httpx lines",
        "httpx lines + json.loads",
        "openai client",
        "our backend",
        "whole path",
    ):
        ol = p["client"].get(f"ollama/{how}", {}).get("tokens_per_s", {})
        oa = p["client"].get(f"openai/{how}", {}).get("tokens_per_s", {})
        lines.append(f"| {how} | {fmt_summary(ol)} | {fmt_summary(oa)} |")
    return lines + _tutorial_section(p)


def _tutorial_section(p: dict[str, Any]) -> list[str]:
    """Measurement 2 in detail: the tutorial's loop with and without its sleep, and ours."""
    lines: list[str] = []
    tut = p["tutorial"]
    lines += [
        "",
        f"## 2. The tutorial's loop, {tut['tokens']:,} tokens, <think> inline",
        "",
        "| Loop | tokens/s | End ÷ start |",
        "|---|---|---|",
        f"| tutorial, no sleep | {fmt_summary(tut['no_sleep_tokens_per_s'])} | {fmt_summary(tut['no_sleep_end_over_start'])} |",
        f"| tutorial, with time.sleep(0.02) (extrapolated from {tut['sleep_sample_chunks']} chunks: "
        f"{tut['sleep_seconds_per_chunk'] * 1000:.1f} ms/chunk of sleep; {tut['with_sleep_seconds_extrapolated']:.0f} s in all) "
        f"| {fmt(tut['with_sleep_tokens_per_s_extrapolated'])} | – |",
        f"| ours (splitter + run state) | {fmt_summary(tut['ours_tokens_per_s'])} | – |",
    ]
    return lines


def _gradio_section(a: dict[str, Any]) -> list[str]:
    """Measurement 3 in detail, per rate."""
    lines: list[str] = []
    lines += [
        "",
        "## 3. Through Gradio (one gradio_client session, Ollama NDJSON, separate field)",
        "",
        "| tokens/s | tokens | Added latency p50 | p95 | in-process p95 (baseline) | p95 gap between updates | Bytes/token to client | Model server bytes/token | App CPU/token | in-process CPU/token (baseline) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for rate in sorted(a["gradio"], key=int):
        e = a["gradio"][rate]
        lines.append(
            f"| {rate} | {e['tokens']:,} | {fmt_summary(e['p50_ms'], 'ms')} | {fmt_summary(e['p95_ms'], 'ms')} | {fmt_summary(e['baseline_p95_ms'], 'ms')} "
            f"| {fmt_summary(e['update_gap_p95_ms'], 'ms')} | {fmt_summary(e['bytes_per_token'], 'B')} | {fmt(e['model_server_bytes_per_token'], 'B')} "
            f"| {fmt_summary(e['app_cpu_us_per_token'], 'µs')} | {fmt_summary(e.get('in_process_cpu_us_per_token', {}), 'µs')} |"
        )
    return lines


def _class_section(a: dict[str, Any]) -> list[str]:
    """Measurement 4 in detail, per class size."""
    lines: list[str] = []
    settings = a.get("app_settings", {})
    lines += [
        "",
        f"## 4. A class at once (app run with MAGISTRAL_CONCURRENCY_LIMIT={settings.get('concurrency_limit')}, "
        f"MAGISTRAL_QUEUE_MAX_SIZE={settings.get('queue_max_size')}; idle RSS {a.get('idle_rss_mb', math.nan):.0f} MB)",
        "",
        "Per-session figures are the median over sessions [min–max]. Bench clients CPU = the gradio_client load "
        "generator's own CPU, on the same 2 cores.",
        "",
        "| " + CLASS_HEADER,
        "|---" * CLASS_HEADER.count("|") + "|",
    ]
    lines += _class_rows(a["class"])
    return lines


def _interval_section(a: dict[str, Any]) -> list[str]:
    """Measurement 7 in detail, adaptive and fixed, per class size."""
    lines: list[str] = []
    lines += [
        "",
        "## 7. A bigger class: update interval adaptive (the default) vs fixed at 80 ms (each its own app process)",
        "",
        "| Interval | " + CLASS_HEADER,
        "|---|" + "---|" * CLASS_HEADER.count("|"),
    ]
    for interval, classes in a["interval"].items():
        lines += [
            f"| {interval if interval == 'adaptive' else 'fixed ' + interval + ' s'} {row}"
            for row in _class_rows(classes)
        ]
    return lines


def _stop_section(a: dict[str, Any]) -> list[str]:
    """Measurement 5 in detail, per backend and state of the stream."""
    lines: list[str] = []
    lines += [
        "",
        "## 5. Stop (time until the model server sees the connection close)",
        "",
        "From job.cancel() includes gradio_client's own polling (it checks for a cancel every 50 ms before it "
        "sends /reset); from the cancel on the wire starts when that request reaches the app.",
        "",
        "| Backend | While | From job.cancel() p95 | median [min–max] | From the cancel on the wire, median [min–max] | In-process cancel (baseline), median [min–max] |",
        "|---|---|---|---|---|---|",
    ]
    for key, e in a["stop"].items():
        protocol, mode = key.split("/")
        lines.append(
            f"| {protocol} | {'tokens flow (50/s)' if mode == 'flowing' else 'server silent (10 s pause)'} | {fmt(e['from_cancel_p95_ms'], 'ms')} "
            f"| {fmt_summary(e['from_cancel_ms'], 'ms')} | {fmt_summary(e['from_wire_ms'], 'ms')} | {fmt_summary(e['direct_ms'], 'ms')} |"
        )
    return lines


def _cold_start_section(a: dict[str, Any]) -> list[str]:
    """Measurement 6 in detail."""
    lines: list[str] = []
    cs = a["cold_start"]
    lines += [
        "",
        "## 6. Cold start (process start → `GET /` serves the page; backend down)",
        "",
        "| `python app.py` | minimal Gradio app (baseline) | ratio |",
        "|---|---|---|",
        f"| {fmt_summary(cs['app_s'], 's')} | {fmt_summary(cs['minimal_gradio_s'], 's')} | {fmt_summary(cs['ratio'], '×')} |",
    ]
    return lines


GROWTH_CEILING_KB = 4.0  # per item done: under the ~4.5 KB of one 1,000-token reply's text


def _rehearsal_goals(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Measurement 8: a ProcessBench-sized rehearsal at --parallel 64, beside 64 bare readers."""
    ours, lines, loads = r["kinds"]["rehearse"], r["kinds"]["lines"], r["kinds"]["json"]
    size = f"{r['items']:,} items × {r['tokens_per_item']:,.0f} tokens"
    growth = ours["rss_growth_kb_per_item"]
    recordings = ours["files_bytes_per_item"]["recordings"]
    share = r.get("recordings_share")
    return [
        {
            "id": "8",
            "what": f"Rehearsal, {size}, --parallel {r['parallel']}: our CPU per item "
            f"({fmt_summary(ours['cpu_ms_per_1k_tokens'], 'ms')} per 1,000 tokens)",
            "result": fmt_summary(ours["cpu_ms_per_item"], "ms"),
            "baseline": f"{r['parallel']} bare httpx readers, lines + json.loads: "
            f"{fmt(_med(loads['cpu_ms_per_item']))} ms (lines only {fmt(_med(lines['cpu_ms_per_item']))} ms, "
            f"{_ratio(_med(ours['cpu_ms_per_item']), _med(lines['cpu_ms_per_item']))})",
            "ratio": fmt_summary(ours["ratio_to_json"], "×"),
            # Stated for 1,000-token replies: shorter ones (--quick) weigh the per-item work more.
            "goal": "≤ 3× lines + json.loads at 1,000 tokens",
            "met": _med(ours["ratio_to_json"]) <= 3 if r["tokens_per_item"] == 1000 else None,
        },
        {
            "id": "8",
            "what": f"Rehearsal, {size}: items an hour on loopback, one core "
            f"({fmt(ours['scorecard_throughput']['generated_tokens_per_s'])} generated tokens/s in its scorecard)",
            "result": fmt_summary(ours["items_per_hour"], "items/h"),
            "baseline": f"bare readers, lines + json.loads: {fmt(_med(loads['items_per_hour']))} items/h",
            "ratio": _ratio(_med(ours["items_per_hour"]), _med(loads["items_per_hour"])),
            "goal": "–",
            "met": None,
        },
        {
            "id": "8",
            "what": f"Rehearsal, {size}: RSS at start → peak → end; growth per item done after the first tenth "
            f"({fmt(_med(ours['rss_growth_mb']))} MB in all)",
            "result": f"{fmt(_med(ours['rss_start_mb']))} → {fmt(_med(ours['rss_peak_mb']))} → "
            f"{fmt(_med(ours['rss_end_mb']))} MB; {fmt_summary(growth, 'KB')}/item",
            "baseline": f"bare readers: {fmt(_med(loads['rss_start_mb']))} → {fmt(_med(loads['rss_peak_mb']))} → "
            f"{fmt(_med(loads['rss_end_mb']))} MB; {fmt(_med(loads['rss_growth_kb_per_item']))} KB/item",
            "ratio": _ratio(_med(ours["rss_peak_mb"]), _med(loads["rss_peak_mb"])),
            "goal": f"growth ≤ {GROWTH_CEILING_KB:.0f} KB/item over 3,400 items (no reply kept)",
            "met": _med(growth) <= GROWTH_CEILING_KB if r["items"] >= 3400 else None,
        },
        {
            "id": "8",
            "what": "Rehearsal: written per item (recording; runs.jsonl line); the recordings' share of our CPU"
            + (f" (on {r['kinds']['tenth/rehearse']['items']:,} items)" if share else ""),
            "result": f"{fmt(recordings / 1024)} KB; {fmt(ours['files_bytes_per_item']['runs_jsonl'])} B"
            + (f"; {fmt(_med(share) * 100)} %" if share else ""),
            "baseline": f"the reply on the wire: {fmt(r.get('wire_bytes_per_item', math.nan) / 1024)} KB",
            "ratio": _ratio(recordings, r.get("wire_bytes_per_item", math.nan)),
            "goal": "–",
            "met": None,
        },
    ]


REHEARSAL_NAMES = {
    "lines": "64 bare httpx readers: lines",
    "json": "64 bare httpx readers: lines + json.loads",
    "rehearse": "rehearse --dataset … --parallel 64",
    "tenth/rehearse": "rehearse, a tenth of the items",
    "tenth/unrecorded": "the same, recordings off (bench only)",
}


def _rehearsal_section(r: dict[str, Any]) -> list[str]:
    """Measurement 8 in detail: each reader and the rehearsal, CPU, wall time and memory."""
    splits = ", ".join(f"{name} {n:,}" for name, n in r["splits"].items())
    lines = [
        "",
        f"## 8. A ProcessBench-sized rehearsal ({r['items']:,} items: {splits}; {r['correct_items']:,} correct), "
        f"--parallel {r['parallel']}, {r['tokens_per_item']:,.0f} tokens per reply, {r['protocol']}",
        "",
        "Each row is its own child process pinned to one core, the loopback server on the other, streaming as fast "
        "as the socket takes it. CPU = the child's user + sys time from just before the run to its end (the "
        "rehearsal's includes reading the dataset, the journal, the recordings and the scorecard). RSS growth = "
        "from the first tenth of the items done to the last, per item.",
        "",
        "| Reader | Items | CPU/item | CPU/1,000 tokens | Items/h | Core used | Server CPU/item | RSS start | peak | end | growth/item |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, k in r["kinds"].items():
        lines.append(
            f"| {REHEARSAL_NAMES.get(kind, kind)} | {k['items']:,} | {fmt_summary(k['cpu_ms_per_item'], 'ms')} "
            f"| {fmt_summary(k['cpu_ms_per_1k_tokens'], 'ms')} | {fmt_summary(k['items_per_hour'])} "
            f"| {_med(k['cpu_share']):.0%} | {fmt_summary(k['server_cpu_ms_per_item'], 'ms')} "
            f"| {fmt(_med(k['rss_start_mb']), 'MB')} | {fmt(_med(k['rss_peak_mb']), 'MB')} "
            f"| {fmt(_med(k['rss_end_mb']), 'MB')} | {fmt_summary(k['rss_growth_kb_per_item'], 'KB')} |"
        )
    ours = r["kinds"]["rehearse"]
    curve = ", ".join(f"{n:,}: {fmt(rss)}" for n, rss in ours["rss_samples"])
    files = ours["files_bytes_per_item"]
    tp = ours["scorecard_throughput"]
    lines += [
        "",
        f"RSS of the rehearsal as items end (items: MB): {curve}.",
        "",
        f"Written per item: a recording of {fmt(files['recordings'] / 1024)} KB ({ours['recording_files']:,} files, "
        f"{fmt(files['recordings'] * r['items'] / 2**20)} MB in all), {fmt(files['runs_jsonl'])} B of runs.jsonl, "
        f"and the scorecard ({fmt(files['scorecard'] * r['items'] / 1024)} KB in all). The scorecard's own "
        f"throughput: {fmt(tp['runs_per_hour'])} runs/h, {fmt(tp['generated_tokens_per_s'])} generated tokens/s.",
    ]
    return lines


def _room_goals(r: dict[str, Any]) -> list[dict[str, Any]]:
    """Measurement 9: the projector's run with a room of phones voting, beside the same run with no room."""
    room, alone, n = r["room"], r["alone"], r["phones"]
    run = f"{r['tokens']:,} tokens at {r['rate']} tokens/s"
    return [
        {
            "id": "9",
            "what": f"Projector's run ({run}) with {n} phones polling and voting: tokens on time (≤ 300 ms)",
            "result": f"{room['on_time_share']:.1%}",
            "baseline": f"the same run, no room: {alone['on_time_share']:.1%}",
            "ratio": "–",
            "goal": "≥ 95 %",
            "met": room["on_time_share"] >= 0.95,
        },
        {
            "id": "9",
            "what": f"{n} phones: p95 token latency server → projector",
            "result": fmt(room["latency_p95_ms"], "ms"),
            "baseline": f"no room: {fmt(alone['latency_p95_ms'], 'ms')}",
            "ratio": _ratio(room["latency_p95_ms"], alone["latency_p95_ms"]),
            "goal": "–",
            "met": None,
        },
        {
            "id": "9",
            "what": f"{n} phones: vote → bar on the projector, p95 (p50 {fmt(room['vote_to_bar_p50_s'], 's')}, "
            f"max {fmt(room['vote_to_bar_max_s'], 's')}; projector ticks every {room['projector_tick_s']:g} s)",
            "result": fmt(room["vote_to_bar_p95_s"], "s"),
            "baseline": f"{room['votes_counted']} of {n} votes counted",
            "ratio": "–",
            "goal": "every vote counted",
            "met": room["votes_counted"] == n,
        },
        {
            "id": "9",
            "what": f"{n} phones: app RSS (max) and CPU while the run streams",
            "result": f"{room['app_rss_mb']:.0f} MB; {room['app_cpu_share']:.0%}",
            "baseline": f"no room: {alone['app_rss_mb']:.0f} MB; {alone['app_cpu_share']:.0%}",
            "ratio": _ratio(room["app_rss_mb"], alone["app_rss_mb"]),
            "goal": "–",
            "met": None,
        },
    ]


def _room_section(r: dict[str, Any]) -> list[str]:
    """Measurement 9 in detail: each side's run, and the room's votes and polls."""
    room = r["room"]
    lines = [
        "",
        f"## 9. A room of {r['phones']} phones while the projector streams {r['tokens']:,} tokens at {r['rate']} tokens/s"
        " (each side its own app process)",
        "",
        "Phones poll at the pace the phone's page declares (its timer) from a random phase and each taps a step once "
        "while the run streams; the projector's session ticks at its own timer's pace. Vote → bar: a phone's tap until "
        "the first projector tick whose bars count it. Poll: one phone tick's round trip as the bench's client saw it; where the tick only says whether "
        "anything changed, a redraw is the draw its change sets off, as in the browser.",
        "",
        "| Side | On time (≤ 300 ms) | p50 latency | p95 latency | p95 gap between updates | App RSS max | App CPU |",
        "|---|---|---|---|---|---|---|",
    ]
    for side, name in (("alone", "no room"), ("room", f"room, {r['phones']} phones")):
        e = r[side]
        lines.append(
            f"| {name} | {e['on_time_share']:.1%} | {fmt(e['latency_p50_ms'], 'ms')} | {fmt(e['latency_p95_ms'], 'ms')} "
            f"| {fmt(e['gap_p95_ms'], 'ms')} | {e['app_rss_mb']:.0f} MB | {e['app_cpu_share']:.0%} |"
        )
    lines += [
        "",
        "| Phone tick | Projector tick | Votes sent / answered / counted / on the bars | Vote → bar p50 | p95 | max "
        "| Polls (of which redrew) | Poll p50 | p95 | Errors (votes, polls) | Projector tick p95 |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        f"| {room['phone_tick_s']:g} s | {room['projector_tick_s']:g} s | {room['votes_sent']} / {room['votes_answered']} / "
        f"{room['votes_counted']} / {room['votes_on_bars']} | {fmt(room['vote_to_bar_p50_s'], 's')} "
        f"| {fmt(room['vote_to_bar_p95_s'], 's')} | {fmt(room['vote_to_bar_max_s'], 's')} | {room['polls']:,} ({room.get('redraws', 0):,}) "
        f"| {fmt(room['poll_p50_ms'], 'ms')} | {fmt(room['poll_p95_ms'], 'ms')} | {room['vote_errors']}, {room['poll_errors']} "
        f"| {fmt(room['tick_p95_ms'], 'ms')} |",
    ]
    return lines
