/* The checksum itself comes from zlib, linked statically from the
 * toolchain's zlib-static package: this file is the only one that knows. */
#include <zlib.h>

#include "crc32sum.h"

unsigned long crc32sum_update(unsigned long crc, const unsigned char *data, size_t len) {
    while (len > 0) {
        /* zlib takes a uInt length: feed large buffers in pieces. */
        uInt chunk = len > 1u << 30 ? 1u << 30 : (uInt)len;
        crc = crc32(crc, data, chunk);
        data += chunk;
        len -= chunk;
    }
    return crc;
}
