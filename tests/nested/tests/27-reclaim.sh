# 27-reclaim.sh: tests/progs/guest-reclaim has the host swap out a guest's
# RAM (issue 13): MADV_PAGEOUT of a range the guest filled, the guest
# checking every dword afterwards.  Swap for it is a zram device of this
# L1 (zram and zsmalloc come with the initramfs, tests/nested/manifest),
# set up here and taken down after.  The kernel log must stay clean.

RECLAIM_MODULES=/etc/hvktest/modules.zram

reclaim_swap_on() {
	[ -s "$RECLAIM_MODULES" ] || { echo "no $RECLAIM_MODULES"; return 1; }
	while read -r _ko; do
		insmod "$_ko" || { echo "insmod $_ko failed"; return 1; }
	done <"$RECLAIM_MODULES"
	if ! { echo 16M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null &&
		swapon /dev/zram0; }; then
		echo "zram swap could not be set up"
		return 1
	fi
}

reclaim_swap_off() {
	swapoff /dev/zram0 2>/dev/null
	echo 1 >/sys/block/zram0/reset 2>/dev/null
	# Unloaded in the reverse order of loading.
	sed -n '1!G;h;$p' "$RECLAIM_MODULES" | while read -r _ko; do
		_m=${_ko##*/}
		rmmod "${_m%.ko*}" 2>/dev/null
	done
}

if _why=$(reclaim_swap_on 2>&1); then
	t_tap_progs guest-reclaim
else
	t_fail guest-reclaim "$_why"
fi
reclaim_swap_off
