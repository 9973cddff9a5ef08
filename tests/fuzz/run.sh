#!/bin/sh
# Runs the fuzz targets built in build/ (docs/testing.md, "Fuzzing").
#   run.sh replay TARGET...          each input of corpus/TARGET once
#   run.sh check SECS TARGET...      fuzz each target for SECS seconds from
#                                    corpus/TARGET alone (so the seed and the
#                                    tree decide the run); finds go to
#                                    build/check-TARGET, emptied first
#   run.sh long SECS RUNS TARGET...  fuzz for SECS seconds or RUNS inputs,
#                                    also from earlier finds in build/new-TARGET
#   run.sh merge TARGET...           add build/new-TARGET's finds to
#                                    corpus/TARGET, minimized
# The seed is FUZZ_SEED or a random one, printed; failing inputs go to
# build/failures/.
set -eu
cd "$(dirname "$0")"
here=tests/fuzz

# -timeout: an input taking longer is a hang, saved as a failure.
opts="-timeout=10 -rss_limit_mb=2048 -max_len=65536"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"

replay() {
	t=$1
	n=$(ls corpus/$t | wc -l)
	if ! build/fuzz-$t $opts corpus/$t/* >build/replay-$t.log 2>&1; then
		tail -n 40 build/replay-$t.log >&2
		# libFuzzer names each input before it runs it: the last one failed.
		f=$(sed -n 's/^Running: //p' build/replay-$t.log | tail -n 1)
		echo "fuzz: $t: replay of corpus/$t failed on $f (log: $here/build/replay-$t.log);" \
		     "rerun it alone: $here/build/fuzz-$t $here/$f" >&2
		return 1
	fi
	echo "fuzz: $t: replayed $n inputs of $here/corpus/$t, no failure"
}

fuzz() {
	secs=$1 runs=$2 t=$3 new=$4
	seed=${FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
	mkdir -p $new build/failures
	echo "fuzz: $t: seed $seed, at most $secs s (rerun: FUZZ_SEED=$seed)"
	rm -f build/failures/$t-*
	if ! build/fuzz-$t $opts -seed="$seed" -max_total_time="$secs" -runs="$runs" \
	     -print_final_stats=1 -artifact_prefix=build/failures/$t- \
	     $new corpus/$t >build/fuzz-$t.log 2>&1; then
		tail -n 60 build/fuzz-$t.log >&2
		for f in build/failures/$t-*; do
			[ -e "$f" ] || continue
			echo "fuzz: $t: failing input $here/$f; rerun it alone:" \
			     "$here/build/fuzz-$t $here/$f" >&2
		done
		echo "fuzz: $t: FAILED with seed $seed (log: $here/build/fuzz-$t.log);" \
		     "rerun the fuzz: FUZZ_SEED=$seed make -C tests/fuzz $make_target" >&2
		return 1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz-$t.log)
	cov=$(grep -o 'cov: [0-9]*' build/fuzz-$t.log | tail -n 1)
	echo "fuzz: $t: seed $seed: $execs executions, $cov, no crash, hang, leak or unclear error"
}

merge() {
	t=$1
	mkdir -p build/new-$t
	build/fuzz-$t $opts -merge=1 corpus/$t build/new-$t >build/merge-$t.log 2>&1 ||
		{ tail -n 20 build/merge-$t.log >&2; return 1; }
	echo "fuzz: $t: corpus/$t now has $(ls corpus/$t | wc -l) inputs"
}

mode=${1:-}
[ $# -gt 0 ] && shift
case $mode in
replay|merge)
	for t in "$@"; do $mode "$t"; done ;;
check)
	secs=$1 make_target=check
	shift
	for t in "$@"; do
		rm -rf build/check-$t
		fuzz "$secs" -1 "$t" build/check-$t
	done ;;
long)
	secs=$1 runs=$2 make_target=fuzz
	shift 2
	for t in "$@"; do fuzz "$secs" "$runs" "$t" build/new-$t; done ;;
*)
	echo "usage: run.sh replay|check SECS|long SECS RUNS|merge TARGET..." >&2
	exit 2 ;;
esac
