// The frame around every page: the system's name, who is signed in, the menu of their role, and
// the page. The menu is a list of links (keyboard and screen readers take it as navigation).
import { EP, h, ref, watch, defineComponent } from './lib.js';
import { get, logout } from './api.js';
import { route, link, go } from './router.js';
import { session, STAFF, LEADERS, CASE_READERS, PEOPLE, AUDITORS, APPROVERS, ADMINS, RULE_MANAGERS, INTEGRITY_CHECKERS } from './session.js';
import { ROLES, SCOPES, word } from './labels.js';
import { courtName, loadCourts } from './names.js';
import { CasesPage } from './pages/p1_cases.js';
import { WarningsPage } from './pages/p2_warnings.js';
import { DepartmentsPage } from './pages/p3_departments.js';
import { StatisticsPage } from './pages/p4_statistics.js';
import { LocksPage } from './pages/p5_locks.js';
import { LockTypesPage } from './pages/p6_lock_types.js';
import { ReportsPage } from './pages/p7_reports.js';
import { QualityPage } from './pages/q2_quality.js';
import { IntegrityPage } from './pages/integrity.js';
import { DrillPage } from './pages/drill.js';
import { CasePage } from './pages/case.js';
import { MyNodesPage } from './pages/my_nodes.js';
import { MessagesPage } from './pages/messages.js';
import { ApplyPage, MyApplicationsPage } from './pages/apply.js';
import { ApprovalsPage } from './pages/approvals.js';
import { AuditRecordsPage, AuditUsagePage, AuditVerifyPage } from './pages/audit.js';
import { OrgPage, ImportPage } from './pages/admin_org.js';
import { CalendarsPage, RulesPage, StageViewsPage } from './pages/admin_rules.js';

const { ElButton, ElBadge } = EP;

// path, menu group and title, who sees it in the menu, who may open it, the page.
export const ROUTES = [
  { path: '/supervision/cases', group: '监督平台', title: '案件信息', menu: LEADERS, roles: CASE_READERS, page: CasesPage },
  { path: '/supervision/warnings', group: '监督平台', title: '流程节点预警', menu: LEADERS, roles: CASE_READERS, page: WarningsPage },
  { path: '/supervision/departments', group: '监督平台', title: '部门预警情况', menu: LEADERS, roles: CASE_READERS, page: DepartmentsPage },
  { path: '/supervision/statistics', group: '监督平台', title: '流程节点监督统计', menu: LEADERS, roles: CASE_READERS, page: StatisticsPage },
  { path: '/supervision/locks', group: '监督平台', title: '案件锁定情况', menu: LEADERS, roles: CASE_READERS, page: LocksPage },
  { path: '/supervision/lock-types', group: '监督平台', title: '被锁定案件类型统计', menu: LEADERS, roles: CASE_READERS, page: LockTypesPage },
  { path: '/supervision/reports', group: '监督平台', title: '三级法院工作报表', menu: LEADERS, roles: LEADERS, page: ReportsPage },
  { path: '/supervision/quality', group: '监督平台', title: '质效分析', menu: LEADERS, roles: CASE_READERS, page: QualityPage },
  { path: '/supervision/integrity', group: '监督平台', title: '数据一致性核查', menu: INTEGRITY_CHECKERS, roles: INTEGRITY_CHECKERS, page: IntegrityPage },
  { path: '/supervision/drill', title: '明细', menu: [], roles: CASE_READERS, page: DrillPage },
  { path: '/my/nodes', group: '我的工作', title: '我的节点', menu: [...STAFF, 'ROLE_DIVISION_HEAD'], roles: CASE_READERS, page: MyNodesPage },
  { path: '/applications', group: '我的工作', title: '我的申请', menu: STAFF, roles: CASE_READERS, page: MyApplicationsPage },
  { path: '/applications/new', title: '申请', menu: [], roles: CASE_READERS, page: ApplyPage },
  { path: '/approvals', group: '我的工作', title: '待审批', menu: APPROVERS, roles: APPROVERS, page: ApprovalsPage },
  { path: '/messages', group: '我的工作', title: '消息', menu: PEOPLE, roles: PEOPLE, page: MessagesPage },
  { path: '/audit/records', group: '审计', title: '日志查询', menu: AUDITORS, roles: AUDITORS, page: AuditRecordsPage },
  { path: '/audit/usage', group: '审计', title: '使用统计', menu: AUDITORS, roles: AUDITORS, page: AuditUsagePage },
  { path: '/audit/verify', group: '审计', title: '日志链校验', menu: AUDITORS, roles: AUDITORS, page: AuditVerifyPage },
  { path: '/admin/org', group: '系统管理', title: '组织机构', menu: ADMINS, roles: ADMINS, page: OrgPage },
  { path: '/admin/import', group: '系统管理', title: '人事导入', menu: ADMINS, roles: ADMINS, page: ImportPage },
  { path: '/admin/calendars', group: '系统管理', title: '节假日安排', menu: RULE_MANAGERS, roles: PEOPLE, page: CalendarsPage },
  { path: '/admin/rules', group: '系统管理', title: '节点规则', menu: RULE_MANAGERS, roles: PEOPLE, page: RulesPage },
  { path: '/admin/stages', group: '系统管理', title: '阶段视图', menu: RULE_MANAGERS, roles: PEOPLE, page: StageViewsPage },
  { prefix: '/case/', title: '案件', menu: [], roles: CASE_READERS, page: CasePage },
];

export function resolve(path) {
  return ROUTES.find((r) => r.path === path || (r.prefix && path.startsWith(r.prefix))) || null;
}

export function home(role) {
  if (LEADERS.includes(role)) return '/supervision/cases';
  if (STAFF.includes(role)) return '/my/nodes';
  if (AUDITORS.includes(role)) return '/audit/records';
  if (ADMINS.includes(role)) return '/admin/org';
  return '/messages';
}

const NotFound = defineComponent({
  props: { text: String },
  setup(props) {
    return () => h('section', { class: 'cf-page' }, [h('h1', null, '页面不存在'), h('p', null, props.text),
      link(home(session.caller.role), {}, '返回首页')]);
  },
});

const UNREAD_SECONDS = 30;

export const Shell = defineComponent({
  name: 'CfShell',
  props: { page: Object },
  setup(props) {
    const unread = ref(0);
    loadCourts().catch(() => {});
    // The badge is counted when the console starts and again on a change of page at most every
    // UNREAD_SECONDS (the messages page keeps it live while open): a drill-down click then asks
    // the gateway for its list alone, not for the count beside it.
    let counted = -Infinity;
    async function countUnread() {
      if (performance.now() - counted < UNREAD_SECONDS * 1000) return;
      counted = performance.now();
      try {
        unread.value = (await get('/v1/users/me/messages', [['pageSize', 1], ['filter', 'read = false']])).unreadCount || 0;
      } catch { counted = -Infinity; /* the badge is a convenience: asked again on the next page */ }
    }
    watch(() => route.path, countUnread, { immediate: true });
    window.addEventListener('courtflow:unread', (e) => { unread.value = e.detail; });

    async function signOut() {
      await logout().catch(() => {});
      go('/login', {}, { replace: true });
    }

    function menu(caller) {
      const groups = new Map();
      for (const r of ROUTES) {
        if (!r.menu.includes(caller.role)) continue;
        if (!groups.has(r.group)) groups.set(r.group, []);
        const current = route.path === r.path;
        const label = r.path === '/messages' && unread.value
          ? [r.title, h('span', { class: 'cf-unread', 'aria-label': `${unread.value} 条未读` }, String(unread.value))] : r.title;
        groups.get(r.group).push(h('li', { key: r.path }, link(r.path, {}, label, { 'aria-current': current ? 'page' : undefined, class: current ? 'active' : '' })));
      }
      return h('nav', { class: 'cf-menu', 'aria-label': '主菜单' }, [...groups].map(([group, items]) => h('div', { class: 'cf-menu-group' }, [
        h('h2', null, group), h('ul', null, items)])));
    }

    return () => {
      const caller = session.caller;
      const page = props.page;
      let body;
      if (!page) body = h(NotFound, { text: '地址有误：本系统没有这个页面。' });
      else if (!page.roles.includes(caller.role)) {
        body = h(NotFound, { text: `您的角色（${word(ROLES, caller.role, 'ROLE_')}）不能使用“${page.title}”。` });
      } else body = h(page.page, { key: route.path });
      return h('div', { class: 'cf-layout' }, [
        h('a', { class: 'cf-skip', href: '#cf-main' }, '跳到正文'),
        h('header', { class: 'cf-topbar' }, [
          h('div', { class: 'cf-brand' }, [h('span', { class: 'cf-logo', 'aria-hidden': 'true' }, '法'), '全流程节点管控系统']),
          h('div', { class: 'cf-user' }, [
            h('span', null, `${caller.displayName}（${word(ROLES, caller.role, 'ROLE_')}）`),
            h('span', { class: 'cf-muted' }, `${courtName(caller.court)} · 范围：${word(SCOPES, caller.scope, 'SCOPE_LEVEL_')}`),
            h(ElButton, { size: 'small', onClick: signOut }, () => '退出登录'),
          ]),
        ]),
        h('div', { class: 'cf-body' }, [
          h('aside', { class: 'cf-aside' }, menu(caller)),
          h('main', { id: 'cf-main', class: 'cf-main', tabindex: '-1' }, body),
        ]),
      ]);
    };
  },
});
