"""Hourfleet bugs planted in envelopes, errors, names, ids and dates, and the status codes of writes."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from connexion import NoContent

from mockserver.engine.errors import InvalidInput
from mockserver.hourfleet import bookings as booking_rules
from mockserver.hourfleet import cars as car_rules
from mockserver.hourfleet import errors as hourfleet_errors
from mockserver.hourfleet import handlers, views, world
from mockserver.hourfleet.handlers import cars
from mockserver.http import validation
from mockserver.http.request import current

from .planted_hourfleet_kit import bug

World = world.HourfleetWorld


def _single_car_bare(monkeypatch):
    real = World.get_car
    monkeypatch.setattr(World, "get_car", lambda self, car_id, embed: real(self, car_id, embed)["Car"])


def _searches_answer_results(monkeypatch):
    # ServiceStack's AutoQuery names a search's rows `Results`: a tempting default to keep.
    real = World.search_cars

    def search_cars(self, query, embed):
        answer = real(self, query, embed)
        return {"Results": answer["Cars"], "Metadata": answer["Metadata"]}

    monkeypatch.setattr(World, "search_cars", search_cars)


def _errors_beside_an_empty_result(monkeypatch):
    real = hourfleet_errors.response_status
    monkeypatch.setattr(hourfleet_errors, "response_status", lambda *args: {"Result": None, **real(*args)})


def _field_names_camel_case(monkeypatch):
    real = hourfleet_errors._field

    def field(error):
        entry = real(error)
        return {**entry, "FieldName": entry["FieldName"][:1].lower() + entry["FieldName"][1:]}

    monkeypatch.setattr(hourfleet_errors, "_field", field)


def _camel_case_output(monkeypatch):
    real = views.car_view
    monkeypatch.setattr(
        views, "car_view", lambda car, *embeds: {k[0].lower() + k[1:]: v for k, v in real(car, *embeds).items()}
    )


def _booking_ids_without_dashes(monkeypatch):
    monkeypatch.setattr(booking_rules, "replica", SimpleNamespace(new_uuid=lambda: uuid.uuid4().hex))


def _dates_with_an_offset(monkeypatch):
    # Python's isoformat: `+00:00`, not `Z`.
    monkeypatch.setattr(views, "_date", lambda instant: instant.isoformat() if instant is not None else None)


def _empty_dates_null(monkeypatch):
    real = views.booking_view
    unset = dict.fromkeys(("ApprovedDateUtc", "DeclinedDateUtc", "CancelledDateUtc", "CompletedDateUtc"))
    monkeypatch.setattr(views, "booking_view", lambda booking, *more: {**unset, **real(booking, *more)})


def _unknown_car_refused_as_invalid(monkeypatch):
    monkeypatch.setattr(car_rules, "NotFound", InvalidInput)


def _created_answers_200(monkeypatch):
    monkeypatch.setattr(cars, "created", lambda body, path: handlers.answer(body, 200, {"Location": path}))


def _created_without_location(monkeypatch):
    monkeypatch.setattr(cars, "created", lambda body, path: handlers.answer(body, 201))


def _patch_answers_200(monkeypatch):
    real = handlers.answer
    monkeypatch.setattr(
        cars, "answer", lambda body, status=200, headers=None: real(body, 200 if status == 202 else status, headers)
    )


def _actions_answer_no_content(monkeypatch):
    real = handlers.answer

    def answer(body, status=200, headers=None):
        return (NoContent, 204) if current().path.endswith(("/lock", "/unlock")) else real(body, status, headers)

    monkeypatch.setattr(cars, "answer", answer)


def _delete_answers_200(monkeypatch):
    monkeypatch.setattr(cars, "no_content", lambda: (NoContent, 200))


def _patch_clears_what_is_not_sent(monkeypatch):
    real = World.update_car

    def update_car(self, caller, car_id, body):
        return real(self, caller, car_id, {**dict.fromkeys(car_rules.UPDATABLE), **body})

    monkeypatch.setattr(World, "update_car", update_car)


def _validation_names_the_first_field_only(monkeypatch):
    real = validation.refuse_body

    def refuse_body(judge, body):
        try:
            real(judge, body)
        except InvalidInput as refused:
            raise InvalidInput(refused.message, refused.fields[:1]) from None

    monkeypatch.setattr(validation, "refuse_body", refuse_body)


PLANTED = (
    bug("HOURFLEET-ENV-01", "a single car answered bare, without its envelope", _single_car_bare),
    bug("HOURFLEET-ENV-02", "a search's rows under Results", _searches_answer_results),
    bug("HOURFLEET-ENV-03", "an error beside an empty Result", _errors_beside_an_empty_result),
    bug("HOURFLEET-ENV-04", "camelCase FieldNames in validation errors", _field_names_camel_case),
    bug("HOURFLEET-ENV-05", "camelCase output", _camel_case_output),
    bug("HOURFLEET-ENV-06", "booking ids without their dashes", _booking_ids_without_dashes),
    bug("HOURFLEET-ENV-07", "dates written +00:00 instead of Z", _dates_with_an_offset),
    bug("HOURFLEET-ENV-08", "a booking's unset dates written as null", _empty_dates_null),
    bug("HOURFLEET-ENV-09", "an unknown car id refused as invalid input (400)", _unknown_car_refused_as_invalid),
    bug("HOURFLEET-STATUS-01", "200 instead of 201 on create", _created_answers_200),
    bug("HOURFLEET-STATUS-02", "no Location on create", _created_without_location),
    bug("HOURFLEET-STATUS-03", "200 instead of 202 on PATCH", _patch_answers_200),
    bug("HOURFLEET-STATUS-04", "a lock action answering 204 without the car", _actions_answer_no_content),
    bug("HOURFLEET-STATUS-05", "DELETE answering 200", _delete_answers_200),
    bug("HOURFLEET-STATUS-06", "PATCH clearing the properties not sent", _patch_clears_what_is_not_sent),
    bug(
        "HOURFLEET-STATUS-07",
        "a validation failure naming its first field only",
        _validation_names_the_first_field_only,
    ),
)
