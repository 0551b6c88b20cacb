// Small helpers shared by the pages: escaping, Chinese ordinals.
const escapeMap = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value) { return String(value ?? '').replace(/[&<>"']/g, (c) => escapeMap[c]); }

export function cnOrdinal(n) {
  const digits = '零一二三四五六七八九';
  if (n < 10) return digits[n];
  if (n < 20) return '十' + (n % 10 ? digits[n % 10] : '');
  return digits[Math.floor(n / 10)] + '十' + (n % 10 ? digits[n % 10] : '');
}

export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = '/vendor/echarts.min.js';
    script.onload = () => resolve(window.echarts);
    script.onerror = reject;
    document.head.appendChild(script);
  });
}
