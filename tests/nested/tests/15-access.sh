# 15-access.sh: /dev/hvk as hvk's udev rule (dist/60-hvk.rules) sets it up,
# used without root (docs/security.md).  busybox has no udev, so the rule's
# GROUP and MODE are read from the rule and applied by hand.  Then, as
# unprivileged users: a member of the group runs a 1 GiB guest within
# Debian's default 8 MiB locked-memory limit (guest RAM is faulted in, not
# pinned), and hits that limit with --pin-memory (pinned RAM is charged to
# it); a non-member is told to join the group (exit 1); tracing and the
# debugfs counters say they need root.  /dev/hvk is put back as it was.

rule=dist/60-hvk.rules
member=hvkuser nonmember=hvkother
guest=guests/hello64.elf

# The users and groups, in the initramfs' own /etc (RAM, writable).
grep -q '^root:' /etc/passwd 2>/dev/null || echo 'root:x:0:0:root:/root:/bin/sh' >>/etc/passwd
grep -q '^root:' /etc/group 2>/dev/null || echo 'root:x:0:' >>/etc/group
grep -q "^$member:" /etc/passwd || cat >>/etc/passwd <<-PASSWD
	$member:x:4001:4001:hvk group member:/tmp:/bin/sh
	$nonmember:x:4002:4002:not in group hvk:/tmp:/bin/sh
	PASSWD

# as_user USER MEMLOCK_KIB CMD: run the shell command CMD as USER (su keeps the
# rlimits root sets first), through t_run.
as_user() {
	t_run sh -c "ulimit -l $2 && exec su -s /bin/sh $1 -c '$3'"
}

group=$(sed -n 's/^KERNEL=="hvk".*GROUP="\([^"]*\)".*/\1/p' "$rule" 2>/dev/null)
mode=$(sed -n 's/^KERNEL=="hvk".*MODE="\([0-7]*\)".*/\1/p' "$rule" 2>/dev/null)
if [ ! -c /dev/hvk ]; then
	t_skip access.devnode "no /dev/hvk (module.insmod failed)"
	return 0 2>/dev/null || exit 0
elif [ -z "$group" ] || [ -z "$mode" ]; then
	t_fail access.devnode "$rule has no KERNEL==\"hvk\" rule with GROUP and MODE"
	return 0 2>/dev/null || exit 0
fi
grep -q "^$group:" /etc/group || echo "$group:x:4000:$member" >>/etc/group
old=$(stat -c '%a %g' /dev/hvk)
chgrp "$group" /dev/hvk && chmod "$mode" /dev/hvk
now=$(stat -c '%a %G' /dev/hvk)
if [ "$now" = "660 hvk" ]; then
	t_pass access.devnode
else
	t_fail access.devnode "/dev/hvk is '$now' after the rule (GROUP=$group MODE=$mode), not '660 hvk'"
fi

# A member runs a 1 GiB guest under Debian's default 8 MiB limit (issue 13:
# RAM is faulted in as the guest touches it, nothing is charged to the limit).
if as_user "$member" 8192 "$HVK run --mem 1G $guest" &&
   grep -q 'hello from a 64-bit PVH guest' "$T_OUT"; then
	t_pass access.member-runs
else
	t_fail access.member-runs "$member (group $group) could not run $guest with 1 GiB: $(t_why)"
fi

# The same guest pinned, over that limit: refused, naming the limit.
if as_user "$member" 8192 "$HVK run --pin-memory $guest"; then
	t_fail access.member-memlock "64 MiB of pinned guest RAM under ulimit -l 8192 ran: not charged to the user"
elif [ "$T_STATUS" = 1 ] && grep -q "ulimit -l" "$T_OUT"; then
	t_pass access.member-memlock
else
	t_fail access.member-memlock "want exit 1 naming 'ulimit -l': $(t_why)"
fi

# A non-member: exit 1, told to join the group.
if as_user "$nonmember" 131072 "$HVK run $guest"; then
	t_fail access.nonmember "$nonmember, not in group $group, ran a guest"
elif [ "$T_STATUS" = 1 ] &&
     grep -q "permission denied: add yourself to group $group" "$T_OUT"; then
	t_pass access.nonmember
else
	t_fail access.nonmember "want exit 1 and 'permission denied: add yourself to group $group': $(t_why)"
fi

# Tracing stays root's: tracefs is 0700.  hvk trace says so, exit 1.
mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
mount -t debugfs nodev /sys/kernel/debug 2>/dev/null
if as_user "$member" 8192 "$HVK trace"; then
	t_fail access.trace "$member could trace"
elif [ "$T_STATUS" = 1 ] && grep -q "permission denied: tracing needs root" "$T_OUT"; then
	t_pass access.trace
else
	t_fail access.trace "want exit 1 and 'permission denied: tracing needs root': $(t_why)"
fi
if as_user "$member" 8192 "$HVK stat"; then
	t_fail access.stat "$member could read hvk's debugfs counters"
elif [ "$T_STATUS" = 1 ] && grep -q "permission denied (run as root)" "$T_OUT"; then
	t_pass access.stat
else
	t_fail access.stat "want exit 1 and 'permission denied (run as root)': $(t_why)"
fi

# Back as it was (root's, as 10-module.sh found it).
chgrp "${old#* }" /dev/hvk && chmod "${old% *}" /dev/hvk
