// The libraries, as their own builds define them on window (index.html loads them first, as
// classic scripts: Element Plus's ES module build imports the bare name "vue", which a browser
// resolves only through an inline import map, and the CSP allows no inline script).
export const Vue = window.Vue;
export const EP = window.ElementPlus;
export const zhCn = window.ElementPlusLocaleZhCn;
export const {
  h, ref, shallowRef, reactive, computed, watch, watchEffect, onMounted, onBeforeUnmount, nextTick,
  defineComponent, createApp, Fragment,
} = Vue;

// ECharts is a self-contained ES module, loaded by the pages that draw charts only.
let echartsModule = null;
export function loadECharts() {
  echartsModule ??= import('/console/vendor/echarts-6.1.0/echarts.esm.min.mjs');
  return echartsModule;
}
