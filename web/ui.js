// Small helpers shared by the pages: escaping, Chinese ordinals, what a
// form says when it is sent, a confirmation before a change.
import { t, errorText } from './i18n.js';

const escapeMap = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value) { return String(value ?? '').replace(/[&<>"']/g, (c) => escapeMap[c]); }

export function cnOrdinal(n) {
  const digits = '零一二三四五六七八九';
  if (n < 10) return digits[n];
  if (n < 20) return '十' + (n % 10 ? digits[n % 10] : '');
  return digits[Math.floor(n / 10)] + '十' + (n % 10 ? digits[n % 10] : '');
}

// Run the classic (non-module) script at SRC once it has loaded.
export function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.appendChild(script);
  });
}

export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  return loadScript('/vendor/echarts.min.js').then(() => window.echarts);
}

// The result line at the foot of the window (one for the whole app, read
// out by screen readers): what the last change did.
function resultLine() {
  let line = document.getElementById('form-result');
  if (!line) {
    line = Object.assign(document.createElement('p'), { id: 'form-result', className: 'form-result' });
    line.setAttribute('role', 'status');
    line.setAttribute('aria-live', 'polite');
    document.body.appendChild(line);
  }
  return line;
}

let resultTimer = 0;
function showResult(text, ok) {
  const line = resultLine();
  line.textContent = text;
  line.classList.toggle('failed', !ok);
  line.hidden = false;
  clearTimeout(resultTimer);
  resultTimer = setTimeout(() => { line.hidden = true; }, 10000);
}

// How every form says it succeeded: TEXT, in the UI's language.
export function reportSuccess(text) {
  for (const box of document.querySelectorAll('form .error')) box.remove();
  showResult(text, true);
}

// How every form says it failed: ERR (from api.js) in the UI's language,
// in the result line and inside FORM (if given) next to what was typed.
export function reportFailure(err, form = null) {
  const text = errorText(err);
  if (form) {
    const box = form.querySelector('.error') || form.appendChild(Object.assign(document.createElement('p'), { className: 'error' }));
    box.textContent = text;
    box.setAttribute('role', 'alert');
  }
  showResult(text, false);
}

// Ask before a change that is hard to take back: resolves true when the
// user confirms MESSAGE with OK_LABEL, false on cancel or Escape.
export function confirmAction(message, okLabel) {
  let dialog = document.getElementById('confirm-dialog');
  if (!dialog) {
    dialog = Object.assign(document.createElement('dialog'), { id: 'confirm-dialog', className: 'confirm-dialog' });
    document.body.appendChild(dialog);
  }
  dialog.innerHTML = `<form method="dialog"><p id="confirm-message">${esc(message)}</p>
    <div class="buttons"><button value="cancel" id="confirm-cancel">${esc(t('common.cancel'))}</button>
    <button value="ok" class="primary" id="confirm-ok">${esc(okLabel)}</button></div></form>`;
  dialog.returnValue = '';
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.showModal();
    dialog.querySelector('#confirm-ok').focus();
  });
}
