"""The pipeline end to end on corpus files: special layouts, rotation, hostile files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from balancedue.errors import (
    BalancedueError,
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    NotAnIrsNoticeError,
    UnreadableDocumentError,
)
from balancedue.intake import SourceKind, read_document
from balancedue.intake.detect import FileKind, detect_kind
from balancedue.rules import load_rules

RULES = load_rules()

Corpus = tuple[Path, list[dict[str, Any]]]


def _item(corpus: Corpus, **match: object) -> tuple[Path, dict[str, Any]]:
    folder, items = corpus
    for item in items:
        if all(item.get(k) == v or (k == "tag" and v in item["tags"]) for k, v in match.items()):
            return folder / item["file"], item
    raise LookupError(match)


def test_multipage_pdf(corpus: Corpus) -> None:
    path, item = _item(corpus, kind="text_pdf", tag="multipage")
    notice = read_document(path, rules=RULES)
    assert notice.page_count == 3
    assert notice.source is SourceKind.TEXT_PDF
    assert str(notice.amount_due.value) == item["truth"]["amount_due"]


def test_bytes_and_path_give_the_same_notice(corpus: Corpus) -> None:
    path, _ = _item(corpus, kind="text_pdf", tag="cp2000")
    from_path = read_document(path, rules=RULES)
    from_bytes = read_document(path.read_bytes(), name=path.name, rules=RULES)
    assert from_path == from_bytes


def test_cp2000_says_it_is_not_a_bill(corpus: Corpus) -> None:
    path, item = _item(corpus, kind="text_pdf", tag="cp2000")
    notice = read_document(path, rules=RULES)
    assert notice.notice_code.value == "CP2000"
    assert notice.says_not_a_bill
    assert notice.pay_by_date.value is None
    assert notice.respond_by_date.value == date.fromisoformat(item["truth"]["respond_by_date"])


def test_letter_1058_is_the_final_notice(corpus: Corpus) -> None:
    path, _ = _item(corpus, kind="text_pdf", tag="letter1058")
    notice = read_document(path, rules=RULES)
    assert notice.notice_code.value == "LTR1058"
    assert notice.respond_by_date.found


@pytest.mark.slow
def test_quarter_turned_photo(corpus: Corpus) -> None:
    path, item = _item(corpus, kind="photo", tag="rotated")
    notice = read_document(path, rules=RULES)
    assert notice.source is SourceKind.IMAGE
    assert notice.notice_code.value == item["code"]
    assert str(notice.amount_due.value) == item["truth"]["amount_due"]


@pytest.mark.parametrize(
    ("file", "error"),
    [
        ("empty.pdf", EmptyDocumentError),
        ("corrupt.pdf", UnreadableDocumentError),
        ("password.pdf", EncryptedDocumentError),
        ("bomb.png", DocumentTooLargeError),
        ("random.bin", UnreadableDocumentError),
        ("cat.png", NotAnIrsNoticeError),
        ("utility_bill.pdf", NotAnIrsNoticeError),
    ],
)
def test_hostile_files(corpus: Corpus, file: str, error: type[BalancedueError]) -> None:
    folder, items = corpus
    expected_exit = next(i["expect_exit"] for i in items if i["file"] == file)
    with pytest.raises(error) as caught:
        read_document(folder / file, rules=RULES)
    assert caught.value.exit_code == expected_exit
    assert file in caught.value.message
    assert "\n" not in caught.value.message


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocumentError, match="no such file"):
        read_document(tmp_path / "nowhere.pdf", rules=RULES)


def test_kind_comes_from_the_bytes_not_the_name() -> None:
    assert detect_kind(b"%PDF-1.7\n...", "photo.jpg") is FileKind.PDF
    assert detect_kind(b"\x89PNG\r\n\x1a\n....", "notice.pdf") is FileKind.IMAGE
    assert detect_kind(b"Notice CP14\nAmount due: $5.00\n", "x") is FileKind.TEXT
