"""The web app's addresses."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from balancedue.web import desk, review_queue, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/<str:token>", views.token_login, name="token_login"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("desk", desk.desk, name="desk"),
    path("desk/calendar.ics", desk.desk_calendar, name="desk_calendar"),
    path("review", review_queue.review_queue, name="review_queue"),
    path("review/<int:number>", review_queue.review_field, name="review_field"),
    path("review/notices/<int:number>/assign", review_queue.assign_notice, name="assign_notice"),
    path("cases/new", views.new_case, name="new_case"),
    path("cases/new/review", views.review_case, name="review_case"),
    path("cases/<int:number>", views.case_page, name="case"),
    path("cases/<int:number>/chart.svg", views.case_chart, name="case_chart"),
    path("cases/<int:number>/calendar.ics", views.case_calendar, name="case_calendar"),
    path("cases/<int:number>/documents/<int:document>", views.case_document, name="case_document"),
    path("cases/<int:number>/letters", views.case_letter, name="case_letter"),
    path("cases/<int:number>/calls/new", views.log_call, name="log_call"),
    path("cases/<int:number>/verify", views.verify_case, name="verify_case"),
    path("tools/calculator", views.calculator, name="calculator"),
    path("tools/scam-check", views.scam_check, name="scam_check"),
    path("tools/transcripts", views.transcripts, name="transcripts"),
    # Before the admin's own URLs, so its login goes through the same failed-login limit.
    path("admin/login/", views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]
