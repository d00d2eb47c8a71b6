"""Shared fixtures: small documents the team wrote, written out in each format the readers accept."""

from __future__ import annotations

import io
import sys
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"

ENGLISH = (
    "The Ministry of Industry and Information Technology (MIIT) published a plan on March 3, 2023 "
    "to build 5G factories."
)
CHINESE = "工业和信息化部关于推进5G工厂建设的通知\n各省、自治区、直辖市工业和信息化主管部门：\n现印发。\n2023年3月3日\n"


class QuietServer(ThreadingHTTPServer):
    """A loopback server for tests that takes a client's hang-up quietly: the watcher may drop a connection (a
    pooled one it no longer needs, a slow answer it gave up on), and the traceback socketserver would print lands
    in the output a test reads."""

    def handle_error(self, request: object, client_address: object) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipe, ConnectionReset and the like
            super().handle_error(request, client_address)  # type: ignore[arg-type]


def make_pdf(pages: list[str]) -> bytes:
    """A PDF with one page per string (Latin text only: fpdf2's core fonts)."""
    from fpdf import FPDF

    pdf = FPDF()
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=12)
        pdf.multi_cell(0, 8, text)
    return bytes(pdf.output())


def make_encrypted_pdf(text: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([text]))))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_docx(paragraphs: list[tuple[str, str]]) -> bytes:
    """A DOCX from (style, text) pairs; style 'h1'/'h2' makes a heading, anything else a paragraph."""
    import docx

    document = docx.Document()
    for style, text in paragraphs:
        if style.startswith("h"):
            document.add_heading(text, level=int(style[1]))
        else:
            document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def default_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every named limit at its default (policywatch.limits), whatever the shell or an earlier test set: tests of
    the limits' messages must not depend on the order they run in."""
    import os
    from dataclasses import fields

    from policywatch.limits import Limits

    for name in ["POLICYWATCH_MAX_MB"] + [f"POLICYWATCH_{f.name.upper()}" for f in fields(Limits)]:
        if name in os.environ:
            monkeypatch.delenv(name)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


def _postgres_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server binaries (newest version), or of initdb on the PATH."""
    import glob
    import shutil

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb and shutil.which("pg_ctl") else None


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL server (initdb + pg_ctl in a temporary folder, Unix socket only); its admin URL.

    POLICYWATCH_TEST_POSTGRES=URL uses an existing server instead. Without binaries the tests are skipped,
    except in CI, where that is a failure.
    """
    import os
    import shutil
    import socket
    import subprocess
    import tempfile

    if url := os.environ.get("POLICYWATCH_TEST_POSTGRES"):
        yield url
        return
    bindir = _postgres_bin()
    if bindir is None:
        message = "PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql to run these tests"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    base = Path(tempfile.mkdtemp(prefix="policywatch-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        run_as = ["runuser", "-u", "postgres", "--"]
        shutil.chown(base, "postgres")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = base / "data"
    subprocess.run([*run_as, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--locale=C.UTF-8"], check=True, capture_output=True)
    subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o",
                    f"-p {port} -k {base} -c listen_addresses='' -c fsync=off -c max_connections=50", "start"],
                   check=True, capture_output=True)
    try:
        yield f"postgresql+psycopg://postgres@/postgres?host={base}&port={port}"
    finally:
        subprocess.run([*run_as, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server: str):
    """A fresh, empty database on the throwaway server."""
    import uuid

    from sqlalchemy import create_engine, text

    name = "t_" + uuid.uuid4().hex[:12]
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    base, _, query = postgres_server.partition("?")
    yield f"{base.rsplit('/', 1)[0]}/{name}?{query}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store on each backend: a SQLite file, and a database on a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("postgres_url")
