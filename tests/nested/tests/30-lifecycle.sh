# 30-lifecycle.sh: module and VM lifetime as a user sees it: rmmod is refused
# while a VM exists; a VMM killed mid-run (SIGKILL: no cleanup of its own)
# leaves no VM and no pinned or allocated page behind.

# hvk info's counters, e.g. "vms: 0".
hvk_counter() {
	"$HVK" info 2>/dev/null | sed -n "s/^$1: *//p"
}

if [ ! -f guests/spin.elf ]; then
	t_fail lifecycle "guests/spin.elf not built (make guests)"
	return 0 2>/dev/null || exit 0
fi

"$HVK" run guests/spin.elf >/tmp/spin.out 2>&1 </dev/null &
vmm=$!
# Until the guest runs (it said so): the kill below must come mid-run.
# Polled, not a fixed sleep: under Bochs an L1 second with a spinning
# guest is most of a wall minute.  The line comes while the guest spins
# in the kernel, never returning to the VMM on its own: output held back
# is sent within 20 ms (kmod/console.h).
i=0
while ! grep -q "spin: spinning" /tmp/spin.out && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if grep -q "spin: spinning" /tmp/spin.out; then
	t_pass lifecycle.output-while-running
else
	t_fail lifecycle.output-while-running "no 'spin: spinning' from the spinning guest" \
		"in 10 s: its console output held back"
fi
if [ "$(hvk_counter vms)" != 1 ]; then
	t_fail lifecycle.vm-counted "hvk info shows vms: $(hvk_counter vms) while one VM runs"
else
	t_pass lifecycle.vm-counted
fi
if rmmod hvk 2>/tmp/rmmod.out; then
	t_fail lifecycle.rmmod-refused "rmmod succeeded while a VM exists"
	insmod kmod/hvk.ko
else
	t_pass lifecycle.rmmod-refused
fi

kill -KILL "$vmm"
wait "$vmm" 2>/dev/null
vms=$(hvk_counter vms) pinned=$(hvk_counter pages-pinned) allocated=$(hvk_counter pages-allocated)
if [ "$vms/$pinned/$allocated" = 0/0/0 ]; then
	t_pass lifecycle.kill-leaves-nothing
else
	t_fail lifecycle.kill-leaves-nothing "after SIGKILL: vms $vms, pages-pinned $pinned, pages-allocated $allocated"
fi

# Two VMs at once from two VMMs, both finish with their own results.
"$HVK" run --quiet guests/hello64.elf >/tmp/a.out 2>&1 </dev/null &
a=$!
"$HVK" run --quiet guests/hello32.elf >/tmp/b.out 2>&1 </dev/null &
b=$!
wait "$a"; sa=$?
wait "$b"; sb=$?
if [ "$sa/$sb" = 0/0 ] && grep -q "64-bit PVH guest" /tmp/a.out &&
   grep -q "32-bit PVH guest" /tmp/b.out; then
	t_pass lifecycle.two-vmms
else
	t_fail lifecycle.two-vmms "exit status $sa and $sb"
fi
