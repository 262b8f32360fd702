// The Chinese words of the API's enum values, as services/common/labels.py has them (a test
// checks that the two agree), and the console's own words for the supervision platform.
export const STAGES = {
  PRE_LITIGATION_MEDIATION: '诉前调解', JUDICIAL_CONFIRMATION: '司法确认', FILING: '立案登记',
  PRE_TRIAL: '庭前准备', ADJUDICATION: '裁判阶段', POST_JUDGMENT: '判后阶段', EXECUTION: '执行阶段',
};
export const NODE_STATES = { RUNNING: '正常', WARNING: '预警', OVERDUE: '超期', COMPLETED: '已完成' };
export const CASE_STATES = {
  RECEIVED: '已收案', FILED: '已立案', NOT_FILED: '不予立案', CLOSED: '已结案', ARCHIVED: '已归档',
};
export const CASE_TYPES = {
  CIVIL: '民事', CRIMINAL: '刑事', ADMINISTRATIVE: '行政', EXECUTION: '执行', STATE_COMPENSATION: '国家赔偿',
};
export const PROCEDURES = {
  FIRST_INSTANCE_ORDINARY: '一审普通程序', SIMPLIFIED: '简易程序', SMALL_CLAIMS: '小额诉讼程序',
  FAST_TRACK: '速裁程序', SECOND_INSTANCE: '二审', RETRIAL: '再审', SPECIAL: '特别程序',
  EXECUTION: '执行实施', EXECUTION_OBJECTION: '执行异议',
};
export const APPLICATION_KINDS = {
  EXTENSION: '延长审限', SUSPENSION: '中止审限', RESUMPTION: '恢复审限', DEDUCTION: '扣除审限',
  UNLOCK: '解锁', HEARING_EXCEPTION: '开庭排期例外',
};
// A department's kind (Department.kind), a free lower-case word of the org directory: the usual
// ones as labels.py has them; another shows as written.
export const DEPARTMENT_KINDS = {
  filing: '立案', civil: '民事审判', criminal: '刑事审判', administrative: '行政审判', retrial: '审判监督',
  execution: '执行', trial_management: '审判管理', office: '综合行政',
};
export const COURT_LEVELS = { HIGH: '高级人民法院', INTERMEDIATE: '中级人民法院', BASIC: '基层人民法院' };
export const APPLICATION_STATES = { PENDING: '待审批', APPROVED: '已批准', REJECTED: '未批准' };
// The supervision warnings an application carries (ApplicationWarning.code), as a short tag; the
// API's own message says the rule in full.
export const APPLICATION_WARNINGS = {
  SECOND_CHANGE: '第二次变更', MISSING_MATERIAL: '缺少材料', EXCEEDS_RULES: '超出规定', BEYOND_AUTHORITY: '超出审批权限',
  LATE_APPLICATION: '逾期申请', NOT_ALLOWED: '不允许', LIMIT_NOT_EXTENDED: '期限未延长',
};
// The scheduling rules a proposed hearing date can break (HearingViolation.rule, services/node/hearing.py),
// as a short tag; the API's message says the dates and the basis.
export const HEARING_RULES = {
  PAST_DATE: '早于今日', ANSWER_PERIOD: '答辩期未满', EVIDENCE_PERIOD: '举证期未满', NOTICE_PERIOD: '通知不足三日',
  TIME_LIMIT: '超出审限', HEARING_INTERVAL: '开庭间隔过短', ADJOURNMENT_INTERVAL: '延期开庭超过一个月',
  ADJOURNMENT_LIMIT: '延期开庭次数超限', REST_DAY: '法定休息日', CALENDAR_UNKNOWN: '节假日安排未导入',
};
// The ErrorInfo reasons as labels.py's REASONS has them (a test checks that the two agree): the
// audit log shows 「拒绝：超出权限范围」, the code itself on hover.
export const REASONS = {
  INVALID_ARGUMENT: '参数错误', NOT_FOUND: '对象不存在', ALREADY_EXISTS: '对象已存在', PERMISSION_DENIED: '无权操作',
  UNAUTHENTICATED: '未登录', UNAVAILABLE: '服务暂时不可用', DATABASE_UNAVAILABLE: '数据库暂时不可用', QUERY_CANCELLED: '查询未在调用时限内完成，已取消', RESOURCE_EXHAUSTED: '请求过多或过大',
  FAILED_PRECONDITION: '不满足操作条件', ABORTED: '已被他人修改', CANCELLED: '调用已取消', UNKNOWN: '未知错误',
  DEADLINE_EXCEEDED: '未在时限内答复', OUT_OF_RANGE: '超出取值范围', UNIMPLEMENTED: '接口未实现', INTERNAL: '内部错误', DATA_LOSS: '数据丢失',
  OUT_OF_SCOPE: '超出权限范围', PROVINCE_SCOPE_REQUIRED: '须有全省范围权限', AUDIT_ROLE_REQUIRED: '须为审计人员',
  CALLER_MISSING: '缺少调用者身份', CALLER_SIGNATURE_INVALID: '调用者身份签名无效', CASE_NOT_FOUND: '案件不存在',
  CASE_NUMBER_TAKEN: '案号已被使用', CASE_LOCKED: '案件已锁定', CASE_ARCHIVED: '案件已归档', CASE_CLOSED: '案件已结案',
  CASE_NOT_CLOSED: '案件尚未结案', CASE_FROZEN: '案件不能再修改', CLOSING_NOT_TRACKED: '无法确定应恢复的节点', ETAG_MISMATCH: '已被他人修改',
  NOTHING_CHANGED: '没有需要修改的内容', HEARING_OUTSIDE_RULES: '开庭排期不符合规定', HEARING_VALIDATION_FAILED: '开庭排期校验失败',
  NODE_SERVICE_UNAVAILABLE: '节点服务暂时不可用', NODE_NOT_FOUND: '节点不存在', APPLICATION_NOT_FOUND: '申请不存在',
  RULE_NOT_FOUND: '节点规则不存在', STAGE_NOT_FOUND: '阶段不存在', NO_APPROVAL_AUTHORITY: '无审批权限', SELF_APPROVAL: '不能审批本人的申请',
  NODE_COMPLETED: '节点已完成', NODE_NOT_LOCKED: '节点未锁定', NOT_A_TIME_LIMIT: '不是审限节点', CLOCK_SUSPENDED: '期限已中止',
  CLOCK_NOT_SUSPENDED: '期限未中止', APPLICATION_PENDING: '已有待审批的申请', APPLICATION_DECIDED: '申请已审批',
  NOT_OWN_INBOX: '不是本人的消息', MESSAGE_NOT_FOUND: '消息不存在', EXPORT_TOO_LARGE: '导出记录过多', SOURCE_UNAVAILABLE: '数据来源暂时不可用',
  RATE_LIMITED: '请求过于频繁', REQUEST_TOO_LARGE: '请求过大', INVALID_JSON: '请求格式错误', INVALID_JSON_REQUEST: '请求格式错误',
  METHOD_NOT_FOUND: '接口不存在', METHOD_NOT_ALLOWED: '不支持的请求方法', ROUTE_NOT_FOUND: '接口不存在', METHOD_NOT_PERMITTED: '接口未开放',
  ROLE_NOT_PERMITTED: '角色无权调用', CROSS_SITE_REQUEST: '跨站请求', SHUTTING_DOWN: '网关正在停止', SERVICE_UNAVAILABLE: '服务暂时不可用',
  SERVICE_DEADLINE_EXCEEDED: '服务未在时限内答复', SERVICE_RESOURCE_EXHAUSTED: '服务答复过大',
  SERVICE_METHOD_UNIMPLEMENTED: '服务不支持此接口', SERVICE_ERROR: '服务出错', COURT_EXISTS: '法院已存在', DEPARTMENT_EXISTS: '庭室已存在',
  DEPARTMENT_NOT_FOUND: '庭室不存在', USER_EXISTS: '用户已存在', USER_NOT_FOUND: '用户不存在', TOKEN_MISSING: '未提供令牌',
  TOKEN_INVALID: '令牌无效', TOKEN_EXPIRED: '令牌已过期', TOKEN_NOT_YET_VALID: '令牌尚未生效', JWKS_UNAVAILABLE: '身份系统公钥暂时无法获取',
  USER_UNKNOWN: '组织目录中无此用户', USER_INACTIVE: '账号已停用', SESSION_REVOKED: '登录会话已注销', SESSION_NOT_FOUND: '登录会话不存在',
  NO_SESSION: '没有登录会话', LOGIN_DISABLED: '未启用内置登录', INVALID_CREDENTIALS: '用户名或密码错误', WRONG_PASSWORD: '密码错误',
  NO_PASSWORD: '未设置密码', UNKNOWN_USER: '用户名不存在', TOO_MANY_FAILURES: '密码连续错误次数过多', ACCOUNT_LOCKED: '账号已锁定',
  PASSWORD_TOO_SHORT: '密码过短', REFRESH_TOKEN_INVALID: '刷新令牌无效', REFRESH_TOKEN_EXPIRED: '刷新令牌已过期',
  REFRESH_TOKEN_REUSED: '刷新令牌被重复使用',
};
export const AUDIT_RESULTS = { SUCCEEDED: '成功', DENIED: '拒绝', FAILED: '失败' };
export const CHAIN_PROBLEMS = {
  MISSING: '记录缺失', BROKEN_LINK: '链接断裂', ALTERED: '记录被篡改', REWRITTEN: '链被改写',
  CHECKPOINT_FORGED: '检查点伪造', ANCHOR_FORGED: '保留锚点伪造',
};
export const PARTY_ROLES = {
  PLAINTIFF: '原告', DEFENDANT: '被告', THIRD_PARTY: '第三人', APPELLANT: '上诉人', APPELLEE: '被上诉人',
  EXECUTION_APPLICANT: '申请执行人', EXECUTION_RESPONDENT: '被执行人',
};
export const NODE_STATUS = { NORMAL: '正常', WARNING: '预警', OVERDUE: '超期' };
export const LOCK_TYPES = { OVERDUE: '超期锁定' };
export const ROLES = {
  JUDGE: '法官', JUDGE_ASSISTANT: '法官助理', CLERK: '书记员', DIVISION_HEAD: '庭长',
  VICE_PRESIDENT: '分管院领导', PRESIDENT: '院长', TRIAL_MANAGEMENT: '审管办', AUDITOR: '审计/监察',
  SYSTEM_ADMIN: '系统管理员', COURT_SYSTEM: '办案系统接口',
};
export const SCOPES = { OWN: '本人承办', DEPARTMENT: '本部门', COURT: '本院', REGION: '本片区', PROVINCE: '全省' };
export const DATE_BASES = { RECEIVE: '收案日期', FILING: '立案日期', CLOSE: '结案日期', ARCHIVE: '归档日期' };
export const DIMENSIONS = {
  REGION: '片区', COURT: '法院', DEPARTMENT: '部门', STAGE: '阶段', CATEGORY: '节点类别', NODE_TYPE: '节点类型',
  CASE_TYPE: '案件类型', PROCEDURE: '审理程序', HANDLER: '承办人', MONTH: '月份',
};
export const STAGE_ORDER = Object.keys(STAGES);

// The filter's terms in words (a drill-down page says what it lists).
export const TERM_WORDS = {
  region: '片区', court: '法院', department: '部门', stage: '阶段', category: '节点类别', node_type: '节点类型',
  case_type: '案件类型', procedure: '审理程序', handler: '承办人', responsible: '责任人', month: '月份',
  status: '节点状态', open: '未完成', locked: '锁定', unlocked: '已解锁', overdue_without_warning: '超期未预警',
  abnormal: '异常', closed: '已结案',
};

/** The word of an enum value given by its JSON name ("STAGE_FILING") or short name ("FILING"). */
export function word(table, value, prefix = '') {
  if (value === undefined || value === null || value === '') return '—';
  const key = prefix && String(value).startsWith(prefix) ? String(value).slice(prefix.length) : String(value);
  return table[key] ?? String(value);
}
