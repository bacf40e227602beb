# Top-level Makefile of the toolstack. See README.md.
XEN_ROOT := $(CURDIR)

SUBDIRS := tools/libxl tools/libxlu tools/xl
TEST_DIR := tools/tests

.PHONY: all deps check check-unit check-unit-sanitize check-xl-dryrun \
	check-guests check-hostlib \
	check-host demo bench bench-xen soak fuzz install clean distclean

all: config/Tools.mk flavour
	@set -e; for d in $(SUBDIRS); do $(MAKE) -C $$d all; done
	$(MAKE) -C docs/man all

# configure runs by itself the first time, and again when its inputs move.
config/Tools.mk: configure config/Tools.mk.in
	./configure --prefix=$(or $(PREFIX),/usr/local)

configure: configure.ac
	aclocal && autoconf && rm -rf autom4te.cache

# A normal build and a SANITIZE=1 build share the tree: switching between
# them throws the old objects away.
FLAVOUR := $(if $(filter 1,$(SANITIZE)),sanitize,normal)
.PHONY: flavour
flavour:
	@if [ "$$(cat .build-flavour 2>/dev/null)" != "$(FLAVOUR)" ]; then \
		for d in $(SUBDIRS) $(TEST_DIR); do \
			$(MAKE) -s -C $$d clean; done; \
		echo $(FLAVOUR) > .build-flavour; fi

# Installs the Debian packages the build and tests need (root only; a
# no-op when they are all there).
deps:
	@scripts/install-deps

check: deps
	$(MAKE) all
	$(MAKE) -C docs/man check
	$(MAKE) -C $(TEST_DIR) check

check-unit check-unit-sanitize check-xl-dryrun check-guests check-hostlib \
	check-host: all
	$(MAKE) -C $(TEST_DIR) $@

demo: deps
	$(MAKE) all
	scripts/demo

bench: all
	$(MAKE) -C $(TEST_DIR) bench

bench-xen: all
	$(MAKE) -C $(TEST_DIR) bench-xen

# The soak (not in check): see tools/tests/soak/README.
soak: all
	$(MAKE) -C $(TEST_DIR) soak

fuzz: deps
	$(MAKE) all
	$(MAKE) -C $(TEST_DIR) fuzz

install: all
	@set -e; for d in $(SUBDIRS); do $(MAKE) -C $$d install; done
	$(MAKE) -C docs/man install

clean:
	@set -e; for d in $(SUBDIRS) $(TEST_DIR); do \
		[ ! -f config/Tools.mk ] || $(MAKE) -C $$d clean; done
	$(MAKE) -C docs/man clean
	rm -f .build-flavour

distclean: clean
	rm -f config/Tools.mk config.log config.status
