# 25-hostile-vmm.sh: tests/progs/hostile-vmm plays a hostile VMM (issue 15):
# a thread rewriting the run page during HVK_RUN, the run page offered as
# guest RAM or mapped by another process, huge regions, a read-only file's
# page released dirty, debug registers leaking between guests and the host.
# Each must end with a clear error and a clean kernel log.  What the
# machine cannot show (no hardware breakpoints under Bochs, a file system
# whose pages are always dirty) the program skips, saying why.

t_tap_progs hostile-vmm
