"""Pages under /partnerships/<partnership_id>/ for due diligence."""

from django.urls import path

from tandem.diligence import views

urlpatterns = [
    path("", views.diligence, name="diligence"),
]
