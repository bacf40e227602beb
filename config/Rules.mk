# Common build rules, included by every Makefile below tools/.
# XEN_ROOT is set by the including Makefile to the top of the tree.

include $(XEN_ROOT)/config/Tools.mk

WARN_CFLAGS := -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wno-format-nonliteral -Wvla -Wundef -Wpointer-arith
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 $(WARN_CFLAGS) -fPIC -D_GNU_SOURCE

# make SANITIZE=1: AddressSanitizer and UndefinedBehaviorSanitizer, fatal.
ifeq ($(SANITIZE),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
CFLAGS += $(SAN_FLAGS)
LDFLAGS += $(SAN_FLAGS)
endif

# Our own headers always come before the ones libxen-dev installs in
# /usr/include (upstream's libxl.h, libxlutil.h).
LIBXL_DIR := $(XEN_ROOT)/tools/libxl
LIBXLU_DIR := $(XEN_ROOT)/tools/libxlu
LIBXL_INCLUDES := -I$(LIBXL_DIR)/include
LIBXLU_INCLUDES := -I$(LIBXLU_DIR)/include

# Programs and libraries find ours first, in the tree and once installed:
# RUNPATH is searched before the system directories that hold Debian's
# libxenlight.so.
RPATH_FLAGS := -Wl,--enable-new-dtags \
	-Wl,-rpath,'$$ORIGIN/../libxl:$$ORIGIN/../libxlu:$$ORIGIN/../lib' \
	-Wl,-rpath,'$$ORIGIN/../../libxl:$$ORIGIN/../../libxlu'
LIBXL_LIBS := -L$(LIBXL_DIR) -lxenlight
LIBXLU_LIBS := -L$(LIBXLU_DIR) -lxlutil

%.o: %.c
	$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_$@) -MMD -MP -c -o $@ $<
