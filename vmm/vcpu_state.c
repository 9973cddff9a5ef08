/* A vCPU's registers on a fatal exit (see vcpu_state.h). */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vcpu_state.h"

static void segment_print(FILE *f, const char *name, const struct hvk_segment *s)
{
	fprintf(f, "hvk:   %-4s %04" PRIx16 " base %016" PRIx64 " limit %08" PRIx32
		" ar %04" PRIx16 "\n", name, s->selector, (uint64_t)s->base, s->limit, s->ar);
}

void vcpu_state_print(const struct vcpu *vcpu, const char *why, FILE *f)
{
	static const char *const gpr_names[HVK_NR_GPRS] = {
		"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
		"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	};
	struct hvk_regs r;

	if (ioctl(vcpu->fd, HVK_VCPU_GET_REGS, &r) < 0) {
		fprintf(f, "hvk: vCPU %u: no registers (HVK_VCPU_GET_REGS: %s)\n", vcpu->id,
			strerror(errno));
		return;
	}
	fprintf(f, "hvk: vCPU %u registers %s:\n", vcpu->id, why);
	fprintf(f, "hvk:   rip  %016" PRIx64 " rflags %08" PRIx64 "\n", (uint64_t)r.rip,
		(uint64_t)r.rflags);
	/* Four to a line, in encoding order as gpr[] holds them. */
	for (unsigned int i = 0; i < HVK_NR_GPRS; i += 4)
		fprintf(f, "hvk:   %-4s %016" PRIx64 " %-4s %016" PRIx64 " %-4s %016" PRIx64
			" %-4s %016" PRIx64 "\n",
			gpr_names[i], (uint64_t)r.gpr[i], gpr_names[i + 1], (uint64_t)r.gpr[i + 1],
			gpr_names[i + 2], (uint64_t)r.gpr[i + 2], gpr_names[i + 3],
			(uint64_t)r.gpr[i + 3]);
	fprintf(f, "hvk:   cr0  %016" PRIx64 " cr2  %016" PRIx64 " cr3  %016" PRIx64
		" cr4  %016" PRIx64 "\n", (uint64_t)r.cr0, (uint64_t)r.cr2, (uint64_t)r.cr3,
		(uint64_t)r.cr4);
	fprintf(f, "hvk:   efer %016" PRIx64 " dr6  %016" PRIx64 " dr7  %016" PRIx64 "\n",
		(uint64_t)r.efer, (uint64_t)r.dr6, (uint64_t)r.dr7);
	segment_print(f, "cs", &r.cs);
	segment_print(f, "ss", &r.ss);
	segment_print(f, "ds", &r.ds);
	segment_print(f, "es", &r.es);
	segment_print(f, "fs", &r.fs);
	segment_print(f, "gs", &r.gs);
	segment_print(f, "tr", &r.tr);
	segment_print(f, "ldtr", &r.ldtr);
	fprintf(f, "hvk:   gdt  base %016" PRIx64 " limit %08" PRIx32 "\n", (uint64_t)r.gdt.base,
		r.gdt.limit);
	fprintf(f, "hvk:   idt  base %016" PRIx64 " limit %08" PRIx32 "\n", (uint64_t)r.idt.base,
		r.idt.limit);
}
