#!/usr/bin/env python3
"""mkapk.py: Alpine packages and signed indexes for the test bed's Alpine stand-in, made on the host.

    mkapk.py pkg DIR --out FILE --key PRIV --keyname NAME.rsa.pub --name N --version V --arch A
                 [--desc D] [--url U] [--license L] [--origin O] [--depend P]... [--install-if "P Q"]
                 [--provides P=V]... [--replaces P]... [--post-install SCRIPT]
    mkapk.py sign-index APKINDEX.tar.gz --key PRIV --keyname NAME.rsa.pub

An apk-tools 2 package is three gzip members, one after the other (apk-facts, "Format facts"):
  1. the signature: a tar holding `.SIGN.RSA.<key name>`, an RSA-SHA1 signature of member 2;
  2. the control: a tar holding `.PKGINFO` (and install scripts such as `.post-install`);
  3. the data: a tar of the files, each regular file and symbolic link with a pax header
     `APK-TOOLS.checksum.SHA1` (hex SHA-1 of its content, or of its link target), which apk stores
     in its database; without it apk 2.14 warns and counts an error (io_archive.c, database.c).
Members 1 and 2 are tars with their end-of-archive blocks cut, so that apk reads the three as one
stream. `.PKGINFO`'s `datahash` is the SHA-256 of member 3 as stored, which apk checks once the
index (whose `C:` is the SHA-1 of member 2) vouches for the control part.

An index is what the real `apk index` writes, signed the same way: a signature member over the
whole index file, prepended to it.

Everything is deterministic for fixed inputs: names sorted, owner root, mtime SOURCE_DATE_EPOCH,
gzip headers without a time or a name; RSA PKCS#1 v1.5 signatures depend on the key and data only.
"""
import argparse
import gzip
import hashlib
import io
import os
import stat
import subprocess
import sys
import tarfile
import tempfile

EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))


def gz(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0, filename="") as g:
        g.write(data)
    return out.getvalue()


def cut_tar(members: list[tuple[str, bytes, int]]) -> bytes:
    """A tar of (name, content, mode) entries without its end-of-archive blocks."""
    buf = io.BytesIO()
    t = tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT)
    for name, content, mode in members:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = len(content), mode, EPOCH
        info.uname = info.gname = "root"
        t.addfile(info, io.BytesIO(content))
    end = t.offset  # after the last member, before the two zero blocks close() would write
    return buf.getvalue()[:end]


def sign(data: bytes, key: str) -> bytes:
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        return subprocess.run(["openssl", "dgst", "-sha1", "-sign", key, f.name], check=True, capture_output=True).stdout


def signature_member(data: bytes, key: str, keyname: str) -> bytes:
    return gz(cut_tar([(f".SIGN.RSA.{keyname}", sign(data, key), 0o644)]))


def walk(root: str):
    """Every path under root, relative, parents before children, in a stable order."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        rel = os.path.relpath(dirpath, root)
        entries = sorted(dirnames + filenames)
        for e in entries:
            yield e if rel == "." else f"{rel}/{e}"


def data_member(root: str, out) -> int:
    """Writes the gzip'd data tar of root to out; returns the installed size in bytes."""
    size = 0
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=1, mtime=0, filename="") as g:
        t = tarfile.open(fileobj=g, mode="w", format=tarfile.PAX_FORMAT)
        for rel in sorted(walk(root), key=lambda p: p.split("/")):
            path = os.path.join(root, rel)
            st = os.lstat(path)
            info = tarfile.TarInfo(rel)
            info.mode, info.mtime = stat.S_IMODE(st.st_mode), EPOCH
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            if stat.S_ISDIR(st.st_mode):
                info.type = tarfile.DIRTYPE
                # Counted as du counts it (abuild's size is du's): apk installs nothing of a package
                # whose size is 0, so one that holds only links must not come out as 0.
                size += 4096
                t.addfile(info)
            elif stat.S_ISLNK(st.st_mode):
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(path)
                info.pax_headers = {"APK-TOOLS.checksum.SHA1": hashlib.sha1(info.linkname.encode()).hexdigest()}
                size += len(info.linkname)
                t.addfile(info)
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.sha1()
                with open(path, "rb") as f:
                    for chunk in iter(lambda: f.read(1 << 20), b""):
                        h.update(chunk)
                info.size = st.st_size
                info.pax_headers = {"APK-TOOLS.checksum.SHA1": h.hexdigest()}
                size += st.st_size
                with open(path, "rb") as f:
                    t.addfile(info, f)
            else:
                sys.exit(f"mkapk: {path}: only directories, regular files and symbolic links go into a package")
        t.close()  # the data member keeps its end blocks: it is the last one
    return size


def pkg(a) -> None:
    with tempfile.TemporaryFile() as data:
        size = data_member(a.dir, data)
        data.seek(0)
        datahash = hashlib.sha256()
        for chunk in iter(lambda: data.read(1 << 20), b""):
            datahash.update(chunk)
        info = [
            "# Generated by speck's test bed (test/e2e/alpine-standin/mkapk.py)",
            f"pkgname = {a.name}",
            f"pkgver = {a.version}",
            f"pkgdesc = {a.desc}",
            f"url = {a.url}",
            f"builddate = {EPOCH}",
            "packager = speck test bed <root@localhost>",
            f"size = {size}",
            f"arch = {a.arch}",
            f"origin = {a.origin or a.name}",
            f"license = {a.license}",
            *[f"depend = {d}" for d in a.depend],
            *[f"provides = {d}" for d in a.provides],
            *[f"replaces = {d}" for d in a.replaces],
            *([f"install_if = {a.install_if}"] if a.install_if else []),
            f"datahash = {datahash.hexdigest()}",
        ]
        members = [(".PKGINFO", ("\n".join(info) + "\n").encode(), 0o644)]
        if a.post_install:
            with open(a.post_install, "rb") as f:
                members.append((".post-install", f.read(), 0o755))
        control = gz(cut_tar(members))
        with open(a.out + ".tmp", "wb") as out:
            out.write(signature_member(control, a.key, a.keyname))
            out.write(control)
            data.seek(0)
            for chunk in iter(lambda: data.read(1 << 20), b""):
                out.write(chunk)
        os.replace(a.out + ".tmp", a.out)


def sign_index(a) -> None:
    with open(a.index, "rb") as f:
        index = f.read()
    with open(a.index + ".tmp", "wb") as out:
        out.write(signature_member(index, a.key, a.keyname))
        out.write(index)
    os.replace(a.index + ".tmp", a.index)


def main() -> None:
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    k = sub.add_parser("pkg")
    k.add_argument("dir")
    for opt in ("out", "key", "keyname", "name", "version", "arch"):
        k.add_argument(f"--{opt}", required=True)
    k.add_argument("--desc", default="speck test bed package")
    k.add_argument("--url", default="https://example.invalid/speck-test-bed")
    k.add_argument("--license", default="custom")
    k.add_argument("--origin", default="")
    k.add_argument("--depend", action="append", default=[])
    k.add_argument("--install-if", default="")
    k.add_argument("--provides", action="append", default=[])
    k.add_argument("--replaces", action="append", default=[])
    k.add_argument("--post-install", default="")
    s = sub.add_parser("sign-index")
    s.add_argument("index")
    s.add_argument("--key", required=True)
    s.add_argument("--keyname", required=True)
    a = p.parse_args()
    pkg(a) if a.cmd == "pkg" else sign_index(a)


if __name__ == "__main__":
    main()
