# modexcl: one entry point. `make help` lists the targets.
#
# The kernel tree is assembled under build/ from the pinned base
# (kernel/BASE), kernel/src, uapi, selftests and kernel/patches, and built
# out of tree (O=). Every step is incremental: re-running a target after an
# edit rebuilds only what the edit touched.

# BASE=next: the same targets on the subsystem base (kernel/BASE-next),
# built under build/next/ (scripts/base.sh).
BASE    ?=
ifeq ($(BASE),)
BASE_PIN := kernel/BASE
B       := build
SERIES_OUT := $(B)/series
else ifeq ($(BASE),next)
BASE_PIN := kernel/BASE-next
B       := build/next
SERIES_OUT := build/series/next
else
$(error BASE=$(BASE): not a base; leave it unset (6.12) or say BASE=next)
endif
include $(BASE_PIN)
export MODEXCL_BASE := $(BASE)

TOP     := $(CURDIR)
BASEDIR := $(B)/linux-base
TREE    := $(B)/linux
KB      := $(B)/kbuild
STOCK_KB := $(B)/stock-kbuild
DEBUG_KB := $(B)/debug-kbuild
JOBS    ?= $(shell nproc)
# make bench BENCH=vm or BENCH=debian: one half of the benchmark.
BENCH   ?= all

# ccache keyed on paths relative to the checkout, so a fresh clone hits too.
KCC      = $(shell command -v ccache >/dev/null 2>&1 && echo "ccache gcc" || echo gcc)
export CCACHE_BASEDIR := $(TOP)
export CCACHE_NOHASHDIR := 1
KMAKE    = $(MAKE) -s -C $(1) O=$(abspath $(2)) CC="$(KCC)" -j$(JOBS) \
	   KBUILD_BUILD_USER=modexcl KBUILD_BUILD_HOST=modexcl

FRAGMENTS       := kernel/configs/modexcl.config selftests/modexcl/config
DEBUG_FRAGMENTS := $(FRAGMENTS) kernel/configs/debug.config
TREE_INPUTS     := $(shell find kernel/src kernel/patches kernel/next uapi selftests/modexcl -type f 2>/dev/null) kernel/series
KCONFIG_INPUTS  := $(filter %Kconfig,$(TREE_INPUTS)) kernel/series $(wildcard kernel/patches/* kernel/next/patches/*)
BZIMAGE          = $(1)/arch/x86/boot/bzImage

.PHONY: help deps kernel stock debug tool tool-test install deb initramfs images run check bench clean \
	kernel-git kernel-export series base-status bisect ynl-gen docs check-next FORCE

help: ## this list
	@grep -hE '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) | \
		awk -F':.*## ' '{ printf "  make %-14s %s\n", $$1, $$2 }'

deps: ## install the Debian packages modexcl needs (root)
	@scripts/deps.sh

# --- the kernel tree -------------------------------------------------------

$(BASEDIR)/.extracted: $(BASE_PIN) $(wildcard $(BASE_TARBALL))
	scripts/extract-base.sh $(BASEDIR)

$(TREE)/.assembled: $(BASEDIR)/.extracted $(TREE_INPUTS) scripts/assemble-tree.sh
	scripts/assemble-tree.sh $(BASEDIR) $(TREE)
	@touch $@

$(KB)/.config: $(TREE)/.assembled $(FRAGMENTS) $(KCONFIG_INPUTS) scripts/kconfig.sh
	scripts/kconfig.sh $(TREE) $(KB) $(FRAGMENTS)

$(DEBUG_KB)/.config: $(TREE)/.assembled $(DEBUG_FRAGMENTS) $(KCONFIG_INPUTS) scripts/kconfig.sh
	scripts/kconfig.sh $(TREE) $(DEBUG_KB) $(DEBUG_FRAGMENTS)

# Stock: the same fragments over the pristine base; our own options are
# unknown there and may not be checked.
$(STOCK_KB)/.config: $(BASEDIR)/.extracted $(FRAGMENTS) scripts/kconfig.sh
	mkdir -p $(STOCK_KB)
	printf 'CONFIG_LOCALVERSION="-stock"\n' > $(STOCK_KB)/stock.config
	scripts/kconfig.sh -i '^CONFIG_MODEXCL' $(BASEDIR) $(STOCK_KB) $(FRAGMENTS) $(STOCK_KB)/stock.config

# kbuild decides what is stale, so these rules always ask it; the stamp
# moves only when the kernel image did, so what depends on it stays put.
BUILT_STAMP = @[ -f $@ ] && [ $(call BZIMAGE,$(@D)) -ot $@ ] || touch $@
$(KB)/.built: $(KB)/.config FORCE
	$(call KMAKE,$(TREE),$(KB)) bzImage modules headers
	$(BUILT_STAMP)
$(DEBUG_KB)/.built: $(DEBUG_KB)/.config FORCE
	$(call KMAKE,$(TREE),$(DEBUG_KB)) bzImage modules
	$(BUILT_STAMP)
$(STOCK_KB)/.built: $(STOCK_KB)/.config FORCE
	$(call KMAKE,$(BASEDIR),$(STOCK_KB)) bzImage modules
	$(BUILT_STAMP)

kernel: $(KB)/.built ## build the patched test kernel into build/kbuild
stock: $(STOCK_KB)/.built ## build stock 6.12 (same config) into build/stock-kbuild
debug: $(DEBUG_KB)/.built ## build the debug kernel (lockdep, KASAN, kmemleak) into build/debug-kbuild

# The modules of one kernel for the busybox test VM (its initramfs):
# its own, signed as the config says, and the test modules (in extra/),
# built against it and left unsigned, as out-of-tree modules without a
# key are. Both uncompressed (.ko): the suites load plain files by path.
# The Debian images install the same kernels' modules as Debian does,
# compressed (see "Debian images" below).
#
# install_modules KERNEL_OVERRIDES,EXTRA_OVERRIDES: the recipe of both, for
# kernel build $* into $(@D); the overrides are make variables given to
# modules_install of the kernel's own modules and of the test modules.
define install_modules
	rm -rf $(@D) && mkdir -p $(@D)/src
	cp selftests/modexcl/test_modules/* $(@D)/src/
	$(MAKE) -s -C $(B)/$* modules_install INSTALL_MOD_PATH=$(abspath $(@D)) $(1) >/dev/null
	$(MAKE) -s -C $(B)/$* M=$(abspath $(@D))/src CC="$(KCC)" modules
	$(MAKE) -s -C $(B)/$* M=$(abspath $(@D))/src modules_install \
		INSTALL_MOD_PATH=$(abspath $(@D)) INSTALL_MOD_DIR=extra $(2) >/dev/null
	@touch $@
endef
$(B)/%-modules/.installed: $(B)/%/.built $(wildcard selftests/modexcl/test_modules/*)
	$(call install_modules,CONFIG_MODULE_COMPRESS_ALL=,CONFIG_MODULE_COMPRESS_ALL= CONFIG_MODULE_SIG_ALL=)

# --- user space ------------------------------------------------------------

# Our selftests, and the kernel's own kmod and firmware suites (peers, run by
# scripts/guest-peer.sh on the stock and the patched kernel).
KSFT_TARGETS := modexcl modexcl/oneshot kmod firmware
# The tests come from the assembled tree, so its stamp too: an edit made
# while a build ran reaches the tree at the next assembly, not before.
$(B)/kselftest/.installed: $(KB)/.built $(TREE)/.assembled $(wildcard selftests/modexcl/* selftests/modexcl/oneshot/*)
	rm -rf $(B)/kselftest
	$(MAKE) -s -C $(TREE)/tools/testing/selftests O=$(abspath $(KB)) TARGETS="$(KSFT_TARGETS)" \
		KSFT_INSTALL_PATH=$(abspath $(B)/kselftest) install >/dev/null
	@# The selftests' install goes on past a program that did not build.
	@missing=$$(sed 's|:|/|' $(B)/kselftest/kselftest-list.txt | \
		while read -r t; do [ -x "$(B)/kselftest/$$t" ] || echo "$$t"; done); \
	if [ -n "$$missing" ]; then echo "kselftest: not built:" $$missing >&2; exit 1; fi
	@touch $@

TOOL_SOURCES := $(wildcard tools/modexcl/*.[ch] tools/modexcl/Makefile tools/modexcl/systemd/*) \
		$(wildcard uapi/linux/*.h)
$(B)/modexcl: $(TOOL_SOURCES)
	$(MAKE) -s -C tools/modexcl O=$(abspath $(B))

tool: $(B)/modexcl ## build the modexcl tool into build/modexcl

tool-test: ## the tool's unit tests on the host, plain and under valgrind
	tools/modexcl/tests/run.sh -o $(B)/tool-test

install: $(B)/modexcl ## install modexcl, its man page, bash completion and units (PREFIX, DESTDIR)
	$(MAKE) -s -C tools/modexcl O=$(abspath $(B)) install

# The tool's Debian package (debian/, debhelper 13), built from a copy of
# its sources; `make deb` also runs lintian, make check as a suite.
TOOL_VERSION := $(shell sed -n 's/^VERSION[[:space:]]*:=[[:space:]]*//p' tools/modexcl/Makefile)
DEB_PKG      := $(B)/deb/modexcl_$(TOOL_VERSION)_$(shell dpkg --print-architecture).deb
$(DEB_PKG): $(TOOL_SOURCES) $(wildcard debian/* debian/source/*) docs/modexcl.8 scripts/deb.sh | deps
	scripts/deb.sh -b

deb: $(DEB_PKG) ## the tool's Debian package, lintian-checked: build/deb/modexcl_*.deb
	scripts/deb.sh

# The VM image for one kernel: $(B)/<kbuild>-initramfs.cpio.gz
$(B)/%-initramfs.cpio.gz: $(B)/%-modules/.installed $(B)/kselftest/.installed $(B)/modexcl scripts/mkinitramfs.sh scripts/guest-init scripts/guest-demo.sh scripts/guest-bench.sh scripts/guest-peer.sh scripts/guest-smoke.sh
	scripts/mkinitramfs.sh $@ $(B)/$*-modules/lib/modules $(B)/kselftest $(B)/modexcl

$(B)/initramfs.cpio.gz: $(B)/kbuild-initramfs.cpio.gz
	cp $< $@

initramfs: $(B)/initramfs.cpio.gz ## build the test VM image build/initramfs.cpio.gz

# --- Debian images ---------------------------------------------------------

# Debian 12 and 13 as distributions run our kernels: systemd as PID 1, udev
# coldplugging 32 NICs, Debian's kmod. Two steps, cached apart: the root file
# system from Debian's archive (mmdebstrap, slow: only when its package list,
# pins or setup change), then the ext4 image with both kernels' modules as
# Debian installs them (make modules_install: compressed and signed as the
# config says, test modules too), the tool as a user installs it, and the
# boot report (scripts/debian/mxreport.sh). One image serves both kernels.
DEB          := $(B)/debian
DEB_RELEASES := bookworm trixie
DEB_IMAGES   := $(DEB_RELEASES:%=$(DEB)/%.img)
DEB_MODULES  := $(B)/kbuild-modules-deb/.installed $(B)/stock-kbuild-modules-deb/.installed

$(DEB)/%.rootfs.tar: scripts/debian/packages scripts/debian/%.pins scripts/debian/rootfs-setup.sh scripts/mkimage.sh | deps
	scripts/mkimage.sh rootfs $* $@

$(B)/%-modules-deb/.installed: $(B)/%/.built $(wildcard selftests/modexcl/test_modules/*)
	$(call install_modules,,)

# What an image gets beyond the tool: the boot report, make run's demo
# (scripts/debian/image-setup.sh), the tool's units (make install).
DEB_SETUP    := scripts/mkimage.sh scripts/debian/image-setup.sh scripts/debian/mxreport.sh \
		scripts/debian/mxreport.service scripts/debian/mxdemo.sh scripts/debian/mxdemo.service \
		scripts/debian/serial-getty-autologin.conf $(wildcard tools/modexcl/systemd/*)
$(DEB)/%.img: $(DEB)/%.rootfs.tar $(DEB_MODULES) $(DEB_PKG) $(DEB_SETUP)
	scripts/mkimage.sh image $< $@ $(DEB_PKG) $(DEB_MODULES:%/.installed=%)

# make run's image: Debian 13 with the patched kernel alone, so that make
# run builds one kernel.
RUN_IMAGE := $(DEB)/trixie-patched.img
$(RUN_IMAGE): $(DEB)/trixie.rootfs.tar $(B)/kbuild-modules-deb/.installed $(DEB_PKG) $(DEB_SETUP)
	scripts/mkimage.sh image $< $@ $(DEB_PKG) $(B)/kbuild-modules-deb

images: $(DEB_IMAGES) $(RUN_IMAGE) ## Debian 12 and 13 test images: build/debian/*.img

# --- the two commands ------------------------------------------------------

run: deps kernel $(RUN_IMAGE) ## boot Debian 13 under the patched kernel: modexcl top over its udev storm
	@scripts/debian/run.sh -o $(B)/run

check: deps kernel initramfs series debug $(B)/debug-kbuild-initramfs.cpio.gz stock $(B)/stock-kbuild-initramfs.cpio.gz $(DEB_IMAGES) $(RUN_IMAGE) ## run every test; ends with "N passed, N failed"
	@scripts/check.sh

# The 7.2 base: not part of make check (a cold run builds a second kernel,
# about 25 minutes on two cores; README.md).
check-next: ## on the 7.2 base (BASE=next): series checks, lint, selftests in the VM
	@$(MAKE) -s BASE=next deps kernel initramfs series
	@MODEXCL_BASE=next scripts/check.sh

bench: deps initramfs stock $(B)/stock-kbuild-initramfs.cpio.gz $(DEB_IMAGES) ## stock vs patched, busybox VM and Debian boots: build/bench/results.{json,md}, plots
	scripts/bench.sh -w $(BENCH) -o $(B)/bench

# --- generated code ---------------------------------------------------------

ynl-gen: $(TREE)/.assembled ## regenerate uapi/linux/modexcl.h and the family's kernel code from uapi/modexcl.yaml
	@scripts/ynl-gen.sh $(TREE)

# --- kernel patch workflow -------------------------------------------------

kernel-git: $(BASEDIR)/.extracted ## git tree build/kernel-git: the base plus kernel/patches as commits
	scripts/kernel-git.sh $(BASEDIR) $(B)/kernel-git

kernel-export: ## write the commits of build/kernel-git back to kernel/patches and kernel/series
	scripts/kernel-export.sh $(B)/kernel-git

series: $(TREE)/.assembled ## the mailable patch series against the base: build/series/patches (BASE=next: build/series/next/patches)
	scripts/series.sh $(BASEDIR) $(TREE) $(SERIES_OUT)

base-status: ## the pinned kernel base, the installed one, the archive's newest; does the series apply
	@scripts/base-status.sh

bisect: deps kernel series ## every prefix of the series builds and boots (build/bisect)
	scripts/series-check.sh -b -o $(B)/bisect

# --- documentation ---------------------------------------------------------

docs: $(BASEDIR)/.extracted ## generate docs/netlink-modexcl.rst from the spec; check docs/*.rst
	@scripts/docs.sh $(BASEDIR)

clean: ## remove build/
	rm -rf $(B)

FORCE:
.SECONDARY:
