# fuzz-cfg: libxlutil's xl.cfg reader and spec parsers, built from their
# sources (flex/bison output included) with the fuzzing instrumentation.
FUZZERS += fuzz-cfg

LIBXLU_SRC := $(XEN_ROOT)/tools/libxlu
FUZZ_CFG_GEN := $(addprefix $(LIBXLU_SRC)/,libxlu_cfg_y.c libxlu_cfg_l.c \
	libxlu_disk_l.c)
FUZZ_CFG_SRCS := $(addprefix $(LIBXLU_SRC)/,libxlu_cfg.c libxlu_cfg_get.c \
	libxlu_disk.c libxlu_pci.c libxlu_vif.c) $(FUZZ_CFG_GEN)
# Our libxenlight archive when it is built, Debian's library otherwise
# (only its data helpers are used).
FUZZ_CFG_LIBXL := $(or $(wildcard $(XEN_ROOT)/tools/libxl/libxenlight.a), \
	-lxenlight)

$(LIBXLU_SRC)/%.c: $(LIBXLU_SRC)/%.y
	$(MAKE) -C $(LIBXLU_SRC) $(notdir $@)
$(LIBXLU_SRC)/%.c: $(LIBXLU_SRC)/%.l
	$(MAKE) -C $(LIBXLU_SRC) $(notdir $@)

fuzz-cfg: fuzz-cfg.c $(FUZZ_CFG_SRCS) $(wildcard $(LIBXLU_SRC)/*.h)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz-cfg.c $(FUZZ_CFG_SRCS) \
		$(FUZZ_CFG_LIBXL) $(FUZZ_LIBS)
