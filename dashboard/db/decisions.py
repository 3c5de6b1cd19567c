"""Recording decisions and contract events on screen: add, edit, delete, each audited.

Each change is written with who and when, logged in ``decision_event_change`` and marks the
data version (``dataset_info.events_version``) in the same transaction, so every worker's
cached charts are recomputed with the change. Only events recorded on screen can be changed:
the published ones come from ``data/published/events.csv``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.db import models
from dashboard.events import EVENT_FIELDS, RECORDED

EVENTS_VERSION = "events_version"


class EventNotEditable(LookupError):
    """No event recorded on screen has that id (it does not exist, or it is published)."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _detail(event: models.DecisionEvent) -> str:
    values = {field: getattr(event, field) for field in EVENT_FIELDS}
    return json.dumps(
        values, default=lambda value: value.isoformat() if isinstance(value, date) else str(value)
    )


def _audit(db: Session, username: str, action: str, event: models.DecisionEvent) -> None:
    change = models.DecisionEventChange(
        occurred_at=_now(),
        username=username,
        action=action,
        event_id=event.id,
        detail=_detail(event),
    )
    db.add(change)
    db.flush()
    # The change's id only grows, so it names this state of the events for the caches.
    db.merge(models.DatasetInfo(key=EVENTS_VERSION, value=str(change.id)))


def _editable(db: Session, event_id: int) -> models.DecisionEvent:
    event = db.get(models.DecisionEvent, event_id)
    if event is None or event.status != RECORDED:
        raise EventNotEditable(f"no event recorded on screen has the id {event_id}")
    return event


def add_event(engine: Engine, values: dict, username: str) -> int:
    """Record a new event with ``values`` (checked by ``dashboard.events.check_event``)."""
    with Session(engine) as db, db.begin():
        event = models.DecisionEvent(
            **{field: values[field] for field in EVENT_FIELDS},
            status=RECORDED,
            created_by=username,
            created_at=_now(),
        )
        db.add(event)
        db.flush()
        _audit(db, username, "added", event)
        return event.id


def update_event(engine: Engine, event_id: int, values: dict, username: str) -> None:
    """Change an event recorded on screen; raise ``EventNotEditable`` for any other id."""
    with Session(engine) as db, db.begin():
        event = _editable(db, event_id)
        for field in EVENT_FIELDS:
            setattr(event, field, values[field])
        event.updated_by, event.updated_at = username, _now()
        db.flush()
        _audit(db, username, "edited", event)


def delete_event(engine: Engine, event_id: int, username: str) -> None:
    """Delete an event recorded on screen (its values stay in the audit log)."""
    with Session(engine) as db, db.begin():
        event = _editable(db, event_id)
        _audit(db, username, "deleted", event)
        db.delete(event)


def recorded_event(engine: Engine, event_id: int) -> models.DecisionEvent:
    """An event recorded on screen, for its edit form; ``EventNotEditable`` otherwise."""
    with Session(engine, expire_on_commit=False) as db:
        event = _editable(db, event_id)
        db.expunge(event)
        return event
