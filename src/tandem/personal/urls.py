from django.urls import path

from tandem.personal import views

urlpatterns = [
    path("week/", views.my_week, name="my_week"),
    path("people/<str:user_id>/rocks/", views.person_rocks, name="person_rocks"),
]
