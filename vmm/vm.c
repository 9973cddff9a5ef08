/* A VM as the VMM sees it (see vm.h). */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "device.h"
#include "size.h"
#include "vm.h"

#define HUGE_PAGE_SIZE  (2u << 20)

/*
 * @size bytes of anonymous memory at a 2 MiB boundary: guest-physical 0 is
 * 2 MiB-aligned, so each aligned 2 MiB of guest RAM lies in one huge page
 * the host may give it.  NULL if mmap() fails.
 */
static void *vm_alloc_ram(uint64_t size)
{
	size_t len = (size_t)size + HUGE_PAGE_SIZE;
	uint8_t *p, *start;

	if (len < size) {
		errno = ENOMEM;
		return NULL;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	start = (uint8_t *)(((uintptr_t)p + HUGE_PAGE_SIZE - 1) & ~(uintptr_t)(HUGE_PAGE_SIZE - 1));
	if (start > p)
		munmap(p, (size_t)(start - p));
	if (start + size < p + len)
		munmap(start + size, (size_t)(p + len - (start + size)));
	/* Only advice: without transparent huge pages it fails, harmlessly. */
	madvise(start, (size_t)size, MADV_HUGEPAGE);
	return start;
}

static int vm_map_ram(struct vm *vm, uint32_t mem_flags, struct hvk_err *err)
{
	struct hvk_memory_region region = {
		.slot = 0,
		.flags = mem_flags,
		.guest_phys = 0,
		.size = vm->ram_size,
	};
	char size[SIZE_FORMAT_LEN];

	vm->ram = vm_alloc_ram(vm->ram_size);
	if (!vm->ram)
		return hvk_err_set(err, errno, "cannot allocate %s of guest RAM: %s",
				   size_format(size, sizeof(size), vm->ram_size),
				   strerror(errno));
	region.user_addr = (uintptr_t)vm->ram;
	if (ioctl(vm->vm_fd, HVK_SET_MEMORY_REGION, &region) < 0)
		return hvk_err_set(err, errno, "HVK_SET_MEMORY_REGION (%s of RAM): %s%s",
				   size_format(size, sizeof(size), vm->ram_size),
				   strerror(errno),
				   errno == ENOMEM && (mem_flags & HVK_MEM_PINNED) ?
				   " (--pin-memory: is 'ulimit -l' too small?)" :
				   errno == ENOMEM ? " (more than the host's RAM?)" : "");
	return 0;
}

int vm_create(struct vm *vm, uint64_t ram_size, uint32_t flags, uint32_t mem_flags,
	      struct hvk_err *err)
{
	struct hvk_vm_create req = { .flags = flags };
	struct hvk_caps caps;
	int rc;

	memset(vm, 0, sizeof(*vm));
	vm->vm_fd = -1;
	for (unsigned int i = 0; i < HVK_MAX_VCPUS; i++)
		vm->vcpus[i].fd = -1;
	vm->ram_size = ram_size;
	vm->dev_fd = device_open(err);
	if (vm->dev_fd < 0)
		return vm->dev_fd;
	rc = device_get_caps(vm->dev_fd, &caps, err);
	if (rc)
		return rc;
	vm->features = caps.features;
	vm->vm_fd = ioctl(vm->dev_fd, HVK_CREATE_VM, &req);
	if (vm->vm_fd < 0)
		return hvk_err_set(err, errno, "HVK_CREATE_VM: %s", strerror(errno));
	rc = vm_map_ram(vm, mem_flags, err);
	return rc;
}

int vm_set_io_policy(struct vm *vm, const struct hvk_io_policy *policy,
		     struct hvk_err *err)
{
	if (ioctl(vm->vm_fd, HVK_VM_SET_IO_POLICY, policy) < 0)
		return hvk_err_set(err, errno, "HVK_VM_SET_IO_POLICY: %s%s", strerror(errno),
				   errno == ENOTTY ? " (this hvk.ko predates the I/O policy, "
				   "HVK_CAP_IO_POLICY: load the module built with this hvk)" : "");
	return 0;
}

int vm_create_vcpu(struct vm *vm, struct vcpu *vcpu, uint32_t id,
		   struct hvk_err *err)
{
	struct hvk_vcpu_create req = { .id = id };
	void *run;

	vcpu->id = id;
	vcpu->run = NULL;
	vcpu->fd = ioctl(vm->vm_fd, HVK_CREATE_VCPU, &req);
	if (vcpu->fd < 0)
		return hvk_err_set(err, errno, "HVK_CREATE_VCPU %u: %s", id,
				   strerror(errno));
	vm->nr_vcpus++;
	run = mmap(NULL, HVK_RUN_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   vcpu->fd, 0);
	if (run == MAP_FAILED)
		return hvk_err_set(err, errno, "mmap of vCPU %u's run page: %s", id,
				   strerror(errno));
	vcpu->run = run;
	return 0;
}

int vcpu_set_context(struct vcpu *vcpu, const struct xen_vcpu_hvm_context *ctx,
		     struct hvk_err *err)
{
	struct hvk_vcpu_init init = { .ctx = *ctx };

	if (ioctl(vcpu->fd, HVK_VCPU_SET_HVM_CONTEXT, &init) < 0)
		return hvk_err_set(err, errno, "HVK_VCPU_SET_HVM_CONTEXT (vCPU %u): %s",
				   vcpu->id, strerror(errno));
	return 0;
}

void vcpu_destroy(struct vcpu *vcpu)
{
	if (vcpu->run)
		munmap(vcpu->run, HVK_RUN_MMAP_SIZE);
	if (vcpu->fd >= 0)
		close(vcpu->fd);
	vcpu->run = NULL;
	vcpu->fd = -1;
}

void vm_destroy(struct vm *vm)
{
	for (unsigned int i = 0; i < HVK_MAX_VCPUS; i++)
		vcpu_destroy(&vm->vcpus[i]);
	if (vm->vm_fd >= 0)
		close(vm->vm_fd);
	if (vm->ram)
		munmap(vm->ram, vm->ram_size);
	if (vm->dev_fd >= 0)
		close(vm->dev_fd);
	vm->vm_fd = vm->dev_fd = -1;
	vm->ram = NULL;
}
