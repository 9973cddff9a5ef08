/* /dev/hvk: opening it, and the version/capability handshake. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
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

/*
 * Refused access: the udev rule (udev/60-hvk.rules) gives /dev/hvk to group
 * hvk with mode 0660, so the remedy is joining the device's group; a node
 * still root's alone means the rule is not installed (docs/security.md).
 */
static int device_access_denied(int errnum, struct hvk_err *err)
{
	struct passwd *pw = getpwuid(getuid());
	const char *user = pw ? pw->pw_name : "$USER";
	struct group *gr = NULL;
	struct stat st;

	if (stat(HVK_DEVICE_PATH, &st) == 0 && st.st_gid != 0 &&
	    (st.st_mode & S_IRWXG) == (S_IRGRP | S_IWGRP))
		gr = getgrgid(st.st_gid);
	if (gr)
		return hvk_err_set(err, errnum, "cannot open %s: permission denied: add yourself "
				   "to group %s (sudo adduser %s %s, then log in again)",
				   HVK_DEVICE_PATH, gr->gr_name, user, gr->gr_name);
	return hvk_err_set(err, errnum, "cannot open %s: permission denied: only root may use it; "
			   "install hvk's udev rule (group hvk, mode 0660: make install or "
			   "the hvk package) and add yourself to group hvk, or run as root",
			   HVK_DEVICE_PATH);
}

int device_open(struct hvk_err *err)
{
	struct hvk_version v;
	int fd, rc;

	fd = open(HVK_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		return device_access_denied(errno, err);
	if (fd < 0)
		return hvk_err_set(err, errno, "cannot open %s: %s%s", HVK_DEVICE_PATH,
				   strerror(errno), errno == ENOENT ?
				   " (is the module loaded? sudo insmod kmod/hvk.ko, or sudo modprobe hvk"
				   " once installed)" : "");
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
