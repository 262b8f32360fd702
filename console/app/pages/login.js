// 登录: the built-in login (AuthService.Login through /console/auth/login, which keeps the
// refresh token in an HttpOnly cookie; the access token stays in the page's memory).
import { EP, h, ref, reactive, defineComponent } from '../lib.js';
import { login } from '../api.js';
import { errorNotice } from '../ui.js';

const { ElForm, ElFormItem, ElInput, ElButton } = EP;

export const LoginPage = defineComponent({
  name: 'CfLogin',
  emits: ['signedIn'],
  setup(_props, { emit }) {
    const form = reactive({ username: '', password: '' });
    const busy = ref(false);
    const error = ref(null);
    async function submit(event) {
      event && event.preventDefault();
      if (!form.username || !form.password) {
        error.value = { message: '请输入用户名和密码' };
        return;
      }
      busy.value = true;
      error.value = null;
      try {
        await login(form.username.trim(), form.password);
        form.password = '';
        emit('signedIn');
      } catch (e) {
        error.value = e;
      } finally {
        busy.value = false;
      }
    }
    return () => h('main', { class: 'cf-login' }, h('section', { class: 'cf-login-box', 'aria-labelledby': 'cf-login-title' }, [
      h('div', { class: 'cf-login-brand' }, [h('span', { class: 'cf-logo', 'aria-hidden': 'true' }, '法'), h('div', null, [
        h('h1', { id: 'cf-login-title' }, '全流程节点管控系统'), h('p', { class: 'cf-muted' }, '流程节点监督管理平台 · 请使用本院账号登录')])]),
      errorNotice(error.value),
      h(ElForm, { labelPosition: 'top', onSubmit: submit, 'aria-label': '登录' }, () => [
        h(ElFormItem, { label: '用户名', for: 'cf-username' }, () => h(ElInput, {
          id: 'cf-username', modelValue: form.username, 'onUpdate:modelValue': (v) => { form.username = v; },
          autocomplete: 'username', placeholder: '例如 judge.440101.civil1.1', name: 'username',
        })),
        h(ElFormItem, { label: '密码', for: 'cf-password' }, () => h(ElInput, {
          id: 'cf-password', modelValue: form.password, 'onUpdate:modelValue': (v) => { form.password = v; },
          type: 'password', showPassword: true, autocomplete: 'current-password', name: 'password',
          onKeydown: (e) => { if (e.key === 'Enter') submit(e); },
        })),
        h(ElButton, { type: 'primary', nativeType: 'submit', loading: busy.value, class: 'cf-login-submit', onClick: submit }, () => '登录'),
      ]),
      h('p', { class: 'cf-muted cf-small' }, '连续输错 5 次密码，账号将锁定 15 分钟。登录状态只保存在本浏览器的安全 Cookie 中（网页脚本无法读取），关闭浏览器或点击“退出登录”即结束。'),
    ]));
  },
});
