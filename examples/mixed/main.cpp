// The C++ half: hands walk() (C, in walk.c) a callback that throws, and
// catches the exception after it has unwound through walk's C frame.
#include <cstdio>
#include <stdexcept>

extern "C" int walk(int (*visit)(int item), int count);

extern "C" int visit(int item) {
  if (item == 3) throw std::runtime_error("item 3 refused");
  return item;
}

int main() {
  try {
    std::printf("walked: %d\n", walk(visit, 2));
    walk(visit, 5);
  } catch (const std::exception& e) {
    std::printf("caught: %s\n", e.what());
    return 0;
  }
  std::puts("nothing thrown");
  return 1;
}
