# 25-hostile-vmm.sh: tests/progs/hostile-vmm plays a hostile VMM (issue 15):
# a thread rewriting the run page during HVK_RUN, the run page offered as
# guest RAM or mapped by another process, huge regions, a read-only file's
# page released dirty, debug registers leaking between guests and the host.
# Each must end with a clear error and a clean kernel log.  What the
# machine cannot show (no hardware breakpoints under Bochs, a file system
# whose pages are always dirty) the program skips, saying why.

for bits in 64 32; do
	prog=tests/progs/hostile-vmm$bits
	if [ ! -x "$prog" ]; then
		t_fail hostile-vmm$bits "$prog not built (make progs)"
		continue
	fi
	t_dmesg_mark
	if t_run "$prog"; then
		grep '^skip:' "$T_OUT" | sed "s/^/hostile-vmm$bits: /"
		t_pass_if_clean hostile-vmm$bits "$prog"
	else
		t_dmesg_new
		t_fail hostile-vmm$bits "$(grep '^not ok' "$T_OUT" | head -n 3) $(t_why) $(t_dmesg_bad)"
	fi
done
