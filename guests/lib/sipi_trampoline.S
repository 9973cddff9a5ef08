/* SPDX-License-Identifier: MIT */
/*
 * An AP started by INIT-SIPI-SIPI (sipi.h).  The first part is copied to
 * the SIPI page and runs there in real mode, CS = page >> 4, IP = 0, so it
 * addresses its page through CS overrides.  From the far jump on the code
 * runs where it was linked.
 */
#include "lapic.h"
#include "segments.h"
#include "sipi.h"

#define CR0_PE          (1 << 0)
#define CR0_PG          0x80000000
#define CR4_PAE         (1 << 5)
#define MSR_EFER        0xc0000080
#define EFER_LME        (1 << 8)

#define RECORD(field)   %cs:(SIPI_PAGE_RECORD + SIPI_REC_##field)

	.text
	.code16
	.globl sipi_trampoline_start, sipi_trampoline_end
	.p2align 4
sipi_trampoline_start:
	/* 1. The page's lock (bit 0 of the lock word). */
1:	lock btsl $0, %cs:SIPI_PAGE_LOCK
	jnc 2f
	pause
	jmp 1b

	/*
	 * 2. The state after INIT and SIPI (SDM Vol. 3A Table 10-1 for INIT;
	 * §9.4.4 for the SIPI's CS), before anything changes it.  BTS above
	 * changed only arithmetic flags.
	 */
2:	xor %eax, %eax
	mov %cs, %ax
	mov %eax, RECORD(CS)
	mov %ds, %ax
	mov %eax, RECORD(DS)
	mov %ss, %ax
	mov %eax, RECORD(SS)
	mov %esp, RECORD(ESP)
	mov %edx, RECORD(EDX)
	mov %cr0, %eax
	mov %eax, RECORD(CR0)
	sidtl RECORD(IDTR)
	mov %cs, %ax                    /* a stack at the top of the page */
	mov %ax, %ss
	mov $SIPI_PAGE_STACK_TOP, %esp
	pushfl
	popl %eax
	mov %eax, RECORD(EFLAGS)

	/* 3. Protected mode; EBP = the page's physical address. */
	xor %ebp, %ebp
	mov %cs, %bp
	shl $4, %ebp
	lgdtl %cs:(sipi_gdtr - sipi_trampoline_start)
	mov $CR0_PE, %eax               /* and CD, NW clear: caches on, as Linux does */
	mov %eax, %cr0
	ljmpl $SEL_KERNEL_CODE32, $sipi_entry32

	.p2align 3
sipi_gdtr:
	.word GDT_SLOTS * 8 - 1
	.long gdt
sipi_trampoline_end:

	.code32
sipi_entry32:
	mov $SEL_KERNEL_DATA, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %fs
	mov %eax, %gs
	mov %eax, %ss                   /* no stack is used until the AP's own */

	/* EBX = the APIC ID, in the mode INIT left (x2APIC stays x2APIC). */
	mov $MSR_APIC_BASE, %ecx
	rdmsr
	test $APIC_BASE_EXTD, %eax
	jz 1f
	mov $X2APIC_MSR(APIC_ID), %ecx
	rdmsr
	mov %eax, %ebx
	jmp 2f
1:	and $APIC_BASE_ADDR_MASK, %eax
	mov APIC_ID(%eax), %ebx
	shr $24, %ebx
2:	cmp $SIPI_MAX_APIC_ID, %ebx
	jae sipi_unknown

	/* The record to sipi_arrivals[id], then IA32_APIC_BASE after it. */
	imul $SIPI_ARRIVAL_SIZE, %ebx, %edi
	add $sipi_arrivals, %edi
	lea SIPI_PAGE_RECORD(%ebp), %esi
	mov $SIPI_REC_DWORDS, %ecx
	cld
	rep movsl                       /* EDI ends at the apic_base field */
	mov $MSR_APIC_BASE, %ecx
	rdmsr
	mov %eax, SIPI_ARR_APIC_BASE - 4 * SIPI_REC_DWORDS(%edi)
	/*
	 * Release the page before counting in: a BSP that sees the count may
	 * INIT this AP at once, and must not find the page still locked.
	 */
	movl $0, SIPI_PAGE_LOCK(%ebp)
	lock incl SIPI_ARR_COUNT - 4 * SIPI_REC_DWORDS(%edi)
	lock incl sipi_arrivals_total
#ifdef __x86_64__
	cmpl $0, sipi_entry_fn(, %ebx, 8)
#else
	cmpl $0, sipi_entry_fn(, %ebx, 4)
#endif
	je sipi_no_entry

#ifdef __x86_64__
	/* 4. Long mode as the BSP entered it (x86_64/longmode.S). */
	mov $CR4_PAE, %eax
	mov %eax, %cr4
	mov $identity_pml4, %eax
	mov %eax, %cr3
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_PE), %eax
	mov %eax, %cr0
	ljmp $SEL_KERNEL_CODE64, $sipi_entry64

	.code64
sipi_entry64:
	mov %ebx, %ebx                  /* upper halves are undefined after the switch */
	mov sipi_entry_stack(, %rbx, 8), %rsp
	mov sipi_entry_arg(, %rbx, 8), %rsi
	mov sipi_entry_fn(, %rbx, 8), %rdx
	mov %ebx, %edi
	jmp smp_ap_entry                /* x86_64/smp_entry.S: RDI id, RSI arg, RDX fn */
	.code32
#else
	/* 5. x86_32/smp_entry.S: EBX id, ESI arg, EDI fn. */
	mov sipi_entry_stack(, %ebx, 4), %esp
	mov sipi_entry_arg(, %ebx, 4), %esi
	mov sipi_entry_fn(, %ebx, 4), %edi
	jmp smp_ap_entry
#endif

sipi_unknown:
	movl $0, SIPI_PAGE_LOCK(%ebp)
sipi_no_entry:
	lock incl sipi_unexpected
3:	cli
	hlt
	jmp 3b
