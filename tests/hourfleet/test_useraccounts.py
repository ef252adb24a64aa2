"""User accounts embed the cars they own: by default on a single GET, on a search only when asked."""

from __future__ import annotations


def me(client) -> dict:
    (account,) = client.get("/useraccounts").json()["UserAccounts"]
    return account


def test_a_single_account_embeds_its_cars_unless_embed_none(owner, car):
    path = f"/useraccounts/{car['OwnerId']}"
    full = owner.get(path).json()["UserAccount"]
    assert car["Id"] in [c["Id"] for c in full["Cars"]]
    assert all(c["OwnerId"] == car["OwnerId"] for c in full["Cars"])
    assert full["Cars"][-1] == owner.get(f"/cars/{car['Id']}").json()["Car"]
    assert {k: v for k, v in full.items() if k != "Cars"} == me(owner)
    for embed in ("none", " none "):
        assert "Cars" not in owner.get(path, params={"embed": embed}).json()["UserAccount"]
    for embed in ("Cars", "UserAccount.Cars", "all", "*"):
        assert owner.get(path, params={"Embed": embed}).json()["UserAccount"]["Cars"] == full["Cars"], embed
    assert owner.get(path, params={"embed": "Rating"}).status_code == 400


def test_the_embedded_cars_are_exactly_the_cars_the_account_owns(ops, borrower, app):
    account = me(borrower)
    owned = {c["Id"] for c in ops.get("/cars").json()["Cars"] if c["OwnerId"] == account["Id"]}
    embedded = borrower.get(f"/useraccounts/{account['Id']}").json()["UserAccount"]["Cars"]
    assert owned and {c["Id"] for c in embedded} == owned
    new = {"Username": "new@example.com", "Password": "long enough", "FirstName": "Nu", "LastName": "User"}
    created = app.post("/useraccounts", json=new).json()["UserAccount"]
    assert "Cars" not in created
    assert ops.get(f"/useraccounts/{created['Id']}").json()["UserAccount"]["Cars"] == []


def test_an_account_search_embeds_nothing_unless_asked(ops, owner, car):
    accounts = ops.get("/useraccounts").json()["UserAccounts"]
    assert len(accounts) > 1 and all("Cars" not in a for a in accounts)
    for embed in ("all", "*", "UserAccount.Cars"):
        embedded = ops.get("/useraccounts", params={"embed": embed}).json()["UserAccounts"]
        assert all(isinstance(a["Cars"], list) for a in embedded), embed
        assert car["Id"] in [c["Id"] for a in embedded for c in a["Cars"]], embed
    assert ops.get("/useraccounts", params={"embed": "Car"}).status_code == 400


def test_a_change_to_an_owned_car_changes_the_etag_of_the_account(owner, car):
    path = f"/useraccounts/{car['OwnerId']}"
    single, search = owner.get(path).headers["etag"], owner.get("/useraccounts").headers["etag"]
    assert owner.get(path, headers={"If-None-Match": single}).status_code == 304
    owner.put(f"/cars/{car['Id']}/unlock")
    changed = owner.get(path, headers={"If-None-Match": single})
    assert changed.status_code == 200 and changed.json()["UserAccount"]["Cars"][-1]["IsLocked"] is False
    assert owner.get("/useraccounts", headers={"If-None-Match": search}).status_code == 200
    owner.delete(f"/cars/{car['Id']}")
    assert car["Id"] not in [c["Id"] for c in owner.get(path).json()["UserAccount"]["Cars"]]
