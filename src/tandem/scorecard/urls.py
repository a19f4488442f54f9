"""Pages under /partnerships/<partnership_id>/ (included from tandem.urls)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
