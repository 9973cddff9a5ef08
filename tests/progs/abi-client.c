/*
 * abi-client: drives /dev/hvk directly, checking every ioctl's error paths
 * with exact errno values, a tiny guest's exits (port I/O out and in,
 * console, shutdown), an entry the hardware refuses, HVK_VM_XEN_SET_PARAM
 * as a guest reads it, a slot a registered vcpu_info keeps, guest RAM the
 * VMM made read-only or munmap()ed under the hypercalls that keep or clear
 * a page of it, concurrency rules, and that the module's page counters
 * return to zero.  Built 64-bit and 32-bit from this one file:
 * both must pass unchanged, because hvk's ABI has no compat translation.
 *
 * Output: "ok N - what" / "not ok N - what: detail", then a summary line;
 * exit status 0 only when everything passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <abi/hvk.h>
#include <abi/xen/errno.h>
#include <abi/xen/event_channel.h>
#include <abi/xen/hvm_op.h>
#include <abi/xen/hypercall.h>
#include <abi/xen/memory.h>
#include <abi/xen/multicall.h>
#include <abi/xen/sched.h>
#include <abi/xen/vcpu.h>

#include "vmtest.h"

#define PORT_OUT      0x500
#define PORT_IN       0x501
#define PORT_ECHO     0x502
#define IN_VALUE      0x1234u

/* ---- the guest: 32-bit flat protected mode code, assembled by hand ---- */

/*
 *   mov  $PORT_OUT, %dx ; mov $0xabcd1234, %eax ; out %eax, (%dx)
 *   mov  $0xe9, %dx     ; mov $'H', %al ; out %al, (%dx) ; mov $'i', %al ; out %al, (%dx)
 *   mov  $PORT_IN, %dx  ; in (%dx), %ax
 *   mov  $PORT_ECHO, %dx; out %ax, (%dx)
 *   mov  $29, %eax ; mov $2, %ebx ; mov $GUEST_DATA, %ecx ; vmcall   (sched_op shutdown)
 *   hlt
 */
static const uint8_t guest_code[] = {
	0x66, 0xba, PORT_OUT & 0xff, PORT_OUT >> 8,     /* mov $0x500,%dx */
	0xb8, 0x34, 0x12, 0xcd, 0xab,                   /* mov $0xabcd1234,%eax */
	0xef,                                           /* out %eax,(%dx) */
	0x66, 0xba, 0xe9, 0x00,                         /* mov $0xe9,%dx */
	0xb0, 'H', 0xee,                                /* mov $'H',%al; out */
	0xb0, 'i', 0xee,                                /* mov $'i',%al; out */
	0x66, 0xba, PORT_IN & 0xff, PORT_IN >> 8,       /* mov $0x501,%dx */
	0x66, 0xed,                                     /* in (%dx),%ax */
	0x66, 0xba, PORT_ECHO & 0xff, PORT_ECHO >> 8,   /* mov $0x502,%dx */
	0x66, 0xef,                                     /* out %ax,(%dx) */
	0xb8, XEN_HC_SCHED_OP, 0, 0, 0,                 /* mov $29,%eax */
	0xbb, XEN_SCHEDOP_SHUTDOWN, 0, 0, 0,            /* mov $2,%ebx */
	0xb9, GUEST_DATA & 0xff, GUEST_DATA >> 8, 0, 0, /* mov $0x2000,%ecx */
	0x0f, 0x01, 0xc1,                               /* vmcall */
	0xf4,                                           /* hlt */
};

/* A guest that spins forever: jmp . */
static const uint8_t spin_code[] = { 0xeb, 0xfe };

/* ---- the checks ---- */

static void test_device(int dev)
{
	struct hvk_version v;
	struct hvk_caps caps = get_caps(dev);

	memset(&v, 0, sizeof(v));
	check(ioctl(dev, HVK_GET_VERSION, &v) == 0 && v.api_version == HVK_API_VERSION,
	      "HVK_GET_VERSION reports API 1", "api %u", v.api_version);
	check(caps.vendor == HVK_VENDOR_SVM || caps.vendor == HVK_VENDOR_VMX,
	      "HVK_GET_CAPS reports SVM or VMX", "vendor %u", caps.vendor);
	check(caps.max_vcpus == HVK_MAX_VCPUS && caps.max_mem_slots == HVK_MAX_MEM_SLOTS,
	      "caps limits", "vcpus %u slots %u", caps.max_vcpus, caps.max_mem_slots);
	check_errno(dev, _IO(HVK_IOCTL_TYPE, 0x7f), NULL, ENOTTY, "unknown /dev/hvk ioctl -> ENOTTY");
	check_errno(dev, HVK_GET_CAPS, (void *)16, EFAULT, "HVK_GET_CAPS to a bad pointer -> EFAULT");
}

static void test_create_vm(int dev)
{
	struct hvk_vm_create vc = { .flags = 1u << 31 };
	int fd;

	check_errno(dev, HVK_CREATE_VM, &vc, EINVAL, "CREATE_VM with unknown flags -> EINVAL");
	vc.flags = HVK_VM_XEN_COMPAT;
	fd = ioctl(dev, HVK_CREATE_VM, &vc);
	check(fd >= 0, "CREATE_VM in Xen-compatible mode", "%s", strerror(errno));
	close(fd);
	vc.flags = 0;
	vc.reserved[2] = 1;
	check_errno(dev, HVK_CREATE_VM, &vc, EINVAL, "CREATE_VM with reserved set -> EINVAL");
	check_errno(dev, HVK_CREATE_VM, (void *)16, EFAULT, "CREATE_VM from a bad pointer -> EFAULT");
}

static void test_memory_regions(int vmfd, uint8_t *mem)
{
	struct hvk_memory_region r = { .slot = 0, .guest_phys = 0, .size = 0x10000,
				       .user_addr = (uintptr_t)mem };
	struct hvk_memory_region bad;

	bad = r; bad.guest_phys = 0x800;
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &bad, EINVAL, "region at a misaligned GPA -> EINVAL");
	bad = r; bad.size = 0x1800;
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &bad, EINVAL, "region of a misaligned size -> EINVAL");
	bad = r; bad.user_addr += 8;
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &bad, EINVAL, "region at a misaligned VMM address -> EINVAL");
	bad = r; bad.slot = HVK_MAX_MEM_SLOTS;
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &bad, EINVAL, "region in slot 32 -> EINVAL");
	bad = r; bad.flags = 1u << 2;        /* past HVK_MEM_PINNED */
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &bad, EINVAL, "region with unknown flags -> EINVAL");
	bad = r; bad.reserved[1] = 1;
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &bad, EINVAL, "region with reserved set -> EINVAL");
	bad = r; bad.guest_phys = 0xfffffffffffff000ull;
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &bad, EINVAL, "region wrapping the GPA space -> EINVAL");
	bad = r; bad.user_addr = 0x1000;   /* never mapped in this process */
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &bad, EFAULT, "region over unmapped VMM memory -> EFAULT");
	check(ioctl(vmfd, HVK_SET_MEMORY_REGION, &r) == 0, "region [0, 64K) accepted", "%s", strerror(errno));
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &r, EEXIST, "same slot again -> EEXIST");
	bad = r; bad.slot = 1; bad.guest_phys = 0x8000; bad.user_addr += 0x10000;
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &bad, EINVAL, "overlapping region -> EINVAL");
	bad = r; bad.slot = 5; bad.size = 0;
	check_errno(vmfd, HVK_SET_MEMORY_REGION, &bad, ENOENT, "deleting an empty slot -> ENOENT");
	bad = r; bad.size = 0;
	check(ioctl(vmfd, HVK_SET_MEMORY_REGION, &bad) == 0, "deleting slot 0", "%s", strerror(errno));
}

/*
 * No fd left for a new vCPU: EMFILE, and the vCPU is not left behind in
 * its slot (the same id is created once an fd is free).  dup() returns the
 * lowest free fd, so with the limit at it every fd is taken.
 */
static void test_vcpu_create_no_fd(int vmfd)
{
	struct hvk_vcpu_create c = { .id = 2 };
	struct rlimit old, low;
	int lowest = dup(0), fd;

	check(lowest >= 0 && !getrlimit(RLIMIT_NOFILE, &old), "the fd limit read",
	      "%s", strerror(errno));
	close(lowest);
	low = old;
	low.rlim_cur = lowest;
	check(!setrlimit(RLIMIT_NOFILE, &low), "the fd limit lowered", "%s", strerror(errno));
	check_errno(vmfd, HVK_CREATE_VCPU, &c, EMFILE, "vCPU 2 with no fd free -> EMFILE");
	check(!setrlimit(RLIMIT_NOFILE, &old), "the fd limit restored", "%s", strerror(errno));
	fd = ioctl(vmfd, HVK_CREATE_VCPU, &c);
	check(fd >= 0, "vCPU 2 created once an fd is free (not left in its slot)", "%s",
	      strerror(errno));
	close(fd);
}

static void test_vcpu_create(int vmfd)
{
	struct hvk_vcpu_create c = { .id = HVK_MAX_VCPUS };
	int fd;

	check_errno(vmfd, HVK_CREATE_VCPU, &c, EINVAL, "vCPU id 64 -> EINVAL");
	c.id = 1; c.flags = 4;
	check_errno(vmfd, HVK_CREATE_VCPU, &c, EINVAL, "vCPU with unknown flags -> EINVAL");
	c.flags = 0;
	fd = ioctl(vmfd, HVK_CREATE_VCPU, &c);
	check(fd >= 0, "vCPU 1 created", "%s", strerror(errno));
	check_errno(vmfd, HVK_CREATE_VCPU, &c, EEXIST, "vCPU 1 again -> EEXIST");
	check(mmap(NULL, 2 * HVK_RUN_MMAP_SIZE, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	      errno == EINVAL, "mmap of two run pages -> EINVAL", "%s", strerror(errno));
	check_errno(fd, _IO(HVK_IOCTL_TYPE, 0x7f), NULL, ENOTTY, "unknown vCPU ioctl -> ENOTTY");
	close(fd);
	check_errno(vmfd, _IO(HVK_IOCTL_TYPE, 0x7f), NULL, ENOTTY, "unknown VM ioctl -> ENOTTY");
	test_vcpu_create_no_fd(vmfd);
}

/* The validator shared with VCPUOP_initialise refuses inconsistent state. */
static void test_context_validation(int vcpu)
{
	struct hvk_vcpu_init init = { 0 };
	struct xen_vcpu_hvm_x86_32 *c = &init.ctx.cpu_regs.x86_32;
	struct xen_vcpu_hvm_x86_64 *c64 = &init.ctx.cpu_regs.x86_64;

	flat32_context(&init.ctx);
	init.ctx.mode = 7;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "context mode 7 -> EINVAL");
	flat32_context(&init.ctx); c->cr0 = 0;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "32B without CR0.PE -> EINVAL");
	flat32_context(&init.ctx); c->cr0 = 0x80000011; c->efer = 0x100; c->cr4 = 0x20;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "32B in long mode -> EINVAL");
	flat32_context(&init.ctx); c->cs_ar = XEN_HVM_AR_DATA32;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "CS not a code segment -> EINVAL");
	flat32_context(&init.ctx); c->cs_limit = 0x12345;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "CS limit inconsistent with G -> EINVAL");
	flat32_context(&init.ctx); c->tr_ar = XEN_HVM_AR_DATA32;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "TR not a busy TSS -> EINVAL");
	flat32_context(&init.ctx); c->eflags = 0x20002;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "EFLAGS.VM -> EINVAL");
	flat32_context(&init.ctx); c->cr4 = 1u << 13;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "CR4.VMXE -> EINVAL");
	memset(&init.ctx, 0, sizeof(init.ctx));
	init.ctx.mode = XEN_VCPU_HVM_MODE_64B;
	c64->cr0 = 0x11; c64->rflags = 2;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "64B without paging -> EINVAL");
	c64->cr0 = 0x80000011; c64->cr4 = 0x20; c64->efer = 0x500;
	c64->rip = 0x0000800000000000ull;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "64B with non-canonical RIP -> EINVAL");
	flat32_context(&init.ctx); init.flags = 1;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "init with unknown flags -> EINVAL");
	init.flags = 0; init.reserved[0] = 1;
	check_errno(vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init, EINVAL, "init with reserved set -> EINVAL");
}

/* The GDTR limit this thread sees (SGDT; a fixed value where UMIP emulates it). */
static uint16_t gdt_limit(void)
{
	struct __attribute__((packed)) {
		uint16_t limit;
		uintptr_t base;
	} gdtr;

	__asm__ volatile("sgdt %0" : "=m"(gdtr));
	return gdtr.limit;
}

static uint16_t host_gdt_limit;         /* before any vCPU ran */

static void test_guest_exits(void)
{
	struct vm vm;
	struct hvk_regs regs;
	int rc;

	if (vm_setup(&vm, guest_code, sizeof(guest_code), XEN_SHUTDOWN_CRASH)) {
		check(0, "guest VM set up", "%s", strerror(errno));
		return;
	}
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_IO &&
	      vm.run->exit.io.port == PORT_OUT && vm.run->exit.io.size == 4 &&
	      vm.run->exit.io.direction == HVK_IO_OUT && vm.run->exit.io.data == 0xabcd1234u,
	      "OUT exits to the VMM with port, size, direction, value",
	      "rc %d reason %u port 0x%x size %u dir %u data 0x%x", rc, vm.run->exit_reason,
	      vm.run->exit.io.port, vm.run->exit.io.size, vm.run->exit.io.direction,
	      vm.run->exit.io.data);
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_IO && vm.run->exit.io.port == PORT_IN &&
	      vm.run->exit.io.direction == HVK_IO_IN && vm.run->exit.io.size == 2,
	      "IN exits to the VMM", "rc %d reason %u port 0x%x", rc, vm.run->exit_reason,
	      vm.run->exit.io.port);
	check(vm.run->console_len == 2 && !memcmp(vm.run->console, "Hi", 2),
	      "port 0xe9 output arrives in the run page's console", "len %u", vm.run->console_len);
	vm.run->exit.io.data = IN_VALUE;
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit.io.port == PORT_ECHO && vm.run->exit.io.data == IN_VALUE,
	      "the VMM's IN value reaches the guest", "port 0x%x data 0x%x",
	      vm.run->exit.io.port, vm.run->exit.io.data);
	check(vm.run->console_len == 0, "console emptied on the next HVK_RUN", "len %u",
	      vm.run->console_len);
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_SHUTDOWN &&
	      vm.run->exit.shutdown.reason == XEN_SHUTDOWN_CRASH,
	      "sched_op shutdown exits with the guest's reason",
	      "rc %d reason %u shutdown %u", rc, vm.run->exit_reason, vm.run->exit.shutdown.reason);
	/*
	 * A VMX exit sets the GDTR limit to 0xffff; hvk puts it back before
	 * the thread returns to user mode (vmx_host_put), not at every exit.
	 */
	check(gdt_limit() == host_gdt_limit && host_gdt_limit != 0xffff,
	      "the host's GDTR limit is back after HVK_RUN returns", "0x%x, 0x%x before any run",
	      gdt_limit(), host_gdt_limit);
	memset(&regs, 0, sizeof(regs));
	rc = ioctl(vm.vcpu, HVK_VCPU_GET_REGS, &regs);
	check(rc == 0 && regs.rip == GUEST_CODE + sizeof(guest_code) - 1 &&
	      (uint32_t)regs.gpr[HVK_REG_RAX] == 0 && regs.cs.ar == XEN_HVM_AR_CODE32,
	      "GET_REGS: RIP after the VMCALL, RAX = 0, CS as set",
	      "rip 0x%llx rax 0x%llx cs.ar 0x%x", (unsigned long long)regs.rip,
	      (unsigned long long)regs.gpr[HVK_REG_RAX], regs.cs.ar);
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_SHUTDOWN,
	      "a shut-down VM stays shut down", "reason %u", vm.run->exit_reason);
	vm_teardown(&vm);
}

/*
 * MMIO outside RAM (above the 2 MiB of RAM): each access exits; the decoder
 * must give size and, for writes, data.
 *   mov $0xdeadbeef,%eax ; mov %eax,0xc0000000      (89 05 disp32)
 *   movb $0x5a,0xc0000010                           (c6 05 disp32 imm8)
 *   movzwl 0xc0000020,%ecx                          (0f b7 0d disp32)
 */
static const uint8_t mmio_code[] = {
	0xb8, 0xef, 0xbe, 0xad, 0xde,
	0x89, 0x05, 0x00, 0x00, 0x00, 0xc0,
	0xc6, 0x05, 0x10, 0x00, 0x00, 0xc0, 0x5a,
	0x0f, 0xb7, 0x0d, 0x20, 0x00, 0x00, 0xc0,
	0xf4,
};

/* MMIO is not emulated: the test moves RIP past the access itself. */
static void skip_insn(struct vm *vm, unsigned int len)
{
	struct hvk_regs r;

	ioctl(vm->vcpu, HVK_VCPU_GET_REGS, &r);
	r.rip += len;
	ioctl(vm->vcpu, HVK_VCPU_SET_REGS, &r);
}

static void test_mmio_decode(void)
{
	const struct hvk_exit_mmio *m;
	struct vm vm;
	int rc;

	if (vm_setup(&vm, mmio_code, sizeof(mmio_code), 0)) {
		check(0, "mmio VM set up", "%s", strerror(errno));
		return;
	}
	m = &vm.run->exit.mmio;
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_MMIO && m->gpa == 0xc0000000u &&
	      m->is_write && m->size == 4 && m->data == 0xdeadbeefu &&
	      m->rip == GUEST_CODE + 5, "MMIO write of a register: gpa, size 4, data",
	      "reason %u gpa 0x%llx write %u size %u data 0x%llx rip 0x%llx",
	      vm.run->exit_reason, (unsigned long long)m->gpa, m->is_write, m->size,
	      (unsigned long long)m->data, (unsigned long long)m->rip);
	skip_insn(&vm, 6);
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_MMIO && m->gpa == 0xc0000010u &&
	      m->is_write && m->size == 1 && m->data == 0x5a,
	      "MMIO write of an imm8: size 1, data 0x5a", "gpa 0x%llx size %u data 0x%llx",
	      (unsigned long long)m->gpa, m->size, (unsigned long long)m->data);
	skip_insn(&vm, 7);
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_MMIO && m->gpa == 0xc0000020u &&
	      !m->is_write && m->size == 2, "MMIO read by movzwl: size 2",
	      "gpa 0x%llx write %u size %u", (unsigned long long)m->gpa, m->is_write, m->size);
	vm_teardown(&vm);
}

/* A guest that faults with no IDT: #UD -> #DF -> triple fault. */
static const uint8_t ud2_code[] = { 0x0f, 0x0b };

struct spinner {
	struct vm vm;
	int fd;
	int rc, err;
	volatile int returned;
};

static void on_sigusr1(int sig) { (void)sig; }

static void *run_thread(void *arg)
{
	struct spinner *s = arg;

	s->rc = ioctl(s->fd, HVK_RUN, 0);
	s->err = errno;
	s->returned = 1;
	return NULL;
}

/* A never-started vCPU waits in the kernel (for VCPUOP_up) until signalled. */
static void test_run_without_state(int vmfd)
{
	struct hvk_vcpu_create c = { .id = 9 };
	struct spinner s = { .fd = ioctl(vmfd, HVK_CREATE_VCPU, &c) };
	pthread_t t;

	pthread_create(&t, NULL, run_thread, &s);
	usleep(300 * 1000);
	check(!s.returned, "HVK_RUN on a never-started vCPU waits in the kernel",
	      "returned %d errno %d", s.rc, s.err);
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	check(s.rc == -1 && s.err == EINTR, "... and a signal ends the wait with EINTR",
	      "rc %d errno %d", s.rc, s.err);
	check_errno(s.fd, HVK_RUN, (void *)1, EINVAL, "HVK_RUN with an argument -> EINVAL");
	close(s.fd);
}

/* After a triple fault the state is gone: running again is an internal error. */
static void test_triple_fault(void)
{
	struct vm vm;
	int rc;

	if (vm_setup(&vm, ud2_code, sizeof(ud2_code), 0)) {
		check(0, "ud2 VM set up", "%s", strerror(errno));
		return;
	}
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_TRIPLE_FAULT,
	      "#UD without an IDT -> HVK_EXIT_TRIPLE_FAULT", "rc %d reason %u", rc,
	      vm.run->exit_reason);
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_INTERNAL_ERROR &&
	      vm.run->exit.internal.suberror == HVK_INTERNAL_BAD_STATE,
	      "HVK_RUN after a triple fault -> internal error BAD_STATE",
	      "rc %d reason %u", rc, vm.run->exit_reason);
	vm_teardown(&vm);
}

/* While a vCPU runs, memory cannot change; a signal stops the vCPU. */
static void test_busy_and_signal(void)
{
	struct hvk_memory_region r = { .slot = 3, .guest_phys = 0x10000000, .size = 0x1000 };
	struct spinner s = { .returned = 0 };
	pthread_t t;
	void *page = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (vm_setup(&s.vm, spin_code, sizeof(spin_code), 0)) {
		check(0, "spinning VM set up", "%s", strerror(errno));
		return;
	}
	r.user_addr = (uintptr_t)page;
	s.fd = s.vm.vcpu;
	pthread_create(&t, NULL, run_thread, &s);
	usleep(300 * 1000);
	check_errno(s.vm.fd, HVK_SET_MEMORY_REGION, &r, EBUSY,
		    "SET_MEMORY_REGION while a vCPU runs -> EBUSY");
	pthread_kill(t, SIGUSR1);
	pthread_join(t, NULL);
	check(s.rc == -1 && s.err == EINTR, "a signal ends HVK_RUN with EINTR",
	      "rc %d errno %d", s.rc, s.err);
	s.vm.run->immediate_exit = 1;
	check_errno(s.vm.vcpu, HVK_RUN, 0, EINTR, "immediate_exit -> EINTR without entering");
	vm_teardown(&s.vm);
	munmap(page, 0x1000);
}

/* Two VMs at once, each on its own thread, both finish. */
static void test_two_vms(void)
{
	struct vm a, b;
	int ra, rb;

	if (vm_setup(&a, spin_code, sizeof(spin_code), 0) ||
	    vm_setup(&b, guest_code, sizeof(guest_code), XEN_SHUTDOWN_POWEROFF)) {
		check(0, "two VMs set up", "%s", strerror(errno));
		return;
	}
	a.run->immediate_exit = 1;
	ra = ioctl(a.vcpu, HVK_RUN, 0);
	rb = ioctl(b.vcpu, HVK_RUN, 0);
	check(ra == -1 && rb == 0 && b.run->exit_reason == HVK_EXIT_IO,
	      "two VMs exist and run independently", "ra %d rb %d", ra, rb);
	vm_teardown(&a);
	vm_teardown(&b);
}

/*
 * A state hvk's validator takes but VMRUN's consistency checks refuse (APM
 * 15.5.1: DR7[63:32] must be zero; VMX's entry checks likewise): the run
 * ends as HVK_EXIT_FAIL_ENTRY (hvk run's exit 14), not with a host error,
 * and the state is gone.
 */
static void test_failed_entry(int vendor)
{
	struct hvk_regs regs;
	struct vm vm;
	int rc;

	if (vm_setup(&vm, spin_code, sizeof(spin_code), 0)) {
		check(0, "entry-failure VM set up", "%s", strerror(errno));
		return;
	}
	memset(&regs, 0, sizeof(regs));
	ioctl(vm.vcpu, HVK_VCPU_GET_REGS, &regs);
	regs.dr7 = 0x400 | 1ull << 32;
	check(ioctl(vm.vcpu, HVK_VCPU_SET_REGS, &regs) == 0,
	      "SET_REGS with DR7 bit 32 (not hvk's to refuse)", "%s", strerror(errno));
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_FAIL_ENTRY &&
	      (vendor != HVK_VENDOR_SVM || (uint32_t)vm.run->exit.fail_entry.hw_reason == 0xffffffffu),
	      "VMRUN refusing the state -> HVK_EXIT_FAIL_ENTRY (SVM: VMEXIT_INVALID)",
	      "rc %d reason %u hw_reason 0x%llx", rc, vm.run->exit_reason,
	      (unsigned long long)vm.run->exit.fail_entry.hw_reason);
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_INTERNAL_ERROR &&
	      vm.run->exit.internal.suberror == HVK_INTERNAL_BAD_STATE,
	      "HVK_RUN after a failed entry -> internal error BAD_STATE",
	      "rc %d reason %u", rc, vm.run->exit_reason);
	vm_teardown(&vm);
}

/*
 * hvm_op(HVMOP_get_param, GUEST_DATA): reads a parameter the VMM set, then
 * OUT to PORT_OUT (the VMM looks at the result and the struct).
 */
static const uint8_t get_param_code[] = {
	0xb8, XEN_HC_HVM_OP, 0, 0, 0,                   /* mov $34,%eax */
	0xbb, XEN_HVMOP_GET_PARAM, 0, 0, 0,             /* mov $1,%ebx */
	0xb9, GUEST_DATA & 0xff, GUEST_DATA >> 8, 0, 0, /* mov $0x2000,%ecx */
	0x0f, 0x01, 0xc1,                               /* vmcall */
	0x66, 0xba, PORT_OUT & 0xff, PORT_OUT >> 8,     /* mov $0x500,%dx */
	0xef,                                           /* out %eax,(%dx) */
	0xf4,                                           /* hlt */
};

static void test_xen_set_param(int dev)
{
	struct hvk_xen_param p = { .index = XEN_HVM_PARAM_CONSOLE_EVTCHN, .value = 7 };
	struct xen_hvm_param *arg;
	struct hvk_vm_create vc = { 0 };
	struct vm vm;
	int plain = ioctl(dev, HVK_CREATE_VM, &vc), rc;

	check_errno(plain, HVK_VM_XEN_SET_PARAM, &p, EINVAL,
		    "XEN_SET_PARAM on a VM without HVK_VM_XEN_COMPAT -> EINVAL");
	close(plain);
	if (vm_setup_flags(&vm, get_param_code, sizeof(get_param_code), 0, HVK_VM_XEN_COMPAT)) {
		check(0, "Xen VM set up", "%s", strerror(errno));
		return;
	}
	p.flags = 1;
	check_errno(vm.fd, HVK_VM_XEN_SET_PARAM, &p, EINVAL, "XEN_SET_PARAM with flags -> EINVAL");
	p.flags = 0; p.reserved = 1;
	check_errno(vm.fd, HVK_VM_XEN_SET_PARAM, &p, EINVAL, "XEN_SET_PARAM with reserved -> EINVAL");
	p.reserved = 0; p.index = XEN_HVM_PARAM_CALLBACK_IRQ;
	check_errno(vm.fd, HVK_VM_XEN_SET_PARAM, &p, EINVAL,
		    "XEN_SET_PARAM of CALLBACK_IRQ (the guest's) -> EINVAL");
	p.index = 39;
	check_errno(vm.fd, HVK_VM_XEN_SET_PARAM, &p, EINVAL, "XEN_SET_PARAM of index 39 -> EINVAL");
	p.index = XEN_HVM_PARAM_CONSOLE_PFN; p.value = 1ull << 40;
	check_errno(vm.fd, HVK_VM_XEN_SET_PARAM, &p, EINVAL,
		    "XEN_SET_PARAM CONSOLE_PFN beyond 52-bit addresses -> EINVAL");
	p.index = XEN_HVM_PARAM_STORE_EVTCHN; p.value = 1ull << 32;
	check_errno(vm.fd, HVK_VM_XEN_SET_PARAM, &p, EINVAL,
		    "XEN_SET_PARAM STORE_EVTCHN beyond 32 bits -> EINVAL");
	check_errno(vm.fd, HVK_VM_XEN_SET_PARAM, (void *)16, EFAULT,
		    "XEN_SET_PARAM from a bad pointer -> EFAULT");
	p = (struct hvk_xen_param){ .index = XEN_HVM_PARAM_CONSOLE_PFN, .value = 0xfeed };
	check(ioctl(vm.fd, HVK_VM_XEN_SET_PARAM, &p) == 0, "XEN_SET_PARAM CONSOLE_PFN", "%s",
	      strerror(errno));
	p = (struct hvk_xen_param){ .index = XEN_HVM_PARAM_CONSOLE_EVTCHN, .value = 3 };
	check(ioctl(vm.fd, HVK_VM_XEN_SET_PARAM, &p) == 0, "XEN_SET_PARAM CONSOLE_EVTCHN", "%s",
	      strerror(errno));
	arg = (struct xen_hvm_param *)(vm.ram + GUEST_DATA);
	*arg = (struct xen_hvm_param){ .domid = 0x7ff0, .index = XEN_HVM_PARAM_CONSOLE_PFN,
				       .value = 0x5a5a5a5a };
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_IO && vm.run->exit.io.data == 0 &&
	      arg->value == 0xfeed, "the guest reads CONSOLE_PFN as the VMM set it",
	      "rc %d reason %u result %d value 0x%llx", rc, vm.run->exit_reason,
	      (int)vm.run->exit.io.data, (unsigned long long)arg->value);
	vm_teardown(&vm);
}

/*
 * The VMM's event channel ports: the guest maps shared_info at 0x10000,
 * sends on port 1 (the struct at GUEST_DATA: the "reason" word), then on
 * ports 1 and 2 in one multicall at GUEST_DATA + 0x40, then reads the
 * first word of evtchn_pending after the VMM raised port 1; each result
 * goes out on PORT_OUT.
 */
#define EVTCHN_SHINFO   0x10000u
#define EVTCHN_PHYSMAP  (GUEST_DATA + 0x10)
#define EVTCHN_BATCH    (GUEST_DATA + 0x40)
#define EVTCHN_PORT2    (GUEST_DATA + 0x100)
#define EVTCHN_PENDING  (EVTCHN_SHINFO + XEN_EVTCHN_PENDING_OFFSET)
#define LE32(x)         (x) & 0xff, ((x) >> 8) & 0xff, ((x) >> 16) & 0xff, (x) >> 24

static const uint8_t evtchn_code[] = {
	0xb8, LE32(XEN_HC_MEMORY_OP),                   /* mov $12,%eax */
	0xbb, LE32(XEN_XENMEM_ADD_TO_PHYSMAP),          /* mov $7,%ebx */
	0xb9, LE32(EVTCHN_PHYSMAP),                     /* mov $physmap,%ecx */
	0x0f, 0x01, 0xc1,                               /* vmcall */
	0x66, 0xba, PORT_OUT & 0xff, PORT_OUT >> 8,     /* mov $0x500,%dx */
	0xef,                                           /* out %eax,(%dx) */
	0xb8, LE32(XEN_HC_EVENT_CHANNEL_OP),            /* mov $32,%eax */
	0xbb, LE32(XEN_EVTCHNOP_SEND),                  /* mov $4,%ebx */
	0xb9, LE32(GUEST_DATA),                         /* mov $0x2000,%ecx */
	0x0f, 0x01, 0xc1,                               /* vmcall */
	0xef,                                           /* out %eax,(%dx) */
	0xb8, LE32(XEN_HC_MULTICALL),                   /* mov $13,%eax */
	0xbb, LE32(EVTCHN_BATCH),                       /* mov $batch,%ebx */
	0xb9, LE32(2),                                  /* mov $2,%ecx */
	0x0f, 0x01, 0xc1,                               /* vmcall */
	0xef,                                           /* out %eax,(%dx) */
	0xa1, LE32(EVTCHN_PENDING),                     /* mov pending,%eax */
	0xef,                                           /* out %eax,(%dx) */
	0xf4,                                           /* hlt */
};

/* HVK_RUN must return exit @reason with @value (the OUT's data or the port). */
static void run_expect(struct vm *vm, uint32_t reason, uint32_t value, const char *what)
{
	int rc = ioctl(vm->vcpu, HVK_RUN, 0);
	uint32_t got = vm->run->exit_reason == HVK_EXIT_XEN_EVTCHN ? vm->run->exit.xen_evtchn.port
								    : vm->run->exit.io.data;

	check(rc == 0 && vm->run->exit_reason == reason && got == value, what,
	      "rc %d reason %u value 0x%x, want reason %u value 0x%x", rc, vm->run->exit_reason,
	      got, reason, value);
}

static void test_xen_evtchn(int dev)
{
	struct hvk_xen_evtchn e = { .op = HVK_XEN_EVTCHN_BIND_VMM };
	struct xen_multicall_entry32 *batch;
	struct hvk_vm_create vc = { 0 };
	struct vm vm;
	int plain = ioctl(dev, HVK_CREATE_VM, &vc);

	check_errno(plain, HVK_VM_XEN_EVTCHN, &e, EINVAL,
		    "XEN_EVTCHN on a VM without HVK_VM_XEN_COMPAT -> EINVAL");
	close(plain);
	if (vm_setup_flags(&vm, evtchn_code, sizeof(evtchn_code), 1, HVK_VM_XEN_COMPAT)) {
		check(0, "Xen VM set up", "%s", strerror(errno));
		return;
	}
	e.flags = 1;
	check_errno(vm.fd, HVK_VM_XEN_EVTCHN, &e, EINVAL, "XEN_EVTCHN with flags -> EINVAL");
	e.flags = 0; e.reserved0 = 1;
	check_errno(vm.fd, HVK_VM_XEN_EVTCHN, &e, EINVAL, "XEN_EVTCHN with reserved0 -> EINVAL");
	e.reserved0 = 0; e.reserved[1] = 1;
	check_errno(vm.fd, HVK_VM_XEN_EVTCHN, &e, EINVAL, "XEN_EVTCHN with reserved -> EINVAL");
	e.reserved[1] = 0; e.op = 2;
	check_errno(vm.fd, HVK_VM_XEN_EVTCHN, &e, EINVAL, "XEN_EVTCHN op 2 -> EINVAL");
	check_errno(vm.fd, HVK_VM_XEN_EVTCHN, (void *)16, EFAULT,
		    "XEN_EVTCHN from a bad pointer -> EFAULT");
	e = (struct hvk_xen_evtchn){ .op = HVK_XEN_EVTCHN_SEND, .port = 1 };
	check_errno(vm.fd, HVK_VM_XEN_EVTCHN, &e, EINVAL, "SEND on a port never bound -> EINVAL");
	e.port = XEN_EVTCHN_2L_PORTS64;
	check_errno(vm.fd, HVK_VM_XEN_EVTCHN, &e, EINVAL, "SEND on port 4096 -> EINVAL");
	e = (struct hvk_xen_evtchn){ .op = HVK_XEN_EVTCHN_BIND_VMM, .port = 99 };
	check(ioctl(vm.fd, HVK_VM_XEN_EVTCHN, &e) == 0 && e.port == 1, "BIND_VMM -> port 1",
	      "port %u, %s", e.port, strerror(errno));
	e = (struct hvk_xen_evtchn){ .op = HVK_XEN_EVTCHN_BIND_VMM };
	check(ioctl(vm.fd, HVK_VM_XEN_EVTCHN, &e) == 0 && e.port == 2, "BIND_VMM -> port 2",
	      "port %u, %s", e.port, strerror(errno));
	e = (struct hvk_xen_evtchn){ .op = HVK_XEN_EVTCHN_SEND, .port = 1 };
	check(ioctl(vm.fd, HVK_VM_XEN_EVTCHN, &e) == 0, "SEND before shared_info exists -> 0",
	      "%s", strerror(errno));

	*(struct xen_add_to_physmap32 *)(vm.ram + EVTCHN_PHYSMAP) = (struct xen_add_to_physmap32){
		.domid = XEN_DOMID_SELF, .space = XEN_XENMAPSPACE_SHARED_INFO,
		.gpfn = EVTCHN_SHINFO >> 12 };
	*(uint32_t *)(vm.ram + EVTCHN_PORT2) = 2;
	batch = (struct xen_multicall_entry32 *)(vm.ram + EVTCHN_BATCH);
	batch[0] = (struct xen_multicall_entry32){ XEN_HC_EVENT_CHANNEL_OP, 0xdead,
						   { XEN_EVTCHNOP_SEND, GUEST_DATA } };
	batch[1] = (struct xen_multicall_entry32){ XEN_HC_EVENT_CHANNEL_OP, 0xdead,
						   { XEN_EVTCHNOP_SEND, EVTCHN_PORT2 } };
	run_expect(&vm, HVK_EXIT_IO, 0, "the guest maps shared_info");
	run_expect(&vm, HVK_EXIT_XEN_EVTCHN, 1, "a guest send on VMM port 1 -> EXIT_XEN_EVTCHN");
	run_expect(&vm, HVK_EXIT_IO, 0, "the send returned 0 to the guest");
	run_expect(&vm, HVK_EXIT_XEN_EVTCHN, 1, "a multicall's send on port 1");
	check(batch[0].result == 0 && batch[1].result == 0xdead,
	      "the batch stops after its first VMM send", "results 0x%x 0x%x", batch[0].result,
	      batch[1].result);
	run_expect(&vm, HVK_EXIT_XEN_EVTCHN, 2, "then its send on port 2, in the next exit");
	run_expect(&vm, HVK_EXIT_IO, 0, "the multicall returned 0");
	check(batch[0].result == 0 && batch[1].result == 0, "both sends returned 0",
	      "results 0x%x 0x%x", batch[0].result, batch[1].result);
	e = (struct hvk_xen_evtchn){ .op = HVK_XEN_EVTCHN_SEND, .port = 1 };
	check(ioctl(vm.fd, HVK_VM_XEN_EVTCHN, &e) == 0, "SEND on port 1", "%s", strerror(errno));
	run_expect(&vm, HVK_EXIT_IO, 1u << 1, "the guest finds port 1 pending, only it");
	vm_teardown(&vm);
}

/*
 * VCPUOP_register_vcpu_info(0, {mfn 0x400, offset 0}) into a second slot,
 * then OUT to PORT_OUT: that slot cannot be deleted while it holds the
 * vcpu_info (kmod/xen/guest_area.h), the other can.
 */
#define AREA_GPA 0x400000u

static const uint8_t register_vcpu_info_code[] = {
	0xb8, XEN_HC_VCPU_OP, 0, 0, 0,                  /* mov $24,%eax */
	0xbb, XEN_VCPUOP_REGISTER_VCPU_INFO, 0, 0, 0,   /* mov $10,%ebx */
	0x31, 0xc9,                                     /* xor %ecx,%ecx */
	0xba, GUEST_DATA & 0xff, GUEST_DATA >> 8, 0, 0, /* mov $0x2000,%edx */
	0x0f, 0x01, 0xc1,                               /* vmcall */
	0x66, 0xba, PORT_OUT & 0xff, PORT_OUT >> 8,     /* mov $0x500,%dx */
	0xef,                                           /* out %eax,(%dx) */
	0xf4,                                           /* hlt */
};

static void test_registered_slot(void)
{
	struct hvk_memory_region r = { .slot = 1, .guest_phys = AREA_GPA, .size = 0x1000 };
	struct xen_vcpu_register_vcpu_info *arg;
	void *page = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct vm vm;
	int rc;

	if (vm_setup(&vm, register_vcpu_info_code, sizeof(register_vcpu_info_code), 0)) {
		check(0, "vcpu_info VM set up", "%s", strerror(errno));
		return;
	}
	r.user_addr = (uintptr_t)page;
	check(ioctl(vm.fd, HVK_SET_MEMORY_REGION, &r) == 0, "a second slot at 4 MiB", "%s",
	      strerror(errno));
	arg = (struct xen_vcpu_register_vcpu_info *)(vm.ram + GUEST_DATA);
	*arg = (struct xen_vcpu_register_vcpu_info){ .mfn = AREA_GPA >> 12, .offset = 0x40 };
	rc = ioctl(vm.vcpu, HVK_RUN, 0);
	check(rc == 0 && vm.run->exit_reason == HVK_EXIT_IO && vm.run->exit.io.data == 0 &&
	      ((uint8_t *)page)[0x40] == 1, "the guest registers its vcpu_info in the second slot",
	      "rc %d reason %u result %d upcall_pending %u", rc, vm.run->exit_reason,
	      (int)vm.run->exit.io.data, ((uint8_t *)page)[0x40]);
	r.size = 0;
	check_errno(vm.fd, HVK_SET_MEMORY_REGION, &r, EBUSY,
		    "deleting the slot holding a vcpu_info -> EBUSY");
	r.slot = 0;
	check(ioctl(vm.fd, HVK_SET_MEMORY_REGION, &r) == 0, "deleting the other slot", "%s",
	      strerror(errno));
	vm_teardown(&vm);
	munmap(page, 0x1000);
}

/*
 * A guest that makes whatever hypercall the VMM leaves in its mailbox and
 * reports the result by OUT to PORT_OUT, again and again: each HVK_RUN is
 * one hypercall, with VMM-side changes to the guest's backing in between.
 *
 * loop: mov MBOX,%eax ; mov MBOX+4,%ebx ; mov MBOX+8,%ecx ; mov MBOX+12,%edx
 *       vmcall ; mov $PORT_OUT,%dx ; out %eax,(%dx) ; jmp loop
 */
#define MBOX   (GUEST_DATA + 0x100u)
#define ARGS   (GUEST_DATA + 0x200u)
#define EXTENT (GUEST_DATA + 0x300u)
#define B4(v)  (v) & 0xff, ((v) >> 8) & 0xff, ((v) >> 16) & 0xff, (v) >> 24

static const uint8_t proxy_code[] = {
	0xa1, B4(MBOX),                                 /* mov MBOX,%eax */
	0x8b, 0x1d, B4(MBOX + 4),                       /* mov MBOX+4,%ebx */
	0x8b, 0x0d, B4(MBOX + 8),                       /* mov MBOX+8,%ecx */
	0x8b, 0x15, B4(MBOX + 12),                      /* mov MBOX+12,%edx */
	0x0f, 0x01, 0xc1,                               /* vmcall */
	0x66, 0xba, PORT_OUT & 0xff, PORT_OUT >> 8,     /* mov $0x500,%dx */
	0xef,                                           /* out %eax,(%dx) */
	0xeb, 0xdf,                                     /* jmp loop (-33) */
};

/* One hypercall through proxy_code: its result, or -1000 if it did not exit so. */
static int32_t proxy_call(struct vm *vm, uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2)
{
	uint32_t *mbox = (uint32_t *)(vm->ram + MBOX);

	mbox[0] = nr; mbox[1] = a0; mbox[2] = a1; mbox[3] = a2;
	if (ioctl(vm->vcpu, HVK_RUN, 0) || vm->run->exit_reason != HVK_EXIT_IO ||
	    vm->run->exit.io.port != PORT_OUT)
		return -1000;
	return (int32_t)vm->run->exit.io.data;
}

static int32_t proxy_register_vcpu_info(struct vm *vm, uint64_t gpa)
{
	*(struct xen_vcpu_register_vcpu_info *)(vm->ram + ARGS) =
		(struct xen_vcpu_register_vcpu_info){ .mfn = gpa >> 12, .offset = gpa & 0xfff };
	return proxy_call(vm, XEN_HC_VCPU_OP, XEN_VCPUOP_REGISTER_VCPU_INFO, 0, ARGS);
}

/* One extent of one frame, given back or taken again: extents done. */
static int32_t proxy_reservation(struct vm *vm, uint32_t op, uint32_t gfn)
{
	*(uint32_t *)(vm->ram + EXTENT) = gfn;
	*(struct xen_memory_reservation32 *)(vm->ram + ARGS) = (struct xen_memory_reservation32){
		.extent_start = EXTENT, .nr_extents = 1, .domid = XEN_DOMID_SELF };
	return proxy_call(vm, XEN_HC_MEMORY_OP, op, ARGS, 0);
}

/*
 * Guest RAM the VMM no longer maps, and read-only RAM, under the calls
 * that keep or clear a page of it (kmod/ram.c): VCPUOP_register_vcpu_info
 * in a read-only slot -> -EPERM, over a munmap()ed page -> -EFAULT, and
 * accepted once the page is mapped again; populate_physmap of a frame the
 * guest gave back whose page is gone -> the extent not done (0), and done
 * with the page zeroed once it is mapped again.
 */
#define RO_GPA   0x400000u
#define GONE_GPA 0x401000u
#define GONE_GFN 0x100u

static void test_unbacked_ram(void)
{
	struct hvk_memory_region ro = { .slot = 1, .guest_phys = RO_GPA, .size = 0x1000,
					.flags = HVK_MEM_READONLY };
	struct hvk_memory_region rw = { .slot = 2, .guest_phys = GONE_GPA, .size = 0x1000 };
	uint8_t *ro_page = mmap(NULL, 0x1000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *rw_page = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	uint8_t *frame, *p;
	struct vm vm;
	int32_t rc;

	if (ro_page == MAP_FAILED || rw_page == MAP_FAILED ||
	    vm_setup(&vm, proxy_code, sizeof(proxy_code), 0)) {
		check(0, "unbacked-RAM VM set up", "%s", strerror(errno));
		return;
	}
	ro.user_addr = (uintptr_t)ro_page;
	rw.user_addr = (uintptr_t)rw_page;
	check(ioctl(vm.fd, HVK_SET_MEMORY_REGION, &ro) == 0 &&
	      ioctl(vm.fd, HVK_SET_MEMORY_REGION, &rw) == 0,
	      "a read-only and a writable one-page slot", "%s", strerror(errno));

	rc = proxy_register_vcpu_info(&vm, RO_GPA + 0x40);
	check(rc == -XEN_EPERM, "vcpu_info in a read-only slot -> EPERM", "result %d", rc);
	munmap(rw_page, 0x1000);
	rc = proxy_register_vcpu_info(&vm, GONE_GPA + 0x40);
	check(rc == -XEN_EFAULT, "vcpu_info over RAM the VMM munmap()ed -> EFAULT", "result %d", rc);
	p = mmap(rw_page, 0x1000, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	rc = p == rw_page ? proxy_register_vcpu_info(&vm, GONE_GPA + 0x40) : -1001;
	check(rc == 0 && rw_page[0x40] == 1, "vcpu_info there once it is mapped again",
	      "result %d, upcall_pending %u", rc, p == rw_page ? rw_page[0x40] : 0);

	frame = vm.ram + (GONE_GFN << 12);
	rc = proxy_reservation(&vm, XEN_XENMEM_DECREASE_RESERVATION, GONE_GFN);
	check(rc == 1, "decrease_reservation of frame 0x100 -> 1", "result %d", rc);
	munmap(frame, 0x1000);
	rc = proxy_reservation(&vm, XEN_XENMEM_POPULATE_PHYSMAP, GONE_GFN);
	check(rc == 0, "populate_physmap of it, its page munmap()ed -> 0 extents", "result %d", rc);
	p = mmap(frame, 0x1000, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == frame)
		memset(frame, 0xa5, 0x1000);
	rc = p == frame ? proxy_reservation(&vm, XEN_XENMEM_POPULATE_PHYSMAP, GONE_GFN) : -1001;
	check(rc == 1 && frame[0] == 0 && frame[0xfff] == 0,
	      "populate_physmap once mapped again -> 1, the page zeroed",
	      "result %d, bytes 0x%x 0x%x", rc, p == frame ? frame[0] : 0,
	      p == frame ? frame[0xfff] : 0);
	vm_teardown(&vm);
	munmap(ro_page, 0x1000);
	munmap(rw_page, 0x1000);
}

/* The VMM dies mid-run: every VM resource goes with it. */
static void test_killed_vmm(int dev)
{
	struct hvk_caps caps;
	pid_t pid = fork();

	if (pid == 0) {
		struct vm vm;

		/* Pinned RAM, so that the pins too must go with it. */
		if (vm_setup_mem(&vm, spin_code, sizeof(spin_code), 0, 0, HVK_MEM_PINNED) == 0)
			ioctl(vm.vcpu, HVK_RUN, 0);
		_exit(1);
	}
	/*
	 * Until the child's VM is there with its RAM pinned (polled: under
	 * Bochs a fixed half second of a spinning guest was 15 wall seconds),
	 * then a moment more for it to enter HVK_RUN.
	 */
	for (int i = 0; i < 500; i++) {
		caps = get_caps(dev);
		if (caps.nr_vms == 1 && caps.pages_pinned == RAM_SIZE / 4096)
			break;
		usleep(10 * 1000);
	}
	usleep(50 * 1000);
	caps = get_caps(dev);
	check(caps.nr_vms == 1 && caps.pages_pinned == RAM_SIZE / 4096,
	      "a running child's VM is counted", "vms %u pinned %llu", caps.nr_vms,
	      (unsigned long long)caps.pages_pinned);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	caps = get_caps(dev);
	check(caps.nr_vms == 0 && caps.pages_pinned == 0 && caps.pages_allocated == 0,
	      "SIGKILLed VMM leaves no VM, pinned or allocated page",
	      "vms %u pinned %llu allocated %llu", caps.nr_vms,
	      (unsigned long long)caps.pages_pinned, (unsigned long long)caps.pages_allocated);
}

int main(void)
{
	struct hvk_vm_create vc = { 0 };
	struct hvk_vcpu_create cc = { .id = 0 };
	int dev = dev_open(), vmfd, vcpu;
	uint8_t *mem;

	struct sigaction sa = { .sa_handler = on_sigusr1 };

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: HVK_RUN returns EINTR */
	host_gdt_limit = gdt_limit();
	test_device(dev);
	test_create_vm(dev);
	vmfd = ioctl(dev, HVK_CREATE_VM, &vc);
	mem = mmap(NULL, 0x20000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	test_memory_regions(vmfd, mem);
	test_vcpu_create(vmfd);
	vcpu = ioctl(vmfd, HVK_CREATE_VCPU, &cc);
	test_context_validation(vcpu);
	test_run_without_state(vmfd);
	close(vcpu);
	close(vmfd);
	munmap(mem, 0x20000);
	test_guest_exits();
	test_triple_fault();
	test_mmio_decode();
	test_busy_and_signal();
	test_two_vms();
	test_failed_entry(get_caps(dev).vendor);
	test_xen_set_param(dev);
	test_xen_evtchn(dev);
	test_registered_slot();
	test_unbacked_ram();
	test_killed_vmm(dev);
	return vmtest_finish(dev, "abi-client");
}
