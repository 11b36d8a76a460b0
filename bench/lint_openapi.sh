#!/usr/bin/env bash
# Lints the OpenAPI document of both configurations (without and with
# LANG_PORTAL_ADMIN_TOKEN) with redocly's recommended rules, and checks that
# openapi-typescript turns each into types that tsc accepts. The tools are
# the pinned ones of .ci/node, installed first if missing (npm registry).
# tests/test_generated_clients.py (marked slow) asserts the same, and more.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.ci/node/node_modules/.bin
[ -x "$bin/redocly" ] || npm ci --prefix .ci/node --no-audit --no-fund --loglevel=error
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
.venv/bin/python - "$dir" 2>/dev/null <<'PY'
import json, sys
from app import create_app
for name, token in (("open", None), ("token", "lint-token")):
    app = create_app({"TESTING": True, "DATABASE": f"{sys.argv[1]}/{name}.db", "ADMIN_TOKEN": token})
    with open(f"{sys.argv[1]}/openapi-{name}.json", "w") as out:
        json.dump(app.test_client().get("/api/openapi.json").get_json(), out)
PY
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
status=0
for document in "$dir"/openapi-open.json "$dir"/openapi-token.json; do
    echo "== $(basename "$document")"
    "$bin/redocly" lint --format=summary "$document" 2>&1 | grep -E '^(error|warning)|valid|failed' || status=1
    "$bin/openapi-typescript" "$document" -o "$dir/api.d.ts" >/dev/null 2>&1 &&
        "$bin/tsc" --strict --noEmit "$dir/api.d.ts" && echo "openapi-typescript + tsc --strict: ok" || status=1
done
exit $status
