#!/bin/sh
# /usr/bin/samu (and /usr/bin/ninja -> samu) of the stand-in's `samurai` package. Samurai is not in
# Debian, so this runs Debian trixie's ninja (ninja-build 1.12, under /opt/speck-debian) and keeps the
# differences a ninja-compatible caller must live with on real Alpine, from samurai's tool.c
# (michaelforney/samurai, `tools[]`, `toolget`, `commands`, `compdb`):
#   - `-t TOOL`: samurai has clean, commands, compdb, graph, query and targets only; any other tool
#     (ninja's deps, inputs, rules, missingdeps, recompact, restat, cleandead, browse, ...) is
#     `fatal("unknown tool '%s'")`: "<argv0>: unknown tool 'X'" on stderr, exit status 1.
#   - `-t commands`: no options (ninja's -s); every argument is a target, and an unknown one is fatal.
#   - `-t compdb` with no rule names prints an empty list (ninja 1.12 prints every edge).
#   - `--version` prints the ninja version samurai's manifest parser supports, 1.9.0 (samu.c, parse.h
#     `ninjamajor`, `ninjaminor`), not 1.12.1: so CMake, which asks, does not use what ninja 1.10+ has
#     and samurai lacks (it runs `-t restat` and `-t recompact` on ninja >= 1.10).
# Everything else (the build itself, the other tools' output) is ninja's, not samurai's: what this
# proves is that speck's argv works with both; it does not prove samurai's scheduling or output.
me=${0##*/}
# SAMU_NINJA: another ninja to run (test/unit/standin-samu.test.ts checks this front on the host's).
ninja=${SAMU_NINJA:-/opt/speck-debian/usr/bin/ninja}
for a in "$@"; do
  case $a in --version) echo 1.9.0; exit 0 ;; -t | -t?*) break ;; esac
done
# The tool's name and its position: `-t NAME` or `-tNAME`, as samurai's option parser takes it.
tool= at=0 i=0 prev=
for a in "$@"; do
  i=$((i + 1))
  if [ "$prev" = -t ]; then tool=$a at=$i; break; fi
  case $a in -t) prev=-t ;; -t?*) tool=${a#-t} at=$i; break ;; *) prev= ;; esac
done
if [ -n "$tool" ]; then
  # The tool's own arguments: everything after its name.
  i=0 args=0
  for a in "$@"; do
    i=$((i + 1))
    [ "$i" -le "$at" ] && continue
    case $tool in
      commands) case $a in -*) echo "$me: unknown target '$a'" >&2; exit 1 ;; esac ;;
      compdb) case $a in -x) ;; -*) echo "usage: $me ... -t compdb [-x] [rules...]" >&2; exit 2 ;; *) args=1 ;; esac ;;
    esac
  done
  case $tool in
    clean | commands | graph | query | targets) ;;
    compdb) if [ "$args" = 0 ]; then printf '[\n]\n'; exit 0; fi ;;
    *) echo "$me: unknown tool '$tool'" >&2; exit 1 ;;
  esac
fi
exec "$ninja" "$@"
