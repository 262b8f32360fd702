"""gRPC NodeService: proto ↔ domain only."""
from __future__ import annotations

import uuid

from courtflow.node.v1 import node_pb2, node_service_pb2 as pb, node_service_pb2_grpc

from services.common import caller
from services.common.dates import optional_date, to_dates
from services.common.errors import invalid_field
from services.common.names import ApplicationName, CaseName, CourtName, NodeName, NodeRuleName, StageViewName
from services.common.paging import page_request, parse_filter, split_page
from services.common.server import Runtime
from services.node import applications, calendar_service, convert, court_rules, limit_rules, scheduling, service
from services.node.catalog import Catalog
from services.node.calendars import CalendarStore
from services.node.time_limits import TimeLimitRules

LIST_FILTERS = {"state": lambda v: node_pb2.NodeState.Value(f"NODE_STATE_{v}"), "responsible": str,
                "node_type": str}
RULE_FILTERS = {"stage": lambda v: node_pb2.Stage.Value(f"STAGE_{v}"), "category": str,
                "overridden": lambda v: {"true": True, "false": False}[v]}
APPLICATION_FILTERS = {"state": lambda v: node_pb2.ApplicationState.Value(f"APPLICATION_STATE_{v}"),
                       "kind": lambda v: node_pb2.ApplicationKind.Value(f"APPLICATION_KIND_{v}"), "applicant": str}


class NodeServicer(node_service_pb2_grpc.NodeServiceServicer):
    def __init__(self, rt: Runtime, calendars: CalendarStore, catalog: Catalog, rules: TimeLimitRules) -> None:
        self._rt = rt
        self._calendars = calendars
        self._catalog = catalog
        self._rules = rules

    async def GetNode(self, request: pb.GetNodeRequest, context) -> pb.GetNodeResponse:
        name = NodeName.parse(request.name)
        node = await self._rt.db(service.get_node, self._rt.uow, caller=caller.current(), court=name.court,
                                 case_id=name.case_id, node_type=name.node)
        return pb.GetNodeResponse(node=convert.node_to_proto(node))

    async def ListNodes(self, request: pb.ListNodesRequest, context) -> pb.ListNodesResponse:
        parent = CaseName.parse(request.parent, "parent", wildcard=True)
        filters = parse_filter(request.filter, LIST_FILTERS)
        page = page_request(request.page_size, request.page_token, filter_text=request.filter,
                            parent=request.parent, key_type=uuid.UUID)
        nodes = await self._rt.db(service.list_nodes, self._rt.uow, caller=caller.current(), court=parent.court,
                                  case_id=parent.case, filters=filters, page=page)
        nodes, token = split_page(nodes, page, lambda n: n.id)
        return pb.ListNodesResponse(nodes=[convert.node_to_proto(n) for n in nodes], next_page_token=token)

    async def ImportCalendarYear(self, request: pb.ImportCalendarYearRequest, context):
        cy = request.calendar_year
        row, recomputed = await self._rt.db(
            calendar_service.import_year, self._rt.uow, caller=caller.current(), store=self._calendars, year=cy.year,
            holidays=to_dates(cy.holidays, "calendar_year.holidays"),
            workdays=to_dates(cy.workdays, "calendar_year.workdays"), source=cy.source)
        return pb.ImportCalendarYearResponse(calendar_year=convert.calendar_year_to_proto(row),
                                             recomputed_nodes=recomputed)

    async def ListCalendarYears(self, request: pb.ListCalendarYearsRequest, context):
        rows = await self._rt.db(calendar_service.list_years, self._rt.uow)
        return pb.ListCalendarYearsResponse(calendar_years=[convert.calendar_year_to_proto(r) for r in rows])

    async def CreateApplication(self, request: pb.CreateApplicationRequest, context):
        node, a = NodeName.parse(request.parent, "parent"), request.application
        new = applications.NewApplication(
            court=node.court, case_id=node.case_id, node_type=node.node, kind=a.kind, reason_code=a.reason_code,
            reason=a.reason, materials=tuple(a.materials), extension=a.extension,
            start=optional_date(a.start_date, "application.start_date"),
            end=optional_date(a.end_date, "application.end_date"), request_id=request.request_id)
        row = await self._rt.db(applications.create, self._rt.uow, caller=caller.current(), rules=self._rules,
                                calendars=self._calendars, new=new)
        return pb.CreateApplicationResponse(application=convert.application_to_proto(row))

    async def GetApplication(self, request: pb.GetApplicationRequest, context):
        name = ApplicationName.parse(request.name)
        row = await self._rt.db(applications.get, self._rt.uow, caller=caller.current(), court=name.court,
                                case_id=name.case, node_type=name.node, application_id=name.application)
        return pb.GetApplicationResponse(application=convert.application_to_proto(row))

    async def ListApplications(self, request: pb.ListApplicationsRequest, context):
        parent = NodeName.parse(request.parent, "parent", wildcard=True)
        filters = parse_filter(request.filter, APPLICATION_FILTERS)
        page = page_request(request.page_size, request.page_token, filter_text=request.filter,
                            parent=request.parent, key_type=uuid.UUID)
        rows = await self._rt.db(applications.list_applications, self._rt.uow, caller=caller.current(),
                                 court=parent.court, case_id=parent.case, node_type=parent.node, filters=filters,
                                 page=page)
        rows, token = split_page(rows, page, lambda a: a.id)
        return pb.ListApplicationsResponse(applications=[convert.application_to_proto(a) for a in rows],
                                           next_page_token=token)

    async def ApproveApplication(self, request: pb.ApproveApplicationRequest, context):
        name = ApplicationName.parse(request.name)
        row, node = await self._rt.db(applications.approve, self._rt.uow, caller=caller.current(), rules=self._rules,
                                      calendars=self._calendars, court=name.court, case_id=name.case,
                                      node_type=name.node, application_id=name.application, comment=request.comment)
        return pb.ApproveApplicationResponse(application=convert.application_to_proto(row),
                                             node=convert.node_to_proto(node))

    async def RejectApplication(self, request: pb.RejectApplicationRequest, context):
        name = ApplicationName.parse(request.name)
        row = await self._rt.db(applications.reject, self._rt.uow, caller=caller.current(), court=name.court,
                                case_id=name.case, node_type=name.node, application_id=name.application,
                                comment=request.comment)
        return pb.RejectApplicationResponse(application=convert.application_to_proto(row))

    async def ValidateHearing(self, request: pb.ValidateHearingRequest, context):
        case = CaseName.parse(request.parent, "parent")
        proposed = optional_date(request.hearing_date, "hearing_date")
        if proposed is None:
            raise invalid_field("hearing_date", "必须填写拟开庭日期")
        violations, exception = await self._rt.db(
            scheduling.validate_hearing, self._rt.uow, caller=caller.current(), calendars=self._calendars,
            catalog=self._catalog, rules=self._rules, court=case.court, case_id=case.case_id, proposed=proposed,
            notice_served=optional_date(request.notice_served_date, "notice_served_date"))
        return pb.ValidateHearingResponse(
            violations=convert.hearing_violations_to_proto(violations),
            accepted=not violations or exception is not None, exception_application=exception.name if exception else "")

    async def GetNodeRule(self, request: pb.GetNodeRuleRequest, context):
        name = NodeRuleName.parse(request.name)
        e = await self._rt.db(court_rules.get_rule, self._rt.uow, caller=caller.current(), catalog=self._catalog,
                              court=name.court, code=name.code)
        return pb.GetNodeRuleResponse(node_rule=convert.node_rule_to_proto(name.court, self._catalog.version, e))

    async def ListTimeLimitRules(self, request: pb.ListTimeLimitRulesRequest, context):
        court = CourtName.parse(request.parent, "parent").court
        found = await self._rt.db(limit_rules.list_time_limit_rules, self._rt.uow, caller=caller.current(),
                                  catalog=self._catalog, rules=self._rules, court=court)
        return convert.time_limit_rules_to_proto(found)

    async def ListNodeRules(self, request: pb.ListNodeRulesRequest, context):
        court = CourtName.parse(request.parent, "parent").court
        filters = parse_filter(request.filter, RULE_FILTERS)
        page = page_request(request.page_size, request.page_token, filter_text=request.filter, parent=request.parent)
        found = await self._rt.db(court_rules.list_rules, self._rt.uow, caller=caller.current(), catalog=self._catalog,
                                  court=court, stage=filters.get("stage"), category=filters.get("category"),
                                  overridden=filters.get("overridden"))
        # At most a few hundred rules, in catalogue order: the page token is the last code shown.
        codes = [e.rule.code for e in found]
        start = codes.index(page.after) + 1 if page.after in codes else 0
        rules, token = split_page(found[start:start + page.size + 1], page, lambda e: e.rule.code)
        return pb.ListNodeRulesResponse(
            node_rules=[convert.node_rule_to_proto(court, self._catalog.version, e) for e in rules],
            next_page_token=token)

    async def UpdateNodeRule(self, request: pb.UpdateNodeRuleRequest, context):
        name = NodeRuleName.parse(request.node_rule.name, "node_rule.name")
        e = await self._rt.db(court_rules.update_rule, self._rt.uow, caller=caller.current(), catalog=self._catalog,
                              limits=self._rules, court=name.court, code=name.code,
                              fields=convert.rule_fields(request.node_rule, request.update_mask.paths))
        return pb.UpdateNodeRuleResponse(node_rule=convert.node_rule_to_proto(name.court, self._catalog.version, e))

    async def ReevaluateNodeRule(self, request: pb.ReevaluateNodeRuleRequest, context):
        name = NodeRuleName.parse(request.name)
        e, reevaluated, changed = await self._rt.db(
            court_rules.reevaluate, self._rt.uow, caller=caller.current(), catalog=self._catalog,
            calendars=self._calendars, court=name.court, code=name.code)
        return pb.ReevaluateNodeRuleResponse(node_rule=convert.node_rule_to_proto(name.court, self._catalog.version, e),
                                             reevaluated_nodes=reevaluated, changed_due_dates=changed)

    async def ListStageViews(self, request: pb.ListStageViewsRequest, context):
        court = CourtName.parse(request.parent, "parent").court
        views = await self._rt.db(court_rules.list_stage_views, self._rt.uow, caller=caller.current(),
                                  catalog=self._catalog, court=court)
        return pb.ListStageViewsResponse(stage_views=[convert.stage_view_to_proto(court, *v) for v in views])

    async def UpdateStageView(self, request: pb.UpdateStageViewRequest, context):
        name = StageViewName.parse(request.stage_view.name, "stage_view.name")
        stage = convert.stage_of(name, "stage_view.name")
        if any(p != "categories" for p in request.update_mask.paths):
            raise invalid_field("update_mask", "仅 categories 可修改")
        view = await self._rt.db(court_rules.update_stage_view, self._rt.uow, caller=caller.current(),
                                 catalog=self._catalog, court=name.court, stage=stage,
                                 categories=list(request.stage_view.categories))
        return pb.UpdateStageViewResponse(stage_view=convert.stage_view_to_proto(name.court, *view))
