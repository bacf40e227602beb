/*
 * fuzz-json: bytes -> libxl_domain_config_from_json.  What parses must
 * be a fixed point: generating JSON from it, parsing that and
 * generating again gives the same text.  Anything else (a crash, a
 * leak, a sanitizer report, a moving fixed point) is a finding.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libxl_internal.h"

static void quiet_vmessage(xentoollog_logger *lg, xentoollog_level level,
                           int errnoval, const char *context,
                           const char *format, va_list al)
{
}

static void quiet_destroy(xentoollog_logger *lg)
{
}

static xentoollog_logger quiet = {
    .vmessage = quiet_vmessage,
    .destroy = quiet_destroy,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A context that only carries the logger: these functions need no
     * hypervisor, and error messages would swamp the output. */
    static libxl_ctx ctx = { .lg = &quiet };
    libxl_domain_config a, b;
    char *text = malloc(size + 1), *s1, *s2;

    memcpy(text, data, size);
    text[size] = '\0';
    if (libxl_domain_config_from_json(&ctx, &a, text)) {
        libxl_domain_config_dispose(&a);
        free(text);
        return 0;
    }
    s1 = libxl_domain_config_to_json(&ctx, &a);
    if (!s1)
        abort();
    if (libxl_domain_config_from_json(&ctx, &b, s1)) {
        fprintf(stderr, "our own JSON does not parse:\n%s\n", s1);
        abort();
    }
    s2 = libxl_domain_config_to_json(&ctx, &b);
    if (!s2 || strcmp(s1, s2)) {
        fprintf(stderr, "not a fixed point:\n%s\n---\n%s\n", s1, s2);
        abort();
    }
    libxl_domain_config_dispose(&a);
    libxl_domain_config_dispose(&b);
    free(s1);
    free(s2);
    free(text);
    return 0;
}
