"""A workspace's webhook pages (``workspace/webhooks/``) and a partnership's
(``partnerships/<id>/webhooks/``: ``partner_urls``)."""

from django.urls import URLPattern, path

from tandem.integrations.webhooks import views

urlpatterns: list[URLPattern] = [
    path("", views.webhook_list, name="webhook_list"),
    path("add/", views.webhook_add, name="webhook_add"),
    path("<str:endpoint_id>/", views.webhook_edit, name="webhook_edit"),
    path("<str:endpoint_id>/switch/", views.webhook_switch, name="webhook_switch"),
    path("<str:endpoint_id>/delete/", views.webhook_delete, name="webhook_delete"),
    path("<str:endpoint_id>/deliveries/", views.webhook_deliveries, name="webhook_deliveries"),
    path(
        "<str:endpoint_id>/deliveries/<str:delivery_id>/again/",
        views.webhook_redeliver,
        name="webhook_redeliver",
    ),
]

partner_urls: list[URLPattern] = [
    path("", views.partner_webhook_list, name="partner_webhook_list"),
    path("add/", views.partner_webhook_add, name="partner_webhook_add"),
    path("<str:endpoint_id>/", views.partner_webhook_edit, name="partner_webhook_edit"),
    path("<str:endpoint_id>/switch/", views.partner_webhook_switch, name="partner_webhook_switch"),
    path("<str:endpoint_id>/delete/", views.partner_webhook_delete, name="partner_webhook_delete"),
    path(
        "<str:endpoint_id>/deliveries/",
        views.partner_webhook_deliveries,
        name="partner_webhook_deliveries",
    ),
    path(
        "<str:endpoint_id>/deliveries/<str:delivery_id>/again/",
        views.partner_webhook_redeliver,
        name="partner_webhook_redeliver",
    ),
]
