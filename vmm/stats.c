/* Printing and reading exit/hypercall counters (see stats.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "stats.h"

static double share(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static int exit_count_cmp(const void *a, const void *b)
{
	const struct hvk_exit_count *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

void stats_print(FILE *out, const struct hvk_stats *st)
{
	struct hvk_exit_count sorted[HVK_STATS_EXIT_CODES];
	uint32_t n = st->nr_exit_codes < HVK_STATS_EXIT_CODES ?
		     st->nr_exit_codes : HVK_STATS_EXIT_CODES;

	fprintf(out, "VM exits: %" PRIu64 ", returns to the VMM: %" PRIu64
		", hypercalls: %" PRIu64 "\n", (uint64_t)st->exits,
		(uint64_t)st->userspace_exits, (uint64_t)st->hypercalls);
	fprintf(out, "interrupts: %" PRIu64 ", NMIs: %" PRIu64 ", unclaimed I/O: %"
		PRIu64 "\n", (uint64_t)st->interrupts, (uint64_t)st->nmis,
		(uint64_t)st->unclaimed_io);
	if (st->gpt_tables)     /* a VM's, not a vCPU's */
		fprintf(out, "nested page-table pages: %" PRIu32 "\n", st->gpt_tables);
	if (st->ram_faults || st->ram_zaps)
		fprintf(out, "guest RAM faults: %" PRIu64 " (%" PRIu64 " mapping 2 MiB), "
			"4 KiB pages zapped by the host: %" PRIu64 "\n", (uint64_t)st->ram_faults,
			(uint64_t)st->ram_huge, (uint64_t)st->ram_zaps);
	if (st->xen_area_pages)
		fprintf(out, "guest RAM pinned for Xen areas: %" PRIu64 " page(s)\n",
			(uint64_t)st->xen_area_pages);
	memcpy(sorted, st->exit_count, n * sizeof(sorted[0]));
	qsort(sorted, n, sizeof(sorted[0]), exit_count_cmp);
	fprintf(out, "  %-24s %12s %8s\n", "exit reason", "count", "share");
	for (uint32_t i = 0; i < n; i++)
		fprintf(out, "  %-24s %12" PRIu64 " %7.2f%%\n",
			exit_reason_name(st->vendor, sorted[i].code),
			(uint64_t)sorted[i].count, share(sorted[i].count, st->exits));
	if (st->exits_other)
		fprintf(out, "  %-24s %12" PRIu64 "\n", "(other)", (uint64_t)st->exits_other);
	fprintf(out, "  %-24s %12s %8s\n", "hypercall", "count", "share");
	for (uint32_t nr = 0; nr < HVK_STATS_HYPERCALLS; nr++)
		if (st->hypercall_count[nr])
			fprintf(out, "  %-24s %12" PRIu64 " %7.2f%%\n", hypercall_name(nr),
				(uint64_t)st->hypercall_count[nr],
				share(st->hypercall_count[nr], st->hypercalls));
}

void stats_print_io(FILE *out, const struct hvk_io_stats *io)
{
	uint32_t n = io->nr < HVK_IO_STATS_ENTRIES ? io->nr : HVK_IO_STATS_ENTRIES;

	for (uint32_t i = 0; i < n; i++) {
		const struct hvk_io_count *c = &io->entries[i];

		fprintf(out, "  unclaimed %s 0x%" PRIx64 ": %" PRIu64 " reads, %" PRIu64
			" writes\n", c->space == HVK_IO_SPACE_MMIO ? "mmio" : "pio",
			(uint64_t)c->addr, (uint64_t)c->reads, (uint64_t)c->writes);
	}
	if (io->other)
		fprintf(out, "  unclaimed (other ports and pages): %" PRIu64 "\n",
			(uint64_t)io->other);
}

static void stats_add_exit(struct hvk_stats *st, uint64_t code, uint64_t count)
{
	if (st->nr_exit_codes == HVK_STATS_EXIT_CODES) {
		st->exits_other += count;
		return;
	}
	st->exit_count[st->nr_exit_codes].code = code;
	st->exit_count[st->nr_exit_codes].count = count;
	st->nr_exit_codes++;
}

/* One "key value..." line of the debugfs file. */
static void stats_parse_line(const char *line, struct hvk_stats *st, int *pid,
			     unsigned int *vm_id)
{
	char key[32], vendor[8];
	unsigned long long a, b;

	if (sscanf(line, "exit %llx %llu", &a, &b) == 2)
		stats_add_exit(st, a, b);
	else if (sscanf(line, "hypercall %llu %llu", &a, &b) == 2 && a < HVK_STATS_HYPERCALLS)
		st->hypercall_count[a] = b;
	else if (sscanf(line, "vendor %7s", vendor) == 1)
		st->vendor = strcmp(vendor, "vmx") ? HVK_VENDOR_SVM : HVK_VENDOR_VMX;
	else if (sscanf(line, "%31s %llu", key, &a) == 2) {
		if (!strcmp(key, "vm")) *vm_id = a;
		else if (!strcmp(key, "pid")) *pid = a;
		else if (!strcmp(key, "exits")) st->exits = a;
		else if (!strcmp(key, "userspace_exits")) st->userspace_exits = a;
		else if (!strcmp(key, "hypercalls")) st->hypercalls = a;
		else if (!strcmp(key, "exits_other")) st->exits_other += a;
		else if (!strcmp(key, "hypercalls_other")) st->hypercalls_other = a;
		else if (!strcmp(key, "interrupts")) st->interrupts = a;
		else if (!strcmp(key, "nmis")) st->nmis = a;
		else if (!strcmp(key, "unclaimed_io")) st->unclaimed_io = a;
		else if (!strcmp(key, "gpt_tables")) st->gpt_tables = a;
		else if (!strcmp(key, "ram_faults")) st->ram_faults = a;
		else if (!strcmp(key, "ram_huge")) st->ram_huge = a;
		else if (!strcmp(key, "ram_zaps")) st->ram_zaps = a;
		else if (!strcmp(key, "xen_area_pages")) st->xen_area_pages = a;
	}
}

int stats_read_debugfs(const char *path, struct hvk_stats *st, int *pid,
		       unsigned int *vm_id, struct hvk_err *err)
{
	FILE *f = fopen(path, "r");
	char line[128];

	memset(st, 0, sizeof(*st));
	*pid = -1;
	*vm_id = 0;
	if (!f)
		return hvk_err_set(err, errno, "%s: %s%s", path, strerror(errno),
				   errno == EACCES ? " (run as root)" : "");
	while (fgets(line, sizeof(line), f))
		stats_parse_line(line, st, pid, vm_id);
	fclose(f);
	return 0;
}
