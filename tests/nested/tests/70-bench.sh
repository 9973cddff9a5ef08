# 70-bench.sh: guests/bench (docs/performance.md) works on hvk: a short run
# (a tiny threshold and at most 64 iterations per operation, 2 vCPUs for
# vcpu-up and ipi-roundtrip, a 10 ms idle period for idle-exits) prints
# every operation, the local APIC ones included, with a positive cost and
# powers off.  It proves the benchmark runs; it measures nothing: no timing
# is asserted.  The benchmark itself is tests/nested/run --bench (make bench).

BENCH_OPS="hypercall-null cpuid pio-kernel pio-vmm multicall-1 multicall-4 multicall-16 multicall-64 vcpu-up
	ipi-roundtrip timer-tick eoi idle-exits"

if [ ! -f guests/bench.elf ]; then
	t_fail bench.run "guests/bench.elf not built (make guests)"
elif ! t_run "$HVK" run --stats --cpus 2 \
		--cmdline "cpus=2 threshold=20000 max-iters=64 idle-ms=10" guests/bench.elf; then
	t_fail bench.run "$(t_why)"
elif ! grep -qx 'bench: platform=hvk' "$T_OUT"; then
	t_fail bench.run "no 'bench: platform=hvk' line"
elif ! grep -qx 'bench: done' "$T_OUT" || ! grep -qx 'hvk: guest powered off' "$T_OUT"; then
	t_fail bench.run "no 'bench: done' or 'hvk: guest powered off' line"
else
	t_pass bench.run
	for op in $BENCH_OPS; do
		cost=$(sed -n "s/^bench: op=$op iters=[0-9]* ticks=[0-9]* ticks_per_op=\([0-9.]*\) what=.*/\1/p" "$T_OUT")
		case $cost in
		'') t_fail "bench.$op" "no 'bench: op=$op iters=N ticks=T ticks_per_op=X what=W' line" ;;
		*[1-9]*) t_pass "bench.$op" ;;
		*) t_fail "bench.$op" "cost $cost ticks per operation" ;;
		esac
	done
fi
