"""Tandem and other tools: the events the product tells of (events.py) and the webhooks that
send them out (webhooks/)."""
