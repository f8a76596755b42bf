#!/bin/sh
# Load test of the book page (cahier de comptabilité) with wrk.
#
#   scripts/loadtest-book.sh UAI PASSWORD [BASE_URL] [EXERCICE] [WRK OPTIONS…]
#
# Logs in as the mandataire UAI with PASSWORD (the demo's printed password;
# the forced change at first login is made, to PASSWORD-charge), then runs
# wrk on the book page with the session cookie. Needs curl and wrk
# (apt-get install wrk). Example, with a fresh demo of 2,000 coops of 400
# operations:
#
#   go build -o /tmp/retkoop . && cd "$(mktemp -d)"
#   /tmp/retkoop demo --coops 2000 --operations 400 | grep 0310100R
#   /tmp/retkoop serve --web-only > serve.log &
#   scripts/loadtest-book.sh 0310100R 'printed-password' http://127.0.0.1:8080 2025-2026 -t2 -c32 -d20s
set -eu
uai=$1 pw=$2 base=${3:-http://127.0.0.1:8080} ex=${4:-2025-2026}
shift 2; [ $# -gt 0 ] && shift; [ $# -gt 0 ] && shift
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
login() { # prints the HTTP status of the login post (303 when it succeeds)
	curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' -d "identifiant=$uai" --data-urlencode "mot_de_passe=$1" "$base/connexion"
}
# A second run logs in with the password the first run chose.
if [ "$(login "$pw")" = 303 ]; then current=$pw
elif [ "$(login "$pw-charge")" = 303 ]; then current=$pw-charge
else echo "login failed" >&2; exit 1; fi
# The demo's passwords must be changed at the first login.
page=$(curl -fsS -c "$jar" -b "$jar" -L "$base/coop")
if printf '%s' "$page" | grep -q 'id="password-form"'; then
	csrf=$(printf '%s' "$page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -n 1)
	curl -fsS -c "$jar" -b "$jar" -o /dev/null -H "Origin: $base" --data-urlencode "csrf=$csrf" \
		--data-urlencode "actuel=$current" --data-urlencode "nouveau=$pw-charge" --data-urlencode "confirmation=$pw-charge" \
		"$base/mot-de-passe"
fi
cookie=$(awk '$6 == "retkoop_session" { print $7 }' "$jar")
[ -n "$cookie" ] || { echo "login failed" >&2; exit 1; }
code=$(curl -s -o /dev/null -w '%{http_code}' -b "retkoop_session=$cookie" "$base/coop/cahier/$ex")
[ "$code" = 200 ] || { echo "book page: HTTP $code" >&2; exit 1; }
[ $# -gt 0 ] || set -- -t2 -c32 -d20s
exec wrk "$@" -H "Cookie: retkoop_session=$cookie" "$base/coop/cahier/$ex"
