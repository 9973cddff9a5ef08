# 57-pkru.sh: protection keys (issue 15.8, "switch PKRU at exit").  A guest
# that denies every access through protection key 0 must not leave that
# PKRU in the CPU while the host works for it: hvk reaches guest RAM
# through the VMM's user mapping (key 0), so its copies would fault and
# the VMM itself would fault next.  guests/pkru.c, two vCPUs with PKRUs
# of their own, makes hypercalls that read and write its memory through
# every kind of exit and checks its PKRU survives them.
#
# Needs protection keys enabled in the L1 ('ospke' in /proc/cpuinfo): the
# tcg-svm L1 has them (-cpu EPYC,+svm,+npt,+pku, tests/nested/run), where
# their absence is a failure; Bochs' CPU model has none, so under
# bochs-vmx the test SKIPs saying so.

if ! grep -qw ospke /proc/cpuinfo; then
	if [ "$HVK_BACKEND" = tcg-svm ]; then
		t_fail pkru "the tcg-svm L1 has no protection keys (no 'ospke' in" \
		       "/proc/cpuinfo): tests/nested/run gives it +pku"
	else
		t_skip pkru "the $HVK_BACKEND L1's CPU has no protection keys" \
		       "(no 'ospke' in /proc/cpuinfo); tcg-svm's has"
	fi
	return 0 2>/dev/null || exit 0
fi

if ! t_run "$HVK" run --cpus 2 guests/pkru.elf; then
	t_fail pkru "$(t_why)"
elif ! grep -qF "pkru: all checks passed" "$T_OUT"; then
	t_fail pkru "output lacks 'pkru: all checks passed'"
else
	t_pass pkru
fi
