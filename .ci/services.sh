# shellcheck shell=bash
# Test services for retkoop: PostgreSQL 15, Dovecot (IMAP) and headless Chromium.
#
#   source .ci/services.sh      # installs what is missing, starts everything, exports RETKOOP_TEST_*
#   go test ./mailin/
#   services_stop               # stops PostgreSQL and Dovecot, removes the temp dir
#
#   bash .ci/services.sh        # self-test: start, check, print the env, stop
#
# Knobs (set before sourcing):
#   RETKOOP_SERVICES_NO_AUTOSTART=1  only define the functions (used by .ci/run)
#   RETKOOP_SKIP_INSTALL=1           never call apt-get
#
# Written to be sourced into an interactive shell: no `set -e` here, every step checks itself
# and returns non-zero on failure (after undoing what it started).

_svc_log() { printf '[services] %s\n' "$*" >&2; }
_svc_now() { date +%s.%N; }
_svc_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1fs", b - a }'; }

_SVC_PGBIN=/usr/lib/postgresql/15/bin

# --- installation --------------------------------------------------------------------------

# Prints the Debian packages that are missing (nothing when all is there).
_svc_missing_packages() {
	local missing=()
	command -v chromium >/dev/null 2>&1 || [[ -x /usr/bin/chromium ]] || missing+=(chromium)
	{ [[ -x /usr/sbin/dovecot && -x /usr/lib/dovecot/imap && -x /usr/lib/dovecot/imap-login ]]; } || missing+=(dovecot-imapd)
	{ command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1; } || missing+=(poppler-utils)
	[[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]] || missing+=(fonts-dejavu-core)
	{ [[ -x $_SVC_PGBIN/postgres && -x $_SVC_PGBIN/initdb && -x $_SVC_PGBIN/pg_ctl ]]; } || missing+=(postgresql-15)
	{ [[ -x $_SVC_PGBIN/psql ]] || command -v psql >/dev/null 2>&1; } || missing+=(postgresql-client-15)
	((${#missing[@]} == 0)) || printf '%s\n' "${missing[@]}"
}

_svc_apt() { # runs apt-get with the given args, once more after a failure
	local opts=(-y -q -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
	DEBIAN_FRONTEND=noninteractive apt-get "${opts[@]}" "$@" </dev/null && return 0
	_svc_log "apt-get $1 failed, retrying once in 5s"
	sleep 5
	DEBIAN_FRONTEND=noninteractive apt-get "${opts[@]}" "$@" </dev/null
}

services_install() {
	local missing t0 log
	mapfile -t missing < <(_svc_missing_packages)
	if ((${#missing[@]} == 0)); then
		_svc_log "packages: all present, apt-get skipped"
		return 0
	fi
	if [[ -n ${RETKOOP_SKIP_INSTALL:-} ]]; then
		_svc_log "packages missing (${missing[*]}) but RETKOOP_SKIP_INSTALL is set"
		return 1
	fi
	if [[ $(id -u) != 0 ]]; then
		_svc_log "packages missing (${missing[*]}): run as root (or apt-get install them)"
		return 1
	fi
	t0=$(_svc_now)
	log=$(mktemp -t retkoop-apt.XXXXXX)
	_svc_log "installing: ${missing[*]} (log: $log)"
	if ! _svc_apt update >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		_svc_log "apt-get update failed"
		return 1
	fi
	if ! _svc_apt install --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
		tail -n 30 "$log" >&2
		_svc_log "apt-get install failed"
		return 1
	fi
	rm -f "$log"
	mapfile -t missing < <(_svc_missing_packages)
	if ((${#missing[@]} != 0)); then
		_svc_log "still missing after install: ${missing[*]}"
		return 1
	fi
	_svc_log "packages installed in $(_svc_since "$t0")"
}

# --- helpers ------------------------------------------------------------------------------

# True while PID runs (a zombie, left for init to reap, counts as gone).
_svc_alive() {
	local st
	kill -0 "$1" 2>/dev/null || return 1
	st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 1
	[[ $st != Z ]]
}

_svc_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# _svc_free_port BASE: first port from BASE (+ a random offset, so two local runs don't collide)
# that nothing listens on.
_svc_free_port() {
	local p=$(($1 + RANDOM % 500)) i
	for ((i = 0; i < 200; i++, p++)); do
		if ! _svc_port_in_use "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

_svc_wait_port() { # PORT SECONDS
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		_svc_port_in_use "$1" && return 0
		sleep 0.1
	done
	return 1
}

# --- PostgreSQL ---------------------------------------------------------------------------

_svc_pg_start() {
	local dir=$RETKOOP_CI_TMP/pg port try t0=$(_svc_now)
	mkdir -p "$dir" && chown postgres:postgres "$dir" && chmod 700 "$dir" || return 1
	# Explicit UTF8/C.UTF-8: with LANG unset (as in CI) initdb would pick SQL_ASCII.
	if ! runuser -u postgres -- "$_SVC_PGBIN/initdb" -D "$dir/data" -A trust -U postgres \
		-E UTF8 --locale=C.UTF-8 --no-sync >"$RETKOOP_CI_TMP/initdb.log" 2>&1; then
		cat "$RETKOOP_CI_TMP/initdb.log" >&2
		_svc_log "initdb failed"
		return 1
	fi
	for try in 1 2 3; do
		port=$(_svc_free_port 55432) || return 1
		if runuser -u postgres -- "$_SVC_PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
			-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
			start >/dev/null 2>&1; then
			_SVC_PG_DATA=$dir/data
			break
		fi
		_svc_log "pg_ctl start on port $port failed (try $try):"
		tail -n 5 "$dir/postgres.log" >&2
	done
	[[ -n ${_SVC_PG_DATA:-} ]] || return 1
	local psql=$_SVC_PGBIN/psql
	[[ -x $psql ]] || psql=psql
	local url="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	if [[ $("$psql" "$url" -XAtc 'select 1' 2>&1) != 1 ]]; then
		"$psql" "$url" -XAtc 'select 1' >&2
		_svc_log "PostgreSQL does not answer select 1"
		return 1
	fi
	export RETKOOP_TEST_POSTGRES=$url
	_svc_log "PostgreSQL 15 on 127.0.0.1:$port ($dir/data, log $dir/postgres.log) in $(_svc_since "$t0")"
}

_svc_pg_stop() {
	[[ -n ${_SVC_PG_DATA:-} ]] || return 0
	if [[ -f $_SVC_PG_DATA/postmaster.pid ]]; then
		if ! runuser -u postgres -- "$_SVC_PGBIN/pg_ctl" -D "$_SVC_PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1; then
			local pid
			pid=$(head -n 1 "$_SVC_PG_DATA/postmaster.pid" 2>/dev/null) || pid=
			[[ -n $pid ]] && kill -9 "$pid" 2>/dev/null
			_svc_log "PostgreSQL did not stop cleanly; killed postmaster $pid"
		fi
	fi
	unset _SVC_PG_DATA
}

# --- Dovecot ------------------------------------------------------------------------------

# Answers 0 if LOGIN + SELECT INBOX work over plain IMAP on 127.0.0.1:PORT (pure bash, no netcat).
_svc_imap_check() {
	local port=$1 fd line tag ok=1
	exec {fd}<>"/dev/tcp/127.0.0.1/$port" || return 1
	IFS= read -r -t 5 -u "$fd" line || { exec {fd}>&-; return 1; }
	[[ $line == "* OK"* ]] || { _svc_log "IMAP greeting: $line"; exec {fd}>&-; return 1; }
	for tag in a b; do
		case $tag in
		a) printf 'a LOGIN retkoop retkoop-test\r\n' >&"$fd" ;;
		b) printf 'b SELECT INBOX\r\n' >&"$fd" ;;
		esac
		while IFS= read -r -t 5 -u "$fd" line; do
			[[ $line == "$tag "* ]] && break
		done
		if [[ $line != "$tag OK"* ]]; then
			_svc_log "IMAP $tag: ${line%$'\r'}"
			ok=0
			break
		fi
	done
	printf 'z LOGOUT\r\n' >&"$fd" 2>/dev/null
	exec {fd}>&-
	((ok))
}

_svc_dovecot_start() {
	local d=$RETKOOP_CI_TMP/dovecot port t0=$(_svc_now) uid
	uid=$(id -u dovecot) || { _svc_log "no dovecot user (is dovecot-core installed?)"; return 1; }
	port=$(_svc_free_port 51143) || return 1
	mkdir -p "$d/run" "$d/state" "$d/mail" "$d/home" || return 1
	chown dovecot:dovecot "$d/mail" "$d/home" || return 1
	# The auth process runs as user dovecot and reads the passwd-file.
	printf 'retkoop:{PLAIN}retkoop-test::::::\n' >"$d/users"
	chmod 644 "$d/users"
	cat >"$d/dovecot.conf" <<EOF
# Test-only Dovecot for retkoop (written by .ci/services.sh). Plain text, loopback only.
protocols = imap
listen = 127.0.0.1
base_dir = $d/run
state_dir = $d/state
instance_name = retkoop-test-$port
log_path = $d/dovecot.log
info_log_path = $d/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
# Mail belongs to the unprivileged 'dovecot' user (uid $uid): Dovecot refuses uid 0 for
# mail processes, and its default first_valid_uid (500) is above the system uids.
first_valid_uid = $uid
last_valid_uid = $uid
mail_uid = dovecot
mail_gid = dovecot
mail_location = maildir:$d/mail/%u
mail_fsync = never
# retkoop/retkoop-test from the passwd-file; any other user name also logs in with the password
# retkoop-test and gets its own empty Maildir (handy for isolating tests).
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/users
}
passdb {
  driver = static
  args = password=retkoop-test
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$d/home/%u
}
protocol imap {
  mail_max_userip_connections = 1000
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    port = 0
  }
}
# No auth penalty: after a failed login Dovecot otherwise delays every next login from the same
# IP by 2-15 s (auth_failure_delay does not cover it). Without this socket the penalty is off.
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service pop3-login {
  inet_listener pop3 {
    port = 0
  }
  inet_listener pop3s {
    port = 0
  }
}
EOF
	if ! /usr/sbin/dovecot -c "$d/dovecot.conf" >"$d/start.log" 2>&1; then
		cat "$d/start.log" >&2
		[[ -f $d/dovecot.log ]] && tail -n 20 "$d/dovecot.log" >&2
		_svc_log "dovecot failed to start"
		return 1
	fi
	_SVC_DOVECOT_PIDFILE=$d/run/master.pid
	if ! _svc_wait_port "$port" 15; then
		[[ -f $d/dovecot.log ]] && tail -n 20 "$d/dovecot.log" >&2
		_svc_log "dovecot does not listen on 127.0.0.1:$port"
		return 1
	fi
	if ! _svc_imap_check "$port"; then
		[[ -f $d/dovecot.log ]] && tail -n 20 "$d/dovecot.log" >&2
		_svc_log "IMAP LOGIN/SELECT check failed"
		return 1
	fi
	export RETKOOP_TEST_DOVECOT="imap://retkoop:retkoop-test@127.0.0.1:$port/INBOX?tls=none"
	export RETKOOP_TEST_DOVECOT_LOG=$d/dovecot.log
	_svc_log "Dovecot $(/usr/sbin/dovecot --version | cut -d' ' -f1) on 127.0.0.1:$port (conf $d/dovecot.conf, log $d/dovecot.log) in $(_svc_since "$t0")"
}

_svc_dovecot_stop() {
	[[ -n ${_SVC_DOVECOT_PIDFILE:-} ]] || return 0
	local pid i
	pid=$(cat "$_SVC_DOVECOT_PIDFILE" 2>/dev/null) || pid=
	if [[ -n $pid ]] && kill "$pid" 2>/dev/null; then
		# The master takes its children down with it.
		for ((i = 0; i < 100; i++)); do
			_svc_alive "$pid" || break
			sleep 0.05
		done
		if _svc_alive "$pid"; then
			kill -9 "$pid" 2>/dev/null
			_svc_log "Dovecot did not stop in 10s; killed master $pid"
		fi
	fi
	unset _SVC_DOVECOT_PIDFILE
}

# --- Chromium -----------------------------------------------------------------------------

_svc_chromium_check() {
	local bin t0=$(_svc_now) out profile
	bin=$(command -v chromium 2>/dev/null) || bin=/usr/bin/chromium
	[[ -x $bin ]] || { _svc_log "chromium not found"; return 1; }
	profile=$(mktemp -d "$RETKOOP_CI_TMP/chromium.XXXXXX")
	out=$(timeout 90 "$bin" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --disable-quic \
		--user-data-dir="$profile" --dump-dom 'data:text/html,<p id=x>retkoop-ok</p>' 2>"$RETKOOP_CI_TMP/chromium.log")
	rm -rf "$profile"
	if [[ $out != *'<p id="x">retkoop-ok</p>'* ]]; then
		tail -n 20 "$RETKOOP_CI_TMP/chromium.log" >&2
		_svc_log "headless chromium did not render a page"
		return 1
	fi
	export RETKOOP_TEST_CHROMIUM=$bin
	_svc_log "$("$bin" --version 2>/dev/null) headless OK in $(_svc_since "$t0")"
}

# --- entry points -------------------------------------------------------------------------

services_stop() {
	# Safe to call twice, and from an EXIT trap under `set -e` (every step is guarded).
	_svc_dovecot_stop || true
	_svc_pg_stop || true
	if [[ -n ${RETKOOP_CI_TMP:-} && -d $RETKOOP_CI_TMP && $RETKOOP_CI_TMP == */retkoop-ci.* ]]; then
		rm -rf "$RETKOOP_CI_TMP"
	fi
	unset RETKOOP_CI_TMP RETKOOP_TEST_REQUIRE RETKOOP_TEST_POSTGRES RETKOOP_TEST_DOVECOT RETKOOP_TEST_DOVECOT_LOG RETKOOP_TEST_CHROMIUM
	return 0
}

services_start() {
	if [[ $(id -u) != 0 ]]; then
		_svc_log "must run as root (initdb/pg_ctl via runuser, dovecot master)"
		return 1
	fi
	if [[ -n ${_SVC_PG_DATA:-}${_SVC_DOVECOT_PIDFILE:-} ]]; then
		_svc_log "already started (call services_stop first)"
		return 1
	fi
	services_install || return 1
	RETKOOP_CI_TMP=$(mktemp -d -t retkoop-ci.XXXXXX) || return 1
	export RETKOOP_CI_TMP
	# Services drop to the postgres/dovecot users: they must be able to traverse the dir.
	chmod 755 "$RETKOOP_CI_TMP"
	if _svc_pg_start && _svc_dovecot_start && _svc_chromium_check; then
		export RETKOOP_TEST_REQUIRE=1
		return 0
	fi
	services_stop
	return 1
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
	# Executed, not sourced: self-test.
	set -uo pipefail
	trap services_stop EXIT
	services_start || exit 1
	env | grep '^RETKOOP_' | sort
	exit 0
elif [[ -z ${RETKOOP_SERVICES_NO_AUTOSTART:-} ]]; then
	services_start && env | grep '^RETKOOP_TEST_' | sort >&2
fi
