"""Pages under /partnerships/<partnership_id>/plan/: the joint quarterly plan."""

from django.urls import URLPattern, path

from tandem.plans import views

urlpatterns: list[URLPattern] = [
    path("", views.plan, name="plan"),
    path("sign/", views.plan_sign, name="plan_sign"),
]
