/* pause: a sleeping PID 1 that behaves.
 *
 * The kernel delivers no signal to PID 1 unless PID 1 handles it, so a bare
 * pause() ignores `docker stop`. Here SIGINT, SIGTERM and SIGCHLD are blocked
 * and taken synchronously with sigwait(): SIGINT/SIGTERM end the process at
 * once, SIGCHLD reaps every exited child (a PID 1 inherits orphans, and
 * unreaped ones stay zombies). No handlers, so nothing runs in signal context. */
#include <signal.h>
#include <stddef.h>
#include <sys/wait.h>

int main(void) {
    sigset_t wanted;
    sigemptyset(&wanted);
    sigaddset(&wanted, SIGINT);
    sigaddset(&wanted, SIGTERM);
    sigaddset(&wanted, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &wanted, NULL) != 0) return 1;

    for (;;) {
        int sig;
        if (sigwait(&wanted, &sig) != 0) continue;
        if (sig != SIGCHLD) return 0;
        while (waitpid(-1, NULL, WNOHANG) > 0) {
        }
    }
}
