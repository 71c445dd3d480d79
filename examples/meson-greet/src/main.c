#include <stdio.h>
#include <string.h>
#include "greet_config.h"
#include "words.h"

int main(int argc, char **argv) {
  char buf[64];
  strncpy(buf, greeting(), sizeof buf - 1);
  buf[sizeof buf - 1] = 0;
  if (argc > 1 && strcmp(argv[1], "--shout") == 0) shout(buf);
  printf("%s from greet %s\n", buf, GREET_VERSION);
  return 0;
}
