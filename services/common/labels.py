"""The Chinese words for CourtFlow's enum values, as users read them in messages, errors, reports.

One table per enum, used by every service that shows the value to a person: an application is
「延长审限」 in the node service's refusal and in the alert service's reminder alike.
"""

from __future__ import annotations

from courtflow.case.v1.case_pb2 import CaseState, CaseType, PartyRole, Procedure
from courtflow.gateway.v1.gateway_pb2 import CourtLevel
from courtflow.node.v1.node_pb2 import ApplicationKind, NodeState, Stage

__all__ = ["APPLICATION_KINDS", "CASE_STATES", "CASE_TYPES", "COURT_LEVELS", "DEPARTMENT_KINDS", "NODE_STATES",
           "PARTY_ROLES", "PROCEDURES", "STAGES", "word"]

# Verb–object, so that a sentence reads 「不能申请延长审限」 and 「延长审限申请未附证明材料」.
APPLICATION_KINDS = {
    ApplicationKind.APPLICATION_KIND_EXTENSION: "延长审限",
    ApplicationKind.APPLICATION_KIND_SUSPENSION: "中止审限",
    ApplicationKind.APPLICATION_KIND_RESUMPTION: "恢复审限",
    ApplicationKind.APPLICATION_KIND_DEDUCTION: "扣除审限",
    ApplicationKind.APPLICATION_KIND_UNLOCK: "解锁",
    ApplicationKind.APPLICATION_KIND_HEARING_EXCEPTION: "开庭排期例外",
}

NODE_STATES = {
    NodeState.NODE_STATE_RUNNING: "正常",
    NodeState.NODE_STATE_WARNING: "预警",
    NodeState.NODE_STATE_OVERDUE: "超期",
    NodeState.NODE_STATE_COMPLETED: "已完成",
}

STAGES = {
    Stage.STAGE_PRE_LITIGATION_MEDIATION: "诉前调解",
    Stage.STAGE_JUDICIAL_CONFIRMATION: "司法确认",
    Stage.STAGE_FILING: "立案登记",
    Stage.STAGE_PRE_TRIAL: "庭前准备",
    Stage.STAGE_ADJUDICATION: "裁判阶段",
    Stage.STAGE_POST_JUDGMENT: "判后阶段",
    Stage.STAGE_EXECUTION: "执行阶段",
}

CASE_STATES = {
    CaseState.CASE_STATE_RECEIVED: "已收案",
    CaseState.CASE_STATE_FILED: "已立案",
    CaseState.CASE_STATE_NOT_FILED: "不予立案",
    CaseState.CASE_STATE_CLOSED: "已结案",
    CaseState.CASE_STATE_ARCHIVED: "已归档",
}

CASE_TYPES = {
    CaseType.CASE_TYPE_CIVIL: "民事",
    CaseType.CASE_TYPE_CRIMINAL: "刑事",
    CaseType.CASE_TYPE_ADMINISTRATIVE: "行政",
    CaseType.CASE_TYPE_EXECUTION: "执行",
    CaseType.CASE_TYPE_STATE_COMPENSATION: "国家赔偿",
}

PROCEDURES = {
    Procedure.PROCEDURE_FIRST_INSTANCE_ORDINARY: "一审普通程序",
    Procedure.PROCEDURE_SIMPLIFIED: "简易程序",
    Procedure.PROCEDURE_SMALL_CLAIMS: "小额诉讼程序",
    Procedure.PROCEDURE_FAST_TRACK: "速裁程序",
    Procedure.PROCEDURE_SECOND_INSTANCE: "二审",
    Procedure.PROCEDURE_RETRIAL: "再审",
    Procedure.PROCEDURE_SPECIAL: "特别程序",
    Procedure.PROCEDURE_EXECUTION: "执行实施",
    Procedure.PROCEDURE_EXECUTION_OBJECTION: "执行异议",
}

PARTY_ROLES = {
    PartyRole.PARTY_ROLE_PLAINTIFF: "原告",
    PartyRole.PARTY_ROLE_DEFENDANT: "被告",
    PartyRole.PARTY_ROLE_THIRD_PARTY: "第三人",
    PartyRole.PARTY_ROLE_APPELLANT: "上诉人",
    PartyRole.PARTY_ROLE_APPELLEE: "被上诉人",
    PartyRole.PARTY_ROLE_EXECUTION_APPLICANT: "申请执行人",
    PartyRole.PARTY_ROLE_EXECUTION_RESPONDENT: "被执行人",
}

COURT_LEVELS = {
    CourtLevel.COURT_LEVEL_HIGH: "高级人民法院",
    CourtLevel.COURT_LEVEL_INTERMEDIATE: "中级人民法院",
    CourtLevel.COURT_LEVEL_BASIC: "基层人民法院",
}

# A department's kind (Department.kind) is a free lower-case word the org directory file sets
# (gateway/directory/file.py), not an enum: these are the kinds courts have; another shows as written.
DEPARTMENT_KINDS = {
    "filing": "立案",
    "civil": "民事审判",
    "criminal": "刑事审判",
    "administrative": "行政审判",
    "retrial": "审判监督",
    "execution": "执行",
    "trial_management": "审判管理",
    "office": "综合行政",
}


def word(table: dict, value: int | str, default: str = "未知") -> str:
    return table.get(value, default)
