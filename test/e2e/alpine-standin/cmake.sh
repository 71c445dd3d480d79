# cmake.sh: sourced by build.sh (after the C tree's packages, before `apk index`): the build platform's
# packages of CMake and Meson projects (issue 21), under Alpine 3.22's names and paths:
#   cmake     /usr/bin/cmake (Debian trixie's cmake 3.31 and cmake-data, under /opt/speck-debian);
#             no ctest, cpack or the HTML help (speck runs none of them). Like Alpine's, it does not
#             depend on samurai: without it `cmake -G Ninja` finds no build program.
#   samurai   /usr/bin/samu and /usr/bin/ninja -> samu, as Alpine's samurai installs them (aports
#             main/samurai: `provides="ninja"`, `ln -s samu "$pkgdir"/usr/bin/ninja`). Samurai is not
#             in Debian: samu is samu.sh, which runs Debian's ninja 1.12 (ninja-build) and refuses
#             what samurai refuses (its tools, see samu.sh). So the double proves that speck only
#             uses what both have; it does not prove samurai's own behaviour.
#   python3   /usr/bin/python3 (Debian's python 3.13 and its standard library)
#   meson     /usr/bin/meson (Debian's meson 1.7 and the Python modules it pulled in), depending on
#             python3 and samurai as Alpine's does
#   llvm      /usr/bin/llvm-ar, llvm-ranlib, ... -> the C tree's LLVM 19 tools (Alpine's llvm20
#             provides `llvm` and links its tools into /usr/bin the same way, aports main/llvm20);
#             speck makes archives for any target with them
#   ccache    /usr/bin/ccache (Debian's ccache 4.11): for the bench's Dockerfile with a compiler cache
#             (`-DCMAKE_C_COMPILER_LAUNCHER=ccache`); speck never uses it
#   speck-debian-trixie-buildlibs  the shared libraries the above need and the C tree lacks
# The files come from a separate mmdebstrap of trixie (base-images.sh `buildtools`, passed in
# SPECK_STANDIN_BUILDTOOLS_TAR), so neither speck-debian-trixie nor clang grows: a Debian package
# the C tree already has is skipped (same version required, else this fails: rebuild both), every
# other one is laid under the prefix from dpkg's own file list. The C tree's /etc/ld.so.cache only
# lists its own libraries, so the new programs get an RPATH (patchelf, DT_RPATH, which glibc also
# applies to their libraries' and dlopen'd modules' lookups) to the prefix's library directory.
# Uses build.sh's mkpkg, log, $work, $D, $HOST, $here and $llvmver.

bt_tar=${SPECK_STANDIN_BUILDTOOLS_TAR:?cmake.sh: set SPECK_STANDIN_BUILDTOOLS_TAR to the buildtools tarball (base-images.sh)}
command -v patchelf >/dev/null || { echo "cmake.sh: patchelf is needed (apt-get install patchelf)" >&2; exit 1; }
log "packages for CMake and Meson"
bt=$work/buildtools
rm -rf "$bt" && mkdir -p "$bt/root"
tar -xf "$bt_tar" -C "$bt/root" ./usr ./var/lib/dpkg
# Which Debian package goes into which apk; every package not named here and not in the C tree
# is a library of speck-debian-trixie-buildlibs.
python3 - "$bt/root" "$work/var/lib/dpkg/status" "$bt/pkg" "$D" <<'PY'
import os, re, shutil, sys
root, c_status, out, prefix = sys.argv[1:5]

def status(path):
    pkgs = {}
    for stanza in open(path, encoding="utf-8").read().split("\n\n"):
        f = dict(re.findall(r"^([A-Za-z-]+): (.*)$", stanza, re.M))
        if "Package" in f and "installed" in f.get("Status", ""):
            pkgs[(f["Package"], f.get("Architecture", ""))] = f["Version"]
    return pkgs

def group(name):
    if name == "ninja-build": return "samurai"
    if name == "ccache": return "ccache"
    if name in ("cmake", "cmake-data"): return "cmake"
    if name in ("python3", "python3-minimal", "libpython3-stdlib", "media-types") or name.startswith(("python3.13", "libpython3.13")):
        return "python3"
    if name == "meson" or name.startswith("python3-"): return "meson"
    return "speck-debian-trixie-buildlibs"

# What is kept of a package: programs, libraries, Python's trees and CMake's modules. Not docs,
# not /etc or /var (as the C tree), not CMake's HTML help, ctest or cpack.
KEEP = re.compile(r"^/usr/(bin|lib|share/cmake-[0-9.]+)/")
DROP = re.compile(r"^/usr/(bin/(ctest|cpack)|share/cmake-[0-9.]+/Help/|lib/x86_64-linux-gnu/gconv/)")
have, want = status(c_status), status(os.path.join(root, "var/lib/dpkg/status"))
clash = [f"{n}:{a} {v} (C tree: {have[(n, a)]})" for (n, a), v in sorted(want.items()) if (n, a) in have and have[(n, a)] != v]
if clash:
    sys.exit("cmake.sh: the buildtools tree and the C tree have different versions of " + ", ".join(clash) + "; rebuild both from the same mirror state")
counts = {}
for (name, arch), _ in sorted(want.items()):
    if (name, arch) in have:
        continue
    info = os.path.join(root, "var/lib/dpkg/info")
    lst = next((p for p in (f"{info}/{name}:{arch}.list", f"{info}/{name}.list") if os.path.exists(p)), None)
    if lst is None:
        sys.exit(f"cmake.sh: no file list for {name}:{arch}")
    g = group(name)
    counts.setdefault(g, []).append(name)
    for path in open(lst, encoding="utf-8").read().split("\n"):
        if not KEEP.match(path) or DROP.match(path):
            continue
        src, dst = root + path, os.path.join(out, g) + prefix + path
        if os.path.isdir(src) and not os.path.islink(src):
            continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if os.path.islink(src):
            t = os.readlink(src)
            os.symlink(prefix + t if t.startswith("/") else t, dst)
        elif os.path.isfile(src):
            shutil.copy2(src, dst)
for g, names in sorted(counts.items()):
    print(f"cmake.sh: {g}: {' '.join(names)}", file=sys.stderr)
PY
# A package's upstream version from the buildtools dpkg database, as an apk version (-r0).
btver() {
  awk -v want="$1" '/^Package: /{p=$2} /^Version: /{v=$2} /^$/{if (p == want) print v}' "$bt/root/var/lib/dpkg/status" |
    sed -E 's/^[0-9]+://; s/^([0-9]+(\.[0-9]+)*).*/\1-r0/' | head -1
}
# Programs find the new libraries through an RPATH (see the header); scripts are left alone.
for g in cmake python3 samurai ccache; do
  for f in "$bt/pkg/$g$D/usr/bin/"*; do
    [ -f "$f" ] && [ ! -L "$f" ] && patchelf --print-interpreter "$f" >/dev/null 2>&1 || continue
    patchelf --force-rpath --set-rpath "$D/usr/lib/x86_64-linux-gnu" "$f"
  done
done
mkdir -p "$bt/pkg/ccache/usr/bin" "$bt/pkg/cmake/usr/bin" "$bt/pkg/python3/usr/bin" "$bt/pkg/meson/usr/bin" "$bt/pkg/samurai/usr/bin" "$bt/pkg/llvm/usr/bin"
ln -s "$D/usr/bin/cmake" "$bt/pkg/cmake/usr/bin/cmake"
ln -s "$D/usr/bin/ccache" "$bt/pkg/ccache/usr/bin/ccache"
ln -s "$D/usr/bin/python3" "$bt/pkg/python3/usr/bin/python3"
# Debian's /usr/bin/meson starts with `#! /usr/bin/python3`: the link above.
ln -s "$D/usr/bin/meson" "$bt/pkg/meson/usr/bin/meson"
install -m 0755 "$here/samu.sh" "$bt/pkg/samurai/usr/bin/samu"
ln -s samu "$bt/pkg/samurai/usr/bin/ninja"
for n in ar ranlib nm objcopy objdump readelf strip; do ln -s "$D/usr/lib/llvm-19/bin/llvm-$n" "$bt/pkg/llvm/usr/bin/llvm-$n"; done
apache="Apache-2.0"
mkpkg "$bt/pkg/speck-debian-trixie-buildlibs" "$HOST" speck-debian-trixie-buildlibs "$(btver cmake)" --depend speck-debian-trixie \
  --license "MIT AND BSD-3-Clause AND LGPL-2.1-or-later" --desc "Debian trixie's libraries for cmake and python3 that the C tree lacks, under $D"
mkpkg "$bt/pkg/cmake" "$HOST" cmake "$(btver cmake)" --license BSD-3-Clause --url https://www.cmake.org/ \
  --depend speck-debian-trixie --depend speck-debian-trixie-buildlibs --desc "Debian trixie's cmake under $D, /usr/bin/cmake"
mkpkg "$bt/pkg/samurai" "$HOST" samurai "$(btver ninja-build)" --license "$apache" --url https://github.com/michaelforney/samurai \
  --depend speck-debian-trixie --desc "samu and ninja: Debian trixie's ninja 1.12 behind samurai's tool list (samu.sh)"
mkpkg "$bt/pkg/python3" "$HOST" python3 "$(btver python3.13)" --license PSF-2.0 --url https://www.python.org/ \
  --depend speck-debian-trixie --depend speck-debian-trixie-buildlibs --desc "Debian trixie's python 3.13 under $D, /usr/bin/python3"
mkpkg "$bt/pkg/meson" "$HOST" meson "$(btver meson)" --license "$apache" --url https://mesonbuild.com/ \
  --depend python3 --depend samurai --desc "Debian trixie's meson under $D, /usr/bin/meson"
mkpkg "$bt/pkg/ccache" "$HOST" ccache "$(btver ccache)" --license GPL-3.0-or-later --url https://ccache.dev/ \
  --depend speck-debian-trixie --depend speck-debian-trixie-buildlibs --desc "Debian trixie's ccache under $D, /usr/bin/ccache"
mkpkg "$bt/pkg/llvm" "$HOST" llvm "$llvmver" --license "Apache-2.0 WITH LLVM-exception" --url https://llvm.org/ \
  --depend speck-debian-trixie --desc "llvm-ar, llvm-ranlib and other LLVM tools of the C tree in /usr/bin"
rm -rf "$bt"
