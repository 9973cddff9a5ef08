# 10-module.sh: hvk.ko loads cleanly, /dev/hvk appears, 'hvk info' runs and
# names the vendor the emulated CPU offers.  99-unload.sh removes the module.

ko=kmod/hvk.ko
if [ ! -f "$ko" ]; then
	t_fail module.insmod "$ko not built (make kmod)"
else
	t_dmesg_mark
	if ! t_run insmod "$ko"; then
		t_fail module.insmod "insmod $ko: $(t_why)"
		t_dmesg_new
	elif ! grep -q '^hvk ' /proc/modules; then
		t_fail module.insmod "insmod succeeded but hvk is not in /proc/modules"
	else
		t_pass_if_clean module.insmod insmod
	fi
fi

if [ -c /dev/hvk ]; then
	t_pass module.devnode
elif [ -e /dev/hvk ]; then
	t_fail module.devnode "/dev/hvk exists but is not a character device"
else
	t_fail module.devnode "no /dev/hvk"
fi

if [ ! -x "$HVK" ]; then
	t_fail module.info "vmm/hvk not built (make vmm)"
	t_skip module.vendor "no vmm/hvk"
elif ! t_run "$HVK" info; then
	t_fail module.info "hvk info: $(t_why)"
	t_skip module.vendor "hvk info failed"
else
	t_pass module.info
	# 'hvk info' prints a line "vendor: SVM" or "vendor: VMX".
	vendor=$(sed -n 's/^vendor:[[:space:]]*\([A-Za-z]*\).*/\1/p' "$T_OUT" | head -n 1)
	if [ -z "$vendor" ]; then
		t_fail module.vendor "hvk info printed no 'vendor: ...' line"
	elif [ "$vendor" != "$HVK_EXPECT_VENDOR" ]; then
		t_fail module.vendor "hvk info says vendor $vendor, the CPU offers $HVK_EXPECT_VENDOR"
	else
		t_pass module.vendor
	fi
fi
