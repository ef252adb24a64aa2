"""Bookings: the lifecycle, who sees which bookings, dates in UTC only, the default date range."""

from __future__ import annotations

from .steps import soon


def bookings(client, car_id: str, **params) -> list[dict]:
    response = client.get(f"/cars/{car_id}/bookings", params=params)
    assert response.status_code == 200, response.text
    return response.json()["CarBookings"]


def act(client, booking: dict, action: str, **body):
    return client.put(f"/cars/{booking['CarId']}/bookings/{booking['Id']}/{action}", **({"json": body} if body else {}))


def test_a_request_starts_pending_with_a_reference_and_location(borrower, car):
    response = borrower.post(f"/cars/{car['Id']}/bookings", json={"StartDateUtc": soon(60), "EndDateUtc": soon(120)})
    assert response.status_code == 201
    booking = response.json()["CarBooking"]
    assert booking["State"] == "Pending" and len(booking["Reference"]) == 8 and "ApprovedDateUtc" not in booking
    assert response.headers["location"].endswith(f"/cars/{car['Id']}/bookings/{booking['Id']}")


def test_the_whole_lifecycle(owner, borrower, booking):
    approved = act(owner, booking, "approve")
    assert approved.status_code == 202 and approved.json()["CarBooking"]["State"] == "Approved"
    assert "ApprovedDateUtc" in approved.json()["CarBooking"]
    assert act(borrower, booking, "use").json()["CarBooking"]["State"] == "InUse"
    extended = act(borrower, booking, "extend", EndDateUtc=soon(300))
    assert extended.status_code == 202 and extended.json()["CarBooking"]["EndDateUtc"] > booking["EndDateUtc"]
    assert borrower.put(f"/cars/{booking['CarId']}/unlock").status_code == 202  # the current borrower may
    assert act(borrower, booking, "return").json()["CarBooking"]["State"] == "Returned"
    completed = act(owner, booking, "complete").json()["CarBooking"]
    assert completed["State"] == "Completed"
    assert {"StartedDateUtc", "ReturnedDateUtc", "CompletedDateUtc"} <= set(completed)


def test_actions_check_the_state_and_the_actor(owner, borrower, booking):
    assert act(borrower, booking, "approve").status_code == 403
    assert act(owner, booking, "use").status_code == 403
    wrong_state = act(owner, booking, "complete")
    assert wrong_state.status_code == 409 and "Pending" in wrong_state.json()["ResponseStatus"]["Message"]
    assert act(owner, booking, "decline").json()["CarBooking"]["State"] == "Declined"
    assert act(borrower, booking, "cancel").status_code == 409


def test_a_booking_cannot_be_used_long_before_it_starts(owner, borrower, car):
    later = borrower.post(
        f"/cars/{car['Id']}/bookings", json={"StartDateUtc": soon(120), "EndDateUtc": soon(180)}
    ).json()["CarBooking"]
    act(owner, later, "approve")
    assert act(borrower, later, "use").status_code == 409


def test_approved_bookings_do_not_overlap(owner, borrower, another, car, booking):
    act(owner, booking, "approve")
    overlapping = another.post(f"/cars/{car['Id']}/bookings", json={"StartDateUtc": soon(60), "EndDateUtc": soon(200)})
    assert overlapping.status_code == 409


def test_the_owner_cannot_book_their_own_car(owner, car):
    assert (
        owner.post(f"/cars/{car['Id']}/bookings", json={"StartDateUtc": soon(60), "EndDateUtc": soon(120)}).status_code
        == 403
    )


def test_dates_must_be_utc_and_the_period_sensible(borrower, car):
    path = f"/cars/{car['Id']}/bookings"
    offset = borrower.post(path, json={"StartDateUtc": soon(60).replace("Z", "+02:00"), "EndDateUtc": soon(120)})
    assert offset.status_code == 400
    assert offset.json()["ResponseStatus"]["Errors"][0]["FieldName"] == "StartDateUtc"
    assert "UTC" in offset.json()["ResponseStatus"]["Errors"][0]["Message"]
    short = borrower.post(path, json={"StartDateUtc": soon(60), "EndDateUtc": soon(70)})
    assert short.status_code == 400 and short.json()["ResponseStatus"]["Errors"][0]["FieldName"] == "EndDateUtc"
    past = borrower.post(path, json={"StartDateUtc": soon(-60), "EndDateUtc": soon(70)})
    assert past.status_code == 400
    both = borrower.post(path, json={})
    assert {e["FieldName"] for e in both.json()["ResponseStatus"]["Errors"]} == {"StartDateUtc", "EndDateUtc"}
    assert both.json()["ResponseStatus"]["Errors"][0]["ErrorCode"] == "NotEmpty"


def test_owner_and_borrowers_see_different_bookings(owner, borrower, another, car, booking):
    mine = another.post(
        f"/cars/{car['Id']}/bookings", json={"StartDateUtc": soon(300), "EndDateUtc": soon(400)}
    ).json()["CarBooking"]
    assert {b["Id"] for b in bookings(owner, car["Id"])} == {booking["Id"], mine["Id"]}
    assert [b["Id"] for b in bookings(borrower, car["Id"])] == [booking["Id"]]
    assert [b["Id"] for b in bookings(another, car["Id"])] == [mine["Id"]]
    assert another.get(f"/cars/{car['Id']}/bookings/{booking['Id']}").status_code == 403


def test_states_and_date_range_select(owner, borrower, car, booking):
    act(owner, booking, "approve")
    assert [b["Id"] for b in bookings(owner, car["Id"], states="Approved,InUse")] == [booking["Id"]]
    assert bookings(owner, car["Id"], States="Pending") == []
    assert bookings(owner, car["Id"], FromUtc=soon(600), ToUtc=soon(900)) == []
    assert owner.get(f"/cars/{car['Id']}/bookings", params={"states": "Lost"}).status_code == 400


def test_the_default_range_is_90_days_around_now(sandbox, owner, borrower, car):
    far = borrower.post(
        f"/cars/{car['Id']}/bookings",
        json={"StartDateUtc": soon(100 * 24 * 60), "EndDateUtc": soon(100 * 24 * 60 + 60)},
    )
    assert far.status_code == 201
    assert bookings(owner, car["Id"]) == []
    assert len(bookings(owner, car["Id"], ToUtc=soon(200 * 24 * 60))) == 1


def test_a_car_with_an_approved_booking_cannot_be_deleted(owner, car, booking):
    act(owner, booking, "approve")
    assert owner.delete(f"/cars/{car['Id']}").status_code == 409
    act(owner, booking, "cancel")
    assert owner.delete(f"/cars/{car['Id']}").status_code == 204


def test_a_single_booking_embeds_its_car_and_borrower_unless_embed_none(owner, borrower, car, booking):
    path = f"/cars/{car['Id']}/bookings/{booking['Id']}"
    full = owner.get(path).json()["CarBooking"]
    assert full["Car"] == owner.get(f"/cars/{car['Id']}").json()["Car"]
    me = borrower.get("/useraccounts").json()["UserAccounts"][0]
    assert full["Borrower"] == {"Id": booking["BorrowerId"], "FirstName": me["FirstName"], "LastName": me["LastName"]}
    assert {k: v for k, v in full.items() if k not in ("Car", "Borrower")} == booking
    bare = owner.get(path, params={"embed": "none"}).json()["CarBooking"]
    assert bare == booking
    for embed, expected in (
        ("CarBooking.Car", {"Car"}),
        ("Borrower", {"Borrower"}),
        ("Car, Borrower", {"Car", "Borrower"}),
    ):
        chosen = owner.get(path, params={"Embed": embed}).json()["CarBooking"]
        assert set(chosen) - set(booking) == expected, embed
    assert owner.get(path, params={"embed": "Rating"}).status_code == 400


def test_a_booking_search_embeds_nothing_unless_asked(owner, car, booking):
    assert bookings(owner, car["Id"]) == [booking]
    for embed in ("all", "*", "Car,CarBooking.Borrower"):
        (found,) = bookings(owner, car["Id"], embed=embed)
        assert found["Car"]["Id"] == car["Id"] and found["Borrower"]["Id"] == booking["BorrowerId"], embed
    (found,) = bookings(owner, car["Id"], embed="Borrower")
    assert "Borrower" in found and "Car" not in found
    assert owner.get(f"/cars/{car['Id']}/bookings", params={"embed": "Owner"}).status_code == 400


def test_a_change_to_the_car_changes_the_etag_of_its_bookings(owner, car, booking):
    path = f"/cars/{car['Id']}/bookings/{booking['Id']}"
    single, search = owner.get(path).headers["etag"], owner.get(f"/cars/{car['Id']}/bookings").headers["etag"]
    assert owner.get(path, headers={"If-None-Match": single}).status_code == 304
    owner.patch(f"/cars/{car['Id']}", json={"Color": "Black"})
    changed = owner.get(path, headers={"If-None-Match": single})
    assert changed.status_code == 200 and changed.json()["CarBooking"]["Car"]["Color"] == "Black"
    assert owner.get(f"/cars/{car['Id']}/bookings", headers={"If-None-Match": search}).status_code == 200
