# Sourced by .ci/run: installs the third-party servers the `realserver` tests start on
# 127.0.0.1 (versions and recipes: ../shared/research/realservers.md), cached between runs,
# and exports where they are. Installs come from the package registries only.
set -euo pipefail

cache="${MODELCHECK_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/modelcheck-ci}"
mkdir -p "$cache"
started=$(date +%s)

litellm_venv="$cache/litellm-1.108.7"
if [ ! -x "$litellm_venv/bin/litellm" ]; then
    rm -rf "$litellm_venv"
    python3 -m venv "$litellm_venv"
    # 1.108.7: newer releases' `proxy` extra needs a litellm-proxy PyPI does not serve.
    # prisma: without it every auth failure becomes a plain-text 500 (see realservers.md).
    "$litellm_venv/bin/pip" install --quiet 'litellm[proxy]==1.108.7' 'prisma==0.15.0'
fi

aimock_dir="$cache/aimock-1.43.0"
if [ ! -x "$aimock_dir/node_modules/.bin/llmock" ]; then
    rm -rf "$aimock_dir"
    mkdir -p "$aimock_dir"
    (cd "$aimock_dir" && npm install --no-save --no-audit --no-fund --silent @copilotkit/aimock@1.43.0)
fi

# llmock (PyPI): the Gemini model list and forced Anthropic errors (native-providers.md 5.4).
llmock_venv="$cache/llmock-0.2.2"
if [ ! -x "$llmock_venv/bin/llmock" ]; then
    rm -rf "$llmock_venv"
    python3 -m venv "$llmock_venv"
    "$llmock_venv/bin/pip" install --quiet 'llmock==0.2.2'
fi

export MODELCHECK_TEST_LITELLM="$litellm_venv/bin/litellm"
export MODELCHECK_TEST_LLMOCK="$llmock_venv/bin/llmock"
export MODELCHECK_TEST_AIMOCK="$aimock_dir/node_modules/.bin/llmock"
export LITELLM_LOCAL_MODEL_COST_MAP=True
echo "ci: real servers ready in $(( $(date +%s) - started ))s (cache: $cache)"
