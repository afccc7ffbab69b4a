#!/usr/bin/env bash
# Regenerates tests/parity/flask_cors.json from the real flask-cors (pinned below), in a
# virtualenv of its own. Needs Python 3 and PyPI; the cargo test that replays the fixture does not.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=${FLASK_PARITY_VENV:-target/flask-parity-venv}
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "flask-cors==6.0.5" "flask==3.1.3" "werkzeug==3.1.9"
fi
mkdir -p tests/parity
"$venv/bin/python" scripts/flask_parity.py tests/parity/flask_cors.json
