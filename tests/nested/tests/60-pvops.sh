# 60-pvops.sh: guests/pvops and pvops32 (docs/pvops.md) on hvk's pv_ops
# table.  Each runs with --stats twice, batching on and off (batch=off), and
# once with 2 vCPUs (the AP started through pv vcpu_up: VCPUOP_initialise+up).
# The guest's hypercalls are deterministic, so the counts are exact: both
# runs make 236 hvk MMU calls (hvk_1); with batching 231 of them travel in 9
# multicalls and 5 go alone, so the batched run has 9 more hypercalls (the
# multicalls) and 236 - 9 - 5 = 222 fewer hypercall exits.  The exit counts
# of both runs are in the PASS line of <elf>.exit-counts.

MMU_CALLS=236
MULTICALLS=9
DIRECT=5
SAVED_EXITS=$((MMU_CALLS - MULTICALLS - DIRECT))

# stat_count NAME: the count of the first "  NAME  COUNT ..." line of $T_OUT
# (exit reasons come before hypercalls), 0 if there is none.
stat_count() {
	awk -v name="$1" '$1 == name && $2 ~ /^[0-9]+$/ { print $2; found = 1; exit }
		END { if (!found) print 0 }' "$T_OUT"
}

# Hypercall exits: SVM names the exit "hypercall" (VMMCALL), VMX "VMCALL".
hypercall_exits() {
	_n=$(stat_count hypercall)
	[ "$_n" -gt 0 ] || _n=$(stat_count VMCALL)
	echo "$_n"
}

# run_counted TEST ELF [hvk run options]: hvk run --stats; PASS/FAIL TEST on
# the guest's verdict; sets MC (multicalls), MMU (hvk_1 calls), EXITS
# (hypercall exits) and HCALLS (all hypercalls) from the tables.
run_counted() {
	_test=$1 _elf=$2; shift 2
	MC='' MMU='' EXITS='' HCALLS=''
	if ! t_run "$HVK" run --stats "$@" "guests/$_elf.elf"; then
		t_fail "$_test" "$(t_why)"
		return 1
	fi
	if ! grep -qF "$_elf: all checks passed (platform hvk" "$T_OUT"; then
		t_fail "$_test" "no '$_elf: all checks passed (platform hvk' line"
		return 1
	fi
	MC=$(stat_count multicall)
	MMU=$(stat_count hvk_1)
	EXITS=$(hypercall_exits)
	HCALLS=$(sed -n 's/^VM exits: .*, hypercalls: \([0-9]*\)$/\1/p' "$T_OUT")
	return 0
}

# expect_counts TEST ELF MULTICALLS GUEST-LINE: hvk's hvk_1 and multicall
# counts of the last run, and the guest's own count of what it sent.
expect_counts() {
	if [ "$MMU" -ne "$MMU_CALLS" ]; then
		t_fail "$1" "hvk_1 counted $MMU, expected $MMU_CALLS"
	elif [ "$MC" -ne "$3" ]; then
		t_fail "$1" "multicall counted $MC, expected $3"
	elif ! grep -qF "$2: mmu hypercalls: $4" "$T_OUT"; then
		t_fail "$1" "no '$2: mmu hypercalls: $4' line"
	else
		t_pass "$1"
	fi
}

check_pvops() {
	elf=$1
	on_ok=0 off_ok=0
	if run_counted "$elf.batch-on" "$elf"; then
		on_mc=$MC on_exits=$EXITS on_hcalls=$HCALLS on_ok=1
		expect_counts "$elf.batch-on" "$elf" "$MULTICALLS" \
			"$MMU_CALLS ($((MMU_CALLS - DIRECT)) in $MULTICALLS multicalls, $DIRECT direct)"
	fi
	if run_counted "$elf.batch-off" "$elf" --cmdline batch=off; then
		off_exits=$EXITS off_hcalls=$HCALLS off_ok=1
		expect_counts "$elf.batch-off" "$elf" 0 \
			"$MMU_CALLS (0 in 0 multicalls, $MMU_CALLS direct)"
	fi
	if [ "$on_ok$off_ok" != 11 ]; then
		t_skip "$elf.exit-counts" "a --stats run failed"
	else
		echo "    $elf: hypercall exits $on_exits batched, $off_exits unbatched;" \
		     "hypercalls $on_hcalls and $off_hcalls; $on_mc multicalls"
		if [ $((off_exits - on_exits)) -ne "$SAVED_EXITS" ]; then
			t_fail "$elf.exit-counts" "hypercall exits $on_exits batched," \
			       "$off_exits unbatched: expected $SAVED_EXITS fewer batched"
		elif [ $((on_hcalls - off_hcalls)) -ne "$MULTICALLS" ]; then
			t_fail "$elf.exit-counts" "hypercalls $on_hcalls batched," \
			       "$off_hcalls unbatched: expected $MULTICALLS more batched"
		else
			t_pass "$elf.exit-counts:hypercall-exits-batched=$on_exits,unbatched=$off_exits"
		fi
	fi

	if ! t_run "$HVK" run --cpus 2 --cmdline cpus=2 "guests/$elf.elf"; then
		t_fail "$elf.smp" "$(t_why)"
	elif ! grep -qF "$elf: AP 1 up, per-CPU id 1" "$T_OUT"; then
		t_fail "$elf.smp" "no '$elf: AP 1 up, per-CPU id 1' line"
	elif ! grep -qF "$elf: all checks passed (platform hvk" "$T_OUT"; then
		t_fail "$elf.smp" "no '$elf: all checks passed (platform hvk' line"
	else
		t_pass "$elf.smp"
	fi

	# The native table's INIT-SIPI-SIPI, through hvk's local APIC.
	if ! t_run "$HVK" run --cpus 2 --cmdline "cpus=2 ap=sipi" "guests/$elf.elf"; then
		t_fail "$elf.smp-sipi" "$(t_why)"
	elif ! grep -qF "$elf: AP 1 up, per-CPU id 1" "$T_OUT"; then
		t_fail "$elf.smp-sipi" "no '$elf: AP 1 up, per-CPU id 1' line"
	else
		t_pass "$elf.smp-sipi"
	fi
}

check_pvops pvops
check_pvops pvops32
