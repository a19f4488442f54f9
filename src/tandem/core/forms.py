"""Form plumbing shared by every page that edits something."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from django import forms
from django.contrib.auth import get_user_model
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.forms.forms import DeclarativeFieldsMetaclass
from django.utils.text import capfirst

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

    @classmethod
    def for_request(cls, request: TandemRequest, partnership: Scope, **kwargs: Any) -> Self:
        """The form of a page, bound to what was posted (the shape ``edit_item`` builds);
        ``partnership`` is for the forms that offer its people or items."""
        return cls(request.POST or None, **kwargs)

    def values(self) -> dict[str, Any]:
        """What the service is given: every field but the version."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


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


class ColumnChoiceIterator(forms.models.ModelChoiceIterator):
    """The options as (id, label) pairs read from one column: no model built per option."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", cast(ColumnChoiceField, self.field).label_column)


class ColumnChoiceField(forms.ModelChoiceField):
    """A choice of rows labelled by one of their columns (``label_column``), for selects of
    hundreds of options: building a model for each cost a select of 300 deals 8 ms. The
    chosen value is still looked up in ``queryset`` (and refused when not in it)."""

    iterator = ColumnChoiceIterator

    def __init__(self, *args: Any, label_column: str, **kwargs: Any) -> None:
        self.label_column = label_column
        super().__init__(*args, **kwargs)


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


def form_field(field: Any, *, placeholder: str = "", **options: Any) -> forms.Field:
    """The form field a person edits a model's ``field`` in, read from the model: the label
    (its verbose name), help text, length, required unless blank, its choices (the default
    chosen first), a date as a ``DayField``, a time as ``HH:MM`` in a time input, a person as
    a ``PeopleChoiceField`` (the form sets its queryset), a long text in three rows, a
    number's bounds from its ``Min``/``MaxValueValidator``. ``options`` override any of them;
    ``placeholder`` is shown in the empty input."""
    kwargs: dict[str, Any] = {"label": capfirst(field.verbose_name), "required": not field.blank}
    if field.help_text:
        kwargs["help_text"] = field.help_text
    if field.has_default() and not callable(field.default):
        kwargs["initial"] = field.default
    kind: type[forms.Field]
    if field.choices:
        kind, kwargs["choices"] = forms.ChoiceField, field.choices
    elif isinstance(field, models.ForeignKey) and field.related_model is get_user_model():
        kind, kwargs["queryset"] = PeopleChoiceField, None
    elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kind = DayField
    elif isinstance(field, models.TextField):
        kind, kwargs["max_length"] = forms.CharField, field.max_length
        kwargs["widget"] = forms.Textarea(attrs={"rows": 3})
    elif isinstance(field, models.CharField):
        kind, kwargs["max_length"] = forms.CharField, field.max_length
    elif isinstance(field, models.BooleanField):
        kind, kwargs["required"] = forms.BooleanField, False
    elif isinstance(field, models.DecimalField):
        kind = forms.DecimalField
        kwargs.update(max_digits=field.max_digits, decimal_places=field.decimal_places)
    elif isinstance(field, (models.PositiveIntegerField, models.PositiveSmallIntegerField)):
        kind, kwargs["min_value"] = forms.IntegerField, 0
    elif isinstance(field, models.IntegerField):
        kind = forms.IntegerField
    elif isinstance(field, models.TimeField):
        kind = forms.TimeField
        kwargs["widget"] = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    else:
        raise TypeError(f"Declare the form field for {field.model.__name__}.{field.name}")
    # A number's bounds: the model's own (its ``validators=``), not the database's range.
    for stated in field._validators if issubclass(kind, forms.IntegerField) else ():
        if isinstance(stated, MinValueValidator):
            kwargs["min_value"] = stated.limit_value
        elif isinstance(stated, MaxValueValidator):
            kwargs["max_value"] = stated.limit_value
    kwargs.update(options)
    if placeholder:
        widget: Any = kwargs.get("widget", kind.widget)
        widget = widget() if isinstance(widget, type) else widget
        widget.attrs = {**widget.attrs, "placeholder": placeholder}
        kwargs["widget"] = widget
    return kind(**kwargs)


class ItemFormMetaclass(DeclarativeFieldsMetaclass):
    """Builds the fields a form's ``Meta`` asks for from its model (see ``ScopedItemForm``)."""

    def __new__(mcs, name: str, bases: tuple[type, ...], attrs: dict[str, Any]) -> Any:
        cls: Any = super().__new__(mcs, name, bases, attrs)
        meta = attrs.get("Meta")
        model = getattr(meta, "model", None)
        if model is None:
            return cls
        names = getattr(meta, "fields", None) or [
            name for name in model.concurrency_fields if name != "visibility"
        ]
        option_sets = {
            key: getattr(meta, attr, {})
            for key, attr in (("label", "labels"), ("help_text", "help_texts"),
                              ("widget", "widgets"), ("initial", "initial"),
                              ("placeholder", "placeholders"))
        }  # fmt: skip
        derived = {}
        for field_name in names:
            if field_name in cls.base_fields:  # declared: the form's own field wins
                continue
            options = {
                key: given[field_name] for key, given in option_sets.items() if field_name in given
            }
            derived[field_name] = form_field(model._meta.get_field(field_name), **options)
        cls.base_fields = cls.declared_fields = {**cls.base_fields, **derived}
        if "field_order" not in attrs:
            cls.field_order = list(names)
        return cls


class ScopedItemForm(VersionedForm, metaclass=ItemFormMetaclass):
    """An item of a partnership or of the program, built for the person asking: members
    choose a partnership item's visibility, partner-side people's items are shared, and
    program items are the workspace's own (internal, nothing to choose).

    Its fields can be read from the model: a nested ``Meta`` names the ``model`` (and
    ``fields``, by default the model's ``concurrency_fields`` but the visibility, in that
    order); each is made by ``form_field``, so the form states only what differs, by field
    name: ``labels``, ``help_texts``, ``widgets``, ``placeholders``, ``initial``. A field the
    form declares itself is kept as declared."""

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
        data = super().values()
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
