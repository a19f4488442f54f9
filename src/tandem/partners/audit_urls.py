from django.urls import URLPattern, path

from tandem.partners import audit_views as views

urlpatterns: list[URLPattern] = [
    path("", views.audit, name="audit"),
    path("export/", views.audit_export, name="audit_export"),
]
