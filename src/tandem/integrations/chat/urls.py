"""A partnership's chat channel pages, under ``partnerships/<id>/chat/``."""

from django.urls import URLPattern, path

from tandem.integrations.chat import views

urlpatterns: list[URLPattern] = [
    path("", views.chat_channel_list, name="chat_channel_list"),
    path("add/", views.chat_channel_add, name="chat_channel_add"),
    path("<str:chat_channel_id>/", views.chat_channel_edit, name="chat_channel_edit"),
    path("<str:chat_channel_id>/delete/", views.chat_channel_delete, name="chat_channel_delete"),
    path("<str:chat_channel_id>/test/", views.chat_channel_test, name="chat_channel_test"),
]
