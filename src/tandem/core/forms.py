"""Form plumbing shared by every page that edits something."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, TypeVar

from django import forms

from tandem.core import params
from tandem.core.access import Visibility
from tandem.core.policy import people_of
from tandem.core.scope import Scope

if TYPE_CHECKING:
    from tandem.accounts.models import User
    from tandem.core.http import TandemRequest
from tandem.core.errors import Conflict, InvalidInput

T = TypeVar("T")


class DayField(forms.DateField):
    """A date a person types on a page: the one window of ``tandem.core.params`` (the API's
    ``Day``), refused under the field, and offered as the date picker's bounds."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            try:
                params.in_window(value)
            except ValueError as error:
                raise forms.ValidationError(str(error), code="date_window") from error

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {
            **super().widget_attrs(widget),
            "min": params.EARLIEST.isoformat(),
            "max": params.LATEST.isoformat(),
        }


# A form element exposes each of its fields as a property named after it, hiding the form's
# own method of that name from htmx and every script ("e.matches is not a function").
FORM_METHODS = frozenset(
    {
        "after", "append", "before", "blur", "checkValidity", "click", "closest", "contains",
        "dispatchEvent", "focus", "getAttribute", "hasAttribute", "matches", "prepend",
        "querySelector", "querySelectorAll", "remove", "removeAttribute", "replaceWith",
        "reportValidity", "requestSubmit", "reset", "setAttribute", "submit", "toggleAttribute",
    }
)  # fmt: skip


class VersionedForm(forms.Form):
    """Carries the version the edit started from, so a stale save is caught."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    conflict: Conflict | None = None

    def add_prefix(self, field_name: str) -> str:
        """The field's name in the page: the field's own, unless it would hide a method of
        the form element; the service and the API keep the field's name either way."""
        name = super().add_prefix(field_name)
        return f"{name}_field" if name in FORM_METHODS else name


class ConfirmForm(VersionedForm):
    """A yes/no confirmation (delete, archive …) that still names the version it saw."""


def run_service(form: forms.Form, call: Callable[[], T]) -> T | None:
    """Call a service; turn its refusal into messages on the form instead of a crash.

    On a conflict the form keeps the user's values and learns the saved version, so the
    page can show both and saving again is a deliberate choice to keep theirs.
    """
    try:
        return call()
    except InvalidInput as error:
        placed = False
        for name, messages in error.errors.items():
            target = name if name in form.fields else None
            for message in messages:
                form.add_error(target, message)
                placed = True
        if not placed:
            form.add_error(None, error.detail)
    except Conflict as error:
        form.conflict = error  # type: ignore[attr-defined]
        data = form.data.copy()  # type: ignore[attr-defined]
        data["version"] = str(error.current.version)
        form.data = data
        form.add_error(
            None,
            "Someone else saved a change while you were editing. Compare below: save again to"
            " keep your version, or reload to start from theirs.",
        )
    return None


def field_values(form: forms.Form, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class PeopleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name()


def visibility_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        choices=[
            (Visibility.SHARED, "Shared with the partner"),
            (Visibility.INTERNAL, "Internal — only our workspace"),
        ],
        initial=Visibility.SHARED,
        widget=forms.RadioSelect,
    )


class ScopedItemForm(VersionedForm):
    """An item of a partnership or of the program, built for the person asking: members
    choose a partnership item's visibility, partner-side people's items are shared, and
    program items are the workspace's own (internal, nothing to choose)."""

    def __init__(
        self, *args: Any, partnership: Scope, can_choose_visibility: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.default_visibility = (
            Visibility.INTERNAL if partnership.is_program else Visibility.SHARED
        )
        if can_choose_visibility and not partnership.is_program:
            self.fields["visibility"] = visibility_field()

    @classmethod
    def for_request(cls, request: TandemRequest, partnership: Scope, **kwargs: Any) -> Self:
        return cls(
            request.POST or None,
            partnership=partnership,
            can_choose_visibility=request.actor.is_member(partnership.workspace_id),
            **kwargs,
        )

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data.setdefault("visibility", self.default_visibility)
        return data


class OwnedItemForm(ScopedItemForm):
    """An item of a partnership with one owner, from either side: the choice of owners is
    the partnership's people, and only members choose the visibility."""

    owner = PeopleChoiceField(queryset=None, required=False, empty_label="Me")

    def __init__(self, *args: Any, partnership: Scope, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        self.fields["owner"].queryset = people_of(partnership)  # type: ignore[attr-defined]
        if self.initial.get("version"):  # editing: an empty choice means nobody, not "me"
            self.fields["owner"].empty_label = "No owner"  # type: ignore[attr-defined]
