/*
 * libxl_uuid.h: domain UUIDs (libuuid underneath).
 */
#ifndef LIBXL_UUID_H
#define LIBXL_UUID_H

#include <stdint.h>

/* printf format and arguments: printf(LIBXL_UUID_FMT, LIBXL_UUID_BYTES(u)) */
#define LIBXL_UUID_FMT "%02hhx%02hhx%02hhx%02hhx-%02hhx%02hhx-%02hhx%02hhx-" \
    "%02hhx%02hhx-%02hhx%02hhx%02hhx%02hhx%02hhx%02hhx"
#define LIBXL_UUID_FMTLEN ((2 * 16) + 4)   /* 16 hex bytes and 4 dashes */
#define LIBXL__UUID_BYTES(b) b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], \
    b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
#define LIBXL_UUID_BYTES(arg) LIBXL__UUID_BYTES((arg).uuid)

typedef struct {
    unsigned char uuid[16];     /* big-endian octets */
} libxl_uuid;

/* None of these needs a libxl_ctx; ctx_opt may be NULL. */
int libxl_uuid_is_nil(const libxl_uuid *uuid);
void libxl_uuid_generate(libxl_uuid *uuid);
/* 0 on success, ERROR_INVAL if in is not a UUID string. */
int libxl_uuid_from_string(libxl_uuid *uuid, const char *in);
void libxl_uuid_copy(libxl_ctx *ctx_opt, libxl_uuid *dst,
                     const libxl_uuid *src);
#if defined(LIBXL_API_VERSION) && LIBXL_API_VERSION < 0x040500
/* Before 4.5 libxl_uuid_copy had no ctx argument. */
static inline void libxl_uuid_copy_0x040400(libxl_uuid *dst,
                                            const libxl_uuid *src)
{
    libxl_uuid_copy(NULL, dst, src);
}
#define libxl_uuid_copy libxl_uuid_copy_0x040400
#endif

void libxl_uuid_clear(libxl_uuid *uuid);
int libxl_uuid_compare(const libxl_uuid *uuid1, const libxl_uuid *uuid2);
const uint8_t *libxl_uuid_bytearray_const(const libxl_uuid *uuid);
uint8_t *libxl_uuid_bytearray(libxl_uuid *uuid);

#endif /* LIBXL_UUID_H */
