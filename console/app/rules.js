// What the time-limit rules allow (审限变更规则): the approver of each kind of application, the
// deduction reasons with their longest span, and each limit's extension steps (the first approved
// extension is judged by the first step, the second by the second; the last step repeats when it
// has no max; no steps: the law allows none). The API does not publish these yet, so this is a
// copy of the shipped services/node/time_limits.yaml (tests/contract/test_console_vendor.py checks
// that the two agree). A deployment with other rules (NODE_TIME_LIMITS) is judged by its own: the
// form says so, and the application's warnings and required approver are the API's.
export const TIME_LIMIT_RULES = {
 "version": "2026.3",
 "approvers": {
  "SUSPENSION": "vice_president",
  "RESUMPTION": "vice_president",
  "DEDUCTION": "vice_president",
  "UNLOCK": "vice_president",
  "HEARING_EXCEPTION": "division_head"
 },
 "reasons": {
  "psychiatric_evaluation": {
   "label": "对被告人作精神病鉴定",
   "max": null
  },
  "new_defender": {
   "label": "被告人另行委托或指定辩护人后的准备辩护时间",
   "max": "10d"
  },
  "supplementary_investigation": {
   "label": "检察院补充侦查",
   "max": "1m"
  },
  "prosecutor_file_review": {
   "label": "二审检察院查阅案卷的时间",
   "max": "1m"
  },
  "adjournment": {
   "label": "因通知新的证人到庭、调取新的证据、重新鉴定或者勘验而延期审理",
   "max": "1m"
  },
  "public_notice": {
   "label": "公告",
   "max": null
  },
  "appraisal": {
   "label": "鉴定",
   "max": null
  },
  "settlement": {
   "label": "双方当事人和解期间",
   "max": null
  },
  "administrative_mediation": {
   "label": "行政案件调解期间",
   "max": null
  },
  "jurisdiction_objection": {
   "label": "处理管辖权异议",
   "max": null
  },
  "jurisdiction_dispute": {
   "label": "处理法院之间的管辖争议",
   "max": null
  },
  "audit_valuation": {
   "label": "审计、评估、资产清理",
   "max": null
  },
  "suspension": {
   "label": "中止诉讼（审理）或者中止执行至恢复",
   "max": null
  },
  "execution_deferred": {
   "label": "执行和解、提供担保后暂缓执行或者上级法院通知暂缓执行",
   "max": null
  },
  "auction": {
   "label": "拍卖、变卖被查封、扣押财产",
   "max": null
  }
 },
 "limits": {
  "trial_time_limit": [
   {
    "max": "6m",
    "approver": "president",
    "leadDays": 10
   },
   {
    "max": "3m",
    "approver": "higher_court",
    "leadDays": 10
   }
  ],
  "trial_time_limit_civil_converted_ordinary": [
   {
    "max": "6m",
    "approver": "president",
    "leadDays": 10
   },
   {
    "max": "3m",
    "approver": "higher_court",
    "leadDays": 10
   }
  ],
  "trial_time_limit_civil_simplified": [
   {
    "max": "1m",
    "approver": "president",
    "leadDays": 10
   }
  ],
  "trial_time_limit_civil_converted_simplified": [
   {
    "max": "1m",
    "approver": "president",
    "leadDays": 10
   }
  ],
  "trial_time_limit_civil_small_claims": [
   {
    "max": "1m",
    "approver": "president",
    "leadDays": 10
   }
  ],
  "trial_time_limit_civil_second_instance": [
   {
    "max": "3m",
    "approver": "president",
    "leadDays": 10
   }
  ],
  "trial_time_limit_civil_ruling_appeal": [],
  "trial_time_limit_civil_special": [
   {
    "max": "30d",
    "approver": "president",
    "leadDays": 10
   }
  ],
  "trial_time_limit_criminal_first_instance": [
   {
    "max": "1m",
    "approver": "president",
    "leadDays": 10
   },
   {
    "max": "3m",
    "approver": "higher_court",
    "leadDays": 7
   },
   {
    "max": null,
    "approver": "supreme_court",
    "leadDays": 7
   }
  ],
  "trial_time_limit_criminal_converted_ordinary": [
   {
    "max": "1m",
    "approver": "president",
    "leadDays": 10
   },
   {
    "max": "3m",
    "approver": "higher_court",
    "leadDays": 7
   },
   {
    "max": null,
    "approver": "supreme_court",
    "leadDays": 7
   }
  ],
  "trial_time_limit_criminal_private_prosecution": [],
  "trial_time_limit_civil_special_after_notice": [
   {
    "max": "30d",
    "approver": "president",
    "leadDays": 10
   }
  ],
  "trial_time_limit_criminal_simplified": [
   {
    "max": null,
    "to": "1m15d",
    "approver": "president",
    "leadDays": 0
   }
  ],
  "trial_time_limit_criminal_converted_simplified": [
   {
    "max": null,
    "to": "1m15d",
    "approver": "president",
    "leadDays": 0
   }
  ],
  "trial_time_limit_criminal_fast_track": [
   {
    "max": "5d",
    "approver": "president",
    "leadDays": 0
   }
  ],
  "trial_time_limit_criminal_second_instance": [
   {
    "max": "2m",
    "approver": "high_court",
    "leadDays": 7
   },
   {
    "max": null,
    "approver": "supreme_court",
    "leadDays": 7
   }
  ],
  "trial_time_limit_administrative_first_instance": [
   {
    "max": null,
    "approver": "high_court",
    "leadDays": 15
   }
  ],
  "trial_time_limit_administrative_converted_ordinary": [
   {
    "max": null,
    "approver": "high_court",
    "leadDays": 15
   }
  ],
  "trial_time_limit_administrative_simplified": [],
  "trial_time_limit_administrative_second_instance": [
   {
    "max": null,
    "approver": "high_court",
    "leadDays": 15
   }
  ],
  "trial_time_limit_state_compensation": [
   {
    "max": "3m",
    "approver": "president",
    "leadDays": 10
   }
  ],
  "execution_time_limit": [
   {
    "max": null,
    "approver": "vice_president",
    "leadDays": 5
   }
  ],
  "execution_time_limit_non_litigation": [
   {
    "max": null,
    "approver": "vice_president",
    "leadDays": 5
   }
  ],
  "judicial_confirmation_time_limit": [
   {
    "max": "10d",
    "approver": "president",
    "leadDays": 3
   }
  ],
  "pre_mediation_time_limit": [
   {
    "max": "30d",
    "approver": "division_head",
    "leadDays": 3
   }
  ]
 }
};

// Approver levels, lowest first, as services/node/time_limits.py words them.
export const LEVELS = {
  division_head: '本庭庭长', vice_president: '分管院领导', president: '本院院长',
  higher_court: '上一级人民法院', high_court: '高级人民法院', supreme_court: '最高人民法院',
};
export const LEVEL_ORDER = Object.keys(LEVELS);

const UNITS = { y: '年', m: '个月', d: '日', h: '小时' };

/** "6m" → 6个月, "10d" → 10日, "1m15d" → 1个月15日 (months then days, as services/node/periods.py
 * counts them); empty or unknown → ''. */
export function periodLabel(period) {
  const m = /^(?:(\d+)(y|m))?(?:(\d+)(d|h))?$/.exec(period || '');
  if (!m || (!m[1] && !m[3])) return '';
  return (m[1] ? `${m[1]}${UNITS[m[2]]}` : '') + (m[3] ? `${m[3]}${UNITS[m[4]]}` : '');
}

/** The extension step that judges the next extension of a limit, after `approved` approved ones:
 * { step, index, steps } — step null when the rules allow no (further) extension. */
export function extensionStep(nodeType, approved) {
  const steps = TIME_LIMIT_RULES.limits[nodeType];
  if (!steps) return null;   // not a time limit: nothing to extend, deduct or suspend
  if (!steps.length) return { step: null, index: 0, steps };
  if (approved < steps.length) return { step: steps[approved], index: approved, steps };
  const last = steps[steps.length - 1];
  return { step: last.max ? null : last, index: approved, steps };
}

export function isTimeLimit(nodeType) {
  return Object.prototype.hasOwnProperty.call(TIME_LIMIT_RULES.limits, nodeType);
}
