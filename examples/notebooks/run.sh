#!/usr/bin/env bash
# Executes research-questions.ipynb top to bottom against a running service and writes the
# executed copy next to it (research-questions.executed.ipynb, not committed).
#   MISUSE_GRAPH_URL=http://localhost:4000 examples/notebooks/run.sh
# Needs jupyter-nbconvert, python3-ipykernel and python3-pandas (Debian) or the pip equivalents.
set -euo pipefail
cd "$(dirname "$0")"
: "${MISUSE_GRAPH_URL:=http://localhost:4000}"
export MISUSE_GRAPH_URL PYDEVD_DISABLE_FILE_VALIDATION=1
if ! curl -fsS "$MISUSE_GRAPH_URL/healthz" >/dev/null; then
  echo "No service at $MISUSE_GRAPH_URL (start one with npm start, or set MISUSE_GRAPH_URL)" >&2
  exit 1
fi
jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=120 \
  --output research-questions.executed research-questions.ipynb
echo "executed: $(pwd)/research-questions.executed.ipynb"
