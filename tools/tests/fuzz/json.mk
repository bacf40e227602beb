# fuzz-json: libxl's JSON reader and writer (libxl_domain_config_from_json
# and _to_json), built from the libxl sources with the fuzzing
# instrumentation.  Seeds: corpus/json/, upstream xl 4.17 outputs.
FUZZERS += fuzz-json

LIBXL_SRC := $(XEN_ROOT)/tools/libxl
# The whole library, as its Makefile takes it (every libxl*.c), so that a
# new source file never breaks this target.
FUZZ_JSON_SRCS := $(wildcard $(LIBXL_SRC)/libxl*.c) $(LIBXL_SRC)/_libxl_types.c

$(LIBXL_SRC)/_libxl_types.c: $(LIBXL_SRC)/libxl_types.idl \
		$(LIBXL_SRC)/gentypes.py $(LIBXL_SRC)/idl.py
	$(MAKE) -C $(LIBXL_SRC) _libxl_types.c

fuzz-json: fuzz-json.c $(FUZZ_JSON_SRCS) $(wildcard $(LIBXL_SRC)/*.h)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz-json.c $(FUZZ_JSON_SRCS) \
		$(FUZZ_LIBS) -lpthread -lm
