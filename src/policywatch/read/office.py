"""Old Word documents (.doc) and WPS Office files (.wps), common as attachments on government sites: converted
to text by LibreOffice running headless in a throwaway profile."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from policywatch.read.text import Decoded, normalise_newlines

INSTALL = "install LibreOffice (Debian: apt-get install libreoffice-writer-nogui)"
TIMEOUT = 120  # seconds; a broken file must not hang an ingest


def _binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(data: bytes, suffix: str = ".doc") -> Decoded:
    """The text of a .doc or .wps file, through LibreOffice."""
    binary = _binary()
    if binary is None:
        raise ValueError(f"reading .doc and .wps files needs LibreOffice: {INSTALL}")
    with tempfile.TemporaryDirectory(prefix="policywatch-office-") as folder:
        source = Path(folder) / f"input{suffix}"
        source.write_bytes(data)
        profile = Path(folder) / "profile"
        command = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", "txt:Text (encoded):UTF8", "--outdir", folder, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ValueError(f"LibreOffice took longer than {TIMEOUT} s to convert the file") from None
        output = Path(folder) / "input.txt"
        if not output.exists():
            raise ValueError("LibreOffice could not read the file (corrupt, encrypted or not a word-processor file)")
        text = output.read_bytes().decode("utf-8-sig", errors="replace")
    return Decoded(normalise_newlines(text), "utf-8")
