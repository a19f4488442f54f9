"""Values: the program's vision and values (program level) and, per partnership, the partner's
stated values beside them (included from tandem.urls at /partnerships/<id>/values/)."""

from django.urls import path

from tandem.vision.values import views

urlpatterns = [
    path("", views.values, name="values"),
    path("new/", views.value_create, name="value_create"),
    path("<str:value_id>/edit/", views.value_edit, name="value_edit"),
    path("<str:value_id>/delete/", views.value_delete, name="value_delete"),
]
