// Sluice dashboard: plain ES modules, no build step. Talks to the REST API with a JWT from
// POST /api/v1/auth/login and follows /api/v1/events (SSE) for live numbers.

const $ = (selector, root = document) => root.querySelector(selector);
const WINDOW_SECONDS = 300;
const state = {
  session: JSON.parse(sessionStorage.getItem('sluice.session') || 'null'),
  queues: new Map(),          // queue name -> {stats, paused}
  // Sampled once a second from the queues' live stats (the server measures the flows):
  throughput: [],             // [epoch ms, delivered/s, failed/s]
  latency: [],                // [epoch ms, p50 ms, p99 ms] over the last minute, slowest queue
  dlqSeries: [],              // [epoch ms, dead-lettered total]
  events: null,
  lastEventId: null,
  jobStream: null,
  shownDeadJobs: [],
};

// ---------- API ----------

async function api(path, options = {}, retried = false) {
  const headers = { 'Accept': 'application/json', ...(options.headers || {}) };
  if (state.session) headers['Authorization'] = 'Bearer ' + state.session.access_token;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { ...options, headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  if (response.status === 401 && state.session && !retried && await refresh()) {
    return api(path, options, true);
  }
  if (response.status === 401) { signOut('Your session ended; sign in again.'); throw new Error('signed out'); }
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error(body && body.message ? body.message : 'HTTP ' + response.status);
  return body;
}

async function refresh() {
  try {
    const response = await fetch('/api/v1/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: state.session.refresh_token }) });
    if (!response.ok) return false;
    const token = await response.json();
    state.session = { ...state.session, access_token: token.access_token };
    sessionStorage.setItem('sluice.session', JSON.stringify(state.session));
    return true;
  } catch { return false; }
}

// ---------- sign in / out ----------

async function signIn(event) {
  event.preventDefault();
  const error = $('#login-error');
  error.hidden = true;
  $('#login-button').disabled = true;
  try {
    const response = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ api_key: $('#api-key').value.trim() }) });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.message || 'Sign-in failed');
    state.session = { access_token: body.access_token, refresh_token: body.refresh_token };
    sessionStorage.setItem('sluice.session', JSON.stringify(state.session));
    $('#api-key').value = '';
    await start();
  } catch (e) {
    error.textContent = e.message === 'Invalid API key' ? 'That key is not valid.' : e.message;
    error.hidden = false;
  } finally {
    $('#login-button').disabled = false;
  }
}

function signOut(message) {
  if (state.session) {
    fetch('/api/v1/auth/logout', { method: 'POST', headers: { 'Authorization': 'Bearer ' + state.session.access_token } })
      .catch(() => {});
  }
  state.session = null;
  sessionStorage.removeItem('sluice.session');
  if (state.events) { state.events.close(); state.events = null; }
  if (state.jobStream) { state.jobStream.close(); state.jobStream = null; }
  $('#app').hidden = true;
  $('#login').hidden = false;
  if (message) { $('#login-error').textContent = message; $('#login-error').hidden = false; }
}

// ---------- live feed ----------

function follow() {
  if (state.events) state.events.close();
  const params = new URLSearchParams({ token: state.session.access_token,
    events: 'QueueStats' });
  if (state.lastEventId) params.set('last_event_id', state.lastEventId);
  const source = new EventSource('/api/v1/events?' + params);
  state.events = source;
  source.onopen = () => setLive(true);
  source.onmessage = (frame) => {
    if (frame.lastEventId) state.lastEventId = frame.lastEventId;
    const message = JSON.parse(frame.data);
    onMessage(message.type, message.data);
  };
  source.onerror = async () => {
    setLive(false);
    if (source.readyState === EventSource.CLOSED && state.session) {
      // Refused (an expired token, say): refresh and follow again from where we were.
      await refresh();
      setTimeout(() => state.session && state.events === source && follow(), 2000);
    }
  };
}

function setLive(live) {
  $('#live').classList.toggle('on', live);
  $('#live-text').textContent = live ? 'live' : 'reconnecting';
}

function onMessage(type, data) {
  if (type === 'QueueStats') {
    const queue = state.queues.get(data.queue_name) || { paused: false };
    queue.stats = data;
    state.queues.set(data.queue_name, queue);
    scheduleRender();
  } else if (type === 'Error') {
    toast(data.message);
  }
}

let renderPending = false;
function scheduleRender() {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => { renderPending = false; renderQueues(); renderTotals(); });
}

// ---------- overview ----------

function totals() {
  const sum = { pending: 0, processing: 0, scheduled: 0, completed: 0, deadletter: 0, failed: 0 };
  for (const queue of state.queues.values()) {
    if (!queue.stats) continue;
    for (const key of Object.keys(sum)) sum[key] += queue.stats[key] || 0;
  }
  return sum;
}

function renderTotals() {
  const sum = totals();
  for (const key of ['pending', 'processing', 'scheduled', 'completed', 'deadletter']) {
    $('#kpi-' + key).textContent = sum[key].toLocaleString();
  }
}

function tick() {
  const now = Date.now();
  const keep = ([at]) => at > now - WINDOW_SECONDS * 1000;
  let delivered = 0, failed = 0, p50 = null, p99 = null;
  for (const queue of state.queues.values()) {
    const s = queue.stats;
    if (!s || !s.delivered_per_second) continue;
    delivered += s.delivered_per_second.last_second;
    failed += s.failed_per_second.last_second;
    const latency = s.latency_ms.last_minute;
    if (latency.count > 0) {
      p50 = Math.max(p50 ?? 0, latency.p50);
      p99 = Math.max(p99 ?? 0, latency.p99);
    }
  }
  state.throughput.push([now, delivered, failed]);
  state.throughput = state.throughput.filter(keep);
  if (p50 !== null) state.latency.push([now, p50, p99]);
  state.latency = state.latency.filter(keep);
  state.dlqSeries.push([now, totals().deadletter]);
  state.dlqSeries = state.dlqSeries.filter(keep);
  lineChart($('#chart-throughput'), [
    { cls: 'ok', points: state.throughput.map(([at, ok]) => [at, ok]) },
    { cls: 'bad', points: state.throughput.map(([at, , bad]) => [at, bad]) },
  ], now);
  lineChart($('#chart-latency'), [
    { cls: '', points: state.latency.map(([at, median]) => [at, median]) },
    { cls: 'warn', points: state.latency.map(([at, , slow]) => [at, slow]) },
  ], now);
  lineChart($('#chart-dlq'), [{ cls: 'bad', points: state.dlqSeries }], now);
}

function lineChart(container, series, now) {
  const width = 600, height = 160, left = 44, bottom = 18;
  const from = now - WINDOW_SECONDS * 1000;
  const max = Math.max(1, ...series.flatMap((s) => s.points.map(([, v]) => v)));
  const x = (t) => left + (width - left) * (t - from) / (now - from);
  const y = (v) => (height - bottom) - (height - bottom - 8) * v / max;
  const grid = [0, 0.5, 1].map((f) => `<line class="grid" x1="${left}" x2="${width}" y1="${y(max * f)}" y2="${y(max * f)}"/>`
    + `<text class="axis" x="${left - 6}" y="${y(max * f) + 4}" text-anchor="end">${format(max * f)}</text>`).join('');
  const lines = series.map((s) => s.points.length < 2 ? '' :
    `<polyline class="line ${s.cls}" points="${s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`).join('');
  container.innerHTML = `<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img">${grid}${lines}`
    + `<text class="axis" x="${left}" y="${height - 2}">-5 min</text><text class="axis" x="${width}" y="${height - 2}" text-anchor="end">now</text></svg>`;
}

function format(value) {
  if (value >= 1000) return (value / 1000).toFixed(value >= 10000 ? 0 : 1) + 'k';
  return value >= 10 ? Math.round(value).toString() : value.toFixed(value === 0 ? 0 : 1);
}

function duration(ms) {
  if (ms < 1000) return ms + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 1 : 0) + ' s';
  if (ms < 3600000) return Math.floor(ms / 60000) + ' min';
  return (ms / 3600000).toFixed(1) + ' h';
}

// ---------- queues ----------

async function loadQueues() {
  const configured = await api('/api/v1/queues');
  for (const queue of configured) {
    const known = state.queues.get(queue.queue_name) || {};
    known.paused = queue.paused;
    state.queues.set(queue.queue_name, known);
  }
  renderQueues();
}

function renderQueues() {
  const body = $('#queue-table tbody');
  const names = [...state.queues.keys()].sort();
  $('#queues-empty').hidden = names.length > 0;
  // Rows and cells are updated in place, and only where they changed: the figures move every
  // second, and a button under the pointer must not be replaced between press and release.
  const rows = new Map([...body.rows].map((tr) => [tr.dataset.queue, tr]));
  names.forEach((name, index) => {
    let tr = rows.get(name);
    if (!tr) {
      tr = document.createElement('tr');
      tr.dataset.queue = name;
    }
    queueCells(name, state.queues.get(name)).forEach(([cls, html], i) => {
      const td = tr.cells[i] || tr.insertCell();
      if (td.className !== cls) td.className = cls;
      if (td.shownHtml !== html) { td.innerHTML = html; td.shownHtml = html; }
    });
    if (body.rows[index] !== tr) body.insertBefore(tr, body.rows[index] || null);
  });
  for (const [name, tr] of rows) if (!state.queues.has(name)) tr.remove();
}

function queueCells(name, queue) {
  const s = queue.stats || {};
  const n = (v) => (v || 0).toLocaleString();
  const p99 = s.latency_ms && s.latency_ms.last_minute.p99 !== null ? duration(s.latency_ms.last_minute.p99) : '–';
  return [
    ['', `<a href="#jobs" data-queue-jobs="${escape(name)}">${escape(name)}</a>`],
    ['num', n(s.pending)], ['num', n(s.processing)], ['num', n(s.scheduled)], ['num', n(s.completed)],
    ['num', n((s.failed || 0) - (s.deadletter || 0))], ['num', n(s.deadletter)],
    ['num', s.delivered_per_second ? format(s.delivered_per_second.last_minute) : '–'],
    ['num', p99],
    ['num', s.oldest_pending_ms != null ? duration(s.oldest_pending_ms) : '–'],
    ['', queue.paused ? '<span class="badge warn">paused</span>' : '<span class="badge ok">running</span>'],
    ['', `<button class="small" data-toggle="${escape(name)}">${queue.paused ? 'Resume' : 'Pause'}</button>`],
  ];
}

async function togglePause(name) {
  const queue = state.queues.get(name);
  const action = queue.paused ? 'resume' : 'pause';
  try {
    await api(`/api/v1/queues/${encodeURIComponent(name)}/${action}`, { method: 'POST', body: {} });
    queue.paused = !queue.paused;
    renderQueues();
    toast(`Queue ${name} ${queue.paused ? 'paused' : 'resumed'}`);
  } catch (e) { toast(e.message); }
}

// ---------- jobs ----------

async function searchJobs(event) {
  if (event) event.preventDefault();
  const id = $('#job-id').value.trim();
  if (id) { await showJob(id); return; }
  const params = new URLSearchParams({ limit: '50' });
  if ($('#job-queue').value.trim()) params.set('queue_name', $('#job-queue').value.trim());
  if ($('#job-status').value) params.set('status', $('#job-status').value);
  try {
    const jobs = await api('/api/v1/jobs?' + params);
    $('#job-table tbody').innerHTML = jobs.map((job) => `<tr class="clickable" data-job="${job.id}">`
      + `<td><code>${short(job.id)}</code></td><td>${escape(job.queue_name)}</td><td>${badge(job.status)}</td>`
      + `<td class="num">${job.attempt}</td><td>${time(job.created_at)}</td></tr>`).join('')
      || '<tr><td colspan="5" class="muted">No jobs match.</td></tr>';
  } catch (e) { toast(e.message); }
}

async function showJob(id) {
  let job;
  try { job = await api('/api/v1/jobs/' + encodeURIComponent(id)); } catch (e) { toast(e.message); return; }
  const panel = $('#job-detail');
  panel.hidden = false;
  panel.dataset.job = job.id;
  renderJob(job);
  panel.scrollIntoView({ behavior: 'smooth', block: 'start' });
  followJob(job.id);
}

/** The job's fields and its timeline: created, then every attempt with its answer. */
function renderJob(job) {
  $('#detail-id').textContent = job.id;
  setStatus(job.status);
  const fields = { Queue: job.queue_name, Created: time(job.created_at), Attempts: job.attempt, 'Retries allowed': job.max_retries,
    Priority: job.priority, 'Next attempt': time(job.next_attempt_at), Completed: time(job.completed_at),
    'Last error': job.last_error || '–' };
  $('#detail-fields').innerHTML = Object.entries(fields).map(([k, v]) => `<dt>${k}</dt><dd>${escape(String(v ?? '–'))}</dd>`).join('');
  const steps = [{ at: job.created_at, title: 'Created', detail: `in ${job.queue_name}`, cls: '' }];
  for (const attempt of job.attempts || []) {
    const ok = attempt.status_code >= 200 && attempt.status_code < 300;
    steps.push({ at: attempt.started_at, cls: ok ? 'ok' : 'bad',
      title: `Attempt ${attempt.attempt}: ${attempt.status_code ? 'HTTP ' + attempt.status_code : (attempt.error_class || 'no response')}`,
      detail: `${attempt.duration_ms} ms${attempt.error ? ' · ' + attempt.error : ''}` });
  }
  $('#timeline').innerHTML = steps.map((s) => `<li class="${s.cls}"><span class="when">${time(s.at)}</span>`
    + `<strong>${escape(s.title)}</strong><span class="muted">${escape(s.detail || '')}</span></li>`).join('');
  $('#detail-retry').hidden = !['deadletter', 'failed', 'cancelled'].includes(job.status);
}

function setStatus(status) {
  const el = $('#detail-status');
  el.textContent = status;
  el.className = 'badge ' + statusClass(status);
}

/** Follows the shown job: each change re-reads it, so new attempts appear as they happen. */
function followJob(id) {
  if (state.jobStream) state.jobStream.close();
  const source = new EventSource(`/api/v1/events/jobs/${id}?token=${encodeURIComponent(state.session.access_token)}`);
  state.jobStream = source;
  source.onmessage = async (frame) => {
    const message = JSON.parse(frame.data);
    if (message.type !== 'JobStatusChange' || !message.data.old_status) return;
    setStatus(message.data.new_status);
    const job = await api('/api/v1/jobs/' + id).catch(() => null);
    if (job && $('#job-detail').dataset.job === id) renderJob(job);
  };
  source.onerror = () => { if (source.readyState === EventSource.CLOSED) source.close(); };
}

async function retryShownJob() {
  const id = $('#job-detail').dataset.job;
  try {
    await api(`/api/v1/jobs/${id}/retry`, { method: 'POST' });
    toast('Job sent again');
    setStatus('pending');
    followJob(id);
  } catch (e) { toast(e.message); }
}

// ---------- dead letters ----------

async function loadDeadLetters(event) {
  if (event) event.preventDefault();
  const queue = $('#dlq-queue').value.trim();
  const params = new URLSearchParams({ limit: '100' });
  if (queue) params.set('queue_name', queue);
  try {
    const jobs = await api('/api/v1/jobs/dlq?' + params);
    state.shownDeadJobs = jobs.map((job) => job.id);
    $('#dlq-empty').hidden = jobs.length > 0;
    $('#dlq-table tbody').innerHTML = jobs.map((job) => `<tr data-dead="${job.id}">`
      + `<td><a href="#jobs" data-open-job="${job.id}"><code>${short(job.id)}</code></a></td><td>${escape(job.queue_name)}</td>`
      + `<td class="error-text">${escape(job.last_error || '')}</td><td class="num">${job.attempt ?? ''}</td>`
      + `<td>${time(job.completed_at || job.updated_at)}</td>`
      + `<td><button class="small" data-retry="${job.id}">Retry</button></td></tr>`).join('');
  } catch (e) { toast(e.message); }
}

async function retryDead(ids) {
  if (!ids.length) return;
  try {
    const result = await api('/api/v1/jobs/dlq/retry', { method: 'POST', body: { job_ids: ids } });
    toast(`${result.retried_count} job${result.retried_count === 1 ? '' : 's'} sent again`);
    await loadDeadLetters();
  } catch (e) { toast(e.message); }
}

async function purgeDead() {
  const queue = $('#dlq-queue').value.trim();
  if (!queue) { toast('Name the queue to purge'); return; }
  if (!confirm(`Delete every dead-lettered job of ${queue}? This cannot be undone.`)) return;
  try {
    const result = await api('/api/v1/jobs/dlq/purge', { method: 'POST', body: { queue_name: queue, confirm: true } });
    toast(`${result.purged_count} purged`);
    await loadDeadLetters();
  } catch (e) { toast(e.message); }
}

// ---------- endpoints ----------

async function loadEndpoints() {
  try {
    const endpoints = await api('/api/v1/endpoints');
    // Each endpoint's live figures (success rate, attempt latency) from the stats topology
    const stats = await Promise.all(endpoints.map((e) => api(`/api/v1/endpoints/${e.id}/stats`).catch(() => null)));
    $('#endpoints-empty').hidden = endpoints.length > 0;
    $('#endpoint-table tbody').innerHTML = endpoints.map((e, i) => {
      const health = !e.enabled ? '<span class="badge bad">disabled</span>'
        : e.failing_since ? '<span class="badge warn">failing</span>' : '<span class="badge ok">healthy</span>';
      const s = stats[i];
      const circuit = !s || s.circuit.state === 'closed' ? ''
        : ` <span class="badge ${s.circuit.state === 'open' ? 'bad' : 'warn'}" title="on ${escape(s.circuit.open_on.join(', '))}">`
          + `circuit ${s.circuit.state === 'open' ? 'open' : 'half-open'}</span>`;
      const success = s && s.success_rate.last_hour !== null ? (100 * s.success_rate.last_hour).toFixed(1) + ' %' : '–';
      const p99 = s && s.latency_ms.last_hour.p99 !== null ? duration(s.latency_ms.last_hour.p99) : '–';
      return `<tr data-endpoint="${e.id}"><td class="url">${escape(e.url)}</td><td>${health}${circuit}</td>`
        + `<td class="num">${success}</td><td class="num">${p99}</td><td>${time(e.failing_since)}</td>`
        + `<td>${escape(e.disabled_reason || '')}</td>`
        + `<td>${e.enabled ? '' : `<button class="small" data-recover="${e.id}">Recover</button>`}</td></tr>`;
    }).join('');
  } catch (e) { toast(e.message); }
}

async function recover(id) {
  try { await api(`/api/v1/endpoints/${id}/recover`, { method: 'POST', body: {} }); toast('Endpoint enabled'); loadEndpoints(); }
  catch (e) { toast(e.message); }
}

// ---------- helpers ----------

function escape(text) {
  return String(text ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}
function short(id) { return id.slice(0, 8) + '…' + id.slice(-4); }
function time(iso) { return iso ? new Date(iso).toLocaleString() : '–'; }
function statusClass(status) {
  return { completed: 'ok', deadletter: 'bad', failed: 'bad', cancelled: 'muted', pending: '', processing: 'info', scheduled: 'muted' }[status] ?? '';
}
function badge(status) { return `<span class="badge ${statusClass(status)}">${escape(status)}</span>`; }
let toastTimer;
function toast(text) {
  const el = $('#toast');
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}

// ---------- navigation ----------

function show(tab) {
  const name = ['overview', 'queues', 'jobs', 'dlq', 'endpoints'].includes(tab) ? tab : 'overview';
  for (const view of document.querySelectorAll('.view')) view.hidden = view.id !== name;
  for (const link of document.querySelectorAll('#tabs a')) link.classList.toggle('active', link.dataset.tab === name);
  if (name === 'queues') loadQueues().catch((e) => toast(e.message));
  if (name === 'dlq') loadDeadLetters();
  if (name === 'endpoints') loadEndpoints();
  if (name === 'jobs' && !$('#job-table tbody').children.length) searchJobs();
}

async function start() {
  $('#login').hidden = true;
  $('#app').hidden = false;
  try {
    const me = await api('/api/v1/auth/me');
    const orgs = await api('/api/v1/organizations').catch(() => []);
    $('#org-name').textContent = (orgs[0] && orgs[0].name) || me.organization_id;
  } catch { return; }
  await loadQueues().catch(() => {});
  follow();
  show(location.hash.slice(1));
}

document.addEventListener('DOMContentLoaded', () => {
  $('#login-form').addEventListener('submit', signIn);
  $('#logout').addEventListener('click', () => signOut());
  $('#job-search').addEventListener('submit', searchJobs);
  $('#dlq-filter').addEventListener('submit', loadDeadLetters);
  $('#dlq-retry-all').addEventListener('click', () => retryDead(state.shownDeadJobs));
  $('#dlq-purge').addEventListener('click', purgeDead);
  $('#detail-retry').addEventListener('click', retryShownJob);
  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  document.body.addEventListener('click', (event) => {
    const target = event.target.closest('[data-toggle],[data-job],[data-retry],[data-recover],[data-open-job],[data-queue-jobs]');
    if (!target) return;
    if (target.dataset.toggle) togglePause(target.dataset.toggle);
    else if (target.dataset.retry) retryDead([target.dataset.retry]);
    else if (target.dataset.recover) recover(target.dataset.recover);
    else if (target.dataset.openJob) { location.hash = '#jobs'; showJob(target.dataset.openJob); }
    else if (target.dataset.queueJobs) { $('#job-queue').value = target.dataset.queueJobs; $('#job-id').value = ''; setTimeout(searchJobs); }
    else if (target.dataset.job) showJob(target.dataset.job);
  });
  setInterval(tick, 1000);
  if (state.session) start(); else $('#login').hidden = false;
});
