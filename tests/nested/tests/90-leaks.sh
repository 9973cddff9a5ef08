# 90-leaks.sh: after every test above (the stress guests, killed VMMs,
# hostile guests), no VM exists and the module owns no page: its own
# counters (HVK_GET_CAPS, shown by hvk info) are back to zero.

if ! t_run "$HVK" info; then
	t_fail leaks.counters "hvk info: $(t_why)"
else
	counters=$(sed -n 's/^\(vms\|pages-pinned\|pages-allocated\): *//p' "$T_OUT" | tr '\n' ' ')
	if [ "$counters" = "0 0 0 " ]; then
		t_pass leaks.counters
	else
		t_fail leaks.counters "vms, pages-pinned, pages-allocated: $counters"
	fi
fi
