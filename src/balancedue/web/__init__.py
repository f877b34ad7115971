"""The Django project of balancedue: settings shared by the command line and the web app."""

from __future__ import annotations
