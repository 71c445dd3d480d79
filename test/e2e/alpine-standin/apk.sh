#!/bin/sh
# /usr/local/sbin/apk in the Alpine stand-in (ahead of /sbin/apk on PATH): the only piece of the apk
# path that is not Alpine's. apk never caches packages from a local-path repository (apk-facts c), so
# the stand-in's package mirror, /srv/speck-alpine in the image, is reached over HTTP, on the loopback
# of whatever container runs apk (a build step's own network namespace; nothing leaves it). This
# starts that server (Debian's static busybox httpd, bound to 127.0.0.1 only; it forks into the
# background once listening, and a second start in the same container fails on the bound port,
# which is fine) and then executes the REAL apk-tools 2.14.4 of the Alpine minirootfs, /sbin/apk,
# with the arguments unchanged: every apk command is carried out by real apk.
/usr/lib/speck-standin/busybox httpd -p 127.0.0.1:8322 -h /srv/speck-alpine >/dev/null 2>&1 || true
exec /sbin/apk "$@"
