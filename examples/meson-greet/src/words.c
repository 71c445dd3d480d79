#include "greet_config.h"
#include "words.h"

const char *greeting(void) { return GREET_GREETING; }
