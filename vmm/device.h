/* /dev/hvk: opening it, and the version/capability handshake. */
#ifndef HVK_VMM_DEVICE_H
#define HVK_VMM_DEVICE_H

#include <abi/hvk.h>

#include "err.h"

/* Opens /dev/hvk and refuses a module of another API version; returns the fd. */
int device_open(struct hvk_err *err);
int device_get_caps(int dev_fd, struct hvk_caps *caps, struct hvk_err *err);
int device_get_version(int dev_fd, struct hvk_version *v, struct hvk_err *err);
const char *device_vendor_name(uint32_t vendor);

#endif /* HVK_VMM_DEVICE_H */
