from django.urls import URLPattern, path

from tandem.transfer.archive import views

urlpatterns: list[URLPattern] = [
    path("", views.archive, name="archive"),
    path("download/", views.archive_download, name="archive_download"),
]
