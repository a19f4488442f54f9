from django.urls import URLPattern, path

from tandem.notifications import views

urlpatterns: list[URLPattern] = [
    path("", views.notification_list, name="notification_list"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("preferences/", views.notification_preferences, name="notification_preferences"),
    path("people/<str:partnership_id>/", views.mentionable_people, name="notification_mentionable"),
    path("<str:notification_id>/", views.notification_open, name="notification_open"),
]
