/* crc32: prints the CRC-32 of each argument, or of stdin when there is none.
 * Several sources, a header directory and a static library from `packages`. */
#include <stdio.h>
#include <string.h>

#include "crc32sum.h"

int main(int argc, char **argv) {
    char hex[9];
    if (argc > 1) {
        for (int i = 1; i < argc; i++) {
            unsigned long crc = crc32sum_update(0, (const unsigned char *)argv[i], strlen(argv[i]));
            crc32sum_hex(crc, hex);
            printf("%s  %s\n", hex, argv[i]);
        }
        return 0;
    }
    unsigned char buf[65536];
    unsigned long crc = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) crc = crc32sum_update(crc, buf, n);
    if (ferror(stdin)) return 1;
    crc32sum_hex(crc, hex);
    printf("%s  -\n", hex);
    return 0;
}
