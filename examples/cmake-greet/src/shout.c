#include "words.h"

void shout(char *s) {
  for (; *s; s++)
    if (*s >= 'a' && *s <= 'z') *s -= 'a' - 'A';
}
