/*
 * Tally's page. Everything shown is read from the JSON API in the browser (/stats, /stats/{target},
 * /health, /trends), the same answers any client gets; this file only draws them.
 *
 * Refreshing: /stats and /stats/{target} carry an ETag. Each refresh asks with If-None-Match and the
 * ETag of what is on screen; a 304 changes nothing on the page. Only a 200 (a new snapshot, or a new
 * query) re-renders, and only then are /health, the problem rows' details and /trends read again.
 *
 * Text from Tally (target names, labels, errors) is only ever set as text, never parsed as HTML.
 */
'use strict';

(() => {
  const root = new URL(document.body.dataset.root, window.location.href);
  const api = (path) => new URL(path, root).toString();
  const $ = (id) => document.getElementById(id);

  const TARGET_PATH = '/ui/targets/';
  const METRICS = ['success_ratio', 'latency_p95_seconds', 'queue_depth'];
  const COLOURS = { success_ratio: '#1a7f37', latency_p95_seconds: '#8250df', queue_depth: '#0969da' };
  const MARKS = {
    healthy: '●', ok: '●', flat: '●', degraded: '▲', timeout: '▲', warn: '▲', stale: '▲',
    unhealthy: '✖', error: '✖', stalled: '✖', stopped: '✖', unknown: '?', unavailable: '–', disabled: '–',
  };
  /** Details of problem rows are read this many at a time (one /stats/{target} each). */
  const DETAIL_CONCURRENCY = 4;

  // ---------------------------------------------------------------- small helpers

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === 'class') el.className = value;
      else el.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      el.append(child instanceof Node ? child : String(child));
    }
    return el;
  }

  function badge(status, text) {
    const known = Object.prototype.hasOwnProperty.call(MARKS, status);
    return h('span', { class: 'badge st-' + (known ? status : 'unknown') },
      h('span', { class: 'mark', 'aria-hidden': 'true' }, known ? MARKS[status] : '•'), text || status);
  }

  /** A missing figure: a dash, with the reason for screen readers and as a tooltip. */
  function none(reason) {
    return h('span', { class: 'none', title: reason || null }, '—',
      reason ? h('span', { class: 'visually-hidden' }, ' (' + reason + ')') : null);
  }

  const fmt = {
    ratio(v) {
      if (v === null || v === undefined) return null;
      const pct = v * 100;
      return (pct === 100 || pct === 0 ? pct.toFixed(0) : pct >= 99.95 ? '99.9' : pct.toFixed(1)) + '\u00a0%';
    },
    seconds(v) {
      if (v === null || v === undefined) return null;
      if (v === 0) return '0\u00a0ms';
      if (v < 0.001) return (v * 1e6).toFixed(0) + '\u00a0µs';
      if (v < 0.01) return (v * 1000).toFixed(2) + '\u00a0ms';
      if (v < 1) return (v * 1000).toFixed(v < 0.1 ? 1 : 0) + '\u00a0ms';
      return v.toFixed(2) + '\u00a0s';
    },
    age(v) {
      if (v === null || v === undefined) return null;
      if (v < 60) return v.toFixed(v < 10 ? 1 : 0) + '\u00a0s';
      if (v < 3600) return (v / 60).toFixed(1) + '\u00a0min';
      return (v / 3600).toFixed(1) + '\u00a0h';
    },
    count(v) {
      if (v === null || v === undefined) return null;
      return Number.isInteger(v) ? v.toLocaleString('en') : v.toLocaleString('en', { maximumFractionDigits: 2 });
    },
    time(iso) {
      if (!iso) return null;
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
    },
  };

  function shown(text, reason) {
    return text === null || text === undefined ? none(reason) : text;
  }

  // ---------------------------------------------------------------- talking to Tally

  class Problem extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /**
   * GET a JSON answer. With an entity tag, asks If-None-Match and resolves to {notModified: true}
   * on 304. The browser's cache is bypassed ('no-store') so that the 304 reaches this code instead
   * of being turned into a 200 from the cache.
   */
  async function request(url, etag, accepted = [200]) {
    const headers = { Accept: 'application/json' };
    if (etag) headers['If-None-Match'] = etag;
    let response;
    try {
      response = await fetch(url, { headers, cache: 'no-store', credentials: 'same-origin' });
    } catch (e) {
      throw new Problem(0, 'Tally did not answer: ' + e.message);
    }
    if (response.status === 304) return { notModified: true };
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      body = null;
    }
    if (!accepted.includes(response.status)) {
      const message = body && body.error && body.error.message ? body.error.message : response.statusText;
      throw new Problem(response.status, message);
    }
    return { body, etag: response.headers.get('ETag') };
  }

  function explain(problem) {
    if (problem.status === 401) {
      return 'Tally asks for credentials (401): reload the page to sign in. ' + problem.message;
    }
    if (problem.status === 403) return 'Your credentials lack the read role (403). ' + problem.message;
    if (problem.status === 0) return problem.message;
    return 'Tally answered ' + problem.status + ': ' + problem.message;
  }

  function showProblem(problem) {
    const box = $('problem');
    box.textContent = problem ? explain(problem) : '';
    box.hidden = !problem;
  }

  // ---------------------------------------------------------------- the refresh loop

  const status = $('updated');
  let lastRender = null;

  function rendered() {
    lastRender = new Date();
    status.dataset.renders = String(Number(status.dataset.renders) + 1);
    status.textContent = 'updated ' + lastRender.toLocaleTimeString();
  }

  function unchanged() {
    status.dataset.unchanged = String(Number(status.dataset.unchanged) + 1);
    status.textContent = 'updated ' + (lastRender ? lastRender.toLocaleTimeString() : '–') + ', checked '
      + new Date().toLocaleTimeString() + ': no change';
  }

  const params = new URLSearchParams(window.location.search);
  const refreshSelect = $('refresh');
  if (params.has('refresh') && [...refreshSelect.options].some((o) => o.value === params.get('refresh'))) {
    refreshSelect.value = params.get('refresh');
  }
  let timer = null;
  let view = null;

  function schedule() {
    clearTimeout(timer);
    const seconds = Number(refreshSelect.value);
    if (seconds > 0) timer = setTimeout(tick, seconds * 1000);
  }

  async function run(load) {
    try {
      await load();
      if (!$('problem').hidden) showProblem(null);
    } catch (e) {
      if (e instanceof Problem) showProblem(e);
      else throw e;
    }
  }

  async function tick() {
    if (!document.hidden) await run(() => view.refresh(false));
    schedule();
  }

  refreshSelect.addEventListener('change', () => {
    setParam('refresh', refreshSelect.value === '5' ? null : refreshSelect.value);
    schedule();
  });

  function setParam(name, value) {
    const p = new URLSearchParams(window.location.search);
    if (value === null || value === '') p.delete(name);
    else p.set(name, value);
    const query = p.toString();
    window.history.replaceState(null, '', window.location.pathname + (query ? '?' + query : ''));
  }

  /** Links keep the chosen refresh period, so the next page refreshes as this one did. */
  function withRefresh(href) {
    const r = new URLSearchParams(window.location.search).get('refresh');
    return r ? href + '?refresh=' + encodeURIComponent(r) : href;
  }

  /** Re-renders a container and gives focus back to the same control (by data-key) if it had it. */
  function keepingFocus(container, render) {
    const active = document.activeElement;
    const key = active && container.contains(active) ? active.dataset.key : null;
    render();
    if (key) {
      const again = container.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (again) again.focus({ preventScroll: true });
    }
  }

  // ---------------------------------------------------------------- the overview (/ui)

  function overview() {
    const form = $('filters');
    const fields = {
      q: $('q'), status: $('status'), type: $('type'), labels: $('labels'), sort: $('sort'), limit: $('limit'),
    };
    const prev = $('prev');
    const next = $('next');
    const tbody = document.querySelector('#targets tbody');
    const state = { cursors: [null], page: 0, next: null, rendered: null, seq: 0, health: null, items: [] };
    const details = new Map(); // target name -> {etag, text}

    // Filters come from the address, so a filtered view can be bookmarked and shared.
    fields.q.value = params.get('q') || '';
    for (const name of ['status', 'type', 'sort', 'limit']) {
      const value = params.get(name);
      if (value && [...fields[name].options].some((o) => o.value === value)) fields[name].value = value;
    }
    fields.labels.value = params.getAll('label').join(' ');

    function labels() {
      return fields.labels.value.split(/\s+/).filter((l) => l.length > 0);
    }

    function labelsValid() {
      const ok = labels().every((l) => l.indexOf(':') > 0);
      fields.labels.setAttribute('aria-invalid', ok ? 'false' : 'true');
      return ok;
    }

    function filtersActive() {
      return fields.q.value.trim() !== '' || fields.status.value !== '' || fields.type.value !== ''
        || labels().length > 0;
    }

    function statsUrl() {
      const p = new URLSearchParams();
      p.set('limit', fields.limit.value);
      if (fields.q.value.trim() !== '') p.set('q', fields.q.value.trim());
      if (fields.status.value) p.set('status', fields.status.value);
      if (fields.type.value) p.set('type', fields.type.value);
      for (const l of labels()) p.append('label', l);
      if (fields.sort.value !== 'name') p.set('sort', fields.sort.value);
      const cursor = state.cursors[state.page];
      if (cursor) p.set('cursor', cursor);
      return api('stats?' + p.toString());
    }

    function remember() {
      const p = new URLSearchParams(window.location.search);
      for (const name of ['q', 'status', 'type', 'sort', 'limit', 'label']) p.delete(name);
      if (fields.q.value.trim() !== '') p.set('q', fields.q.value.trim());
      if (fields.status.value) p.set('status', fields.status.value);
      if (fields.type.value) p.set('type', fields.type.value);
      for (const l of labels()) p.append('label', l);
      if (fields.sort.value !== 'name') p.set('sort', fields.sort.value);
      if (fields.limit.value !== '50') p.set('limit', fields.limit.value);
      const query = p.toString();
      window.history.replaceState(null, '', window.location.pathname + (query ? '?' + query : ''));
    }

    async function refresh(force) {
      if (!labelsValid()) return;
      const url = statsUrl();
      const token = ++state.seq;
      const etag = !force && state.rendered && state.rendered.url === url ? state.rendered.etag : null;
      const answer = await request(url, etag);
      if (token !== state.seq) return; // a newer query was asked meanwhile
      if (answer.notModified) {
        unchanged();
        return;
      }
      renderStats(answer.body);
      state.rendered = { url, etag: answer.etag };
      rendered();
      const health = await request(api('health'), null, [200, 503]);
      if (token !== state.seq) return;
      renderHealth(health.body);
      await problemDetails(answer.body.items, token);
    }

    function renderStats(stats) {
      const s = stats.snapshot;
      $('snapshot').textContent = 'Snapshot ' + s.sequence + ', collected ' + fmt.time(s.collected_at)
        + ' in ' + fmt.seconds(s.duration_seconds);

      const t = stats.targets;
      $('target-count').textContent = fmt.count(t.total);
      const by = t.by_status;
      $('target-breakdown').textContent = by.healthy + ' healthy, ' + by.degraded + ' degraded, ' + by.unhealthy
        + ' unhealthy, ' + by.unknown + ' unknown; ' + t.enabled + ' enabled';
      const q = stats.queues;
      $('queue-depth').replaceChildren(shown(fmt.count(q.depth), q.reason));
      $('queue-note').textContent = q.count + ' queues' + (q.dlq_depth ? ', ' + fmt.count(q.dlq_depth) + ' dead-lettered' : '')
        + (q.utilization !== null && q.utilization !== undefined ? ', ' + fmt.ratio(q.utilization) + ' of capacity' : '');
      const p = stats.publishing;
      $('publishing').replaceChildren(shown(fmt.ratio(p.success_ratio), p.reason));
      $('publishing-note').textContent = p.attempts === null ? (p.reason || '')
        : fmt.count(p.attempts) + ' attempts, ' + fmt.count(p.failures) + ' failed';

      keepingFocus($('collectors'), () => {
        document.querySelector('#collectors tbody').replaceChildren(...stats.collectors.map((c) => h('tr', null,
          h('th', { scope: 'row' }, c.name),
          h('td', null, badge(c.status)),
          h('td', null, c.stale ? badge('stale') : h('span', { class: 'muted' }, c.age_seconds === null ? 'no data' : 'fresh')),
          h('td', { class: 'num' }, shown(fmt.age(c.age_seconds), 'no data yet')),
          h('td', { class: 'num' }, fmt.seconds(c.duration_seconds)),
          h('td', { class: c.error ? 'error' : null }, c.error || ''))));
      });

      state.next = stats.next_cursor;
      state.items = stats.items;
      keepingFocus(tbody, () => {
        tbody.replaceChildren(...(stats.items.length === 0
          ? [h('tr', null, h('td', { colspan: 7, class: 'muted' }, 'No target matches these filters.'))]
          : stats.items.map(targetRow)));
      });
      for (const th of document.querySelectorAll('#targets th[data-sort]')) {
        if (th.dataset.sort === fields.sort.value) {
          th.setAttribute('aria-sort', { name: 'ascending', success_ratio: 'ascending', latency: 'descending' }[th.dataset.sort] || 'other');
        } else {
          th.removeAttribute('aria-sort');
        }
      }
      const limit = Number(fields.limit.value);
      const from = state.page * limit + 1;
      const to = state.page * limit + stats.items.length;
      const where = filtersActive() ? ' matching the filters' : ' of ' + fmt.count(t.total);
      const info = stats.items.length === 0 ? 'Page ' + (state.page + 1) + ': no targets'
        : 'Page ' + (state.page + 1) + ': targets ' + from + '–' + to + where + (state.next ? '' : ' (last page)');
      $('page-info').textContent = info;
      $('targets-caption').textContent = 'Targets, ' + info.charAt(0).toLowerCase() + info.slice(1);
      setEnabled(prev, state.page > 0);
      setEnabled(next, Boolean(state.next));
    }

    function targetRow(item) {
      const href = withRefresh(api('ui/targets/' + encodeURIComponent(item.name)));
      const publishing = item.attempts > 0 ? fmt.ratio(Math.max(0, 1 - item.failures / item.attempts)) : null;
      const statusCell = h('td', null, badge(item.status),
        item.enabled ? null : h('span', null, ' ', badge('disabled')));
      const known = details.get(item.name);
      return h('tr', { 'data-target': item.name },
        h('th', { scope: 'row' }, h('a', { class: 'target-link', href, 'data-key': 'target:' + item.name }, item.name),
          h('div', { class: 'muted' }, item.type + (Object.keys(item.labels).length
            ? ' · ' + Object.entries(item.labels).map(([k, v]) => k + '=' + v).join(', ') : ''))),
        statusCell,
        h('td', { class: 'num' }, shown(fmt.ratio(item.success_ratio), item.success_ratio_source),
          item.success_ratio !== null ? h('div', { class: 'muted' }, item.success_ratio_source) : null),
        h('td', { class: 'num' }, shown(fmt.seconds(item.latency_p95_seconds), 'no probe latency')),
        h('td', { class: 'num' }, shown(fmt.count(item.queue_depth), 'no queue mapped')),
        h('td', { class: 'num' }, shown(publishing, 'no notification attempted'),
          item.attempts > 0 ? h('div', { class: 'muted' }, fmt.count(item.attempts) + ' attempts') : null),
        h('td', { class: 'error last-error' }, known && known.text ? known.text : ''));
    }

    /**
     * /stats items carry no error text, so the rows with a problem (degraded, unhealthy, or failed
     * notifications) each read their /stats/{target}, conditionally, a few at a time. Healthy rows
     * cost nothing; a page is at most `limit` rows.
     */
    async function problemDetails(items, token) {
      const wanted = items.filter((i) => i.status === 'degraded' || i.status === 'unhealthy' || i.failures > 0);
      let index = 0;
      async function worker() {
        while (index < wanted.length) {
          const item = wanted[index++];
          const known = details.get(item.name);
          let answer;
          try {
            answer = await request(api('stats/' + encodeURIComponent(item.name)), known ? known.etag : null);
          } catch (e) {
            continue; // the target went away between the two reads; the next refresh shows it
          }
          if (token !== state.seq) return;
          if (!answer.notModified) {
            details.set(item.name, { etag: answer.etag, text: lastError(answer.body) });
          }
          const row = tbody.querySelector('tr[data-target="' + CSS.escape(item.name) + '"] td.last-error');
          const text = details.get(item.name).text || '';
          if (row && row.textContent !== text) row.textContent = text;
        }
      }
      await Promise.all(Array.from({ length: Math.min(DETAIL_CONCURRENCY, wanted.length) }, worker));
      if (details.size > 2000) details.clear();
    }

    function renderHealth(health) {
      const text = JSON.stringify(health);
      if (text === state.health) return; // same answer: leave the DOM as it is
      state.health = text;
      $('score').textContent = health.score === null ? '–' : String(health.score);
      $('score-status').replaceChildren(badge(health.status));
      document.querySelector('#components tbody').replaceChildren(...health.components.map((c) => h('tr', null,
        h('th', { scope: 'row' }, c.name),
        h('td', null, badge(c.status)),
        h('td', { class: 'num' }, shown(fmt.ratio(c.value), 'no data')),
        h('td', { class: 'num' }, c.weight === null || c.weight === undefined ? '' : String(c.weight)),
        h('td', null, c.detail || ''))));
      $('reasons').replaceChildren(...(health.reasons.length === 0 ? [h('li', { class: 'muted' }, 'Nothing to report.')]
        : health.reasons.map((r) => h('li', null, r))));
    }

    function restart() {
      state.cursors = [null];
      state.page = 0;
      remember();
      run(() => refresh(true));
    }

    let typing = null;
    fields.q.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(restart, 300);
    });
    fields.labels.addEventListener('input', () => {
      clearTimeout(typing);
      typing = setTimeout(() => {
        if (labelsValid()) restart();
      }, 300);
    });
    for (const name of ['status', 'type', 'sort', 'limit']) fields[name].addEventListener('change', restart);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      clearTimeout(typing);
      restart();
    });
    prev.addEventListener('click', () => {
      if (state.page === 0) return;
      state.cursors.pop();
      state.page--;
      run(() => refresh(true));
    });
    next.addEventListener('click', () => {
      if (!state.next) return;
      state.cursors.push(state.next);
      state.page++;
      run(() => refresh(true));
    });

    $('overview').hidden = false;
    return { refresh };
  }

  /** aria-disabled rather than disabled: the button keeps keyboard focus when it stops applying. */
  function setEnabled(button, enabled) {
    button.setAttribute('aria-disabled', enabled ? 'false' : 'true');
  }

  function lastError(detail) {
    const health = detail.health || {};
    if (health.last_error) return (health.last_error_class ? health.last_error_class + ': ' : '') + health.last_error;
    const reasons = Object.entries((detail.publishing || {}).failures_by_reason || {});
    if (reasons.length > 0) {
      return 'publishing failures: ' + reasons.map(([reason, n]) => reason + ' ' + fmt.count(n)).join(', ');
    }
    return '';
  }

  // ---------------------------------------------------------------- one target (/ui/targets/{name})

  function targetView(name) {
    const state = { rendered: null, seq: 0, trendSeq: 0, charts: {} };
    const radios = [...document.querySelectorAll('input[name="window"]')];
    const initial = params.get('window');
    if (radios.some((r) => r.value === initial)) radios.forEach((r) => { r.checked = r.value === initial; });
    const windowChosen = () => radios.find((r) => r.checked).value;
    const url = api('stats/' + encodeURIComponent(name));

    document.title = name + ' · Tally';
    $('crumb-name').textContent = name;
    $('t-name').textContent = name;
    $('back').href = withRefresh(api('ui'));
    $('snapshot').textContent = 'Target ' + name;

    async function refresh(force) {
      const token = ++state.seq;
      const etag = !force && state.rendered ? state.rendered.etag : null;
      const answer = await request(url, etag);
      if (token !== state.seq) return;
      if (answer.notModified) {
        unchanged();
        return;
      }
      renderTarget(answer.body);
      state.rendered = { etag: answer.etag };
      rendered();
      await trends();
    }

    function facts(dl, rows) {
      dl.replaceChildren(...rows.flatMap(([term, value]) => [h('dt', null, term), h('dd', null, value)]));
    }

    function renderTarget(d) {
      const t = d.target;
      const health = d.health;
      const pub = d.publishing;
      $('t-status').replaceChildren(badge(health.status), t.enabled ? '' : ' ', t.enabled ? '' : badge('disabled'));
      const trend = d.trend || {};
      const direction = (m, label) => (trend[m] && trend[m].direction ? label + ' ' + trend[m].direction : null);
      facts($('t-info'), [
        ['Type', t.type || '—'],
        ['URL', shown(t.url, 'not a discovered target')],
        ['Enabled', t.enabled ? 'yes' : 'no'],
        ['Source', t.source || '—'],
        ['Labels', Object.keys(t.labels || {}).length
          ? Object.entries(t.labels).map(([k, v]) => k + '=' + v).join(', ') : none('no labels')],
        ['Trend (' + (trend.window || '1h') + ')', [direction('success_ratio', 'success ratio'),
          direction('latency_p95_seconds', 'latency p95'), direction('queue_depth', 'queue depth')]
          .filter(Boolean).join(', ') || none('fewer than 3 points yet')],
      ]);
      const lat = health.latency_seconds || {};
      facts($('t-health'), [
        ['Status', badge(health.status)],
        ['Success ratio', shown(fmt.ratio(health.success_ratio), health.reason)],
        ['Checks', health.checks === null ? none(health.reason)
          : fmt.count(health.checks) + ' (' + fmt.count(health.failures) + ' failed)'],
        ['Consecutive failures', shown(fmt.count(health.consecutive_failures), health.reason)],
        ['Latency', lat.last === null ? none(health.reason)
          : 'last ' + fmt.seconds(lat.last) + ', p50 ' + fmt.seconds(lat.p50) + ', p95 ' + fmt.seconds(lat.p95)],
        ['Last check', shown(fmt.time(health.last_check), health.reason)],
        ['Last success', shown(fmt.time(health.last_success), 'none yet')],
        ['Last error', health.last_error
          ? h('span', { class: 'error' }, (health.last_error_class ? health.last_error_class + ': ' : '') + health.last_error)
          : none('none')],
        ['Certificate expiry', shown(fmt.time(health.certificate_expiry), 'not a TLS target, or not checked')],
      ].concat(health.reason ? [['Reason', health.reason]] : []));
      const reasons = Object.entries(pub.failures_by_reason || {});
      facts($('t-publishing'), [
        ['Success ratio', shown(fmt.ratio(pub.success_ratio), pub.reason)],
        ['Attempts', shown(fmt.count(pub.attempts), pub.reason)],
        ['Failures', shown(fmt.count(pub.failures), pub.reason)],
        ['Failures by reason', reasons.length ? reasons.map(([r, n]) => r + ' ' + fmt.count(n)).join(', ') : none('none')],
        ['Latency p95', shown(fmt.seconds(pub.latency_p95_seconds), pub.reason || 'the publisher reports no latency')],
        ['Attempts per second', shown(fmt.count(pub.attempts_per_second), pub.reason || 'needs two scrapes')],
        ['Publishers', pub.publishers && pub.publishers.length ? pub.publishers.join(', ') : none(pub.reason)],
      ].concat(pub.reason ? [['Reason', pub.reason]] : []));
      const queues = d.queues || [];
      document.querySelector('#t-queues tbody').replaceChildren(...(queues.length === 0
        ? [h('tr', null, h('td', { colspan: 7, class: 'muted' }, 'No queue is mapped to this target.'))]
        : queues.map((q) => h('tr', null,
          h('th', { scope: 'row' }, q.queue, q.priority ? h('span', { class: 'muted' }, ' (' + q.priority + ')') : null),
          h('td', null, q.broker + ' · ' + q.source),
          h('td', null, q.role),
          h('td', { class: 'num' }, shown(fmt.count(q.depth), 'not read')),
          h('td', { class: 'num' }, shown(fmt.count(q.consumers), 'the broker does not say')),
          h('td', { class: 'num' }, shown(fmt.ratio(q.utilization), 'no capacity configured')),
          h('td', null, badge(q.verdict))))));
    }

    /**
     * The three charts. /trends serves 5m, 15m, 1h and 24h windows; 6 h is read as the last 24 h at
     * a 90 s step (960 points) and cut to its last 6 h, so it has the resolution of the others.
     */
    async function trends() {
      const chosen = windowChosen();
      const token = ++state.trendSeq;
      const answers = await Promise.all(METRICS.map((metric) => {
        const p = new URLSearchParams({ metric, target: name, window: chosen === '6h' ? '24h' : chosen });
        if (chosen === '6h') p.set('step', '90s');
        return request(api('trends?' + p.toString()));
      }));
      if (token !== state.trendSeq) return;
      METRICS.forEach((metric, i) => draw(metric, answers[i].body, chosen));
    }

    function draw(metric, trend, chosen) {
      const figure = $('chart-' + metric);
      const holder = figure.querySelector('.chart-canvas');
      let points = trend.points || [];
      if (chosen === '6h') {
        const from = Date.now() - 6 * 3600 * 1000;
        points = points.filter((p) => Date.parse(p[0]) >= from);
      }
      const xs = points.map((p) => Date.parse(p[0]) / 1000);
      const ys = points.map((p) => (typeof p[1] === 'number' ? p[1] : null));
      const format = metric === 'success_ratio' ? fmt.ratio : metric === 'latency_p95_seconds' ? fmt.seconds : fmt.count;
      const values = ys.filter((v) => v !== null);
      figure.dataset.points = String(points.length);
      const summary = figure.querySelector('.chart-summary');
      if (values.length === 0) {
        summary.textContent = 'no points in the last ' + chosen + (trend.reason ? ' (' + trend.reason + ')' : '');
        if (state.charts[metric]) {
          state.charts[metric].destroy();
          delete state.charts[metric];
        }
        holder.removeAttribute('role');
        holder.removeAttribute('aria-label');
        holder.replaceChildren(h('p', { class: 'chart-empty' }, 'No points yet in this window.'));
        return;
      }
      const text = 'last ' + format(values[values.length - 1]) + ', lowest ' + format(Math.min(...values))
        + ', highest ' + format(Math.max(...values)) + '; ' + points.length + ' points over the last ' + chosen
        + (chosen !== '6h' && trend.direction ? ', ' + trend.direction : '');
      summary.textContent = text;
      holder.setAttribute('role', 'img');
      holder.setAttribute('aria-label', figure.querySelector('strong').textContent + ': ' + text);
      const data = [xs, ys];
      const chart = state.charts[metric];
      if (chart) {
        chart.setData(data);
        return;
      }
      holder.replaceChildren();
      state.charts[metric] = new window.uPlot(chartOptions(metric, holder, format), data, holder);
    }

    function chartOptions(metric, holder, format) {
      const colour = COLOURS[metric];
      return {
        width: Math.max(280, holder.clientWidth),
        height: 200,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true },
          y: metric === 'success_ratio'
            ? { range: (u, min) => [Math.max(0, Math.min(min, 1) - 0.05), 1] }
            : { range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [{}, { size: 70, values: (u, splits) => splits.map((v) => format(v)) }],
        series: [{}, {
          label: metric, stroke: colour, width: 2, fill: colour + '1f',
          points: { show: (u) => u.data[0].length <= 60, size: 5, fill: colour },
        }],
      };
    }

    function resize() {
      for (const [metric, chart] of Object.entries(state.charts)) {
        const holder = $('chart-' + metric).querySelector('.chart-canvas');
        chart.setSize({ width: Math.max(280, holder.clientWidth), height: 200 });
      }
    }

    let resizing = null;
    window.addEventListener('resize', () => {
      clearTimeout(resizing);
      resizing = setTimeout(resize, 150);
    });
    for (const radio of radios) {
      radio.addEventListener('change', () => {
        setParam('window', windowChosen() === '1h' ? null : windowChosen());
        run(trends);
      });
    }

    $('target-view').hidden = false;
    return { refresh };
  }

  // ---------------------------------------------------------------- start

  const path = window.location.pathname;
  const at = path.indexOf(TARGET_PATH);
  if (at >= 0 && path.length > at + TARGET_PATH.length) {
    view = targetView(decodeURIComponent(path.slice(at + TARGET_PATH.length)));
  } else {
    view = overview();
  }
  $('home').href = withRefresh(api('ui'));
  run(() => view.refresh(true)).then(schedule);
})();
