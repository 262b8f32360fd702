"""The Chinese words for CourtFlow's enum values, as users read them in messages, errors, reports.

One table per enum, used by every service that shows the value to a person: an application is
「延长审限」 in the node service's refusal and in the alert service's reminder alike.
"""

from __future__ import annotations

from courtflow.case.v1.case_pb2 import CaseState, CaseType, PartyRole, Procedure
from courtflow.gateway.v1.gateway_pb2 import CourtLevel
from courtflow.node.v1.node_pb2 import ApplicationKind, NodeState, Stage

__all__ = ["APPLICATION_KINDS", "CASE_STATES", "CASE_TYPES", "COURT_LEVELS", "DEPARTMENT_KINDS", "NODE_STATES",
           "PARTY_ROLES", "PROCEDURES", "REASONS", "STAGES", "word"]

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

# The ErrorInfo reasons (UPPER_SNAKE) as a short phrase, for a person reading a refusal without its
# message: the audit log keeps only the reason, and the console shows 「拒绝：超出权限范围」, the code
# itself on hover for support. Every reason raised anywhere (the services' and the gateway's errors,
# the audit-only reasons of sign-in, and the gRPC code names the gateway records when a reply had no
# reason) has its words here: tests/contract/test_reasons.py collects them from the code.
REASONS = {
    # services/common/errors.py, and the gRPC status codes of the answers without a reason.
    "INVALID_ARGUMENT": "参数错误",
    "NOT_FOUND": "对象不存在",
    "ALREADY_EXISTS": "对象已存在",
    "PERMISSION_DENIED": "无权操作",
    "UNAUTHENTICATED": "未登录",
    "UNAVAILABLE": "服务暂时不可用",
    "DATABASE_UNAVAILABLE": "数据库暂时不可用",
    "QUERY_CANCELLED": "查询未在调用时限内完成，已取消",
    "RESOURCE_EXHAUSTED": "请求过多或过大",
    "FAILED_PRECONDITION": "不满足操作条件",
    "ABORTED": "已被他人修改",
    "CANCELLED": "调用已取消",
    "UNKNOWN": "未知错误",
    "DEADLINE_EXCEEDED": "未在时限内答复",
    "OUT_OF_RANGE": "超出取值范围",
    "UNIMPLEMENTED": "接口未实现",
    "INTERNAL": "内部错误",
    "DATA_LOSS": "数据丢失",
    # Scope and the callers' identity (services/common/scope.py, caller.py).
    "OUT_OF_SCOPE": "超出权限范围",
    "PROVINCE_SCOPE_REQUIRED": "须有全省范围权限",
    "AUDIT_ROLE_REQUIRED": "须为审计人员",
    "CALLER_MISSING": "缺少调用者身份",
    "CALLER_SIGNATURE_INVALID": "调用者身份签名无效",
    # services/case
    "CASE_NOT_FOUND": "案件不存在",
    "CASE_NUMBER_TAKEN": "案号已被使用",
    "CASE_LOCKED": "案件已锁定",
    "CASE_ARCHIVED": "案件已归档",
    "CASE_CLOSED": "案件已结案",
    "CASE_NOT_CLOSED": "案件尚未结案",
    "CASE_FROZEN": "案件不能再修改",
    "CLOSING_NOT_TRACKED": "无法确定应恢复的节点",
    "ETAG_MISMATCH": "已被他人修改",
    "NOTHING_CHANGED": "没有需要修改的内容",
    "HEARING_OUTSIDE_RULES": "开庭排期不符合规定",
    "HEARING_VALIDATION_FAILED": "开庭排期校验失败",
    "NODE_SERVICE_UNAVAILABLE": "节点服务暂时不可用",
    # services/node
    "NODE_NOT_FOUND": "节点不存在",
    "APPLICATION_NOT_FOUND": "申请不存在",
    "RULE_NOT_FOUND": "节点规则不存在",
    "STAGE_NOT_FOUND": "阶段不存在",
    "NO_APPROVAL_AUTHORITY": "无审批权限",
    "SELF_APPROVAL": "不能审批本人的申请",
    "NODE_COMPLETED": "节点已完成",
    "NODE_NOT_LOCKED": "节点未锁定",
    "NOT_A_TIME_LIMIT": "不是审限节点",
    "CLOCK_SUSPENDED": "期限已中止",
    "CLOCK_NOT_SUSPENDED": "期限未中止",
    "APPLICATION_PENDING": "已有待审批的申请",
    "APPLICATION_DECIDED": "申请已审批",
    # services/alert, services/audit, services/stats
    "NOT_OWN_INBOX": "不是本人的消息",
    "MESSAGE_NOT_FOUND": "消息不存在",
    "EXPORT_TOO_LARGE": "导出记录过多",
    "SOURCE_UNAVAILABLE": "数据来源暂时不可用",
    # The gateway: its edge, the services behind it, permissions, the org directory.
    "RATE_LIMITED": "请求过于频繁",
    "REQUEST_TOO_LARGE": "请求过大",
    "INVALID_JSON": "请求格式错误",
    "INVALID_JSON_REQUEST": "请求格式错误",
    "METHOD_NOT_FOUND": "接口不存在",
    "METHOD_NOT_ALLOWED": "不支持的请求方法",
    "ROUTE_NOT_FOUND": "接口不存在",
    "METHOD_NOT_PERMITTED": "接口未开放",
    "ROLE_NOT_PERMITTED": "角色无权调用",
    "CROSS_SITE_REQUEST": "跨站请求",
    "SHUTTING_DOWN": "网关正在停止",
    "SERVICE_UNAVAILABLE": "服务暂时不可用",
    "SERVICE_DEADLINE_EXCEEDED": "服务未在时限内答复",
    "SERVICE_RESOURCE_EXHAUSTED": "服务答复过大",
    "SERVICE_METHOD_UNIMPLEMENTED": "服务不支持此接口",
    "SERVICE_ERROR": "服务出错",
    "COURT_EXISTS": "法院已存在",
    "DEPARTMENT_EXISTS": "庭室已存在",
    "DEPARTMENT_NOT_FOUND": "庭室不存在",
    "USER_EXISTS": "用户已存在",
    "USER_NOT_FOUND": "用户不存在",
    # The gateway's sign-in and tokens (gateway/identity), some recorded in the audit log only.
    "TOKEN_MISSING": "未提供令牌",
    "TOKEN_INVALID": "令牌无效",
    "TOKEN_EXPIRED": "令牌已过期",
    "TOKEN_NOT_YET_VALID": "令牌尚未生效",
    "JWKS_UNAVAILABLE": "身份系统公钥暂时无法获取",
    "USER_UNKNOWN": "组织目录中无此用户",
    "USER_INACTIVE": "账号已停用",
    "SESSION_REVOKED": "登录会话已注销",
    "SESSION_NOT_FOUND": "登录会话不存在",
    "NO_SESSION": "没有登录会话",
    "LOGIN_DISABLED": "未启用内置登录",
    "INVALID_CREDENTIALS": "用户名或密码错误",
    "WRONG_PASSWORD": "密码错误",
    "NO_PASSWORD": "未设置密码",
    "UNKNOWN_USER": "用户名不存在",
    "TOO_MANY_FAILURES": "密码连续错误次数过多",
    "ACCOUNT_LOCKED": "账号已锁定",
    "PASSWORD_TOO_SHORT": "密码过短",
    "REFRESH_TOKEN_INVALID": "刷新令牌无效",
    "REFRESH_TOKEN_EXPIRED": "刷新令牌已过期",
    "REFRESH_TOKEN_REUSED": "刷新令牌被重复使用",
}


def word(table: dict, value: int | str, default: str = "未知") -> str:
    return table.get(value, default)
