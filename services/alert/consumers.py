"""Bus handlers of the alert service: node, approval and lock events become reminders to the
people recipients.py chooses; org events keep the recipient directory."""
from __future__ import annotations

from courtflow.alert.v1.alert_pb2 import ReminderKind as K
from courtflow.gateway.v1.gateway_events_pb2 import DepartmentChanged, UserChanged
from courtflow.node.v1.node_events_pb2 import (ApplicationCreated, ApplicationDecided, CaseHandedOver,
                                               NodeEscalated, NodeLocked, NodeOpenAtClosing, NodeOverdue,
                                               NodeUnlocked, NodeWarned)
from courtflow.node.v1.node_pb2 import ApplicationState, Node, NodeState

from services.alert import recipients, service, templates
from services.alert.court_templates import CourtTemplates
from services.common.consumer import Subscription
from services.common.dates import event_date
from services.common.events import Event
from services.common.labels import APPLICATION_KINDS, word
from services.common.names import court_of
from services.common.roles import HANDLER
from services.common.uow import UnitOfWork

# Reminder keys within a node's clock generation. The overdue reminder is rung 0 and warnings
# are their rung (days before); the closing check (S7) is -1. Kept as they were first written,
# so that events redelivered across an upgrade still find their reminders.
OVERDUE_RUNG = 0
CLOSING_RUNG = -1
# A node's state as a handover reminder lists it: 「“庭前准备”已超期（…届满）」. Worded for that
# sentence, not labels.NODE_STATES' table words (超期, 预警, 正常), which would read 「“庭前准备”正常」.
NODE_STATE_WORDS = {NodeState.NODE_STATE_OVERDUE: "已超期", NodeState.NODE_STATE_WARNING: "预警中",
                    NodeState.NODE_STATE_RUNNING: "运行中"}


def _kind(application) -> str:
    return word(APPLICATION_KINDS, application.kind, "变更")


def _people(uow: UnitOfWork, node: Node, *, level: int, also: list[str] = ()) -> list[str]:
    roles = recipients.ladder_roles(level, list(node.supervisors)) + list(also)
    return recipients.directory(uow.session).resolve(responsible=[node.responsible], roles=roles,
                                                     court=court_of(node.name), department=node.department)


class Reminders:
    """The handlers that turn node events into reminders, in the courts' own wording."""

    def __init__(self, wording: CourtTemplates = service.NO_OVERRIDES) -> None:
        self._wording = wording

    def _notify(self, uow: UnitOfWork, **kwargs) -> None:
        service.notify(uow, **kwargs, wording=self._wording)

    def handlers(self) -> dict:
        return {NodeWarned: self.on_node_warned, NodeOverdue: self.on_node_overdue,
                NodeEscalated: self.on_node_escalated, NodeOpenAtClosing: self.on_node_open_at_closing,
                ApplicationCreated: self.on_application_created, ApplicationDecided: self.on_application_decided,
                NodeLocked: self.on_node_locked, NodeUnlocked: self.on_node_unlocked,
                CaseHandedOver: self.on_case_handed_over}

    def on_node_warned(self, uow: UnitOfWork, event: Event) -> None:
        p = event.payload
        self._notify(uow, node=p.node, kind=K.REMINDER_KIND_WARNING, key=service.node_key(p.node, str(p.rung_days)),
                     recipients=_people(uow, p.node, level=recipients.WARNING_LEVEL),
                     render=lambda a: templates.warning(a, days_remaining=p.days_remaining))

    def on_node_overdue(self, uow: UnitOfWork, event: Event) -> None:
        p = event.payload
        self._notify(uow, node=p.node, kind=K.REMINDER_KIND_OVERDUE, key=service.node_key(p.node, str(OVERDUE_RUNG)),
                     recipients=_people(uow, p.node, level=recipients.OVERDUE_LEVEL),
                     render=lambda a: templates.overdue(a, days_overdue=p.days_overdue))

    def on_node_escalated(self, uow: UnitOfWork, event: Event) -> None:
        p = event.payload
        self._notify(uow, node=p.node, kind=K.REMINDER_KIND_ESCALATION, key=service.node_key(p.node, f"e{p.level}"),
                     recipients=_people(uow, p.node, level=p.level),
                     render=lambda a: templates.escalation(a, days_overdue=p.days_overdue, level=p.level))

    def on_node_open_at_closing(self, uow: UnitOfWork, event: Event) -> None:
        p = event.payload
        self._notify(uow, node=p.node, kind=K.REMINDER_KIND_CLOSING_CHECK,
                     key=service.node_key(p.node, str(CLOSING_RUNG)),
                     recipients=_people(uow, p.node, level=recipients.WARNING_LEVEL),
                     render=lambda a: templates.closing_check(a, closed_on=event_date(p.closed_on)))

    def on_application_created(self, uow: UnitOfWork, event: Event) -> None:
        app, node = event.payload.application, event.payload.node
        roles, court = recipients.approver_seats(app.required_level, court_of(node.name))
        approvers = [u for u in recipients.directory(uow.session).resolve(
            responsible=[], roles=list(roles), court=court, department=node.department) if u != app.applicant]
        applicant = service.display_name(uow, app.applicant)
        self._notify(uow, node=node, kind=K.REMINDER_KIND_APPROVAL_REQUESTED, key=f"{app.name}|requested",
                     recipients=approvers, application=app.name,
                     render=lambda a: templates.approval_requested(
                         a, kind=_kind(app), applicant=applicant,
                         approver=app.required_approver, warnings=[w.message for w in app.warnings]))

    def on_application_decided(self, uow: UnitOfWork, event: Event) -> None:
        app, node = event.payload.application, event.payload.node
        self._notify(uow, node=node, kind=K.REMINDER_KIND_APPLICATION_DECIDED, key=f"{app.name}|decided",
                     recipients=recipients.directory(uow.session).resolve(
                         responsible=[app.applicant], roles=[], court=court_of(node.name), department=node.department),
                     application=app.name,
                     render=lambda a: templates.application_decided(
                         a, kind=_kind(app),
                         approved=app.state == ApplicationState.APPLICATION_STATE_APPROVED,
                         comment=app.decision_comment))

    def on_node_locked(self, uow: UnitOfWork, event: Event) -> None:
        node = event.payload.node
        self._notify(uow, node=node, kind=K.REMINDER_KIND_NODE_LOCKED, key=service.node_key(node, "locked"),
                     recipients=_people(uow, node, level=recipients.WARNING_LEVEL, also=["division_head"]),
                     render=lambda a: templates.node_locked(a, reason=node.lock.reason))

    def on_node_unlocked(self, uow: UnitOfWork, event: Event) -> None:
        node, application = event.payload.node, event.payload.application
        if not application:
            # Released because its node was withdrawn (a corrected case attribute: the limit does not
            # apply, services/node/attributes.py), not approved by anyone: there is no approval to tell.
            return
        approver = service.display_name(uow, node.lock.unlock_user) if node.lock.unlock_user else "院领导"
        self._notify(uow, node=node, kind=K.REMINDER_KIND_NODE_UNLOCKED, key=f"{application}|unlocked",
                     recipients=_people(uow, node, level=recipients.WARNING_LEVEL), application=application,
                     render=lambda a: templates.node_unlocked(a, approver=approver))


    def on_case_handed_over(self, uow: UnitOfWork, event: Event) -> None:
        """One message to a person joining a case (its new handler, judge assistant or clerk, or
        the assistant and clerk it was registered with), listing the open nodes received, in the
        words of their place on the case (issue 18)."""
        p = event.payload
        first = p.nodes[0]
        place = p.role or HANDLER   # events written before `role` were the handler's
        previous = service.display_name(uow, p.previous_handler) if p.previous_handler else ""
        if place == HANDLER and not previous:
            previous = "原承办人"
        received = [(n.display_name, NODE_STATE_WORDS.get(n.state, "运行中"), event_date(n.due_date)) for n in p.nodes]
        # A registration tells each of them once, however many of its events open their nodes.
        key = f"{p.case}|assigned|{event.id}" if p.previous_handler or place == HANDLER else f"{p.case}|joined|{place}"
        self._notify(uow, node=first, kind=K.REMINDER_KIND_CASE_ASSIGNED, key=key,
                     recipients=recipients.directory(uow.session).resolve(
                         responsible=[p.handler], roles=[], court=court_of(first.name), department=first.department),
                     render=lambda a: templates.case_assigned(a, place=place, previous=previous, nodes=received))


def on_user_changed(uow: UnitOfWork, event: Event) -> None:
    u = event.payload.user
    service.upsert_recipient(uow, user=u.name, display_name=u.display_name, mobile=event.payload.mobile,
                             court=u.court.removeprefix("courts/"), department=u.department, role=u.role,
                             active=u.active, absent=u.absent, deputy=u.deputy)


def on_department_changed(uow: UnitOfWork, event: Event) -> None:
    d = event.payload.department
    service.upsert_department(uow, name=d.name, court=court_of(d.name), vice_president=d.vice_president)


def subscriptions(wording: CourtTemplates = service.NO_OVERRIDES) -> list[Subscription]:
    handlers = Reminders(wording).handlers()
    return [
        # Smaller batches than the default 200: each commits its reminders at once, so a batch's
        # size is a floor under how late the first of them reaches an inbox during a burst. Three
        # pull loops: while one batch waits on PostgreSQL the others are computed (measured on two
        # cores, 100,000 overdue nodes: 2,708 messages/s with two loops, 3,093 with three).
        # Reminders do not depend on the order of events: each is keyed by what it tells.
        Subscription(consumer="alert", producer="node", types=tuple(handlers), handlers=handlers, batch=100,
                     workers=3),
        Subscription(consumer="alert", producer="gateway", types=(UserChanged, DepartmentChanged),
                     handlers={UserChanged: on_user_changed, DepartmentChanged: on_department_changed}),
    ]
