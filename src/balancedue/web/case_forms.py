"""The forms that work a case from the browser: documents, payments, mailings, notes, status,
deadlines and transcripts.  Each maps onto one case service, the same one the CLI calls."""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django import forms
from django.core.files.uploadedfile import UploadedFile

from balancedue.cases.records import CaseStatus, DocumentKind
from balancedue.errors import InputError
from balancedue.presentation import field_label
from balancedue.services.notice_fields import EDITABLE_FIELDS, parse_field
from balancedue.web.forms import ACCEPT, check_upload

_DATE = forms.DateInput(attrs={"type": "date"})

DOCUMENT_KIND_LABELS = {
    DocumentKind.PROOF_OF_PAYMENT: "Proof of payment (receipt, bank statement)",
    DocumentKind.MAIL_RECEIPT: "Certified-mail receipt",
    DocumentKind.CORRESPONDENCE: "Letter to or from the IRS",
    DocumentKind.NOTICE: "Another IRS notice",
    DocumentKind.RETURN: "Tax return",
    DocumentKind.WAGE_STATEMENT: "W-2 or 1099",
}

STATUS_LABELS = {
    CaseStatus.OPEN: "Open: something to do",
    CaseStatus.WAITING: "Waiting for the IRS to answer",
    CaseStatus.RESOLVED: "Resolved: paid, abated or agreed",
    CaseStatus.CLOSED: "Closed: nothing more to keep track of",
}


class DocumentForm(forms.Form):
    file = forms.FileField(
        label="The file (PDF, photo or text)", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="On a phone you can take a photo of the receipt.",
    )
    kind = forms.ChoiceField(choices=[(k.value, label) for k, label in DOCUMENT_KIND_LABELS.items()], label="What it is")

    def clean_file(self) -> UploadedFile:
        return check_upload(self.cleaned_data["file"])


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label="Date paid", widget=_DATE)
    amount = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, label="Amount ($)")
    channel = forms.CharField(
        max_length=100, label="How it was paid", initial="IRS Direct Pay",
        help_text="For example IRS Direct Pay, EFTPS, debit card, check.",
    )
    confirmation = forms.CharField(max_length=100, required=False, label="Confirmation number")
    receipt = forms.FileField(
        required=False, label="Proof of payment (optional)", widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="Kept in the case documents.",
    )

    def clean_amount(self) -> Any:
        amount = self.cleaned_data["amount"]
        if amount <= 0:
            raise forms.ValidationError("Give the amount paid: more than $0.")
        return amount

    def clean_receipt(self) -> UploadedFile | None:
        receipt = self.cleaned_data.get("receipt")
        return check_upload(receipt) if receipt else None


class MailForm(forms.Form):
    tracking = forms.CharField(max_length=60, label="Certified-mail tracking number",
                               help_text="The letters and digits on the receipt.")
    sent_on = forms.DateField(label="Date mailed", widget=_DATE)
    to = forms.CharField(max_length=400, required=False, label="Mailed to",
                         widget=forms.Textarea(attrs={"rows": 3}))
    what = forms.CharField(max_length=400, required=False, label="What was sent")
    enclosures = forms.CharField(
        max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        label="Enclosures, one a line", help_text="Copies, not originals.",
    )

    def enclosure_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("enclosures", "").splitlines() if line.strip()]


class NoteForm(forms.Form):
    text = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), label="Note")


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(s.value, label) for s, label in STATUS_LABELS.items()], label="Status")
    reason = forms.CharField(max_length=400, label="Why")


class DeadlineForm(forms.Form):
    due = forms.DateField(label="New date", widget=_DATE)
    reason = forms.CharField(max_length=400, label="Why it moves",
                             help_text="For example: the date an IRS employee agreed on the phone.")


class CaseTranscriptForm(forms.Form):
    transcript = forms.FileField(
        label="IRS account transcript (PDF or text)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,text/plain,.pdf,.txt"}),
    )

    def clean_transcript(self) -> UploadedFile:
        return check_upload(self.cleaned_data["transcript"], ("PDF", "TXT"))


class NoticeFieldForm(forms.Form):
    """One field of the notice, corrected after the case was opened."""

    field = forms.ChoiceField(choices=[(name, field_label(name)) for name in EDITABLE_FIELDS], label="Field of the notice")
    value = forms.CharField(
        max_length=400, label="Corrected value",
        help_text="As printed on the notice. Dates as YYYY-MM-DD (2025-06-03), amounts as 4076.99, a tax year as 2024.",
    )
    reason = forms.CharField(max_length=400, label="Why it is corrected",
                             help_text="For example: the notice date was misread; the notice says June 3, 2025.")

    current: ClassVar[dict[str, str]] = {}
    """The fields as they stand: choosing a field puts its value in the box (static/app.js)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.current:
            self.fields["value"].widget.attrs.update({"data-values": json.dumps(self.current), "data-values-for": "id_field"})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        name, value = data.get("field"), (data.get("value") or "").strip()
        if name and value:
            try:
                parse_field(name, value)
            except InputError as exc:
                self.add_error("value", exc.message)
        return data
