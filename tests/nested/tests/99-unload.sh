# 99-unload.sh: runs last; hvk.ko unloads cleanly and /dev/hvk goes away.

if ! grep -q '^hvk ' /proc/modules; then
	t_fail module.rmmod "hvk is not loaded"
else
	t_dmesg_mark
	if ! t_run rmmod hvk; then
		t_fail module.rmmod "rmmod hvk: $(t_why)"
	elif [ -e /dev/hvk ]; then
		t_fail module.rmmod "/dev/hvk still exists after rmmod"
	else
		t_pass_if_clean module.rmmod rmmod
	fi
fi
