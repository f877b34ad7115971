"""Practice mode's staff accounts, created from the command line (``balancedue serve --add-staff``)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from balancedue.errors import InputError


def check_new_name(username: str) -> None:
    """Refuse a name that is already taken (before asking for a password)."""
    if get_user_model().objects.filter(username=username).exists():
        raise InputError(f"an account named {username!r} already exists; choose another name")


def add_staff(username: str, password: str) -> None:
    """Create a staff account with full rights; the password must pass Django's validators."""
    check_new_name(username)
    users = get_user_model()
    user = users(username=username, is_staff=True, is_superuser=True)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InputError("the password was refused: " + " ".join(exc.messages)) from None
    user.set_password(password)
    user.save()
