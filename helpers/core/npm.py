"""A front-end package from the npm registry, pinned by version and integrity hash: fetched once
with `npm pack` into a cache folder, checked against the hash, and unpacked. The slides use it
for reveal.js, the browser tests for axe-core."""
from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path


class NpmPackageError(RuntimeError):
    """The package could not be fetched, or does not match its pinned hash."""


def fetch_package(name: str, version: str, integrity: str, cache: Path | str, why: str = "the course") -> Path:
    """The unpacked `package/` folder of `name`@`version` in `cache`, fetched with `npm pack` the
    first time; `integrity` is the registry's `sha512-…` string. `why` names who needs it, for
    the message when npm is missing."""
    cache = Path(cache)
    unpacked = cache / f"{name}-{version}"
    if (unpacked / "package" / "package.json").is_file():
        return unpacked / "package"
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / f"{name}-{version}.tgz"
    if not tgz.is_file():
        npm = shutil.which("npm")
        if not npm:
            raise NpmPackageError(f"{why} needs {name}, fetched once with npm: install Node.js and npm "
                                  f"(https://nodejs.org/), or put {tgz.name} in {cache}")
        proc = subprocess.run([npm, "pack", f"{name}@{version}", "--pack-destination", str(cache), "--silent"],
                              capture_output=True, text=True, cwd=cache)
        if proc.returncode != 0 or not tgz.is_file():
            raise NpmPackageError(f"`npm pack {name}@{version}` failed:\n{proc.stderr.strip()[-2000:]}")
    algo, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algo, tgz.read_bytes()).digest()).decode()
    if digest != expected:
        tgz.unlink()
        raise NpmPackageError(f"{tgz.name} does not match the pinned integrity hash; deleted it, try again")
    tmp = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=cache))
    with tarfile.open(tgz) as tar:
        tar.extractall(tmp, filter="data")
    if unpacked.exists():
        shutil.rmtree(unpacked)
    tmp.rename(unpacked)
    return unpacked / "package"
