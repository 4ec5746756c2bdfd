"""Workbooks printed the way a user prints them: headless LibreOffice turns an .xlsx into a
PDF, pypdf reads the pages back as text."""

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pypdf
import pytest

SOFFICE = "soffice"


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages]


def print_workbook(book: bytes, folder: Path, name: str = "werkboek") -> list[str]:
    """The text of each page LibreOffice prints of the xlsx bytes, in order. The folder holds
    the run's own throwaway LibreOffice profile, so parallel runs never share one."""
    if shutil.which(SOFFICE) is None:
        pytest.fail("soffice ontbreekt: installeer het Debian-pakket libreoffice-calc-nogui")
    source = folder / f"{name}.xlsx"
    source.write_bytes(book)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(folder / 'lo-profiel').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return page_texts(folder / f"{name}.pdf")


@pytest.fixture
def printed(tmp_path) -> Callable[[bytes], list[str]]:
    """xlsx bytes -> the text of each printed page (print_workbook in the test's folder)."""
    return lambda book: print_workbook(book, tmp_path)


def flat(text: str) -> str:
    """The text without whitespace: a header LibreOffice wraps over lines still matches."""
    return "".join(text.split())


def printed_number(value: float, decimals: int, suffix: str = "") -> re.Pattern:
    """value as a printed cell shows it with exactly `decimals` decimals, in the English or
    the Dutch notation, whichever locale LibreOffice runs in."""
    english = f"{value:,.{decimals}f}"
    dutch = english.replace(",", "_").replace(".", ",").replace("_", ".")
    either = "|".join(re.escape(t) for t in {english, dutch})
    return re.compile(rf"(?<![\d.,])(?:{either}){re.escape(suffix)}(?![\d])")
