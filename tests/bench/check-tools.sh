#!/usr/bin/env bash
# check-tools.sh: the benchmark's own tools on the host, in seconds
# ('make check-bench-tools', part of make check): tests/progs/vmm-probe's
# mark, snapshot, stdin and signal handling against a fake VMM.  The
# benchmark itself (make bench) is not a test; these are what its figures
# rest on.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
PROBE=$REPO/tests/progs/vmm-probe64
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
NPASS=0 NFAIL=0

pass() { echo "PASS: $1"; NPASS=$((NPASS + 1)); }
fail() { echo "FAIL: $1: $2"; NFAIL=$((NFAIL + 1)); }
# kv KEY FILE: the value of KEY=VALUE on the vmm-probe line of FILE
kv() { sed -n "s/^vmm-probe:.* $1=\([^ ]*\).*/\1/p" "$2"; }

[ -x "$PROBE" ] || { echo "check-tools: $PROBE not built (make progs)" >&2; exit 2; }

# A fake VMM: the mark split across two writes, the rest of its line
# later, then it waits for a line on stdin and exits 3.
cat >"$TMP/vmm" <<'VMM'
#!/bin/sh
printf 'boot\nHVK-LI'; sleep 0.2; printf 'NUX-INIT x'; sleep 0.2; printf ' rest\r\n'
read -r line; echo "stdin-line=[$line]"; exit 3
VMM
chmod +x "$TMP/vmm"
"$PROBE" --mark HVK-LINUX-INIT --at-mark 'echo SNAPSHOT' "$TMP/vmm" >"$TMP/out" 2>&1
st=$?
want=$(printf 'boot\nHVK-LINUX-INIT x rest\r\nSNAPSHOT\nstdin-line=[]')
if [ $st != 3 ]; then
	fail probe.mark "exit status $st, want the VMM's 3"
elif [ "$(head -n 4 "$TMP/out")" != "$want" ]; then
	fail probe.mark "output not the VMM's with the snapshot after the mark's line:"; cat "$TMP/out"
elif ! [ "$(kv mark_ns "$TMP/out")" -ge 300000000 ] || [ "$(kv status "$TMP/out")" != 3 ] ||
     ! [ "$(kv end_ns "$TMP/out")" -ge "$(kv mark_ns "$TMP/out")" ]; then
	fail probe.mark "mark_ns (>= 0.3 s: after both sleeps), end_ns or status wrong: $(tail -n 1 "$TMP/out")"
else
	pass probe.mark
fi

# No mark: stdin is the caller's, no mark fields.
echo from-caller | "$PROBE" sh -c 'read -r l; echo "got $l"' >"$TMP/out" 2>&1
if [ "$(head -n 1 "$TMP/out")" != "got from-caller" ] || grep -q mark_ns "$TMP/out" ||
   [ "$(kv first_output_ns "$TMP/out")" -lt 0 ]; then
	fail probe.plain "$(cat "$TMP/out")"
else
	pass probe.plain
fi

# timeout(1) signals the probe: the VMM goes with it, nothing is left.
# busybox timeout (the L1's) returns the probe's status, as does
# --preserve-status here.
cat >"$TMP/slow" <<'VMM'
#!/bin/sh
trap 'echo "vmm: TERM"; exit 7' TERM
echo started; sleep 30 & wait
VMM
chmod +x "$TMP/slow"
# A stopped run never exits 0, even when the VMM does on TERM (QEMU).
timeout --preserve-status 1 "$PROBE" "$TMP/slow" >"$TMP/out" 2>&1
st=$?
if [ $st != 143 ] || ! grep -q '^vmm: TERM' "$TMP/out" || [ "$(kv status "$TMP/out")" != 7 ]; then
	fail probe.signal "status $st (want 143), the VMM must get TERM and exit 7: $(tr '\n' '|' <"$TMP/out")"
else
	pass probe.signal
fi

# Usage errors: 2, nothing run.
bad=
for args in "" "--at-mark x true" "--bogus x true" "--mark"; do
	# shellcheck disable=SC2086 # the words of each case
	"$PROBE" $args >/dev/null 2>&1
	[ $? = 2 ] || bad="$bad '$args'"
done
[ -z "$bad" ] && pass probe.usage || fail probe.usage "not status 2:$bad"

echo "check-tools: $NPASS passed, $NFAIL failed"
[ $NFAIL = 0 ]
