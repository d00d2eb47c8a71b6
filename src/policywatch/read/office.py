"""Old Word documents (.doc), WPS Office files (.wps) and spreadsheets (.xls, .xlsx), common as attachments on
government sites: converted by LibreOffice running headless in a throwaway profile (.xlsx read by openpyxl)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from policywatch.read.archive import check_zip
from policywatch.read.text import Decoded, normalise_newlines

INSTALL = "install LibreOffice (Debian: apt-get install libreoffice-writer-nogui)"
TIMEOUT = 120  # seconds; a broken file must not hang an ingest


def _binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(data: bytes, suffix: str, target: str) -> bytes:
    """The bytes of a file converted by LibreOffice (target: a filter such as "txt:Text (encoded):UTF8" or "xlsx")."""
    binary = _binary()
    if binary is None:
        raise ValueError(f"reading {suffix} files needs LibreOffice: {INSTALL}")
    with tempfile.TemporaryDirectory(prefix="policywatch-office-") as folder:
        source = Path(folder) / f"input{suffix}"
        source.write_bytes(data)
        profile = Path(folder) / "profile"
        command = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", target, "--outdir", folder, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ValueError(f"LibreOffice took longer than {TIMEOUT} s to convert the file") from None
        output = Path(folder) / f"input.{target.split(':')[0]}"
        if not output.exists():
            raise ValueError("LibreOffice could not read the file (corrupt, encrypted or not an office file)")
        return output.read_bytes()


def read(data: bytes, suffix: str = ".doc") -> Decoded:
    """The text of a .doc or .wps file, through LibreOffice."""
    text = convert(data, suffix, "txt:Text (encoded):UTF8").decode("utf-8-sig", errors="replace")
    return Decoded(normalise_newlines(text), "utf-8")


def read_sheet(data: bytes, suffix: str = ".xlsx") -> Decoded:
    """The cells of a spreadsheet as text, a line per row and a heading per sheet (.xls through LibreOffice)."""
    try:
        import openpyxl
    except ImportError:
        raise ValueError("reading spreadsheets needs openpyxl: pip install 'policywatch[export]'") from None
    import io
    import zipfile

    if suffix == ".xls":
        data = convert(data, ".xls", "xlsx")
    check_zip(data, "spreadsheet")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ValueError(f"not a readable spreadsheet ({exc.__class__.__name__})") from None
    lines = []
    for sheet in workbook.worksheets:
        lines.append(f"## {sheet.title}")
        for row in sheet.iter_rows(values_only=True):
            cells = ["" if value is None else str(value) for value in row]
            if any(cells):
                lines.append("\t".join(cells).rstrip())
        lines.append("")
    workbook.close()
    return Decoded("\n".join(lines), "utf-8")
