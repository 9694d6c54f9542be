"""What an uploaded practice file really is, judged from its bytes. Pure Python: no Django imports.

Task attachments and answer files may be PDF, JPEG, PNG, XLSX, CSV or plain text. The file name only chooses
between CSV and plain text, which are both text; every other kind comes from the content.
"""
import io
import zipfile

from media_pipeline.validation import sniff_evidence

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Every byte a text file holds: control characters other than tab and line breaks (NUL above all) mark binaries
# such as executables.
_TEXT_BYTES = bytes(range(32, 256)) + b"\t\n\r"


def _is_xlsx(content: bytes) -> bool:
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _is_text(content: bytes) -> bool:
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not content.translate(None, _TEXT_BYTES)


def sniff_attachment(content: bytes, *, filename: str = "") -> tuple[str, str] | None:
    """Return (content type, extension) of a practice file, or None when it is none of the accepted kinds."""
    sniffed = sniff_evidence(content[:16])
    if sniffed is not None:
        return sniffed
    if _is_xlsx(content):
        return XLSX_CONTENT_TYPE, "xlsx"
    if content and _is_text(content):
        if filename.lower().endswith(".csv"):
            return "text/csv", "csv"
        return "text/plain", "txt"
    return None
