#!/usr/bin/env bash
# The one test command of ops_coach.
#
#   scripts/test.sh            pure-Python tests + static checks, then the Odoo suite
#                              when an Odoo 18 and PostgreSQL are on this machine
#
# How an Odoo 18 is found (first match wins):
#   ODOO_HOME    a folder holding odoo-bin and odoo/release.py of 18.0 (default /opt/odoo18)
#   ODOO_PYTHON  the Python that runs it (default $ODOO_HOME/../odoo-venv/bin/python,
#                then /opt/odoo-venv/bin/python, then python3)
# PostgreSQL: PGHOST/PGPORT (default 127.0.0.1:5432); if it is down and this machine has
# a Debian cluster, the script starts it. ODOO_DB_USER (default ops_coach) is created with
# CREATEDB through the postgres superuser when missing.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK="$ROOT/.ci-work"
mkdir -p "$WORK"
PASSED=0
FAILED=0
SKIPPED=0

say() { printf '== %s\n' "$*"; }
count() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); }

dev_venv() {
    local venv="$ROOT/.venv"
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" || return 1
    fi
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$ROOT/requirements-dev.txt" || return 1
    PY="$venv/bin/python"
}

run_pytest() {
    # run_pytest DIR LOG [VAR=value...]: pytest in DIR (its own rootdir: the addon root
    # needs Odoo and must not be imported), counted into the summary
    local dir=$1 out=$2
    shift 2
    (cd "$dir" && env "$@" "$PY" -m pytest -q -p no:cacheprovider --rootdir=. --import-mode=importlib .) \
        | tee "$out"
    local rc=${PIPESTATUS[0]}
    local passed failed
    # pytest's closing line only: a test's own output may say "… 126 failed"
    local summary
    summary=$(grep -E '^(=+ )?[0-9]+ (passed|failed|errors?|skipped)' "$out" | tail -1)
    passed=$(echo "$summary" | grep -Eo '[0-9]+ passed' | grep -Eo '[0-9]+' || echo 0)
    failed=$(echo "$summary" | grep -Eo '[0-9]+ (failed|errors?)' | awk '{n += $1} END {print n + 0}')
    [ "$rc" -ne 0 ] && [ "${failed:-0}" -eq 0 ] && failed=1
    count "${passed:-0}" "${failed:-0}"
}

run_pure_tests() {
    say "pure-Python tests (coach/)"
    run_pytest "$ROOT/coach/tests" "$WORK/pytest.log"
}

run_static_checks() {
    say "static checks (manifest, XML, CSV)"
    if "$PY" "$ROOT/scripts/static_checks.py"; then count 1 0; else count 0 1; fi
    say "pylint-odoo"
    local files
    # the addon's Python; scripts/ holds command-line tools, which print by design
    files=$(cd "$ROOT" && { git ls-files '*.py' 2>/dev/null || find . -name '*.py' -not -path './.venv/*'; } \
        | grep -v '^\(\./\)\?scripts/')
    if (cd "$ROOT" && "$PY" -m pylint --rcfile=.pylintrc --disable=missing-readme $files); then
        echo "pylint-odoo: clean"; count 1 0
    else
        echo "pylint-odoo: problems above"; count 0 1
    fi
}

find_odoo() {
    ODOO_HOME=${ODOO_HOME:-/opt/odoo18}
    if [ ! -f "$ODOO_HOME/odoo-bin" ] || ! grep -q "^version_info = (18, 0" "$ODOO_HOME/odoo/release.py" 2>/dev/null; then
        echo "no Odoo 18 found at ODOO_HOME=$ODOO_HOME (set ODOO_HOME to a folder with odoo-bin)"
        return 1
    fi
    local candidate
    for candidate in "${ODOO_PYTHON:-}" "$ODOO_HOME/../odoo-venv/bin/python" /opt/odoo-venv/bin/python python3; do
        [ -n "$candidate" ] || continue
        if "$candidate" -c "import psycopg2, werkzeug, lxml" 2>/dev/null; then
            ODOO_PYTHON=$candidate
            break
        fi
    done
    if [ -z "${ODOO_PYTHON:-}" ] || ! "$ODOO_PYTHON" -c "import psycopg2" 2>/dev/null; then
        echo "Odoo 18 found at $ODOO_HOME but no Python with its requirements (set ODOO_PYTHON)"
        return 1
    fi
    if ! "$ODOO_PYTHON" -c "import phonenumbers" 2>/dev/null; then
        "$ODOO_PYTHON" -m pip install -q -r "$ROOT/requirements.txt" || return 1
    fi
    # the providers' own libraries sign the webhooks in the Odoo tests
    if ! "$ODOO_PYTHON" -c "import retell.lib.webhook_auth, twilio.request_validator" 2>/dev/null; then
        "$ODOO_PYTHON" -m pip install -q -r "$ROOT/requirements-odoo-tests.txt" || return 1
    fi
}

ensure_postgres() {
    export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432}
    if ! pg_isready -q 2>/dev/null; then
        if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
            echo "PostgreSQL is down: starting the local cluster"
            pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | tail -1)" main start || true
            for _ in $(seq 1 20); do pg_isready -q && break; sleep 1; done
        fi
    fi
    if ! pg_isready -q 2>/dev/null; then
        echo "PostgreSQL is not reachable at $PGHOST:$PGPORT"
        return 1
    fi
    DB_USER=${ODOO_DB_USER:-ops_coach}
    if ! psql -U postgres -d postgres -Atc "select 1 from pg_roles where rolname='$DB_USER'" | grep -q 1; then
        psql -U postgres -d postgres -qc "CREATE ROLE \"$DB_USER\" LOGIN CREATEDB" || return 1
    fi
}

free_port() { "$PY" -c "import socket; s=socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }

odoo_run() {
    # odoo_run DB LOG [odoo args...]: a throw-away database, the addon linked under its technical name
    local db=$1 log=$2
    shift 2
    dropdb -U postgres --if-exists "$db" >/dev/null 2>&1
    "$ODOO_PYTHON" "$ODOO_HOME/odoo-bin" \
        --addons-path="$ODOO_HOME/addons,$ODOO_HOME/odoo/addons,$WORK/addons" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$DB_USER" -d "$db" \
        --http-port="$(free_port)" --gevent-port="$(free_port)" --max-cron-threads=0 \
        --stop-after-init "$@" > "$log" 2>&1
    local rc=$?
    dropdb -U postgres --if-exists "$db" >/dev/null 2>&1
    return $rc
}

addon_warnings() {
    # warnings or errors logged by this addon, or by Odoo about it
    grep -E " (WARNING|ERROR|CRITICAL) " "$1" | grep -iE "ops_coach|ops\.|ops_" | grep -v "odoo.tests" || true
}

run_odoo_suite() {
    say "Odoo 18 suite"
    if ! find_odoo || ! ensure_postgres; then
        echo "Odoo suite NOT run: no Odoo 18 with PostgreSQL on this machine; ran the pure tests and static checks only"
        SKIPPED=$((SKIPPED + 1))
        return 0
    fi
    echo "Odoo 18 at $ODOO_HOME, Python $ODOO_PYTHON, PostgreSQL $PGHOST:$PGPORT as $DB_USER"
    browser_prerequisites
    mkdir -p "$WORK/addons"
    ln -sfn "$ROOT" "$WORK/addons/ops_coach"
    local suffix=$$

    say "install without demo data"
    local log="$WORK/odoo-nodemo.log"
    if odoo_run "ops_coach_nodemo_$suffix" "$log" -i ops_coach --without-demo=all --log-level=info \
        && grep -q "Modules loaded" "$log" && [ -z "$(addon_warnings "$log")" ]; then
        echo "installed without demo data, no warning from the addon"; count 1 0
    else
        addon_warnings "$log"; tail -20 "$log"; echo "install without demo data FAILED ($log)"; count 0 1
    fi

    say "install with demo data and run the Odoo tests"
    log="$WORK/odoo-tests.log"
    odoo_run "ops_coach_test_$suffix" "$log" -i ops_coach --test-enable --test-tags /ops_coach --log-level=test
    local rc=$?
    grep -E "(ERROR|FAIL): |odoo.tests.result" "$log" | tail -40
    local warnings
    warnings=$(addon_warnings "$log" | grep -vE "ERROR|FAIL")
    local result
    result=$(grep -Eo "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$log" | tail -1)
    if [ -z "$result" ]; then
        echo "Odoo suite did not report a result (rc=$rc); see $log"; tail -30 "$log"; count 0 1
        return
    fi
    local failed errors total
    read -r failed errors total < <(echo "$result" | grep -Eo "[0-9]+" | paste -sd' ')
    echo "Odoo suite: $result (rc=$rc)"
    if [ -n "$warnings" ]; then
        echo "warnings from the addon:"; echo "$warnings"; count 0 1
    fi
    [ "$rc" -ne 0 ] && [ $((failed + errors)) -eq 0 ] && errors=1
    local passed=$((total - failed - errors))
    [ "$passed" -lt 0 ] && passed=0
    count "$passed" $((failed + errors))
    run_optional_apps
    run_live_tests
}

run_optional_apps() {
    # what an optional Odoo app lights up, tested with that app installed (eLearning: training courses)
    say "with eLearning installed (tests tagged ops_coach_elearning)"
    local log="$WORK/odoo-elearning.log"
    odoo_run "ops_coach_elearning_$$" "$log" -i ops_coach,website_slides --without-demo=all \
        --test-enable --test-tags ops_coach_elearning/ops_coach --log-level=test
    local rc=$? result
    grep -E "(ERROR|FAIL): " "$log" | tail -20
    result=$(grep -Eo "[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests" "$log" | tail -1)
    if [ -z "$result" ] || [ "$rc" -ne 0 ]; then
        echo "eLearning tests did not pass (rc=$rc, ${result:-no result}); see $log"; count 0 1
        return
    fi
    local failed errors total
    read -r failed errors total < <(echo "$result" | grep -Eo "[0-9]+" | paste -sd' ')
    echo "eLearning tests: $result"
    if [ "$total" -eq 0 ]; then echo "no eLearning test ran"; count 0 1; return; fi
    count $((total - failed - errors)) $((failed + errors))
}

run_live_tests() {
    # a real server with 2 workers, driven over HTTP: concurrency an HttpCase cannot produce
    say "live-server tests (2 workers, tests/live)"
    run_pytest "$ROOT/tests/live" "$WORK/live.log" ODOO_HOME="$ODOO_HOME" ODOO_PYTHON="$ODOO_PYTHON" \
        ODOO_DB_USER="$DB_USER"
}

browser_prerequisites() {
    # Odoo's browser tests skip silently without Chromium and websocket-client: install them
    if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "installing Chromium (Debian) for the browser tests"
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 \
                || echo "could not install chromium: browser tests will be skipped"
        fi
    fi
    "$ODOO_PYTHON" -c "import websocket" 2>/dev/null || "$ODOO_PYTHON" -m pip install -q websocket-client \
        || echo "could not install websocket-client: browser tests will be skipped"
}

if ! dev_venv; then
    echo "could not set up the test tools (.venv): see pip's message above"
    echo "0 passed, 1 failed"
    exit 1
fi
run_pure_tests
run_static_checks
if [ "${OPS_COACH_SKIP_ODOO:-0}" = 1 ]; then
    echo "Odoo suite NOT run: OPS_COACH_SKIP_ODOO=1"
else
    run_odoo_suite
fi
say "summary"
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ]
