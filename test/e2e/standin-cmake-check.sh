#!/bin/sh
# standin-cmake-check.sh: run INSIDE the Alpine stand-in (base-images.sh `standin_buildtools_check`,
# `docker run -i --network=none <stand-in> sh -s <this`), as root, once per stand-in image. What
# speck's CMake and Meson paths need, through the real apk: clang + lld cross-configure a project
# with a static library and a configure-time header for aarch64 into an apk-made target root;
# `ninja -t commands`, `-t targets all` and `-t compdb RULE` answer; the program builds for aarch64;
# `meson setup --cross-file` likewise. Negative controls (the double refuses what Alpine refuses):
# no cmake before `apk add cmake`; cmake without samurai finds no Ninja; samu and ninja refuse a
# ninja-only tool (deps) and `-t commands -s`, as samurai does; `-t compdb` without rules is empty.
set -eu
fail() { echo "standin check: $*" >&2; exit 1; }
apk update -q
if command -v cmake >/dev/null; then fail "cmake before apk add cmake"; fi
apk add -q --no-progress cmake clang lld llvm
mkdir -p /r/etc/apk /t/src
cp /etc/apk/repositories /r/etc/apk/
apk add -q --root /r --initdb --arch aarch64 --keys-dir /usr/share/apk/keys/aarch64 --no-scripts --no-progress musl-dev gcc
cd /t
echo '#define V @V@' >src/v.h.in
echo 'int l(void) { return 4; }' >src/l.c
printf '#include "v.h"\nint l(void);\nint main(void) { return l() + V; }\n' >src/main.c
cat >src/CMakeLists.txt <<'CM'
cmake_minimum_required(VERSION 3.20)
project(t C)
set(V 38)
configure_file(v.h.in v.h)
add_library(l STATIC l.c)
add_executable(t main.c)
target_include_directories(t PRIVATE ${CMAKE_CURRENT_BINARY_DIR})
target_link_libraries(t l)
CM
cat >tc.cmake <<'CM'
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_SYSROOT /r)
set(CMAKE_C_COMPILER clang)
set(CMAKE_C_COMPILER_TARGET aarch64-alpine-linux-musl)
set(CMAKE_AR /usr/bin/llvm-ar)
set(CMAKE_RANLIB /usr/bin/llvm-ranlib)
set(CMAKE_EXE_LINKER_FLAGS_INIT "-fuse-ld=lld -static")
CM
if cmake -G Ninja -S src -B b0 -DCMAKE_TOOLCHAIN_FILE=/t/tc.cmake >neg.log 2>&1; then fail "cmake -G Ninja configured without samurai"; fi
grep -q 'build program corresponding to "Ninja"' neg.log || { cat neg.log >&2; fail "cmake without samurai: not the expected error"; }
apk add -q --no-progress samurai meson
cmake -G Ninja -S src -B b -DCMAKE_TOOLCHAIN_FILE=/t/tc.cmake >/dev/null
ninja -C b -t commands t >cmds
grep -q -- '--target=aarch64-alpine-linux-musl .*--sysroot=/r .*-c /t/src/main.c' cmds || { cat cmds >&2; fail "ninja -t commands"; }
rule=$(ninja -C b -t targets all | sed -n 's|^CMakeFiles/t.dir/main.c.o: ||p')
[ -n "$rule" ] || fail "ninja -t targets all: no rule for main.c.o"
ninja -C b -t compdb "$rule" | grep -q '"file": "/t/src/main.c"' || fail "ninja -t compdb $rule"
[ "$(ninja -C b -t compdb | tr -d '\n')" = '[]' ] || fail "ninja -t compdb without rules is not empty (samurai's is)"
ninja -C b t >/dev/null
[ "$(od -An -tx1 -j18 -N2 b/t | tr -d ' ')" = b700 ] || fail "b/t is not an aarch64 ELF"
for tool in samu ninja; do
  if $tool -C b -t deps >out 2>err; then fail "$tool -t deps ran"; fi
  grep -qx "$tool: unknown tool 'deps'" err || fail "$tool -t deps: $(cat err)"
  if $tool -C b -t commands -s t >out 2>err; then fail "$tool -t commands -s ran"; fi
done
cat >src/meson.build <<'MS'
project('t', 'c')
c = configuration_data()
c.set('V', 38)
configure_file(input: 'v.h.in', output: 'v.h', configuration: c)
l = static_library('l', 'l.c')
executable('t', 'main.c', link_with: l)
MS
cat >cross.ini <<'INI'
[binaries]
c = ['clang', '--target=aarch64-alpine-linux-musl', '--sysroot=/r']
ar = '/usr/bin/llvm-ar'

[built-in options]
c_link_args = ['-fuse-ld=lld', '-static']

[host_machine]
system = 'linux'
cpu_family = 'aarch64'
cpu = 'aarch64'
endian = 'little'
INI
meson setup --cross-file cross.ini bm src >meson.log 2>&1 || { cat meson.log >&2; fail "meson setup"; }
ninja -C bm -t commands t | grep -q -- '--target=aarch64-alpine-linux-musl' || fail "meson: ninja -t commands"
ninja -C bm t >/dev/null
[ "$(od -An -tx1 -j18 -N2 bm/t | tr -d ' ')" = b700 ] || fail "bm/t is not an aarch64 ELF"
echo "standin check: cmake $(cmake --version | sed -n '1s/.* //p'), meson $(meson --version), ninja $(ninja --version) as samu: ok"
