# 26-guest-ram.sh: tests/progs/guest-ram checks that guest RAM follows the
# VMM's memory as under KVM (issue 13): faulted in on demand, nothing
# pinned unless HVK_MEM_PINNED, and the MMU notifier keeping the nested
# tables coherent through MADV_DONTNEED, mmap over, fork, mprotect and a
# page zapped under a running guest; hypercalls whose guest memory the VMM
# made unreadable or read-only answer -EFAULT.  The kernel log must stay
# clean.

t_tap_progs guest-ram
