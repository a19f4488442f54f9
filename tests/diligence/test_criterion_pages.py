"""What the criterion pages say: a save names the criterion, a refused click says why."""

from __future__ import annotations

from django.contrib.messages import get_messages

from tandem.relationship.diligence import services
from tandem.relationship.diligence.models import Criterion
from tests.conftest import World

BASE = "/partnerships/program/diligence/criteria"


def _said(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def test_a_saved_criterion_is_named_and_a_refused_move_says_why(world: World, as_lena) -> None:
    services.criteria_defaults(actor=world.actor(world.lena), workspace_id=world.acme.pk)
    first = Criterion.objects.filter(workspace=world.acme).order_by("position", "id").first()
    assert first is not None
    url = f"{BASE}/{first.pk}/"
    form = as_lena.get(f"{url}edit/")
    assert form.status_code == 200 and f'value="{first.name}"' in form.content.decode()
    saved = as_lena.post(f"{url}edit/", {"version": 1, "name": "Fit", "guidance": "", "weight": 3})
    assert saved["Location"] == "/partnerships/program/diligence/"
    assert _said(saved) == ["Criterion saved: Fit."]
    moved = as_lena.post(f"{url}move/", {"version": 2, "direction": "sideways"})
    assert moved["Location"] == "/partnerships/program/diligence/"
    assert _said(moved) == ["up or down"]
    stale = as_lena.post(f"{url}move/", {"version": 1, "direction": "down"})
    assert _said(stale)[0].startswith("Someone else saved a change")
    bad = as_lena.post(f"{url}retire/", {"version": "x"})
    assert _said(bad) == ["That did not work; reload and try again."]
    done = as_lena.post(f"{url}move/", {"version": 2, "direction": "down"})
    assert _said(done) == ["Moved Fit down."]
