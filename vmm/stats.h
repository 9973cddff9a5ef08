/* Printing exit and hypercall counters (struct hvk_stats), as perf kvm stat. */
#ifndef HVK_VMM_STATS_H
#define HVK_VMM_STATS_H

#include <stdio.h>

#include <abi/hvk.h>

#include "err.h"

void stats_print(FILE *out, const struct hvk_stats *st);
/* The unclaimed accesses the kernel answered, per port / page; none: nothing. */
void stats_print_io(FILE *out, const struct hvk_io_stats *io);
/* Parses /sys/kernel/debug/hvk/vm<ID>/stats into *st; also its pid and id. */
int stats_read_debugfs(const char *path, struct hvk_stats *st, int *pid,
		       unsigned int *vm_id, struct hvk_err *err);

#endif /* HVK_VMM_STATS_H */
