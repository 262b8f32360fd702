// The console: sign in, then the shell with the menu of the caller's role and the page the
// address bar names. Every page is a render function (no template compiler: see README).
import { EP, zhCn, h, ref, createApp, defineComponent, watch } from './lib.js';
import { refresh, onSignedOut } from './api.js';
import { route, go } from './router.js';
import { session, loadCaller } from './session.js';
import { errorNotice } from './ui.js';
import { Shell, resolve, home } from './shell.js';
import { LoginPage } from './pages/login.js';

const App = defineComponent({
  name: 'CfApp',
  setup() {
    const state = ref('starting');   // starting → signed-in | signed-out
    const error = ref(null);

    async function start() {
      try {
        await refresh();             // a reload: the refresh cookie gives a new access token
        await loadCaller();
        state.value = 'signed-in';
      } catch (e) {
        if (e.status && e.status !== 401) error.value = e;
        state.value = 'signed-out';
      }
    }
    async function signedIn() {
      await loadCaller();
      state.value = 'signed-in';
      const target = route.query.redirect;
      if (route.path === '/login' || route.path === '/') go(target && target.startsWith('/') ? target : home(session.caller.role));
    }
    onSignedOut(() => {
      session.caller = null;
      state.value = 'signed-out';
    });
    watch(() => [state.value, route.path], () => {
      if (state.value === 'signed-out' && route.path !== '/login') {
        const here = route.path === '/' ? '' : route.path + (location.search || '');
        go('/login', here ? { redirect: here } : {}, { replace: true });
      } else if (state.value === 'signed-in' && (route.path === '/' || route.path === '/login')) {
        go(home(session.caller.role), {}, { replace: true });
      }
    });
    start();

    return () => {
      if (state.value === 'starting') return h('p', { class: 'cf-boot', 'aria-busy': 'true' }, '正在恢复登录状态…');
      if (state.value === 'signed-out') {
        return h('div', null, [errorNotice(error.value), h(LoginPage, { onSignedIn: signedIn })]);
      }
      const page = resolve(route.path);
      return h(Shell, { page });
    };
  },
});

const app = createApp(App);
app.use(EP, { locale: zhCn });
document.getElementById('app').replaceChildren();
app.mount('#app');
