/* PVH boot layout (pvh.h): start_info, memmap, modules, entry state. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "acpi.h"
#include "pvh.h"
#include "size.h"

_Static_assert(PVH_CONSOLE_PAGE >= PVH_BOOT_AREA_LIMIT &&
	       PVH_CONSOLE_PAGE + PVH_PAGE_SIZE <= PVH_LOW_RAM_END,
	       "the console page lies between the boot area and the hole");

/* Modules stay where a 32-bit, paging-off entry can still reach them. */
#define PVH_MODULE_TOP_LIMIT  (UINT64_C(1) << 32)

static uint64_t align_up(uint64_t x, uint64_t align)
{
	return (x + align - 1) & ~(align - 1);
}

static const char *pvh_module_name(const struct pvh_module *mod)
{
	return mod->path ? mod->path : "(in-memory module)";
}

static int pvh_ram_check(uint64_t ram_size, struct hvk_err *err)
{
	char have[SIZE_FORMAT_LEN], need[SIZE_FORMAT_LEN];

	if (ram_size < PVH_RAM_MIN)
		return hvk_err_set(err, EINVAL, "guest RAM of %s is too small for PVH boot (minimum %s)",
				   size_format(have, sizeof(have), ram_size),
				   size_format(need, sizeof(need), PVH_RAM_MIN));
	if (ram_size % PVH_PAGE_SIZE)
		return hvk_err_set(err, EINVAL, "guest RAM of %s is not a multiple of 4 KiB",
				   size_format(have, sizeof(have), ram_size));
	return 0;
}

/* Addresses of start_info, memmap, modlist and strings, all below 0x9f000. */
static int pvh_boot_area_plan(struct pvh_layout *layout,
			      const struct pvh_config *cfg, struct hvk_err *err)
{
	uint64_t next;

	if (cfg->nr_modules > PVH_MAX_MODULES)
		return hvk_err_set(err, E2BIG, "%u modules given, hvk takes at most %u",
				   cfg->nr_modules, PVH_MAX_MODULES);
	layout->start_info_paddr = XEN_HVM_START_INFO_PADDR;
	layout->memmap_paddr = XEN_HVM_MEMMAP_PADDR;
	layout->memmap_entries = cfg->acpi ? PVH_MEMMAP_MAX_ENTRIES : PVH_MEMMAP_MAX_ENTRIES - 1;
	next = align_up(XEN_HVM_MEMMAP_PADDR +
			layout->memmap_entries * sizeof(struct xen_hvm_memmap_entry), 8);
	layout->nr_modules = cfg->nr_modules;
	if (cfg->nr_modules) {
		layout->modlist_paddr = next;
		next += cfg->nr_modules * sizeof(struct xen_hvm_modlist_entry);
	}
	if (cfg->cmdline) {
		layout->cmdline_paddr = next;
		next += strlen(cfg->cmdline) + 1;
	}
	for (unsigned int i = 0; i < cfg->nr_modules; i++) {
		if (!cfg->modules[i].cmdline)
			continue;
		layout->modules[i].cmdline_paddr = next;
		next += strlen(cfg->modules[i].cmdline) + 1;
	}
	layout->boot_area = (struct gpa_range){ PVH_BOOT_AREA_START, next };
	if (next > PVH_BOOT_AREA_LIMIT)
		return hvk_err_set(err, E2BIG,
				   "command line and module command lines need the boot area up to 0x%"
				   PRIx64 ", beyond its limit 0x%x", next, PVH_BOOT_AREA_LIMIT);
	return 0;
}

static int pvh_module_size(const struct pvh_module *mod, uint64_t *size,
			   struct hvk_err *err)
{
	struct stat st;

	if (mod->data) {
		*size = mod->size;
		return 0;
	}
	if (!mod->path)
		return hvk_err_set(err, EINVAL, "module with neither a path nor data");
	if (stat(mod->path, &st) < 0)
		return hvk_err_set(err, errno, "%s: %s", mod->path, strerror(errno));
	if (!S_ISREG(st.st_mode))
		return hvk_err_set(err, EINVAL, "%s: not a regular file", mod->path);
	*size = st.st_size;
	return 0;
}

/* Module i goes page-aligned just below *top, above 1 MiB, clear of the kernel. */
static int pvh_module_place(struct pvh_layout *layout, unsigned int i,
			    uint64_t *top, const struct elf_image *kernel,
			    const struct pvh_module *mod, struct hvk_err *err)
{
	struct pvh_module_placement *place = &layout->modules[i];
	char room[SIZE_FORMAT_LEN];
	uint64_t paddr;
	int seg;

	if (place->size > *top - PVH_HIGH_RAM_START)
		return hvk_err_set(err, ENOSPC,
				   "%s: module %u of 0x%" PRIx64 " bytes does not fit in the %s of guest RAM left above 1 MiB",
				   pvh_module_name(mod), i, place->size,
				   size_format(room, sizeof(room), *top - PVH_HIGH_RAM_START));
	/* Stays >= 1 MiB: *top - size is, and 1 MiB is page-aligned. */
	paddr = (*top - place->size) & ~(uint64_t)(PVH_PAGE_SIZE - 1);
	seg = elf_image_find_overlap(kernel, paddr, paddr + place->size);
	if (seg >= 0)
		return hvk_err_set(err, ENOSPC,
				   "%s: module %u at 0x%" PRIx64 " + 0x%" PRIx64 " overlaps %s PT_LOAD[%d] at 0x%"
				   PRIx64 " + 0x%" PRIx64 " (give the guest more RAM)",
				   pvh_module_name(mod), i, paddr, place->size, kernel->path,
				   seg, kernel->segments[seg].paddr, kernel->segments[seg].memsz);
	place->paddr = paddr;
	*top = paddr;
	return 0;
}

static int pvh_modules_plan(struct pvh_layout *layout, uint64_t ram_size,
			    const struct elf_image *kernel,
			    const struct pvh_config *cfg, struct hvk_err *err)
{
	uint64_t top = ram_size < PVH_MODULE_TOP_LIMIT ? ram_size : PVH_MODULE_TOP_LIMIT;
	int ret;

	for (unsigned int i = 0; i < cfg->nr_modules; i++) {
		ret = pvh_module_size(&cfg->modules[i], &layout->modules[i].size, err);
		if (ret == 0)
			ret = pvh_module_place(layout, i, &top, kernel, &cfg->modules[i], err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int pvh_module_read(unsigned char *dst, const struct pvh_module *mod,
			   uint64_t size, struct hvk_err *err)
{
	uint64_t done = 0;
	int fd, ret = 0;

	fd = open(mod->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hvk_err_set(err, errno, "%s: %s", mod->path, strerror(errno));
	while (done < size && ret == 0) {
		ssize_t n = read(fd, dst + done, size - done);

		if (n < 0 && errno != EINTR)
			ret = hvk_err_set(err, errno, "%s: %s", mod->path, strerror(errno));
		else if (n == 0)
			ret = hvk_err_set(err, EIO, "%s: shorter than its 0x%" PRIx64
					  " bytes (changed while loading?)", mod->path, size);
		else if (n > 0)
			done += n;
	}
	close(fd);
	return ret;
}

static int pvh_modules_write(const struct pvh_layout *layout, unsigned char *ram,
			     const struct pvh_config *cfg, struct hvk_err *err)
{
	int ret;

	for (unsigned int i = 0; i < layout->nr_modules; i++) {
		const struct pvh_module_placement *place = &layout->modules[i];
		const struct pvh_module *mod = &cfg->modules[i];

		if (mod->data) {
			memcpy(ram + place->paddr, mod->data, place->size);
			continue;
		}
		ret = pvh_module_read(ram + place->paddr, mod, place->size, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static struct xen_hvm_memmap_entry pvh_memmap_entry(uint64_t start, uint64_t end,
						    uint32_t type)
{
	return (struct xen_hvm_memmap_entry){ .addr = start, .size = end - start,
					      .type = type };
}

/* The memmap of pvh.h, in address order; the hole ends where ACPI begins. */
static void pvh_memmap_write(const struct pvh_layout *layout, unsigned char *ram,
			     uint64_t ram_size)
{
	struct xen_hvm_memmap_entry map[PVH_MEMMAP_MAX_ENTRIES];
	uint64_t hole_end = layout->rsdp_paddr ? PVH_ACPI_START : PVH_HIGH_RAM_START;
	/* The console page joins the hole: one reserved entry, no more entries. */
	uint64_t low_ram_end = layout->console_paddr ? layout->console_paddr : PVH_LOW_RAM_END;
	unsigned int n = 0;

	map[n++] = pvh_memmap_entry(0, low_ram_end, XEN_HVM_MEMMAP_TYPE_RAM);
	map[n++] = pvh_memmap_entry(low_ram_end, hole_end,
				    XEN_HVM_MEMMAP_TYPE_RESERVED);
	if (layout->rsdp_paddr)
		map[n++] = pvh_memmap_entry(PVH_ACPI_START, PVH_HIGH_RAM_START,
					    XEN_HVM_MEMMAP_TYPE_ACPI);
	map[n++] = pvh_memmap_entry(PVH_HIGH_RAM_START, ram_size,
				    XEN_HVM_MEMMAP_TYPE_RAM);
	memcpy(ram + layout->memmap_paddr, map, n * sizeof(map[0]));
}

static void pvh_string_write(unsigned char *ram, uint64_t paddr, const char *s)
{
	if (s)
		memcpy(ram + paddr, s, strlen(s) + 1);
}

static void pvh_boot_area_write(const struct pvh_layout *layout, unsigned char *ram,
				uint64_t ram_size, const struct pvh_config *cfg)
{
	struct xen_hvm_start_info info = {
		.magic = XEN_HVM_START_MAGIC,
		.version = XEN_HVM_START_VERSION,
		.nr_modules = layout->nr_modules,
		.modlist_paddr = layout->modlist_paddr,
		.cmdline_paddr = layout->cmdline_paddr,
		.rsdp_paddr = layout->rsdp_paddr,
		.memmap_paddr = layout->memmap_paddr,
		.memmap_entries = layout->memmap_entries,
	};
	struct xen_hvm_modlist_entry *modlist =
		(void *)(ram + layout->modlist_paddr);

	memset(ram + layout->boot_area.start, 0,
	       layout->boot_area.end - layout->boot_area.start);
	memcpy(ram + layout->start_info_paddr, &info, sizeof(info));
	pvh_memmap_write(layout, ram, ram_size);
	for (unsigned int i = 0; i < layout->nr_modules; i++) {
		modlist[i] = (struct xen_hvm_modlist_entry){
			.paddr = layout->modules[i].paddr,
			.size = layout->modules[i].size,
			.cmdline_paddr = layout->modules[i].cmdline_paddr,
		};
		pvh_string_write(ram, layout->modules[i].cmdline_paddr,
				 cfg->modules[i].cmdline);
	}
	pvh_string_write(ram, layout->cmdline_paddr, cfg->cmdline);
}

/*
 * The tables go where no kernel segment may be (checked here, as the boot
 * area is by elf_image_load()): a kernel loaded over them would be
 * overwritten.
 */
static int pvh_acpi_write(struct pvh_layout *layout, unsigned char *ram,
			  const struct elf_image *kernel, const struct pvh_config *cfg,
			  struct hvk_err *err)
{
	struct acpi_layout acpi;
	int seg, ret;

	seg = elf_image_find_overlap(kernel, PVH_ACPI_START, PVH_HIGH_RAM_START);
	if (seg >= 0)
		return hvk_err_set(err, ERANGE,
				   "%s: PT_LOAD[%d] at 0x%" PRIx64 " + 0x%" PRIx64
				   " overlaps the ACPI tables [0x%x, 0x%x) (hvk run --no-acpi "
				   "leaves them out)", kernel->path, seg,
				   kernel->segments[seg].paddr, kernel->segments[seg].memsz,
				   PVH_ACPI_START, PVH_HIGH_RAM_START);
	ret = acpi_tables_write(ram + PVH_ACPI_START, PVH_ACPI_START,
				PVH_HIGH_RAM_START - PVH_ACPI_START, cfg->nr_vcpus,
				&acpi, err);
	if (ret == 0)
		layout->rsdp_paddr = acpi.rsdp;
	return ret;
}

/* The console's ring page: no kernel segment there, and zeroed (an empty ring). */
static int pvh_console_page_reserve(struct pvh_layout *layout, unsigned char *ram,
				    const struct elf_image *kernel, struct hvk_err *err)
{
	int seg = elf_image_find_overlap(kernel, PVH_CONSOLE_PAGE,
					 PVH_CONSOLE_PAGE + PVH_PAGE_SIZE);

	if (seg >= 0)
		return hvk_err_set(err, ERANGE,
				   "%s: PT_LOAD[%d] at 0x%" PRIx64 " + 0x%" PRIx64
				   " overlaps the PV console page [0x%x, 0x%x) that --xen reserves",
				   kernel->path, seg, kernel->segments[seg].paddr,
				   kernel->segments[seg].memsz, PVH_CONSOLE_PAGE,
				   PVH_CONSOLE_PAGE + PVH_PAGE_SIZE);
	memset(ram + PVH_CONSOLE_PAGE, 0, PVH_PAGE_SIZE);
	layout->console_paddr = PVH_CONSOLE_PAGE;
	return 0;
}

int pvh_boot_load(struct pvh_layout *layout, void *ram, uint64_t ram_size,
		  const struct elf_image *kernel, const struct pvh_config *cfg,
		  struct hvk_err *err)
{
	int ret;

	memset(layout, 0, sizeof(*layout));
	layout->entry = kernel->phys32_entry;
	ret = pvh_ram_check(ram_size, err);
	if (ret == 0)
		ret = pvh_boot_area_plan(layout, cfg, err);
	/* Kernel before modules: its "exceeds guest RAM" is the clearer error. */
	if (ret == 0)
		ret = elf_image_load(kernel, ram, ram_size, &layout->boot_area, err);
	if (ret == 0)
		ret = pvh_modules_plan(layout, ram_size, kernel, cfg, err);
	if (ret == 0)
		ret = pvh_modules_write(layout, ram, cfg, err);
	if (ret == 0 && cfg->acpi)
		ret = pvh_acpi_write(layout, ram, kernel, cfg, err);
	if (ret == 0 && cfg->console_page)
		ret = pvh_console_page_reserve(layout, ram, kernel, err);
	if (ret == 0)
		pvh_boot_area_write(layout, ram, ram_size, cfg);
	return ret;
}

void pvh_vcpu_context_init(struct xen_vcpu_hvm_context *ctx, uint32_t entry,
			   uint32_t start_info_paddr)
{
	struct xen_vcpu_hvm_x86_32 *r = &ctx->cpu_regs.x86_32;

	memset(ctx, 0, sizeof(*ctx));
	ctx->mode = XEN_VCPU_HVM_MODE_32B;
	r->eip = entry;
	r->ebx = start_info_paddr;
	r->eflags = 0x2;	/* bit 1 is reserved-1; VM, IF, TF clear */
	/*
	 * PE, plus ET (bit 4): ET is hardwired to 1 on P6 and later (SDM vol 3
	 * 2.5), so it is not a "writable bit" the protocol wants clear, and
	 * setting it keeps what the guest reads back equal to what hvk set.
	 */
	r->cr0 = 0x11;
	r->cs_limit = r->ds_limit = r->ss_limit = r->es_limit = 0xffffffff;
	r->cs_ar = XEN_HVM_AR_CODE32;
	r->ds_ar = r->ss_ar = r->es_ar = XEN_HVM_AR_DATA32;
	r->tr_limit = 0x67;	/* the smallest 32-bit TSS */
	r->tr_ar = XEN_HVM_AR_TSS32_BUSY;
}
