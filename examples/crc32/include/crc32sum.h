/* crc32sum: the pieces of the crc32 example, one header for both sources. */
#ifndef CRC32SUM_H
#define CRC32SUM_H

#include <stddef.h>

/* CRC-32 (zlib's polynomial) of one buffer, continuing from `crc`. */
unsigned long crc32sum_update(unsigned long crc, const unsigned char *data, size_t len);

/* Writes `value` as 8 lowercase hex digits plus a NUL into `out`. */
void crc32sum_hex(unsigned long value, char out[9]);

#endif
