// Hubble's job console: a read-only view over the REST API (GET /v1/jobs, /v1/jobs/{id},
// /history, /log). No build step, no dependencies. Everything from the API is put in the page
// as text (textContent), never as HTML.
'use strict';

const ROOT = new URL('..', location.href); // the console lives at <api>/console/
const STATES = ['QUEUED', 'SUBMITTED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'];
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT']);
const LIST_REFRESH_MS = 5000;
const JOB_REFRESH_MS = 3000;
// Each log read runs a short workflow on the driver's workers: read it less often than the job.
const LOG_REFRESH_MS = 10000;
const FILES_PER_PAGE = 50;
const TIMELINE_SHOWN = 200;
const LOG_CHOICES = [100, 500, 1000, 5000];

let timer = null;
let generation = 0; // a view drawn for an older route never writes into a newer one

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null) continue;
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function api(path) {
  return new URL(path.replace(/^\//, ''), ROOT).toString();
}

async function fetchJson(path) {
  const response = await fetch(api(path), { headers: { Accept: 'application/json' } });
  const body = await response.text();
  if (!response.ok) throw problemOf(response, body);
  return JSON.parse(body);
}

async function fetchText(path) {
  const response = await fetch(api(path), { headers: { Accept: 'text/plain, application/problem+json' } });
  const body = await response.text();
  if (!response.ok) throw problemOf(response, body);
  return body;
}

function problemOf(response, body) {
  try {
    const problem = JSON.parse(body);
    return new Error(`${problem.title || response.status}: ${problem.detail || ''}`);
  } catch (e) {
    return new Error(`HTTP ${response.status}`);
  }
}

function showProblem(error) {
  const box = document.getElementById('problem');
  if (error) {
    box.textContent = error.message;
    box.hidden = false;
  } else {
    box.hidden = true;
  }
}

function stamp() {
  document.getElementById('refreshed').textContent = 'refreshed ' + new Date().toLocaleTimeString();
}

function state(value) {
  return el('span', { class: 'state ' + value, 'data-state': value }, value);
}

function time(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  return isNaN(date) ? iso : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function duration(fromIso, toIso) {
  const ms = new Date(toIso) - new Date(fromIso);
  if (!(ms >= 0)) return '';
  if (ms < 1000) return ms + ' ms';
  const s = ms / 1000;
  if (s < 120) return s.toFixed(1) + ' s';
  const m = s / 60;
  return m < 120 ? m.toFixed(1) + ' min' : (m / 60).toFixed(1) + ' h';
}

function bytes(n) {
  if (n === undefined || n === null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
  return (unit === 0 ? value : value.toFixed(1)) + ' ' + units[unit];
}

function clip(text, max) {
  return text && text.length > max ? text.slice(0, max) + '…' : text;
}

function schedule(fn, ms) {
  clearTimeout(timer);
  timer = setTimeout(fn, ms);
}

// ---- routing ----------------------------------------------------------------------------------

function route() {
  clearTimeout(timer);
  generation++;
  showProblem(null);
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, query] = hash.split('?');
  const job = path.match(/^\/jobs\/([^/]+)$/);
  if (job) {
    jobView(decodeURIComponent(job[1]), new URLSearchParams(query || ''), generation);
  } else {
    listView(new URLSearchParams(query || ''), generation);
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', route);

// ---- job list ---------------------------------------------------------------------------------

function listView(params, gen) {
  const view = document.getElementById('view');
  const source = el('input', { name: 'source', value: params.get('source') || '', placeholder: 'any' });
  const stateSelect = el('select', { name: 'state' }, el('option', { value: '' }, 'any'),
    STATES.map(s => el('option', { value: s }, s)));
  stateSelect.value = params.get('state') || '';
  const driver = el('input', { name: 'driver', value: params.get('driver') || '', placeholder: 'any', list: 'drivers' });
  const drivers = el('datalist', { id: 'drivers' });
  const limit = el('select', { name: 'limit' }, [50, 100, 200, 500].map(n => el('option', { value: String(n) }, String(n))));
  limit.value = params.get('limit') || '50';
  const auto = el('input', { type: 'checkbox', name: 'auto' });
  auto.checked = params.get('auto') !== 'off';
  const form = el('form', { class: 'filters', onsubmit: event => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (source.value.trim()) next.set('source', source.value.trim());
    if (stateSelect.value) next.set('state', stateSelect.value);
    if (driver.value.trim()) next.set('driver', driver.value.trim());
    if (limit.value !== '50') next.set('limit', limit.value);
    if (!auto.checked) next.set('auto', 'off');
    location.hash = '#/' + (next.toString() ? '?' + next : '');
  } },
    el('label', {}, 'Source', source),
    el('label', {}, 'State', stateSelect),
    el('label', {}, 'Driver', driver, drivers),
    el('label', {}, 'Newest', limit),
    el('label', {}, 'Auto-refresh', auto),
    el('button', { type: 'submit' }, 'Apply'));
  auto.addEventListener('change', () => form.requestSubmit());
  const count = el('p', { class: 'muted', id: 'count' });
  const body = el('tbody', { id: 'jobs' });
  const table = el('table', { class: 'jobs' },
    el('thead', {}, el('tr', {}, ['Created', 'Job', 'State', 'Driver', 'Source', 'Took', 'Error'].map(h => el('th', {}, h)))),
    body);
  view.replaceChildren(el('h1', { class: 'visually-plain' }, 'Jobs'), form, count, table);

  const query = new URLSearchParams();
  for (const key of ['source', 'state', 'driver', 'limit']) {
    if (params.get(key)) query.set(key, params.get(key));
  }
  const load = async () => {
    try {
      const answer = await fetchJson('/v1/jobs' + (query.toString() ? '?' + query : ''));
      if (gen !== generation) return;
      showProblem(null);
      const jobs = answer.jobs || [];
      count.textContent = jobs.length === 0 ? 'No jobs match.' : `${jobs.length} job${jobs.length === 1 ? '' : 's'}, newest first`;
      body.replaceChildren(...jobs.map(job => el('tr', { 'data-job-id': job.jobId },
        el('td', { class: 'mono' }, time(job.createdAt)),
        el('td', { class: 'mono' }, el('a', { href: '#/jobs/' + encodeURIComponent(job.jobId) }, job.jobId)),
        el('td', {}, state(job.state)),
        el('td', {}, job.driver),
        el('td', {}, job.source),
        el('td', {}, TERMINAL.has(job.state) ? duration(job.createdAt, job.updatedAt) : ''),
        el('td', {}, job.error ? clip(job.error.message, 140) : ''))));
      const seen = new Set(jobs.map(j => j.driver));
      drivers.replaceChildren(...[...seen].sort().map(d => el('option', { value: d })));
      stamp();
    } catch (error) {
      if (gen === generation) showProblem(error);
    }
    if (gen === generation && auto.checked) schedule(load, LIST_REFRESH_MS);
  };
  load();
}

// ---- one job ----------------------------------------------------------------------------------

function jobView(jobId, params, gen) {
  const view = document.getElementById('view');
  const header = el('div', { class: 'toolbar' }, el('a', { href: '#/' }, '← all jobs'));
  const title = el('h1', { class: 'mono', id: 'job-id' }, jobId);
  const summary = el('section', { class: 'card', id: 'summary' }, el('p', { class: 'empty' }, 'Loading…'));
  const errorCard = el('section', { class: 'card', id: 'error', hidden: '' });
  const resultCard = el('section', { class: 'card', id: 'result', hidden: '' });
  const logLines = el('select', { id: 'log-lines' }, LOG_CHOICES.map(n => el('option', { value: String(n) }, `last ${n} lines`)));
  logLines.value = LOG_CHOICES.includes(Number(params.get('log'))) ? params.get('log') : '500';
  const logNote = el('span', { class: 'muted', id: 'log-note' });
  const logText = el('pre', { id: 'log' });
  const logCard = el('section', { class: 'card', id: 'log-card' }, el('h2', {}, 'Log'),
    el('div', { class: 'toolbar' }, logLines, el('button', { type: 'button', onclick: () => loadLog() }, 'Refresh'), logNote),
    logText);
  const timelineNote = el('p', { class: 'muted', id: 'timeline-note' });
  const timelineBody = el('tbody', { id: 'timeline' });
  const timelineCard = el('section', { class: 'card', id: 'timeline-card' }, el('h2', {}, 'Timeline'), timelineNote,
    el('table', {}, el('thead', {}, el('tr', {}, ['Time', 'What', 'Summary', 'Details'].map(h => el('th', {}, h)))), timelineBody));
  view.replaceChildren(header, title, summary, errorCard, resultCard, logCard, timelineCard);
  logLines.addEventListener('change', () => loadLog());

  let filesPage = 0;
  let showAllTimeline = false;
  let lastJob = null;
  let logReadAt = 0;

  const loadLog = async () => {
    logReadAt = Date.now();
    const lines = Number(logLines.value);
    try {
      const text = await fetchText(`/v1/jobs/${encodeURIComponent(jobId)}/log?lines=${lines}`);
      if (gen !== generation) return;
      const count = text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
      logText.textContent = text === '' ? '(no log yet)' : text;
      logNote.textContent = count >= lines ? `showing the last ${lines} lines; earlier lines are left out` : `${count} lines`;
      logText.scrollTop = logText.scrollHeight;
    } catch (error) {
      if (gen === generation) logNote.textContent = 'log unavailable: ' + error.message;
    }
  };

  const loadTimeline = async () => {
    try {
      const history = await fetchJson(`/v1/jobs/${encodeURIComponent(jobId)}/history`);
      if (gen !== generation) return;
      const entries = history.entries || [];
      const shown = showAllTimeline ? entries : entries.slice(-TIMELINE_SHOWN);
      const notes = [`${entries.length} entries over ${history.runs} run${history.runs === 1 ? '' : 's'}`];
      if (history.truncated) notes.push('older runs left out (history too long)');
      timelineNote.replaceChildren(notes.join('; '));
      if (shown.length < entries.length) {
        timelineNote.append(' — showing the newest ' + shown.length + ' ',
          el('button', { type: 'button', onclick: () => { showAllTimeline = true; loadTimeline(); } }, 'show all'));
      }
      timelineBody.replaceChildren(...shown.map(entry => el('tr', { 'data-kind': entry.kind },
        el('td', { class: 'mono' }, time(entry.time)),
        el('td', {}, entry.kind),
        el('td', {}, entry.summary),
        el('td', { class: 'details mono' }, entry.details ? JSON.stringify(entry.details) : ''))));
    } catch (error) {
      if (gen === generation) timelineNote.textContent = 'timeline unavailable: ' + error.message;
    }
  };

  const drawResult = job => {
    if (!job.result) {
      resultCard.hidden = true;
      return;
    }
    const files = job.result.files || [];
    const pages = Math.max(1, Math.ceil(files.length / FILES_PER_PAGE));
    filesPage = Math.min(filesPage, pages - 1);
    const page = files.slice(filesPage * FILES_PER_PAGE, (filesPage + 1) * FILES_PER_PAGE);
    const total = job.result.totalBytes !== undefined ? job.result.totalBytes : files.reduce((n, f) => n + (f.sizeBytes || 0), 0);
    const pager = el('div', { class: 'pager' },
      el('button', { type: 'button', id: 'files-prev', disabled: filesPage === 0 ? '' : null,
        onclick: () => { filesPage--; drawResult(lastJob); } }, '‹ previous'),
      el('span', { id: 'files-page' }, `page ${filesPage + 1} of ${pages}`),
      el('button', { type: 'button', id: 'files-next', disabled: filesPage >= pages - 1 ? '' : null,
        onclick: () => { filesPage++; drawResult(lastJob); } }, 'next ›'));
    resultCard.replaceChildren(
      el('h2', {}, 'Result'),
      el('p', { id: 'result-summary' }, `${files.length} file${files.length === 1 ? '' : 's'}, ${bytes(total)}, ${job.result.format || job.format}` +
        (job.result.location ? ' — ' + job.result.location : '')),
      pages > 1 ? pager : '',
      el('table', { id: 'files' },
        el('thead', {}, el('tr', {}, ['File', 'Size', 'Link expires'].map(h => el('th', {}, h)))),
        el('tbody', {}, page.map(file => el('tr', {},
          el('td', { class: 'mono' }, file.url ? el('a', { href: file.url, class: 'result-link' }, file.name) : file.name),
          el('td', {}, bytes(file.sizeBytes)),
          el('td', { class: 'mono' }, time(file.expiresAt)))))));
    resultCard.hidden = false;
  };

  const drawJob = job => {
    lastJob = job;
    const facts = [
      ['State', state(job.state)],
      ['Driver', job.driver],
      ['Format', job.format],
      ['Source', job.source],
      ['Source object', [job.sourceKind, job.sourceId, job.sourceVersion].filter(Boolean).join(' / ')],
      ['Priority', job.priority],
      ['Timeout', job.timeout],
      ['Created', time(job.createdAt)],
      ['Updated', time(job.updatedAt)],
      ['Took', TERMINAL.has(job.state) ? duration(job.createdAt, job.updatedAt) : 'running for ' + duration(job.createdAt, new Date().toISOString())],
      ['Place in queue', job.queuePosition],
      ['Parameters', job.parameters && Object.keys(job.parameters).length ? JSON.stringify(job.parameters) : ''],
      ['Parent', job.parentJobId ? el('a', { href: '#/jobs/' + encodeURIComponent(job.parentJobId), class: 'mono' }, job.parentJobId) : ''],
      ['Children', job.children ? job.children.map((c, i) => [i ? ', ' : '', el('a', { href: '#/jobs/' + encodeURIComponent(c), class: 'mono' }, c)]) : ''],
    ];
    const links = [];
    if (job.historyUrl) links.push(el('a', { href: job.historyUrl, id: 'temporal-link', target: '_blank', rel: 'noopener' }, 'Temporal UI'));
    for (const [key, value] of Object.entries(job.remote || {})) {
      if (typeof value === 'string' && /^https?:\/\//.test(value)) {
        links.push(el('a', { href: value, target: '_blank', rel: 'noopener', class: 'remote-link' }, key));
      } else if (value !== null && typeof value !== 'object') {
        facts.push(['Remote ' + key, String(value)]);
      }
    }
    if (links.length) facts.push(['Links', links.map((l, i) => [i ? ' · ' : '', l])]);
    summary.replaceChildren(el('dl', { class: 'facts' },
      facts.filter(([, v]) => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0))
        .map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])));
    if (job.error) {
      errorCard.replaceChildren(el('h2', {}, 'Error'), el('p', { id: 'error-message' }, job.error.message),
        job.error.detail ? el('pre', { class: 'error' }, job.error.detail) : '');
      errorCard.hidden = false;
    } else {
      errorCard.hidden = true;
    }
    drawResult(job);
  };

  const load = async () => {
    let job;
    try {
      job = await fetchJson(`/v1/jobs/${encodeURIComponent(jobId)}`);
      if (gen !== generation) return;
      showProblem(null);
      drawJob(job);
      stamp();
    } catch (error) {
      if (gen === generation) showProblem(error);
    }
    const finished = job && TERMINAL.has(job.state);
    // A finished job's log is read once more, whatever the interval: it may have grown at the end.
    const logDue = finished || Date.now() - logReadAt >= LOG_REFRESH_MS;
    await Promise.all([loadTimeline(), logDue ? loadLog() : null]);
    if (gen === generation && !finished) schedule(load, JOB_REFRESH_MS);
  };
  load();
}
