"""Practice files are judged by their bytes, without a database."""
import io

from openpyxl import Workbook

from practice.attachments import XLSX_CONTENT_TYPE, sniff_attachment

WINDOWS_EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64 + b"PE\x00\x00"
LINUX_EXECUTABLE = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["point", "x", "y"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_documents_images_and_tables_are_recognised_by_content():
    """PDF, PNG, JPEG and XLSX are named from their bytes, whatever the file is called."""
    assert sniff_attachment(b"%PDF-1.7\n...", filename="sketch.png") == ("application/pdf", "pdf")
    assert sniff_attachment(b"\x89PNG\r\n\x1a\n....", filename="x.pdf") == ("image/png", "png")
    assert sniff_attachment(b"\xff\xd8\xff\xe0....", filename="") == ("image/jpeg", "jpg")
    assert sniff_attachment(xlsx_bytes(), filename="data.csv") == (XLSX_CONTENT_TYPE, "xlsx")


def test_text_files_are_csv_or_plain_text():
    """UTF-8 text is accepted; the name only chooses between CSV and plain text."""
    content = "點號,N,E\nA1,2771234.123,302345.456\n".encode()
    assert sniff_attachment(content, filename="traverse.csv") == ("text/csv", "csv")
    assert sniff_attachment(content, filename="traverse.txt") == ("text/plain", "txt")


def test_an_executable_named_pdf_is_refused():
    """Windows and Linux executables are none of the accepted kinds, whatever their names say."""
    assert sniff_attachment(WINDOWS_EXECUTABLE, filename="field-sketch.pdf") is None
    assert sniff_attachment(LINUX_EXECUTABLE, filename="data.csv") is None


def test_a_zip_that_is_not_a_workbook_and_binary_text_are_refused():
    """A zip archive without a workbook inside, or text with NUL bytes, is refused."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("setup.exe", b"MZ")
    assert sniff_attachment(buffer.getvalue(), filename="data.xlsx") is None
    assert sniff_attachment(b"A1,100\x00\x00", filename="data.csv") is None
    assert sniff_attachment(b"", filename="data.csv") is None
