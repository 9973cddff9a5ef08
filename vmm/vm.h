/* A VM as the VMM sees it: its fds, its RAM and its vCPUs. */
#ifndef HVK_VMM_VM_H
#define HVK_VMM_VM_H

#include <stdint.h>

#include <abi/hvk.h>

#include "err.h"
#include "ports.h"
#include "xen_console.h"

struct vcpu {
	int fd;
	uint32_t id;
	struct hvk_run *run;    /* the mmap'd run page */
};

struct vm {
	int dev_fd;
	int vm_fd;
	uint32_t features;      /* the module's HVK_CAP_* */
	void *ram;              /* guest-physical 0 .. ram_size */
	uint64_t ram_size;
	unsigned int nr_vcpus;
	struct vcpu vcpus[HVK_MAX_VCPUS];  /* vcpus[0] boots */
	struct port_table ports;        /* the ports the VMM serves */
	struct xen_console console;     /* --xen's PV console (inactive: none) */
};

/*
 * Opens /dev/hvk, reads its features, creates the VM (HVK_VM_* flags) and
 * maps its RAM at GPA 0.
 */
/*
 * @flags: HVK_VM_*; @mem_flags: HVK_MEM_* for guest RAM (HVK_MEM_PINNED or
 * 0).  RAM is mapped 2 MiB-aligned and advised MADV_HUGEPAGE, so the host
 * can back it with transparent huge pages.
 */
int vm_create(struct vm *vm, uint64_t ram_size, uint32_t flags, uint32_t mem_flags,
	      struct hvk_err *err);
/* HVK_VM_SET_IO_POLICY: the claims and the unclaimed-access policy. */
int vm_set_io_policy(struct vm *vm, const struct hvk_io_policy *policy,
		     struct hvk_err *err);
int vm_create_vcpu(struct vm *vm, struct vcpu *vcpu, uint32_t id,
		   struct hvk_err *err);
int vcpu_set_context(struct vcpu *vcpu, const struct xen_vcpu_hvm_context *ctx,
		     struct hvk_err *err);
void vcpu_destroy(struct vcpu *vcpu);
void vm_destroy(struct vm *vm);

#endif /* HVK_VMM_VM_H */
