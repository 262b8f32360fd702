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
