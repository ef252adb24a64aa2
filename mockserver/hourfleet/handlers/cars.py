"""/cars: search, read, create, update, delete, and the lock and unlock actions."""

from __future__ import annotations

from . import answer, cached, created, no_content, search_query, session


def search_cars(token_info: dict, Embed: str | None = None, Sort=None, Filter=None, Limit=0, Offset=0, Distinct=None):
    world, caller = session(token_info)
    return cached(
        world, caller, ("cars",), lambda: world.search_cars(search_query(Sort, Filter, Limit, Offset, Distinct), Embed)
    )


def get_car(token_info: dict, Id: str, Embed: str | None = None):
    world, caller = session(token_info)
    return cached(world, caller, (f"car:{Id.lower()}",), lambda: world.get_car(Id, Embed))


def create_car(token_info: dict, body: dict):
    world, caller = session(token_info)
    car = world.create_car(caller, body)
    return created(car, f"/cars/{car['Car']['Id']}")


def update_car(token_info: dict, Id: str, body: dict):
    world, caller = session(token_info)
    return answer(world.update_car(caller, Id, body), 202)


def delete_car(token_info: dict, Id: str):
    world, caller = session(token_info)
    world.delete_car(caller, Id)
    return no_content()


def lock_car(token_info: dict, Id: str):
    world, caller = session(token_info)
    return answer(world.set_lock(caller, Id, True), 202)


def unlock_car(token_info: dict, Id: str):
    world, caller = session(token_info)
    return answer(world.set_lock(caller, Id, False), 202)
