/*
 * mem-cost: what hvk.ko allocates for a VM and for each vCPU, read from the
 * module's own counters (HVK_GET_CAPS: pages_allocated, pages_pinned) as
 * the VM is built step by step: create it, give it RAM, add vCPUs.  No
 * other VM may exist meanwhile (the counters are the module's, not the VM's).
 *
 * Output, one line per step with the counters' growth in 4 KiB pages, then
 * a summary:
 *
 *   mem-cost: step=create-vm allocated=N pinned=N
 *   mem-cost: step=memory-64M allocated=N pinned=N
 *   mem-cost: step=vcpu-K allocated=N pinned=N      (K = 0 .. 3)
 *   mem-cost: vm_pages=N ram_pages=N vcpu_pages=N
 *
 * vcpu_pages is the first vCPU's; the later ones are listed to show it does
 * not vary.  Exit status 0, or 1 with a message on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <abi/hvk.h>

#define RAM_SIZE        (64u << 20)
#define NR_VCPUS        4

static void die(const char *what)
{
	fprintf(stderr, "mem-cost: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct hvk_caps caps(int dev)
{
	struct hvk_caps c;

	if (ioctl(dev, HVK_GET_CAPS, &c) < 0)
		die("HVK_GET_CAPS");
	return c;
}

/* Prints how much the counters grew since *last; returns the allocated growth. */
static uint64_t step(int dev, struct hvk_caps *last, const char *name)
{
	struct hvk_caps c = caps(dev);
	uint64_t allocated = c.pages_allocated - last->pages_allocated;

	printf("mem-cost: step=%s allocated=%llu pinned=%llu\n", name,
	       (unsigned long long)allocated,
	       (unsigned long long)(c.pages_pinned - last->pages_pinned));
	*last = c;
	return allocated;
}

int main(void)
{
	struct hvk_vm_create vc = { 0 };
	struct hvk_memory_region mr = { 0 };
	struct hvk_version v;
	struct hvk_caps last;
	uint64_t vm_pages, ram_pages, vcpu_pages = 0;
	char name[16];
	void *ram;
	int dev, vm;

	dev = open(HVK_DEVICE_PATH, O_RDWR);
	if (dev < 0)
		die(HVK_DEVICE_PATH);
	if (ioctl(dev, HVK_GET_VERSION, &v) < 0)
		die("HVK_GET_VERSION");
	if (v.api_version != HVK_API_VERSION) {
		fprintf(stderr, "mem-cost: module API %u, built for %u\n", v.api_version,
			HVK_API_VERSION);
		return 1;
	}
	last = caps(dev);
	if (last.nr_vms) {
		fprintf(stderr, "mem-cost: %u VM(s) exist: their pages would count\n",
			last.nr_vms);
		return 1;
	}
	vm = ioctl(dev, HVK_CREATE_VM, &vc);
	if (vm < 0)
		die("HVK_CREATE_VM");
	vm_pages = step(dev, &last, "create-vm");

	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		die("mmap");
	mr.size = RAM_SIZE;
	mr.user_addr = (uintptr_t)ram;
	if (ioctl(vm, HVK_SET_MEMORY_REGION, &mr) < 0)
		die("HVK_SET_MEMORY_REGION");
	ram_pages = step(dev, &last, "memory-64M");

	for (uint32_t id = 0; id < NR_VCPUS; id++) {
		struct hvk_vcpu_create cc = { .id = id };
		uint64_t pages;

		if (ioctl(vm, HVK_CREATE_VCPU, &cc) < 0)
			die("HVK_CREATE_VCPU");
		snprintf(name, sizeof(name), "vcpu-%u", id);
		pages = step(dev, &last, name);
		if (id == 0)
			vcpu_pages = pages;
	}
	printf("mem-cost: vm_pages=%llu ram_pages=%llu vcpu_pages=%llu\n",
	       (unsigned long long)vm_pages, (unsigned long long)ram_pages,
	       (unsigned long long)vcpu_pages);
	return 0;
}
