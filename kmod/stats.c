// SPDX-License-Identifier: GPL-2.0
/* Exit and hypercall counters and their debugfs view (see stats.h). */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "stats.h"
#include "vcpu.h"
#include "vendor.h"
#include "vm.h"

static struct dentry *hvk_debugfs_root;

/* An exit whose code is not the last one's. */
void hvk_stats_count_new_exit(struct hvk_vcpu_stats *s, u64 code)
{
	u32 i;

	s->exits++;
	for (i = 0; i < s->nr_exit_codes; i++)
		if (s->exit_count[i].code == code) {
			s->exit_count[i].count++;
			s->last_exit_code = i;
			return;
		}
	if (s->nr_exit_codes == HVK_STATS_EXIT_CODES) {
		s->exits_other++;
		return;
	}
	s->exit_count[i].code = code;
	s->exit_count[i].count = 1;
	s->last_exit_code = i;
	s->nr_exit_codes++;
}

static void stats_add_exit(struct hvk_stats *out, u64 code, u64 count)
{
	u32 i;

	for (i = 0; i < out->nr_exit_codes; i++)
		if (out->exit_count[i].code == code) {
			out->exit_count[i].count += count;
			return;
		}
	if (out->nr_exit_codes == HVK_STATS_EXIT_CODES) {
		out->exits_other += count;
		return;
	}
	out->exit_count[i].code = code;
	out->exit_count[i].count = count;
	out->nr_exit_codes++;
}

void hvk_stats_add(struct hvk_stats *out, const struct hvk_vcpu_stats *s)
{
	u32 i;

	out->vendor = hvk_ops->vendor;
	out->exits += READ_ONCE(s->exits);
	out->userspace_exits += READ_ONCE(s->userspace_exits);
	out->hypercalls += READ_ONCE(s->hypercalls);
	out->exits_other += READ_ONCE(s->exits_other);
	out->hypercalls_other += READ_ONCE(s->hypercalls_other);
	out->interrupts += READ_ONCE(s->interrupts);
	out->nmis += READ_ONCE(s->nmis);
	out->unclaimed_io += READ_ONCE(s->unclaimed_io);
	for (i = 0; i < HVK_STATS_HYPERCALLS; i++)
		out->hypercall_count[i] += READ_ONCE(s->hypercall_count[i]);
	for (i = 0; i < min_t(u32, READ_ONCE(s->nr_exit_codes), HVK_STATS_EXIT_CODES); i++)
		stats_add_exit(out, s->exit_count[i].code, READ_ONCE(s->exit_count[i].count));
}

void hvk_stats_vm(struct hvk_vm *vm, struct hvk_stats *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->vendor = hvk_ops->vendor;
	out->gpt_tables = READ_ONCE(vm->gpt.nr_tables);
	out->ram_faults = atomic64_read(&vm->ram.faults);
	out->ram_huge = atomic64_read(&vm->ram.huge);
	out->ram_zaps = atomic64_read(&vm->ram.zaps);
	out->xen_area_pages = READ_ONCE(vm->ram.area_pages);
	mutex_lock(&vm->vcpus_lock);
	for (i = 0; i < HVK_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			hvk_stats_add(out, &vm->vcpus[i]->stats);
	mutex_unlock(&vm->vcpus_lock);
}

/* /sys/kernel/debug/hvk/vm<ID>/stats: one "key value" per line. */
static int stats_show(struct seq_file *m, void *unused)
{
	struct hvk_vm *vm = m->private;
	struct hvk_stats *st = kmalloc(sizeof(*st), GFP_KERNEL);
	u32 i;

	if (!st)
		return -ENOMEM;
	hvk_stats_vm(vm, st);
	seq_printf(m, "vm %u\npid %d\nvendor %s\n", vm->id, vm->pid,
		   st->vendor == HVK_VENDOR_VMX ? "vmx" : "svm");
	seq_printf(m, "exits %llu\nuserspace_exits %llu\nhypercalls %llu\n",
		   st->exits, st->userspace_exits, st->hypercalls);
	seq_printf(m, "exits_other %llu\nhypercalls_other %llu\n",
		   st->exits_other, st->hypercalls_other);
	seq_printf(m, "interrupts %llu\nnmis %llu\nunclaimed_io %llu\ngpt_tables %u\n",
		   st->interrupts, st->nmis, st->unclaimed_io, st->gpt_tables);
	seq_printf(m, "ram_faults %llu\nram_huge %llu\nram_zaps %llu\nxen_area_pages %llu\n",
		   st->ram_faults, st->ram_huge, st->ram_zaps, st->xen_area_pages);
	for (i = 0; i < st->nr_exit_codes; i++)
		seq_printf(m, "exit 0x%llx %llu\n", st->exit_count[i].code,
			   st->exit_count[i].count);
	for (i = 0; i < HVK_STATS_HYPERCALLS; i++)
		if (st->hypercall_count[i])
			seq_printf(m, "hypercall %u %llu\n", i, st->hypercall_count[i]);
	kfree(st);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

int hvk_debugfs_init(void)
{
	hvk_debugfs_root = debugfs_create_dir("hvk", NULL);
	return 0;       /* debugfs is optional: errors only cost the view */
}

void hvk_debugfs_exit(void)
{
	debugfs_remove_recursive(hvk_debugfs_root);
}

void hvk_debugfs_vm_add(struct hvk_vm *vm)
{
	char name[24];

	snprintf(name, sizeof(name), "vm%u", vm->id);
	vm->debugfs = debugfs_create_dir(name, hvk_debugfs_root);
	debugfs_create_file("stats", 0444, vm->debugfs, vm, &stats_fops);
}

void hvk_debugfs_vm_remove(struct hvk_vm *vm)
{
	debugfs_remove_recursive(vm->debugfs);
}
