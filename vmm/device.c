/* /dev/hvk: opening it, and the version/capability handshake. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "device.h"

int device_get_version(int dev_fd, struct hvk_version *v, struct hvk_err *err)
{
	memset(v, 0, sizeof(*v));
	if (ioctl(dev_fd, HVK_GET_VERSION, v) < 0)
		return hvk_err_set(err, errno, "%s: HVK_GET_VERSION: %s",
				   HVK_DEVICE_PATH, strerror(errno));
	return 0;
}

int device_get_caps(int dev_fd, struct hvk_caps *caps, struct hvk_err *err)
{
	memset(caps, 0, sizeof(*caps));
	if (ioctl(dev_fd, HVK_GET_CAPS, caps) < 0)
		return hvk_err_set(err, errno, "%s: HVK_GET_CAPS: %s",
				   HVK_DEVICE_PATH, strerror(errno));
	return 0;
}

static const char *device_open_hint(int errnum)
{
	switch (errnum) {
	case ENOENT:
		return " (is the module loaded? sudo insmod kmod/hvk.ko)";
	case EACCES:
	case EPERM:
		return " (run as root or get access to /dev/hvk)";
	}
	return "";
}

int device_open(struct hvk_err *err)
{
	struct hvk_version v;
	int fd, rc;

	fd = open(HVK_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return hvk_err_set(err, errno, "cannot open %s: %s%s", HVK_DEVICE_PATH,
				   strerror(errno), device_open_hint(errno));
	rc = device_get_version(fd, &v, err);
	if (rc == 0 && v.api_version != HVK_API_VERSION)
		rc = hvk_err_set(err, EPROTO, "%s speaks API %u, this hvk speaks %u: "
				 "rebuild the module and the VMM together",
				 HVK_DEVICE_PATH, v.api_version, HVK_API_VERSION);
	if (rc) {
		close(fd);
		return rc;
	}
	return fd;
}

const char *device_vendor_name(uint32_t vendor)
{
	switch (vendor) {
	case HVK_VENDOR_SVM:
		return "SVM";
	case HVK_VENDOR_VMX:
		return "VMX";
	}
	return "none";
}
