# l1-lib.sh: the in-L1 test framework, sourced by l1-suite.sh and demo.sh.
# POSIX sh as busybox ash runs it.  Results are lines on the serial console
# that tests/nested/run parses (README.md, "Result protocol"):
#   HVKTEST PASS <name>
#   HVKTEST FAIL <name> <reason>
#   HVKTEST SKIP <name> <reason>
# Anything a test runs is shown indented ("    | ..."), so program output can
# never be mistaken for a result line.
#
# Environment (set by /init from the kernel command line):
#   HVK_REPO           repo root, the current directory while tests run
#   HVK_BACKEND        kvm, tcg-svm or bochs-vmx
#   HVK_EXPECT_VENDOR  SVM or VMX: what the emulated CPU offers
#   HVKTEST_TIMEOUT    seconds t_run gives one command before killing it
#   HVK_LINUX_DIR      vmlinux and initrd.gz of the Linux guest (80-linux.sh;
#                      empty when the host prepared none)

# shellcheck disable=SC2034 # used by the test files
HVK=${HVK_REPO:?}/vmm/hvk
HVKTEST_TIMEOUT=${HVKTEST_TIMEOUT:-60}
T_OUT=/tmp/hvktest.out   # output of the last t_run
T_STATUS=0               # exit status of the last t_run

# A reason is one line: newlines and tabs become spaces.
_t_oneline() {
	printf '%s' "$*" | tr '\n\t\r' '   '
}

# Names are one word: spaces would break the line format.
_t_name() {
	printf '%s' "$1" | tr ' \t' '__'
}

t_pass() {
	echo "HVKTEST PASS $(_t_name "$1")"
}

t_fail() {
	_n=$(_t_name "$1"); shift
	echo "HVKTEST FAIL $_n $(_t_oneline "${*:-no reason given}")"
}

t_skip() {
	_n=$(_t_name "$1"); shift
	echo "HVKTEST SKIP $_n $(_t_oneline "${*:-no reason given}")"
}

# Show a file's lines indented, for the serial log.
t_show() {
	sed 's/^/    | /' "$1"
}

# t_run CMD [ARGS...]: run a command with stdin from /dev/null (the guest
# table loop reads stdin) and a time limit, output to $T_OUT (also shown).
# Sets T_STATUS and returns it; 143 means the time limit killed it.
t_run() {
	echo "    \$ $*"
	_t0=$(date +%s)
	timeout "$HVKTEST_TIMEOUT" "$@" </dev/null >"$T_OUT" 2>&1
	T_STATUS=$?
	t_show "$T_OUT"
	# How long each command took in the L1: plans the suite's time budget.
	echo "    ($(( $(date +%s) - _t0 )) s)"
	return $T_STATUS
}

# Why the last t_run failed, for t_fail.
t_why() {
	# The guest's first FAIL line (why it crashed), then hvk's own last
	# word (not what --stats prints after it); else the last line.
	_fail=$(grep -m 1 'FAIL: ' "$T_OUT")
	_last=$(grep -E '^hvk: ' "$T_OUT" | tail -n 1)
	_last="$_fail${_fail:+${_last:+; }}$_last"
	[ -n "$_last" ] || _last=$(tail -n 1 "$T_OUT")
	if [ "$T_STATUS" -eq 143 ]; then
		echo "killed after ${HVKTEST_TIMEOUT}s (hvktest.timeout)"
	else
		echo "exit status $T_STATUS${_last:+: $_last}"
	fi
}

# run_test NAME CMD [ARGS...]: PASS when the command exits 0.
run_test() {
	_rt=$1; shift
	if t_run "$@"; then
		t_pass "$_rt"
	else
		t_fail "$_rt" "$(t_why)"
	fi
}

# Kernel log checks: t_dmesg_mark before an action, t_dmesg_new after it
# prints what the kernel logged meanwhile (and shows it), t_dmesg_bad
# succeeds when that contains an oops, BUG, WARNING or call trace.
T_DMESG_MARK=0
t_dmesg_mark() {
	T_DMESG_MARK=$(dmesg | wc -l)
}

t_dmesg_new() {
	dmesg | tail -n +$((T_DMESG_MARK + 1)) >/tmp/hvktest.dmesg
	t_show /tmp/hvktest.dmesg
}

# The same patterns as tests/nested/run's OOPS_RE: "WARNING: CPU:" is WARN()'s
# format; a bare "WARNING:" also appears in harmless boot messages (SRSO).
T_OOPS_RE='(WARNING: CPU:|BUG:|kernel BUG at|Oops:|Call Trace:|Kernel panic|general protection fault)'
t_dmesg_bad() {
	grep -E "$T_OOPS_RE" /tmp/hvktest.dmesg | head -n 1 | grep .
}

# t_pass_if_clean NAME WHAT: after WHAT succeeded, PASS unless the kernel
# logged an oops, BUG or WARNING since t_dmesg_mark.
t_pass_if_clean() {
	t_dmesg_new
	if _bad=$(t_dmesg_bad); then
		t_fail "$1" "kernel log after $2: $_bad"
	else
		t_pass "$1"
	fi
}

# t_tap_progs NAME: tests/progs/NAME64 and NAME32, programs that print
# "ok N - what" / "not ok N - what: why" and "skip: why" lines; each passes
# (row NAME64, NAME32) if it exits 0 and the kernel log stays clean.
t_tap_progs() {
	for _bits in 64 32; do
		_prog=tests/progs/$1$_bits
		if [ ! -x "$_prog" ]; then
			t_fail "$1$_bits" "$_prog not built (make progs)"
			continue
		fi
		t_dmesg_mark
		if t_run "$_prog"; then
			grep '^skip:' "$T_OUT" | sed "s/^/$1$_bits: /"
			t_pass_if_clean "$1$_bits" "$_prog"
		else
			t_dmesg_new
			t_fail "$1$_bits" "$(grep '^not ok' "$T_OUT" | head -n 3) $(t_why) $(t_dmesg_bad)"
		fi
	done
}

# The whole kernel log, for the host's oops scan and for debugging.  It is
# printed at loglevel "quiet" hides from the console, WARNINGs included.
t_dump_dmesg() {
	echo "HVKTEST DMESG BEGIN"
	dmesg
	echo "HVKTEST DMESG END"
}
