/* httpd: a tiny static HTTP responder, the kind of backend a service-mesh
 * latency test needs. It answers every request with "200 ok" and keeps the
 * connection open (HTTP/1.1 keep-alive) so a load generator measures the
 * mesh, not TCP handshakes. One process, one connection at a time.
 *
 * PORT (environment) picks the port, 8080 by default. SIGTERM and SIGINT
 * end it at once, which matters because it usually runs as PID 1. */
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char reply[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 3\r\n"
    "\r\n"
    "ok\n";

static void stop(int sig) {
    (void)sig;
    _exit(0);
}

/* Serves one connection: one reply per request head ("\r\n\r\n"), until the
 * peer closes it or asks for "Connection: close". */
static void serve(int fd) {
    char buf[4096];
    size_t used = 0;
    for (;;) {
        ssize_t n = read(fd, buf + used, sizeof buf - 1 - used);
        if (n <= 0) return;
        used += (size_t)n;
        buf[used] = '\0';
        char *end;
        while ((end = strstr(buf, "\r\n\r\n")) != NULL) {
            *end = '\0';
            int closing = strstr(buf, "Connection: close") != NULL;
            if (write(fd, reply, sizeof reply - 1) < 0 || closing) return;
            size_t consumed = (size_t)(end + 4 - buf);
            memmove(buf, end + 4, used - consumed + 1);
            used -= consumed;
        }
        if (used == sizeof buf - 1) return; /* a request head larger than we accept */
    }
}

int main(void) {
    signal(SIGTERM, stop);
    signal(SIGINT, stop);
    signal(SIGPIPE, SIG_IGN);

    const char *port = getenv("PORT");
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((unsigned short)atoi(port ? port : "8080"));
    addr.sin_addr.s_addr = htonl(INADDR_ANY);

    int one = 1;
    int srv = socket(AF_INET, SOCK_STREAM, 0);
    if (srv < 0 || setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(srv, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(srv, 128) != 0)
        return 1;

    for (;;) {
        int fd = accept(srv, NULL, NULL);
        if (fd < 0) continue;
        serve(fd);
        close(fd);
    }
}
