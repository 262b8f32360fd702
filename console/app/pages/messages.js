// 消息: the caller's inbox (AlertService.ListMessages), unread first or all, each marked read on
// demand; new reminders arrive live (StreamMessages, newline-delimited JSON through fetch).
import { EP, h, ref, defineComponent, onBeforeUnmount } from '../lib.js';
import { route, setQuery } from '../router.js';
import { get, post, stream } from '../api.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader } from '../ui.js';
import { dateTime } from '../format.js';
import { link } from '../router.js';
import { casePath } from '../tables.js';

const { ElButton, ElRadioGroup, ElRadioButton, ElTag } = EP;
const KINDS = { WARNING: ['预警', 'warning'], OVERDUE: ['超期', 'danger'], CLOSING_CHECK: ['结案检查', 'warning'], ESCALATION: ['督办', 'danger'],
  APPROVAL_REQUESTED: ['待审批', 'primary'], APPLICATION_DECIDED: ['审批结果', 'success'], NODE_LOCKED: ['锁定', 'danger'],
  NODE_UNLOCKED: ['解锁', 'success'], CASE_ASSIGNED: ['分案', 'primary'] };

export const MessagesPage = defineComponent({
  name: 'CfMessagesPage',
  setup() {
    const live = ref([]);
    const actionError = ref(null);
    const unreadOnly = () => route.query.show !== 'all';
    const { data, error, busy, reload } = useLoader(() => route.query.show, async () => {
      live.value = [];
      return get('/v1/users/me/messages', [['pageSize', 100], ['filter', unreadOnly() ? 'read = false' : '']]);
    });
    const announce = (n) => window.dispatchEvent(new CustomEvent('courtflow:unread', { detail: n }));

    // Live: every message after the newest one listed, while the page is open.
    const controller = new AbortController();
    let stopped = false;
    (async function follow(after) {
      while (!stopped) {
        try {
          await stream('/v1/users/me/messages:stream', [['after', after]], (result) => {
            const m = result.message;
            after = m.name;
            if (!live.value.some((x) => x.name === m.name) && !(data.value?.messages || []).some((x) => x.name === m.name)) {
              live.value = [m, ...live.value];
              announce((data.value?.unreadCount || 0) + live.value.filter((x) => !x.read).length);
            }
          }, controller.signal);
        } catch (e) {
          if (e.name === 'AbortError' || stopped) return;
        }
        await new Promise((r) => setTimeout(r, 3000));   // the gateway restarted: reconnect
      }
    })('');
    onBeforeUnmount(() => { stopped = true; controller.abort(); });

    async function markRead(m) {
      actionError.value = null;
      try {
        await post(`/v1/${m.name}:markRead`, {});
        m.read = true;
        data.value = { ...data.value, unreadCount: Math.max(0, (data.value.unreadCount || 1) - 1) };
        live.value = [...live.value];
        announce(data.value.unreadCount);
      } catch (e) { actionError.value = e; }
    }
    async function markAll() {
      actionError.value = null;
      try {
        await post('/v1/users/me/messages:markAllRead', {});
        announce(0);
        reload();
      } catch (e) { actionError.value = e; }
    }

    function item(m) {
      const [kind, tone] = KINDS[String(m.kind).replace('REMINDER_KIND_', '')] || ['提醒', 'info'];
      return h('li', { class: ['cf-message', m.read ? 'read' : 'unread'], key: m.name }, [
        h('div', { class: 'cf-message-head' }, [
          h(ElTag, { type: tone, effect: m.read ? 'plain' : 'light', disableTransitions: true }, () => kind),
          h('h2', { class: 'cf-message-title' }, m.title),
          h('time', { class: 'cf-muted', datetime: m.createTime }, dateTime(m.createTime)),
        ]),
        h('p', { class: 'cf-message-body' }, m.body),
        h('div', { class: 'cf-message-actions' }, [
          m.case ? link(casePath(m.case), {}, `查看案件 ${m.caseNumber || ''}`) : null,
          m.read ? h('span', { class: 'cf-muted' }, '已读') : h(ElButton, { size: 'small', onClick: () => markRead(m) }, () => '标为已读'),
        ]),
      ]);
    }

    return () => {
      const d = data.value;
      const listed = new Set(((d && d.messages) || []).map((m) => m.name));
      const messages = [...live.value.filter((m) => !listed.has(m.name) && (!unreadOnly() || !m.read)), ...((d && d.messages) || [])];
      return h('section', { class: 'cf-page' }, [
        pageHeader('消息', d ? `未读 ${d.unreadCount || 0} 条。新的提醒会自动出现在列表顶部。` : '',
          h(ElButton, { disabled: !d || !d.unreadCount, onClick: markAll }, () => '全部标为已读')),
        h('div', { class: 'cf-toolbar' }, h(ElRadioGroup, { modelValue: unreadOnly() ? 'unread' : 'all', 'onUpdate:modelValue': (v) => setQuery({ show: v === 'all' ? 'all' : '' }), ariaLabel: '显示' }, () => [
          h(ElRadioButton, { value: 'unread' }, () => '未读'), h(ElRadioButton, { value: 'all' }, () => '全部')])),
        errorNotice(error.value, reload), errorNotice(actionError.value),
        busy.value && !d ? loading() : null,
        d && messages.length ? h('ul', { class: 'cf-messages', 'aria-live': 'polite' }, messages.map(item)) : null,
        d && !messages.length ? emptyState(unreadOnly() ? '没有未读消息。选择“全部”查看已读的消息；节点预警、超期和审批提醒会出现在这里。' : '还没有消息。节点预警、超期和审批提醒会出现在这里。') : null,
      ]);
    };
  },
});
