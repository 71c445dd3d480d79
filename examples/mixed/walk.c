/* The C half. `new` and `class` are keywords in C++, so this file compiles
   only as C: a C++ compiler reading it fails, which is the point. */
int walk(int (*visit)(int item), int count) {
  int new = 0;
  for (int class = 1; class <= count; class++) new += visit(class);
  return new;
}
