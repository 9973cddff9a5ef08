/* Symbolic names for exit codes and hypercall numbers, for trace and stat. */
#ifndef HVK_VMM_NAMES_H
#define HVK_VMM_NAMES_H

#include <stdint.h>

/* SVM exit code or VMX basic exit reason, by HVK_VENDOR_*; never NULL. */
const char *exit_reason_name(uint32_t vendor, uint64_t code);
/* Xen hypercall number (hvk's families as hvk_N); never NULL. */
const char *hypercall_name(uint64_t nr);

#endif /* HVK_VMM_NAMES_H */
