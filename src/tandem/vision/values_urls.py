"""Values: the program's own (program level) and, per partnership, the partner's stated values
beside them (included from tandem.urls)."""

from django.urls import path

from tandem.vision import values_views as views

urlpatterns = [
    path("", views.values, name="values"),
]
