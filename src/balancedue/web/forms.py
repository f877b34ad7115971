"""The forms of the web app: Django forms, so each error shows next to its field."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from balancedue.presentation import field_label, letter_label
from balancedue.services.notice_fields import EDITABLE_FIELDS

# What an upload may be: its name's ending and the bytes it starts with.
UPLOAD_KINDS: dict[str, tuple[tuple[str, ...], tuple[bytes, ...]]] = {
    "PDF": ((".pdf",), (b"%PDF-",)),
    "PNG": ((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "JPEG": ((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    "HEIC": ((".heic", ".heif"), ()),
    "TXT": ((".txt",), ()),
}
ACCEPT = "application/pdf,image/png,image/jpeg,image/heic,image/heif,.heic,.heif,text/plain,.txt,.pdf,.jpg,.jpeg,.png"


def limit_text() -> str:
    return f"{settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB"


def check_upload(upload: UploadedFile, kinds: tuple[str, ...] = tuple(UPLOAD_KINDS)) -> UploadedFile:
    """Refuse an empty, too large or unexpected file with a message that says what to do."""
    allowed = ", ".join(kinds)
    if upload.size == 0:
        raise forms.ValidationError("The file is empty. Choose the file again.")
    if upload.size > settings.MAX_UPLOAD_BYTES:
        raise forms.ValidationError(
            f"The file is {upload.size / (1024 * 1024):.1f} MB; the limit is {limit_text()}. "
            "Take a smaller photo or scan at a lower resolution."
        )
    name = (upload.name or "").lower()
    head = upload.read(16)
    upload.seek(0)
    for kind in kinds:
        endings, magic = UPLOAD_KINDS[kind]
        if not name.endswith(endings):
            continue
        if kind == "HEIC" and head[4:8] != b"ftyp":
            break
        if kind == "TXT" and b"\x00" in head:
            break
        if magic and not head.startswith(magic):
            break
        return upload
    raise forms.ValidationError(f"This file is not one of the accepted types ({allowed}). Upload a {allowed} file.")


class UploadForm(forms.Form):
    notice = forms.FileField(
        required=False,
        label="Notice file (PDF, photo or text)",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    photo = forms.FileField(
        required=False,
        label="Or take a photo of the letter",
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )
    client_name = forms.CharField(required=False, max_length=200, label="Taxpayer's name (optional)")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = [name for name in ("notice", "photo") if data.get(name)]
        if not given and not self.has_error("notice") and not self.has_error("photo"):
            self.add_error("notice", "Choose the notice file, or take a photo of it.")
        elif len(given) == 2:
            self.add_error("photo", "Give either a file or a photo, not both.")
        for name in given:
            try:
                check_upload(data[name])
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        return data

    def upload(self) -> UploadedFile:
        return self.cleaned_data.get("notice") or self.cleaned_data["photo"]


class ReviewForm(forms.Form):
    """The fields read from the notice, each editable; ``token`` names the staged upload."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    client_name = forms.CharField(required=False, max_length=200, label="Taxpayer's name (optional)")
    client_address = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        label="Taxpayer's mailing address (for letters)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in EDITABLE_FIELDS:
            self.fields[name] = forms.CharField(required=False, max_length=400, label=field_label(name))


class CallForm(forms.Form):
    agent = forms.CharField(max_length=200, label="IRS employee's name")
    badge = forms.CharField(max_length=40, label="Badge (ID) number")
    phone = forms.CharField(max_length=40, required=False, label="Number called")
    started_at = forms.DateTimeField(
        label="Call started", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    ended_at = forms.DateTimeField(
        required=False, label="Call ended", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    summary = forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), label="What was said")
    outcome = forms.CharField(max_length=4000, required=False, label="What was agreed")
    follow_up = forms.DateField(required=False, label="Follow up on", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("started_at"), data.get("ended_at")
        if start and end and end < start:
            self.add_error("ended_at", "The call cannot end before it started.")
        return data


class LetterForm(forms.Form):
    kind = forms.ChoiceField(choices=(), label="Letter")
    facts = forms.CharField(
        required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3}),
        label="What you want the letter to say (optional)",
    )
    enclosures = forms.CharField(
        required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
        label="Enclosures, one a line (optional)",
        help_text="Copies, not originals. Left empty, the letter lists a copy of the notice.",
    )

    def enclosure_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("enclosures", "").splitlines() if line.strip()]

    def __init__(self, *args: Any, kinds: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, letter_label(k)) for k in kinds]


class CalculatorForm(forms.Form):
    form = forms.ChoiceField(choices=[("1040", "Form 1040")], initial="1040", label="Return")
    tax_year = forms.IntegerField(min_value=2000, max_value=2100, label="Tax year")
    filed_on = forms.DateField(label="Date the return was filed", widget=forms.DateInput(attrs={"type": "date"}))
    tax = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, label="Tax on the return ($)")
    withholding = forms.DecimalField(
        min_value=0, max_digits=14, decimal_places=2, required=False, label="Withholding and estimated payments ($)"
    )
    paid_on = forms.DateField(required=False, label="Later payment: date", widget=forms.DateInput(attrs={"type": "date"}))
    paid = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, required=False, label="Later payment: amount ($)")
    as_of = forms.DateField(label="Figure it as of", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("paid_on")) != bool(data.get("paid")):
            self.add_error("paid" if data.get("paid_on") else "paid_on", "Give both the date and the amount of the payment.")
        return data


class ScamForm(forms.Form):
    text = forms.CharField(
        required=False, max_length=50000, widget=forms.Textarea(attrs={"rows": 6}),
        label="The message, letter or call script",
    )
    channel = forms.ChoiceField(
        required=False,
        label="How did it reach you?",
        choices=[
            ("", "Not sure - work it out from the text"),
            ("letter", "Letter by post"),
            ("text", "Text message"),
            ("email", "E-mail"),
            ("call", "Phone call"),
            ("voicemail", "Voicemail or recorded call"),
            ("social", "Social media message"),
            ("web", "Web page"),
        ],
    )
    phone = forms.CharField(required=False, max_length=40, label="Or a phone number")
    url = forms.CharField(required=False, max_length=2000, label="Or a link")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        given = [name for name in ("text", "phone", "url") if data.get(name, "").strip()]
        if len(given) != 1:
            self.add_error("text", "Give exactly one thing to check: the text, a phone number or a link.")
        return data


class TranscriptForm(forms.Form):
    transcript = forms.FileField(
        label="IRS account transcript (PDF or text)",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,text/plain,.pdf,.txt"}),
    )
    as_of = forms.DateField(required=False, label="Figure the balance as of", widget=forms.DateInput(attrs={"type": "date"}))

    def clean_transcript(self) -> UploadedFile:
        return check_upload(self.cleaned_data["transcript"], ("PDF", "TXT"))


def today() -> date:
    """The date the pages work with: the server's local date, or ``balancedue serve --today``."""
    fixed = getattr(settings, "WEB_TODAY", "")
    return date.fromisoformat(fixed) if fixed else date.today()  # noqa: DTZ011 - the user's local date is meant
