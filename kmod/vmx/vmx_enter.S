/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VT-x world switch.
 *
 * int hvk_vmx_enter(struct vmx_vcpu *vmx, u64 *gprs, bool launched)
 *
 * Called with IF = 0 and the vCPU's VMCS current.  gprs[] is indexed by
 * HVK_REG_*; RSP, RIP and RFLAGS are VMCS fields, synchronised in C.  A VM
 * exit loads the host's RSP and RIP from the VMCS (HOST_RSP, set here just
 * before entry, and HOST_RIP = hvk_vmx_vmexit); everything else the host
 * needs back is loaded by the exit itself or restored in C (vmx_vmcs.c).
 * Returns VMX_ENTER_EXIT, or how VMLAUNCH/VMRESUME failed (SDM 30.2), in
 * which case the guest registers were loaded but never ran.
 *
 * Host interrupts arriving in guest mode cause a VM exit ("external-
 * interrupt exiting", not acknowledged on exit) and are taken after
 * local_irq_enable() on the way back; host NMIs cause a VM exit too and are
 * handed to the kernel's NMI handler by hvk_vmx_do_nmi_irqoff().
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/segment.h>
#include <asm/unwind_hints.h>

#include "vmx_enter.h"

#define GPR(n)  ((n) * 8)
#define RAX 0
#define RCX 1
#define RDX 2
#define RBX 3
#define RBP 5
#define RSI 6
#define RDI 7

	.text
SYM_FUNC_START(hvk_vmx_enter)
	push %rbp
	mov  %rsp, %rbp
	push %r15
	push %r14
	push %r13
	push %r12
	push %rbx
	push %rsi                       /* 0(%rsp): gprs, for after the exit */
	movzbl %dl, %ebx                /* launched, kept across the call */

	/* The VM exit must find this very RSP (SDM 27.5.3). */
	mov  %rsp, %rsi
	call hvk_vmx_update_host_rsp

	/* ZF from here selects VMLAUNCH; the MOVs below keep the flags. */
	mov  (%rsp), %rax
	test %ebx, %ebx
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
	mov GPR(RAX)(%rax), %rax
	jz .Lvmlaunch

	/*
	 * A successful entry continues at hvk_vmx_vmexit when the guest
	 * exits, with the stack as it is here: tell objtool so.
	 */
	UNWIND_HINT_SAVE
	vmresume
	jmp .Lvmfail
.Lvmlaunch:
	vmlaunch
	jmp .Lvmfail

SYM_INNER_LABEL(hvk_vmx_vmexit, SYM_L_GLOBAL)
	UNWIND_HINT_RESTORE
	ENDBR
	push %rax                       /* the guest's RAX */
	mov  8(%rsp), %rax              /* gprs */
	pop  GPR(RAX)(%rax)
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
	mov $VMX_ENTER_EXIT, %ebx
	jmp .Lclear_regs

.Lvmfail:
	/* VMfailInvalid sets CF, VMfailValid sets ZF (SDM 30.2). */
	mov $VMX_ENTER_FAIL_INVALID, %ebx
	jc .Lclear_regs
	mov $VMX_ENTER_FAIL_VALID, %ebx

.Lclear_regs:
	/* Guest values must not steer the host's speculation. */
	xor %eax, %eax
	xor %ecx, %ecx
	xor %edx, %edx
	xor %ebp, %ebp
	xor %esi, %esi
	xor %edi, %edi
	xor %r8d, %r8d
	xor %r9d, %r9d
	xor %r10d, %r10d
	xor %r11d, %r11d
	xor %r12d, %r12d
	xor %r13d, %r13d
	xor %r14d, %r14d
	xor %r15d, %r15d

	/*
	 * Before the first unbalanced RET: overwrite the RSB the guest may
	 * have filled (Spectre v2), and re-establish IBRS (retbleed).
	 */
	FILL_RETURN_BUFFER %rcx, RSB_CLEAR_LOOPS, X86_FEATURE_RSB_VMEXIT, \
			   X86_FEATURE_RSB_VMEXIT_LITE
	call hvk_vmx_spec_ctrl_restore_host

	mov %ebx, %eax
	add $8, %rsp
	pop %rbx
	pop %r12
	pop %r13
	pop %r14
	pop %r15
	pop %rbp
	RET
SYM_FUNC_END(hvk_vmx_enter)

/*
 * void hvk_vmx_do_nmi_irqoff(unsigned long entry)
 *
 * An NMI that arrived in guest mode caused a VM exit and is not delivered
 * through the host IDT (SDM 25.2): build the frame the CPU would have
 * pushed (SS, RSP, RFLAGS, CS; RIP by the CALL) and call the handler, whose
 * IRET returns here and unblocks NMIs.  As KVM, with the kernel's
 * no-IST NMI entry point, which runs on the current stack.
 */
SYM_FUNC_START(hvk_vmx_do_nmi_irqoff)
	push %rbp
	mov  %rsp, %rbp
	and  $-16, %rsp                 /* the CPU aligns the frame too */
	push $__KERNEL_DS
	push %rbp
	pushf
	push $__KERNEL_CS
	CALL_NOSPEC rdi
	/* IRET restored RSP already; objtool needs to see it done. */
	mov  %rbp, %rsp
	pop  %rbp
	RET
SYM_FUNC_END(hvk_vmx_do_nmi_irqoff)
