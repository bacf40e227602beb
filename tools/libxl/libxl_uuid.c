/*
 * libxl_uuid.c: domain UUIDs over libuuid.
 */
#include <uuid/uuid.h>

#include "libxl_internal.h"

int libxl_uuid_is_nil(const libxl_uuid *uuid)
{
    return uuid_is_null(uuid->uuid);
}

void libxl_uuid_generate(libxl_uuid *uuid)
{
    uuid_generate(uuid->uuid);
}

int libxl_uuid_from_string(libxl_uuid *uuid, const char *in)
{
    if (!in || uuid_parse(in, uuid->uuid))
        return ERROR_INVAL;
    return 0;
}

void libxl_uuid_copy(libxl_ctx *ctx_opt, libxl_uuid *dst,
                     const libxl_uuid *src)
{
    memcpy(dst->uuid, src->uuid, sizeof(dst->uuid));
}

void libxl_uuid_clear(libxl_uuid *uuid)
{
    memset(uuid->uuid, 0, sizeof(uuid->uuid));
}

int libxl_uuid_compare(const libxl_uuid *uuid1, const libxl_uuid *uuid2)
{
    return memcmp(uuid1->uuid, uuid2->uuid, sizeof(uuid1->uuid));
}

const uint8_t *libxl_uuid_bytearray_const(const libxl_uuid *uuid)
{
    return uuid->uuid;
}

uint8_t *libxl_uuid_bytearray(libxl_uuid *uuid)
{
    return uuid->uuid;
}
