"""A workspace's sign-in pages, under ``workspace/sign-in/``."""

from django.urls import URLPattern, path

from tandem.integrations.sso import views

urlpatterns: list[URLPattern] = [
    path("", views.sso_settings, name="sso_settings"),
    path("providers/add/", views.sso_provider_add, name="sso_provider_add"),
    path("providers/<str:provider_id>/", views.sso_provider_edit, name="sso_provider_edit"),
    path(
        "providers/<str:provider_id>/delete/",
        views.sso_provider_delete,
        name="sso_provider_delete",
    ),
]
