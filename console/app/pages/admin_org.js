// 系统管理 (system administrators): the org directory of one court of their scope — its
// departments (CreateDepartment; 名称、分管院领导: UpdateDepartment) and people (CreateUser,
// UpdateUser: name, role, department, mobile, whether they may sign in, absence and deputy), a new
// court below theirs (CreateCourt) — and 人事导入, a court's HR export (YAML or CSV) checked first
// (validateOnly) and then imported all or nothing, every bad row shown with its field and the API's rule.
import { EP, h, ref, reactive, defineComponent } from '../lib.js';
import { route } from '../router.js';
import { get, post, patch, call } from '../api.js';
import { pageHeader, errorNotice, emptyState, loading, useLoader, CourtPicker, EditorPanel } from '../ui.js';
import { session } from '../session.js';
import { ROLES, DEPARTMENT_KINDS, COURT_LEVELS, word } from '../labels.js';
import { tail, number } from '../format.js';
import { courtName, courts, remember, rememberCourt } from '../names.js';

const { ElTable, ElTableColumn, ElButton, ElForm, ElFormItem, ElInput, ElSelect, ElOption, ElSwitch, ElTag,
  ElRadioGroup, ElRadioButton, ElAlert } = EP;

// Roles an administrator gives people (the court systems' accounts are not people).
const PERSON_ROLES = Object.keys(ROLES).filter((r) => r !== 'COURT_SYSTEM');
// Roles that belong to a department (the others are court-wide).
const IN_DEPARTMENT = ['JUDGE', 'JUDGE_ASSISTANT', 'CLERK', 'DIVISION_HEAD'];
const roleOf = (user) => String(user.role || '').replace('ROLE_', '');

async function directory(court) {
  const users = [];
  let token = '';
  do {
    const page = await get(`/v1/courts/${court}/users`, [['pageSize', 1000], ['pageToken', token]]);
    users.push(...(page.users || []));
    token = page.nextPageToken || '';
  } while (token);
  const departments = (await get(`/v1/courts/${court}/departments`)).departments || [];
  for (const u of users) remember(u.name, u.displayName);
  return { court, users: users.sort((a, b) => a.name.localeCompare(b.name)), departments };
}

const UserEditor = defineComponent({
  name: 'CfUserEditor',
  props: { user: Object, court: String, departments: Array, users: Array },
  emits: ['close', 'saved'],
  setup(props, { emit }) {
    const creating = !props.user.name;
    const form = reactive({
      username: tail(props.user.name), displayName: props.user.displayName || '', role: roleOf(props.user) || 'JUDGE',
      department: props.user.department || '', mobile: '', active: props.user.active ?? true, absent: Boolean(props.user.absent),
      deputy: props.user.deputy || '',
    });
    const busy = ref(false);
    const error = ref(null);
    async function save() {
      busy.value = true; error.value = null;
      const user = {
        name: `users/${form.username.trim()}`, displayName: form.displayName.trim(), role: `ROLE_${form.role}`,
        court: props.court, department: IN_DEPARTMENT.includes(form.role) ? form.department : '', active: form.active,
        absent: form.absent, deputy: form.absent ? form.deputy : '',
      };
      if (form.mobile.trim()) user.mobile = form.mobile.trim();
      try {
        const reply = creating ? await post('/v1/users', user)
          : await patch(`/v1/${user.name}`, user, ['display_name', 'role', 'department', 'active', 'absent', 'deputy', ...(user.mobile ? ['mobile'] : [])]);
        emit('saved', reply.user, creating);
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = false;
      }
    }
    return () => {
      const item = (label, child, extra = {}) => h(ElFormItem, { label, ...extra }, () => child);
      const input = (key, label, extra = {}) => h(ElInput, { modelValue: form[key], ariaLabel: label, 'onUpdate:modelValue': (v) => { form[key] = v; }, ...extra });
      return h(EditorPanel, { title: creating ? '新增人员' : `编辑人员：${props.user.displayName}`, onClose: () => emit('close') }, {
        default: () => [
          h(ElForm, { labelPosition: 'right', labelWidth: '7rem', onSubmit: (e) => { e.preventDefault(); save(); } }, () => [
            item('用户名', input('username', '用户名', { disabled: !creating, placeholder: '如 judge.440101.civil1.9（小写字母、数字、点）' }), { required: true }),
            item('姓名', input('displayName', '姓名'), { required: true }),
            item('角色', h(ElSelect, { modelValue: form.role, ariaLabel: '角色', style: { width: '100%' }, 'onUpdate:modelValue': (v) => { form.role = v; } },
              () => PERSON_ROLES.map((r) => h(ElOption, { key: r, value: r, label: ROLES[r] }))), { required: true }),
            IN_DEPARTMENT.includes(form.role) ? item('部门', h(ElSelect, { modelValue: form.department, ariaLabel: '部门', placeholder: '选择部门', style: { width: '100%' },
              'onUpdate:modelValue': (v) => { form.department = v; } }, () => props.departments.map((d) => h(ElOption, { key: d.name, value: d.name, label: d.displayName }))), { required: true }) : null,
            item('手机号', input('mobile', '手机号', { placeholder: creating ? '用于短信提醒' : '留空则不变（手机号不回显）' })),
            item('允许登录', h(ElSwitch, { modelValue: form.active, ariaLabel: '允许登录', activeText: '启用', inactiveText: '停用', 'onUpdate:modelValue': (v) => { form.active = v; } })),
            item('不在岗', h(ElSwitch, { modelValue: form.absent, ariaLabel: '不在岗（请假、培训、借调）', activeText: '不在岗', inactiveText: '在岗', 'onUpdate:modelValue': (v) => { form.absent = v; } })),
            form.absent ? item('代理人', h(ElSelect, { modelValue: form.deputy, ariaLabel: '代理人', filterable: true, clearable: true, placeholder: '提醒转给谁', style: { width: '100%' },
              'onUpdate:modelValue': (v) => { form.deputy = v || ''; } }, () => props.users.filter((u) => u.name !== `users/${form.username}` && u.active)
              .map((u) => h(ElOption, { key: u.name, value: u.name, label: `${u.displayName}（${word(ROLES, u.role, 'ROLE_')}）` })))) : null,
            errorNotice(error.value),
            h(ElFormItem, null, () => h('div', { class: 'cf-buttons' }, [
              h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value }, () => (creating ? '新增' : '保存')),
              h(ElButton, { onClick: () => emit('close') }, () => '取消')])),
          ]),
        ],
      });
    };
  },
});

const DepartmentEditor = defineComponent({
  name: 'CfDepartmentEditor',
  props: { department: Object, users: Array },
  emits: ['close', 'saved'],
  setup(props, { emit }) {
    const form = reactive({ displayName: props.department.displayName, vicePresident: props.department.vicePresident || '' });
    const busy = ref(false);
    const error = ref(null);
    async function save() {
      busy.value = true; error.value = null;
      try {
        const reply = await patch(`/v1/${props.department.name}`, { name: props.department.name, displayName: form.displayName.trim(), vicePresident: form.vicePresident },
          ['display_name', 'vice_president']);
        emit('saved', reply.department);
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = false;
      }
    }
    // The API takes a vice-president of the department's court only (分管院领导).
    const vps = () => props.users.filter((u) => roleOf(u) === 'VICE_PRESIDENT');
    return () => h(EditorPanel, { title: `编辑部门：${props.department.displayName}`, onClose: () => emit('close') }, {
      default: () => h(ElForm, { labelPosition: 'right', labelWidth: '7rem', onSubmit: (e) => { e.preventDefault(); save(); } }, () => [
        h(ElFormItem, { label: '部门名称', required: true }, () => h(ElInput, { modelValue: form.displayName, ariaLabel: '部门名称', 'onUpdate:modelValue': (v) => { form.displayName = v; } })),
        h(ElFormItem, { label: '分管院领导' }, () => h(ElSelect, { modelValue: form.vicePresident, ariaLabel: '分管院领导', clearable: true, placeholder: '未指定：提醒发给本院全部副院长', style: { width: '100%' },
          'onUpdate:modelValue': (v) => { form.vicePresident = v || ''; } }, () => vps().map((u) => h(ElOption, { key: u.name, value: u.name, label: u.displayName })))),
        errorNotice(error.value),
        h(ElFormItem, null, () => h('div', { class: 'cf-buttons' }, [
          h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value }, () => '保存'),
          h(ElButton, { onClick: () => emit('close') }, () => '取消')])),
      ]),
    });
  },
});

// The level of a court created below one of each level (a basic court has none below it).
const LEVEL_BELOW = { COURT_LEVEL_HIGH: 'COURT_LEVEL_INTERMEDIATE', COURT_LEVEL_INTERMEDIATE: 'COURT_LEVEL_BASIC' };
const levelWord = (level) => word(COURT_LEVELS, level, 'COURT_LEVEL_');
// Courts in the caller's reach that may have a court below them.
const parentCourts = () => Object.entries(courts()).filter(([, c]) => LEVEL_BELOW[c.level]);

const CourtCreator = defineComponent({
  name: 'CfCourtCreator',
  props: { parent: String },
  emits: ['close', 'saved'],
  setup(props, { emit }) {
    const form = reactive({ parent: props.parent, code: '', displayName: '' });
    const busy = ref(false);
    const error = ref(null);
    const level = () => LEVEL_BELOW[(courts()[form.parent] || {}).level] || '';
    async function save() {
      busy.value = true; error.value = null;
      try {
        const court = { name: `courts/${form.code.trim()}`, displayName: form.displayName.trim(), level: level() || 'COURT_LEVEL_UNSPECIFIED', parent: `courts/${form.parent}` };
        const reply = await post('/v1/courts', court);
        rememberCourt(reply.court);
        emit('saved', reply.court);
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = false;
      }
    }
    return () => h(EditorPanel, { title: '新增法院', onClose: () => emit('close') }, {
      default: () => h(ElForm, { labelPosition: 'right', labelWidth: '7rem', onSubmit: (e) => { e.preventDefault(); save(); } }, () => [
        h(ElFormItem, { label: '上级法院', required: true }, () => h(ElSelect, { modelValue: form.parent, ariaLabel: '上级法院', filterable: true, style: { width: '100%' },
          'onUpdate:modelValue': (v) => { form.parent = v; } }, () => parentCourts().map(([id, c]) => h(ElOption, { key: id, value: id, label: c.name })))),
        h(ElFormItem, { label: '级别' }, () => h('span', null, level() ? `${levelWord(level())}（上级法院的下一级）` : '—')),
        h(ElFormItem, { label: '法院编号', required: true }, () => h(ElInput, { modelValue: form.code, ariaLabel: '法院编号', placeholder: `上级法院编号加两位数字，如 ${form.parent}05`,
          'onUpdate:modelValue': (v) => { form.code = v; } })),
        h(ElFormItem, { label: '法院名称', required: true }, () => h(ElInput, { modelValue: form.displayName, ariaLabel: '法院名称', placeholder: '如 东江市新区人民法院',
          'onUpdate:modelValue': (v) => { form.displayName = v; } })),
        errorNotice(error.value),
        h(ElFormItem, null, () => h('div', { class: 'cf-buttons' }, [
          h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value }, () => '新增'),
          h(ElButton, { onClick: () => emit('close') }, () => '取消')])),
      ]),
    });
  },
});

const DepartmentCreator = defineComponent({
  name: 'CfDepartmentCreator',
  props: { court: String, users: Array },
  emits: ['close', 'saved'],
  setup(props, { emit }) {
    const form = reactive({ slug: '', displayName: '', kind: 'civil', vicePresident: '' });
    const busy = ref(false);
    const error = ref(null);
    async function save() {
      busy.value = true; error.value = null;
      try {
        const department = { displayName: form.displayName.trim(), kind: form.kind, vicePresident: form.vicePresident };
        const reply = await call('POST', `/v1/courts/${props.court}/departments`, { body: department, query: [['departmentId', `${props.court}-${form.slug.trim()}`]] });
        emit('saved', reply.department);
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = false;
      }
    }
    const vps = () => props.users.filter((u) => roleOf(u) === 'VICE_PRESIDENT');
    return () => h(EditorPanel, { title: '新增部门', onClose: () => emit('close') }, {
      default: () => h(ElForm, { labelPosition: 'right', labelWidth: '7rem', onSubmit: (e) => { e.preventDefault(); save(); } }, () => [
        h(ElFormItem, { label: '部门编号', required: true }, () => h(ElInput, { modelValue: form.slug, ariaLabel: '部门编号', placeholder: '小写字母、数字或下划线，如 civil3',
          'onUpdate:modelValue': (v) => { form.slug = v; } }, { prepend: () => `${props.court}-` })),
        h(ElFormItem, { label: '部门名称', required: true }, () => h(ElInput, { modelValue: form.displayName, ariaLabel: '部门名称', placeholder: '如 民事审判第三庭',
          'onUpdate:modelValue': (v) => { form.displayName = v; } })),
        h(ElFormItem, { label: '类型', required: true }, () => h(ElSelect, { modelValue: form.kind, ariaLabel: '类型', style: { width: '100%' },
          'onUpdate:modelValue': (v) => { form.kind = v; } }, () => Object.entries(DEPARTMENT_KINDS).map(([k, label]) => h(ElOption, { key: k, value: k, label })))),
        h(ElFormItem, { label: '分管院领导' }, () => h(ElSelect, { modelValue: form.vicePresident, ariaLabel: '分管院领导', clearable: true, placeholder: '未指定：提醒发给本院全部副院长', style: { width: '100%' },
          'onUpdate:modelValue': (v) => { form.vicePresident = v || ''; } }, () => vps().map((u) => h(ElOption, { key: u.name, value: u.name, label: u.displayName })))),
        errorNotice(error.value),
        h(ElFormItem, null, () => h('div', { class: 'cf-buttons' }, [
          h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value }, () => '新增'),
          h(ElButton, { onClick: () => emit('close') }, () => '取消')])),
      ]),
    });
  },
});

export const OrgPage = defineComponent({
  name: 'CfOrgPage',
  setup() {
    const court = () => route.query.court || session.caller.court;
    const { data, error, busy, reload } = useLoader(() => [route.query.court], () => directory(court()));
    const editing = ref(null);       // { kind: 'user' | 'department', item }
    const saved = ref('');
    const search = ref('');

    function onSaved(message) {
      editing.value = null;
      saved.value = message;
      reload();
    }

    function departments(d) {
      const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
      const people = (dep) => d.users.filter((u) => u.department === dep.name).length;
      const name = (user) => (d.users.find((u) => u.name === user) || {}).displayName || tail(user);
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-org-departments' }, [
        h('div', { class: 'cf-panel-head' }, [
          h('h2', { id: 'cf-org-departments' }, `部门（${d.departments.length} 个）`),
          h(ElButton, { type: 'primary', onClick: () => { editing.value = { kind: 'new-department', item: {} }; } }, () => '新增部门'),
        ]),
        d.departments.length ? h(ElTable, { data: d.departments, border: true, rowKey: 'name', style: { width: '100%' } }, () => [
          col('部门名称', (dep) => dep.displayName, { minWidth: 160 }),
          col('编号', (dep) => tail(dep.name), { minWidth: 150 }),
          col('类型', (dep) => word(DEPARTMENT_KINDS, dep.kind), { width: 120 }),
          col('分管院领导', (dep) => (dep.vicePresident ? name(dep.vicePresident) : '未指定'), { minWidth: 120 }),
          col('人数', (dep) => number(people(dep)), { width: 80, align: 'right' }),
          col('操作', (dep) => h(ElButton, { size: 'small', 'aria-label': `编辑 ${dep.displayName}`, onClick: () => { editing.value = { kind: 'department', item: dep }; } }, () => '编辑'), { width: 90 }),
        ]) : emptyState('本院还没有部门。点“新增部门”逐个建立，或用人事导入文件（YAML 的 departments）批量建立。'),
      ]);
    }

    function users(d) {
      const col = (label, render, extra = {}) => h(ElTableColumn, { label, ...extra }, { default: ({ row }) => render(row) });
      const depName = (name) => (d.departments.find((x) => x.name === name) || {}).displayName || (name ? tail(name) : '—');
      const text = search.value.trim();
      const rows = text ? d.users.filter((u) => `${u.displayName} ${u.name} ${depName(u.department)} ${word(ROLES, u.role, 'ROLE_')}`.includes(text)) : d.users;
      const who = (name) => (d.users.find((u) => u.name === name) || {}).displayName || tail(name);
      return h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-org-users' }, [
        h('div', { class: 'cf-panel-head' }, [
          h('h2', { id: 'cf-org-users' }, `人员（${d.users.length} 人）`),
          h(ElInput, { modelValue: search.value, ariaLabel: '查找人员', placeholder: '按姓名、用户名、部门或角色查找', clearable: true, style: { width: '18rem' },
            'onUpdate:modelValue': (v) => { search.value = v; } }),
          h(ElButton, { type: 'primary', onClick: () => { editing.value = { kind: 'user', item: {} }; } }, () => '新增人员'),
        ]),
        h(ElTable, { data: rows, border: true, stripe: true, rowKey: 'name', maxHeight: 560, style: { width: '100%' } }, () => [
          col('姓名', (u) => u.displayName, { minWidth: 100 }),
          col('用户名', (u) => tail(u.name), { minWidth: 190 }),
          col('角色', (u) => word(ROLES, u.role, 'ROLE_'), { width: 110 }),
          col('部门', (u) => depName(u.department), { minWidth: 140 }),
          col('状态', (u) => [u.active ? h(ElTag, { type: 'success', disableTransitions: true }, () => '启用') : h(ElTag, { type: 'info', disableTransitions: true }, () => '停用'),
            u.absent ? [' ', h(ElTag, { type: 'warning', disableTransitions: true }, () => '不在岗')] : null], { width: 150 }),
          col('代理人', (u) => (u.absent && u.deputy ? who(u.deputy) : '—'), { width: 100 }),
          col('操作', (u) => h(ElButton, { size: 'small', 'aria-label': `编辑 ${u.displayName}`, onClick: () => { editing.value = { kind: 'user', item: u }; } }, () => '编辑'), { width: 90 }),
        ]),
      ]);
    }

    return () => {
      const d = data.value;
      const e = editing.value;
      return h('section', { class: 'cf-page' }, [
        pageHeader('组织机构', `${courtName(court())}的部门和人员；修改即时生效并记入审计日志。批量调整请用“人事导入”。`),
        h('div', { class: 'cf-inline' }, [
          h(CourtPicker, { own: session.caller.court }),
          parentCourts().length ? h(ElButton, { onClick: () => { editing.value = { kind: 'court', item: {} }; } }, () => '新增法院') : null,
        ]),
        saved.value ? h(ElAlert, { type: 'success', showIcon: true, title: saved.value, role: 'status', onClose: () => { saved.value = ''; } }) : null,
        errorNotice(error.value, reload),
        busy.value && !d ? loading() : null,
        e && d && e.kind === 'user' ? h(UserEditor, { user: e.item, court: d.court, departments: d.departments, users: d.users, onClose: () => { editing.value = null; },
          onSaved: (u, created) => onSaved(`已${created ? '新增' : '保存'}人员：${u.displayName}（${tail(u.name)}）`) }) : null,
        e && d && e.kind === 'department' ? h(DepartmentEditor, { department: e.item, users: d.users, onClose: () => { editing.value = null; },
          onSaved: (dep) => onSaved(`已保存部门：${dep.displayName}`) }) : null,
        e && d && e.kind === 'new-department' ? h(DepartmentCreator, { court: d.court, users: d.users, onClose: () => { editing.value = null; },
          onSaved: (dep) => onSaved(`已新增部门：${dep.displayName}（${tail(dep.name)}）`) }) : null,
        e && e.kind === 'court' ? h(CourtCreator, { parent: (parentCourts().find(([id]) => id === court()) || parentCourts()[0])[0], onClose: () => { editing.value = null; },
          onSaved: (c) => onSaved(`已新增法院：${c.displayName}（${tail(c.name)}），可在上方“法院”中选择它，为其新增部门和人员。`) }) : null,
        d ? [departments(d), users(d)] : null,
      ]);
    };
  },
});

const FORMATS = { CSV: 'CSV（人员）', YAML: 'YAML（部门和人员）' };
const SAMPLE = {
  CSV: 'username,display_name,role,court,department,mobile,active,absent,deputy\njudge.440101.civil1.9,张三,judge,440101,440101-civil1,13800000000,true,false,\n',
  YAML: 'departments:\n  - {court: "440101", id: 440101-civil3, display_name: 民事审判第三庭, kind: civil}\nusers:\n  - {username: judge.440101.civil3.1, display_name: 李四, role: judge, court: "440101", department: 440101-civil3, active: true}\n',
};

/** Where a problem is, in words: "第3行" stays; "users[2].role" → 人员第3条 · role. */
export function rowOf(field) {
  const m = /^(departments|users)\[(\d+)\]\.?(.*)$/.exec(field);
  if (m) return [`${m[1] === 'users' ? '人员' : '部门'}第${Number(m[2]) + 1}条`, m[3] || '—'];
  const line = /^(第\d+行)\.?(.*)$/.exec(field);
  if (line) return [line[1], line[2] || '—'];
  return ['文件', field];
}

function base64(text) {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

export const ImportPage = defineComponent({
  name: 'CfImportPage',
  setup() {
    const form = reactive({ format: 'CSV', content: '', fileName: '' });
    const busy = ref('');
    const error = ref(null);
    const result = ref(null);     // { checked: bool, counts }

    async function run(validateOnly) {
      busy.value = validateOnly ? 'check' : 'import'; error.value = null; result.value = null;
      try {
        const counts = await post('/v1/orgDirectory:import', { format: `ORG_FILE_FORMAT_${form.format}`, content: base64(form.content), validateOnly });
        result.value = { checked: validateOnly, counts };
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = '';
      }
    }

    function read(file) {
      const reader = new FileReader();
      reader.onload = () => {
        form.content = String(reader.result || '');
        form.fileName = file.name;
        if (/\.ya?ml$/i.test(file.name)) form.format = 'YAML';
        if (/\.csv$/i.test(file.name)) form.format = 'CSV';
        result.value = null; error.value = null;
      };
      reader.readAsText(file, 'utf-8');
    }

    function problems() {
      const e = error.value;
      if (!e) return null;
      const rows = e.violations.map(([field, description]) => { const [where, column] = rowOf(field); return { where, column, description }; });
      if (!rows.length) return errorNotice(e);
      return h('section', { class: 'cf-panel cf-import-problems', 'aria-labelledby': 'cf-import-problems' }, [
        h('h2', { id: 'cf-import-problems' }, `文件有 ${rows.length} 处问题，未导入任何内容`),
        h('p', { class: 'cf-muted' }, '导入是全有或全无的：请按下表逐行改正后重新校验。'),
        h(ElTable, { data: rows, border: true, style: { width: '100%' } }, () => [
          h(ElTableColumn, { label: '位置', width: 140 }, { default: ({ row }) => row.where }),
          h(ElTableColumn, { label: '字段', width: 160 }, { default: ({ row }) => row.column }),
          h(ElTableColumn, { label: '问题', minWidth: 300 }, { default: ({ row }) => row.description }),
        ]),
        e.traceId ? h('p', { class: 'cf-trace' }, ['追踪编号 ', h('code', null, e.traceId)]) : null,
      ]);
    }

    function outcome() {
      const r = result.value;
      if (!r) return null;
      const c = r.counts;
      const n = (v) => number(v || 0);
      const text = `新增部门 ${n(c.departmentsCreated)} 个、修改部门 ${n(c.departmentsUpdated)} 个，新增人员 ${n(c.usersCreated)} 人、修改人员 ${n(c.usersUpdated)} 人，未变 ${n(c.unchanged)} 行。`;
      return h(ElAlert, { type: 'success', showIcon: true, closable: false, role: 'status',
        title: r.checked ? `校验通过，尚未导入：导入后将${text}` : `已导入：${text}` });
    }

    return () => h('section', { class: 'cf-page' }, [
      pageHeader('人事导入', '导入法院人事系统导出的 CSV 或 YAML 文件：先校验，列出每一处问题；全部正确后才导入，任何一行有误都不改动。'),
      h('section', { class: 'cf-panel', 'aria-labelledby': 'cf-import-form' }, [
        h('h2', { id: 'cf-import-form' }, '导入文件'),
        h(ElForm, { labelPosition: 'right', labelWidth: '6rem', onSubmit: (e) => e.preventDefault() }, () => [
          h(ElFormItem, { label: '文件格式' }, () => h(ElRadioGroup, { modelValue: form.format, ariaLabel: '文件格式', 'onUpdate:modelValue': (v) => { form.format = v; } },
            () => Object.entries(FORMATS).map(([k, label]) => h(ElRadioButton, { key: k, value: k }, () => label)))),
          h(ElFormItem, { label: '选择文件' }, () => h('div', { class: 'cf-inline' }, [
            // A plain file input (Element Plus's upload nests a button in a button, which screen readers cannot use).
            h('input', { type: 'file', id: 'cf-import-file', class: 'cf-file', accept: '.csv,.yaml,.yml,text/csv', 'aria-label': '选择文件',
              onChange: (e) => { if (e.target.files[0]) read(e.target.files[0]); } }),
            h('span', { class: 'cf-muted' }, form.fileName ? `已读入 ${form.fileName}` : '或在下框粘贴文件内容'),
          ])),
          h(ElFormItem, { label: '文件内容' }, () => h(ElInput, { modelValue: form.content, type: 'textarea', rows: 10, ariaLabel: '文件内容', class: 'cf-mono',
            placeholder: SAMPLE[form.format], 'onUpdate:modelValue': (v) => { form.content = v; result.value = null; } })),
          h(ElFormItem, null, () => h('div', { class: 'cf-buttons' }, [
            h(ElButton, { loading: busy.value === 'check', disabled: !form.content.trim() || Boolean(busy.value), onClick: () => run(true) }, () => '校验'),
            h(ElButton, { type: 'primary', loading: busy.value === 'import', disabled: !form.content.trim() || Boolean(busy.value), onClick: () => run(false) }, () => '导入'),
          ])),
        ]),
        h('p', { class: 'cf-muted cf-small' }, 'CSV 表头：username,display_name,role,court,department,mobile,active,absent,deputy（UTF-8）；YAML 可同时含 departments 与 users。'),
      ]),
      problems(),
      outcome(),
    ]);
  },
});
