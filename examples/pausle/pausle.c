/* pausle: the program from the blog post, unchanged in spirit.
 *
 * main() returns pause(), nothing else. As PID 1 in a container it ignores
 * SIGTERM (the kernel drops signals that PID 1 has no handler for), so
 * `docker stop` waits out its grace period and then kills it. examples/pause
 * does the same job properly. */
#include <unistd.h>

int main(void) { return pause(); }
