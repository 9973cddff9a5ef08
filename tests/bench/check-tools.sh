#!/usr/bin/env bash
# check-tools.sh: the benchmark's own tools on the host, in seconds
# ('make check-bench-tools', part of make check): tests/progs/vmm-probe's
# mark, snapshot, stdin and signal handling against a fake VMM, that
# tests/bench/l1-bench.sh defines every function it calls, and
# tests/bench/report's Linux rows from a log whose numbers are known.  The
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
# shellcheck disable=SC2016 # $l is the inner sh's
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
if [ -z "$bad" ]; then pass probe.usage; else fail probe.usage "not status 2:$bad"; fi

# l1-bench.sh calls only functions it defines: a lost one is a "not found"
# in the L1 and rows silently n/a (KVM's counting runs were lost that way).
bench=$REPO/tests/bench/l1-bench.sh
defined=$(sed -n 's/^\([a-z_][a-z_0-9]*\)() {.*/\1/p' "$bench" | sort -u)
called=$({ grep -v '^[[:space:]]*#' "$bench" |
	grep -oE '(^|[;&|]|then|do|else)[[:space:]]*(hvk|kvm|linux|bench|count|for_each)_[a-z_0-9]*' |
	grep -oE '[a-z_][a-z_0-9]*$'
	# and the functions passed to those that call one per row or boot
	grep -oE '(for_each_guest|linux_runs) [a-z_][a-z_0-9]*' "$bench" | grep -oE '[a-z_0-9]+$'; })
called=$(echo "$called" | sort -u)
missing=$(comm -23 <(echo "$called") <(echo "$defined"))
if [ -z "$missing" ]; then pass bench.functions; else fail bench.functions "called, never defined: $(echo "$missing" | tr '\n' ' ')"; fi

# The report's Linux rows from a log with known numbers.
log=$TMP/serial.log
{
	echo "HVKBENCH BEGIN backend=tcg-svm vendor=SVM kernel=test"
	for i in 1 2 3; do
		echo "HVKBENCH OUT hvk.linux1.$i HVK-LINUX-INIT kernel=6.1.0-test cpus=1"
		echo "HVKBENCH OUT hvk.linux1.$i at-mark VM exits: $((1000 + i)), returns to the VMM: 10, hypercalls: 5"
		echo "HVKBENCH OUT hvk.linux1.$i VM exits: $((1100 + i)), returns to the VMM: 12, hypercalls: 6"
		echo "HVKBENCH OUT hvk.linux1.$i vmm-probe: first_output_ns=1 busy_ns=1 tsc_khz=1000000 maxrss_kib=$((100 + i)) status=0 end_ns=9 end_busy_ns=${i}500000000 mark_ns=5 mark_busy_ns=${i}000000000 pause_busy_ns=7"
		echo "HVKBENCH RUN hvk.linux1.$i 0"
		echo "HVKBENCH OUT kvm.linux1.$i at-mark-kvm exits=$((2000 + i)) guest_exits=0 userspace=900 emulated=1 injected=1"
		echo "HVKBENCH OUT kvm.linux1.$i vmm-probe: first_output_ns=1 busy_ns=1 tsc_khz=1000000 maxrss_kib=200 status=0 end_ns=9 end_busy_ns=2000000000 mark_ns=5 mark_busy_ns=1500000000 pause_busy_ns=7"
		echo "HVKBENCH RUN kvm.linux1.$i 0"
		echo "HVKBENCH KVM kvm.linux1.$i exits=$((2100 + i)) guest_exits=0 userspace=950 emulated=1 injected=1"
	done
	echo "HVKBENCH OUT kvm.linux2.4 Terminated"
	echo "HVKBENCH RUN kvm.linux2.4 143"
	echo "HVKBENCH END 0"
} >"$log"
"$REPO/tests/bench/report" "$log" >"$TMP/report" 2>&1
want_rows=(
	"1 vCPU: boots that reached /init and powered off: hvk 3 of 3, KVM 3 of 3; medians"
	"busy, M insns, VMM exec to /init 2000.0 1500.0 1.33 not met"
	"busy, M insns, to power-off 2500.0 2000.0 1.25 not met"
	"exits, VMM exec to /init 1002 2002 0.50 met"
	"exits, to power-off 1102 2102 0.52 met"
	"VMM peak RSS, KiB 102 200 0.51"
	"2 vCPUs: boots that reached /init and powered off: hvk 0 of 0, KVM 0 of 1; medians"
	"goal met on 2 of 4 rows with both sides measured."
)
# Each row from the 1-vCPU block; the vCPU headers and the goal line whole.
sed -n '/^1 vCPU:/,/^2 vCPUs:/p' "$TMP/report" >"$TMP/block1"
squeeze() { awk '{ $1 = $1; print }'; }
bad=
for w in "${want_rows[@]}"; do
	case $w in
	*vCPU*) got=$(grep -F -- "$w" "$TMP/report" | squeeze) ;;
	goal*)  got=$(grep -F -- "goal met on" "$TMP/report" | tail -n 1 | squeeze)
		got=${got%%  *}; got=${got%% KVM*} ;;
	*)      got=$(grep -F -- "${w%% [0-9]*}" "$TMP/block1" | squeeze) ;;
	esac
	[ "$got" = "$w" ] || bad="$bad|want '$w' got '$got'"
done
if [ -z "$bad" ]; then pass report.linux; else fail report.linux "${bad#|}"; fi

echo "check-tools: $NPASS passed, $NFAIL failed"
[ $NFAIL = 0 ]
