/* vmtest: helpers shared by the programs that drive /dev/hvk (vmtest.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vmtest.h"

int nr_test, nr_failed;
const char *bits = sizeof(void *) == 8 ? "64" : "32";

void check(int cond, const char *what, const char *fmt, ...)
{
	va_list ap;

	nr_test++;
	if (cond) {
		printf("ok %d - [%s-bit] %s\n", nr_test, bits, what);
		return;
	}
	nr_failed++;
	printf("not ok %d - [%s-bit] %s: ", nr_test, bits, what);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void check_errno(int fd, unsigned long req, void *arg, int want, const char *what)
{
	int rc = ioctl(fd, req, arg);

	check(rc == -1 && errno == want, what, "got rc %d errno %d (%s), want errno %d (%s)",
	      rc, rc < 0 ? errno : 0, rc < 0 ? strerror(errno) : "-", want, strerror(want));
}

int vmtest_finish(int dev, const char *name)
{
	struct hvk_caps caps = get_caps(dev);

	check(caps.nr_vms == 0 && caps.pages_pinned == 0 && caps.pages_allocated == 0,
	      "everything released at the end", "vms %u pinned %llu allocated %llu",
	      caps.nr_vms, (unsigned long long)caps.pages_pinned,
	      (unsigned long long)caps.pages_allocated);
	close(dev);
	printf("%s%s: %d passed, %d failed\n", name, bits, nr_test - nr_failed, nr_failed);
	return nr_failed ? 1 : 0;
}

int dev_open(void)
{
	int fd = open(HVK_DEVICE_PATH, O_RDWR);

	if (fd < 0) {
		printf("Bail out! cannot open %s: %s\n", HVK_DEVICE_PATH, strerror(errno));
		exit(2);
	}
	return fd;
}

struct hvk_caps get_caps(int dev)
{
	struct hvk_caps caps;

	memset(&caps, 0xff, sizeof(caps));
	if (ioctl(dev, HVK_GET_CAPS, &caps) < 0)
		memset(&caps, 0xff, sizeof(caps));
	return caps;
}

void flat32_context(struct xen_vcpu_hvm_context *ctx)
{
	struct xen_vcpu_hvm_x86_32 *c = &ctx->cpu_regs.x86_32;

	memset(ctx, 0, sizeof(*ctx));
	ctx->mode = XEN_VCPU_HVM_MODE_32B;
	c->eip = GUEST_CODE;
	c->eflags = 0x2;
	c->cr0 = 0x11;
	c->cs_limit = c->ds_limit = c->ss_limit = c->es_limit = 0xffffffff;
	c->cs_ar = XEN_HVM_AR_CODE32;
	c->ds_ar = c->ss_ar = c->es_ar = XEN_HVM_AR_DATA32;
	c->tr_limit = 0x67;
	c->tr_ar = XEN_HVM_AR_TSS32_BUSY;
}

int vm_setup_mem(struct vm *vm, const uint8_t *code, size_t len, uint32_t reason,
		 uint32_t vm_flags, uint32_t mem_flags)
{
	struct hvk_vm_create vc = { .flags = vm_flags };
	struct hvk_memory_region mr = { .slot = 0, .flags = mem_flags, .guest_phys = 0,
					.size = RAM_SIZE };
	struct hvk_vcpu_create cc = { .id = 0 };
	struct hvk_vcpu_init init = { 0 };

	vm->dev = dev_open();
	vm->fd = ioctl(vm->dev, HVK_CREATE_VM, &vc);
	vm->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->fd < 0 || vm->ram == MAP_FAILED)
		return -1;
	/*
	 * 4 KiB pages, whatever the kernel's THP setting and wherever the
	 * mapping landed: tests count the pages a guest faults in.
	 */
	madvise(vm->ram, RAM_SIZE, MADV_NOHUGEPAGE);
	memcpy(vm->ram + GUEST_CODE, code, len);
	memcpy(vm->ram + GUEST_DATA, &reason, sizeof(reason));
	mr.user_addr = (uintptr_t)vm->ram;
	if (ioctl(vm->fd, HVK_SET_MEMORY_REGION, &mr) < 0)
		return -1;
	vm->vcpu = ioctl(vm->fd, HVK_CREATE_VCPU, &cc);
	if (vm->vcpu < 0)
		return -1;
	vm->run = mmap(NULL, HVK_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		       vm->vcpu, 0);
	if (vm->run == MAP_FAILED)
		return -1;
	flat32_context(&init.ctx);
	return ioctl(vm->vcpu, HVK_VCPU_SET_HVM_CONTEXT, &init);
}

int vm_setup_flags(struct vm *vm, const uint8_t *code, size_t len, uint32_t reason,
		   uint32_t vm_flags)
{
	return vm_setup_mem(vm, code, len, reason, vm_flags, 0);
}

int vm_setup(struct vm *vm, const uint8_t *code, size_t len, uint32_t reason)
{
	return vm_setup_flags(vm, code, len, reason, 0);
}

void vm_teardown(struct vm *vm)
{
	munmap(vm->run, HVK_RUN_MMAP_SIZE);
	munmap(vm->ram, RAM_SIZE);
	close(vm->vcpu);
	close(vm->fd);
	close(vm->dev);
}

struct hvk_stats vm_stats(struct vm *vm)
{
	struct hvk_stats st;

	memset(&st, 0xff, sizeof(st));
	if (ioctl(vm->fd, HVK_VM_GET_STATS, &st))
		memset(&st, 0xff, sizeof(st));
	return st;
}

int vm_run_report(struct vm *vm, uint32_t *value, char *why, size_t len)
{
	const struct hvk_exit_io *io = &vm->run->exit.io;

	if (ioctl(vm->vcpu, HVK_RUN, 0)) {
		snprintf(why, len, "HVK_RUN: %s", strerror(errno));
		return -1;
	}
	if (vm->run->exit_reason != HVK_EXIT_IO || io->port != REPORT_PORT ||
	    io->direction != HVK_IO_OUT || io->size != 4) {
		snprintf(why, len, "exit %u (suberror %u data 0x%llx), port 0x%x",
			 vm->run->exit_reason, vm->run->exit.internal.suberror,
			 (unsigned long long)vm->run->exit.internal.data[0], io->port);
		return -1;
	}
	*value = io->data;
	return 0;
}
