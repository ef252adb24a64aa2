"""/drivers follows the same batch rules as /vehicles (one implementation serves both)."""

from __future__ import annotations


def test_drivers_are_added_renamed_and_deleted(trimble):
    added = trimble.post(
        "/drivers", json=[{"driverId": "drv1", "Name": "Dana Driver"}, {"DriverID": "drv2", "name": "Sam Driver"}]
    )
    assert added.status_code == 200
    assert [set(d) for d in added.json()["data"]] == [{"Id", "Name", "DriverId", "ModifiedOn"}] * 2
    duplicate = trimble.post("/drivers", json=[{"driverId": "DRV1", "Name": "Other"}]).json()
    assert duplicate["error"] == {
        "message": "The request finished without adding duplicate driverIds",
        "code": -12,
        "duplicate_ids": ["DRV1"],
    }
    renamed = trimble.put(
        "/drivers", json=[{"driverId": "drv2", "Name": "Samantha Driver"}, {"driverId": "nobody", "Name": "x"}]
    ).json()
    assert renamed["error"]["code"] == -11 and renamed["error"]["ids_not_found"] == ["nobody"]
    assert renamed["data"][0]["Name"] == "Samantha Driver"
    deleted = trimble.delete("/drivers", params={"driverId": "drv1"})
    assert deleted.json() == {"message": f"Successfully deleted driver with Id: {added.json()['data'][0]['Id']}"}
    assert trimble.delete("/drivers", params={"driverId": "drv1"}).json() == {
        "message": "No driver found with Id: drv1"
    }


def test_driver_batches_hold_at_most_fifty(trimble):
    response = trimble.post("/drivers", json=[{"driverId": f"d{i}", "Name": f"d {i}"} for i in range(51)])
    assert response.status_code == 400
    assert response.json()["message"] == "A request holds 1 to 50 drivers; this one holds 51."


def test_drivers_and_vehicles_do_not_collide(trimble):
    trimble.post("/vehicles", json=[{"vehicleId": "shared-id", "Name": "shared name"}])
    assert trimble.post("/drivers", json=[{"driverId": "shared-id", "Name": "shared name"}]).json()["data"]
