// Print views (web/print.css): the official letterhead above a page (the
// issuing body of GET /api/report/letterhead, the title, the period and the
// date) and the signature below it, shown only when printed; a 打印 button
// and a 下载 PDF link for the page's head. A page adds them with three calls
// and bindPrint(main).
import { esc } from './ui.js';
import { lang, t } from './i18n.js';

let letterhead = null;   // the request, made once

function issuer() {
  letterhead ||= fetch('/api/report/letterhead').then((r) => r.json()).catch(() => ({}));
  return letterhead.then((j) => (lang() === 'en' ? j.issuer_en : j.issuer) || '');
}

// The letterhead of TITLE for PERIOD, dated DAY ('YYYY-MM-DD').
export async function printHead(title, period, day) {
  return `<header class="print-letterhead"><p class="print-issuer">${esc(await issuer())}</p>
    <h1>${esc(title)}</h1><p class="print-meta">${esc(t('print.period'))}${esc(period)} · ${esc(t('print.date'))}${esc(day)}</p></header>`;
}

// Room for the seal and the signature, and the date.
export async function printSignature(day) {
  return `<footer class="print-signature"><p>${esc(await issuer())}${esc(t('print.seal'))}</p>
    <p>${esc(t('print.signed'))}____________</p><p>${esc(day)}</p></footer>`;
}

// The print button and the PDF of the same data (PDF_HREF, in the UI's language).
export function printControls(pdfHref) {
  const href = `${pdfHref}${pdfHref.includes('?') ? '&' : '?'}lang=${lang()}`;
  return `<button type="button" class="button" data-print>${t('print.print')}</button>
    <a class="button" href="${esc(href)}" download data-pdf>${t('print.pdf')}</a>`;
}

// Printed, by the button or the browser's menu, folded details are opened.
window.addEventListener('beforeprint', () => {
  for (const d of document.querySelectorAll('main details')) d.open = true;
});

export function bindPrint(root) {
  for (const b of root.querySelectorAll('[data-print]')) b.addEventListener('click', () => window.print());
}
