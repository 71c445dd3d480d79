#include "crc32sum.h"

void crc32sum_hex(unsigned long value, char out[9]) {
    static const char digits[] = "0123456789abcdef";
    for (int i = 7; i >= 0; i--) {
        out[i] = digits[value & 0xf];
        value >>= 4;
    }
    out[8] = '\0';
}
