# 20-abi-client.sh: tests/progs/abi-client drives /dev/hvk directly (every
# ioctl error path, a hand-assembled guest's exits, EBUSY/EINTR, two VMs, a
# SIGKILLed VMM, leak counters).  The 32-bit build proves a 32-bit VMM drives
# the 64-bit module with no compat translation.

for bits in 64 32; do
	prog=tests/progs/abi-client$bits
	if [ ! -x "$prog" ]; then
		t_fail abi-client$bits "$prog not built (make progs)"
		continue
	fi
	if t_run "$prog"; then
		t_pass abi-client$bits
	else
		t_fail abi-client$bits "$(grep '^not ok' "$T_OUT" | head -n 3) $(t_why)"
	fi
done
