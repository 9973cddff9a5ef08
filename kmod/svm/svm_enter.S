/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AMD-V world switch.
 *
 * void hvk_svm_enter(unsigned long vmcb_pa, unsigned long host_vmcb_pa,
 *                    u64 *gprs)
 *
 * Called with GIF = 0 (CLGI) and IF = 0, after VMSAVE of the host's
 * FS/GS/TR/LDTR/KernelGSBase/STAR/LSTAR/CSTAR/SFMASK/SYSENTER state into
 * host_vmcb_pa.  gprs[] is indexed by HVK_REG_*; RAX and RSP live in the
 * VMCB.  From VMLOAD of the guest to VMLOAD of the host, GS.base is the
 * guest's: nothing here may touch per-CPU data, and GIF = 0 keeps NMIs and
 * interrupts out of that window.  IF is set just before VMRUN so that host
 * interrupts arriving in guest mode cause #VMEXIT(INTR) (with
 * V_INTR_MASKING, physical interrupts follow the host's IF); they are taken
 * after STGI and local_irq_enable() on the way back.
 */
#include <linux/linkage.h>
#include <asm/nospec-branch.h>

#define GPR(n)  ((n) * 8)
#define RCX 1
#define RDX 2
#define RBX 3
#define RBP 5
#define RSI 6
#define RDI 7

	.text
SYM_FUNC_START(hvk_svm_enter)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	push %rsi               /* 16(%rsp): host_vmcb_pa */
	push %rdx               /*  8(%rsp): gprs */
	push %rdi               /*  0(%rsp): vmcb_pa */

	mov %rdx, %rax
	mov GPR(RCX)(%rax), %rcx
	mov GPR(RDX)(%rax), %rdx
	mov GPR(RBX)(%rax), %rbx
	mov GPR(RBP)(%rax), %rbp
	mov GPR(RSI)(%rax), %rsi
	mov GPR(RDI)(%rax), %rdi
	mov GPR(8)(%rax),  %r8
	mov GPR(9)(%rax),  %r9
	mov GPR(10)(%rax), %r10
	mov GPR(11)(%rax), %r11
	mov GPR(12)(%rax), %r12
	mov GPR(13)(%rax), %r13
	mov GPR(14)(%rax), %r14
	mov GPR(15)(%rax), %r15

	mov (%rsp), %rax
	vmload %rax
	sti
	vmrun %rax
	cli

	/* #VMEXIT restored the host's RAX and RSP; the rest are the guest's. */
	mov 8(%rsp), %rax
	mov %rcx, GPR(RCX)(%rax)
	mov %rdx, GPR(RDX)(%rax)
	mov %rbx, GPR(RBX)(%rax)
	mov %rbp, GPR(RBP)(%rax)
	mov %rsi, GPR(RSI)(%rax)
	mov %rdi, GPR(RDI)(%rax)
	mov %r8,  GPR(8)(%rax)
	mov %r9,  GPR(9)(%rax)
	mov %r10, GPR(10)(%rax)
	mov %r11, GPR(11)(%rax)
	mov %r12, GPR(12)(%rax)
	mov %r13, GPR(13)(%rax)
	mov %r14, GPR(14)(%rax)
	mov %r15, GPR(15)(%rax)

	mov (%rsp), %rax
	vmsave %rax
	mov 16(%rsp), %rax
	vmload %rax

	/* Guest values must not steer the host's speculation. */
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	/* The guest may have filled the RSB with its own targets (Spectre v2). */
	FILL_RETURN_BUFFER %rax, RSB_CLEAR_LOOPS, X86_FEATURE_RETPOLINE

	add $24, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(hvk_svm_enter)
