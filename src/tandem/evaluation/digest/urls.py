from django.urls import URLPattern, path

from tandem.evaluation.digest import views

urlpatterns: list[URLPattern] = [
    path("", views.digest_preferences, name="digest_preferences"),
    path("act/<str:token>/", views.digest_action, name="digest_action"),
]
