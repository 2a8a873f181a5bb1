// tokengate's web UI: a client of /api/v1 like any other. Every value shown comes from the API and
// goes into the page as text (textContent, attribute values), never as markup.
'use strict';

// notice: what the last action did, for the page it leads to to say (once).
const state = { me: null, notice: null };

// ---- The API -------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || 'HTTP ' + status);
    this.status = status;
    this.body = body || {};
  }
}

async function api(method, path, body) {
  // Says the web UI is asking: a 401 then challenges no Basic password dialog.
  const headers = { Accept: 'application/json', 'X-Requested-With': 'tokengate-ui' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (state.me && state.me.csrfToken && method !== 'GET') headers['X-CSRF-Token'] = state.me.csrfToken;
  let response;
  try {
    response = await fetch('/api/v1' + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    // No answer at all (the browser says only "Failed to fetch"): stopped, restarting, or out of reach.
    throw new ApiError(0, { message: 'The gateway did not answer: it may be stopped or restarting, or the network is down.'
      + ' Try again in a moment; after a change, reload the page to see whether it was made.' });
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = { message: text };
  }
  if (response.status === 401 && state.me) {
    // A change asked of a page (a form sent, the live check while typing) leaves a page that was
    // drawn in full: it waits for the same user to sign in again. A page still being read does not.
    const kept = method === 'GET' ? null : keepPage();
    state.me = null;
    renderSignIn('Your session has ended; sign in again' + (kept ? ' to go on where you were.' : '.'), kept);
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/**
 * The page as it is, a form half filled in, to draw again (see start): in this page's memory only,
 * and without what was typed into password fields.
 */
function keepPage() {
  const main = document.getElementById('main');
  for (const input of main.querySelectorAll('input[type=password]')) input.value = '';
  return { user: state.me.name, hash: location.hash, nodes: [...main.childNodes],
    focused: main.contains(document.activeElement) ? document.activeElement : null };
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? '?' + text : '';
}

// ---- Building the page ---------------------------------------------------------------------

/** An element with attributes (on* keys become listeners) and children (strings become text). */
function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.substring(2), value);
    else if (key === 'value') node.value = value;
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Shows nodes as the page; null, undefined and false stand for nothing (not the text "null"). */
function show(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes.filter((node) => node !== null && node !== undefined && node !== false));
}

// A decision's explanation opens with its verdict in capitals, for the command line; the page
// shows the verdict already, in words.
function withoutVerdict(explanation) {
  return String(explanation).replace(/^(ALLOWED|DENIED|REJECTED)( \(\d+\))?:?\s*/, '');
}

/** A check's explanation without its verdict, its lines (one per rule) kept apart as on the command line. */
function explanation(answer) {
  return el('span', { class: 'explanation' }, withoutVerdict(answer.explanation || answer.reason));
}

/**
 * An error: its message, or, when it names the fields at fault (errors), each field by the label
 * the form gives it (labels: API field name to label) with what is wrong, and a field's problems
 * (limits, by line) each once. Times in it read as the reader's locale writes them.
 */
function errorBox(error, labels) {
  const named = (field) => (labels && labels[field]) || field;
  const errors = error.body && Array.isArray(error.body.errors) ? error.body.errors : [];
  if (errors.length > 1) {
    return el('div', { class: 'error', role: 'alert' }, errors.length + ' fields need a change:',
      el('ul', {}, errors.map((e) => el('li', {}, named(e.field) + ': ', whatIsWrong(e)))));
  }
  const problems = error.body && error.body.problems;
  if (!Array.isArray(problems) || problems.length === 0) {
    const message = errors.length === 1 ? named(errors[0].field) + ': ' + errors[0].message : error.message;
    return el('div', { class: 'error', role: 'alert' }, readable(message));
  }
  const what = error.body.field ? named(error.body.field) + ': ' : '';
  return el('div', { class: 'error', role: 'alert' },
    what + problems.length + (problems.length === 1 ? ' problem' : ' problems'), problemList(problems));
}

function problemList(problems) {
  return el('ul', {}, problems.map((p) => el('li', {}, readable(describeProblem(p)))));
}

/**
 * What is wrong with one field (an entry of errors): its message, or, for several problems (limits,
 * by line), their count and each on a line of its own; its message joins them, and would say each
 * twice beside the list.
 */
function whatIsWrong(fieldError) {
  const problems = fieldError.problems;
  return Array.isArray(problems) && problems.length > 1
    ? [problems.length + ' problems', problemList(problems)]
    : readable(fieldError.message);
}

function describeProblem(problem) {
  if (typeof problem !== 'object' || problem === null) return String(problem);
  const where = problem.line ? 'line ' + problem.line + (problem.column ? ', column ' + problem.column : '') + ': ' : '';
  return where + (problem.reason || problem.message || JSON.stringify(problem));
}

// Sent in place of a number field whose text the browser cannot read as a number ('1e', 'abc'):
// the API refuses it (a whole number is expected), so the request changes nothing and is still
// judged field by field. Left out instead, the field would read as empty: a token that never expires.
const UNREADABLE = 'not a number';

/**
 * The fields of a form that an API error may name: [input, label] by API field name, in the
 * form's order. mark(error) marks each field at fault (aria-invalid, and what is wrong beneath it);
 * clear() takes the marks away again. The forms check their fields themselves (novalidate), where
 * the browser would stop at the first problem with a bubble: problems() is what the browser
 * knows is wrong, [{ field, message }]; number(name) a number field's value to send: undefined
 * when empty, UNREADABLE when the browser cannot read it; withProblems(error, problems) the API's error with them added,
 * for mark and errorBox.
 */
function formFields(fieldsByName) {
  const labels = {};
  for (const [name, [, label]] of Object.entries(fieldsByName)) labels[name] = label;
  const order = Object.keys(fieldsByName);
  const problems = () => order.flatMap((name) => {
    const validity = fieldsByName[name][0].validity;
    if (validity.badInput) return [{ field: name, message: 'is not a number: type a whole number, like 30' }];
    if (validity.valueMissing) return [{ field: name, message: 'is required' }];
    return [];
  });
  const number = (name) => {
    const input = fieldsByName[name][0];
    if (input.validity.badInput) return UNREADABLE;
    return input.value ? Number(input.value) : undefined;
  };
  const withProblems = (error, found) => {
    const answered = error.body && Array.isArray(error.body.errors) ? error.body.errors : [];
    // No answer about the fields (no answer at all, a session that ended): said as it is.
    if (found.length === 0 || answered.length === 0) return error;
    const known = new Set(found.map((e) => e.field));
    const rank = (e) => (order.includes(e.field) ? order.indexOf(e.field) : order.length);
    const errors = [...found, ...answered.filter((e) => !known.has(e.field))].sort((a, b) => rank(a) - rank(b));
    return new ApiError(error.status, { errors, message: errors.map((e) => e.field + ': ' + e.message).join('; ') });
  };
  const marks = [];
  const clear = () => {
    for (const [input, note, describedBy] of marks.splice(0)) {
      input.removeAttribute('aria-invalid');
      if (describedBy === null) input.removeAttribute('aria-describedby');
      else input.setAttribute('aria-describedby', describedBy);
      note.remove();
    }
  };
  const mark = (error) => {
    clear();
    const errors = error.body && Array.isArray(error.body.errors) ? error.body.errors : [];
    for (const e of errors) {
      const known = fieldsByName[e.field];
      if (!known || known[0].hasAttribute('aria-invalid')) continue;
      const input = known[0];
      const note = el('div', { class: 'field-error', id: input.id + '-error' }, whatIsWrong(e));
      const describedBy = input.getAttribute('aria-describedby');
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', describedBy ? describedBy + ' ' + note.id : note.id);
      input.after(note);
      marks.push([input, note, describedBy]);
    }
  };
  return { labels, mark, clear, problems, number, withProblems };
}

/**
 * Runs an action from a button or form, showing its failure in slot; fields (formFields), if
 * given, names the form's fields by their labels and marks those at fault.
 */
async function attempt(slot, action, fields) {
  slot.replaceChildren();
  if (fields) fields.clear();
  try {
    await action();
  } catch (error) {
    // A session that ended has already put the sign-in form in place of the slot's page.
    if (!slot.isConnected) return;
    slot.replaceChildren(errorBox(error, fields && fields.labels));
    if (fields) fields.mark(error);
  }
}

/**
 * Pages through a listing by its nextCursor: the first page now, the next at each click of more;
 * append(page) adds a page to what is shown. fields (formFields), if given, are the filters'.
 */
async function pageThrough(slot, more, fetchPage, append, fields) {
  let cursor = null;
  const load = () => attempt(slot, async () => {
    const page = await fetchPage(cursor);
    append(page);
    cursor = page.nextCursor;
    more.hidden = !cursor;
  }, fields);
  more.addEventListener('click', load);
  await load();
}

let fields = 0;

/** A labelled input. */
function field(label, input) {
  if (!input.id) input.id = 'field-' + ++fields;
  return el('div', {}, el('label', { for: input.id }, label), input);
}

/** An instant as the reader's locale writes it, with seconds: "1 Dec 2026, 14:03:27". */
function local(date) {
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/**
 * An instant (ISO-8601 text from the API) as the reader's locale writes it, the exact ISO time
 * in its tooltip; none (a dash unless given) stands for no instant.
 */
function time(text, none) {
  if (!text) return none || '—';
  const date = new Date(text);
  return isNaN(date) ? text : el('time', { datetime: text, title: text }, local(date));
}

// An ISO-8601 instant inside a message: 2026-12-01T02:03:27Z, with fractions or an offset.
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})/g;

// What a message quotes: a request's values, a rule's regex ('...'). Quoted text is shown as sent.
const QUOTED = /'[^']*'/g;

/**
 * A message for people, its ISO instants written as times (see time), the rest as text. An
 * instant inside quotes is a value someone sent or wrote (a query parameter, a regex), not a time
 * of the gateway's, and stays exactly as it was written.
 */
function readable(message) {
  const text = String(message);
  const parts = [];
  let at = 0;
  for (const quote of text.matchAll(QUOTED)) {
    parts.push(...withTimes(text.substring(at, quote.index)), quote[0]);
    at = quote.index + quote[0].length;
  }
  parts.push(...withTimes(text.substring(at)));
  return parts.filter((part) => part !== '');
}

/** Unquoted text, its ISO instants as times. */
function withTimes(text) {
  const parts = [];
  let at = 0;
  for (const match of text.matchAll(ISO_INSTANT)) {
    parts.push(text.substring(at, match.index), time(match[0]));
    at = match.index + match[0].length;
  }
  parts.push(text.substring(at));
  return parts;
}

// ---- Signing in ----------------------------------------------------------------------------

/** The sign-in form; kept, if given, is the page a session that ended left (see api), to go back to. */
function renderSignIn(message, kept) {
  document.getElementById('nav').hidden = true;
  document.getElementById('who').replaceChildren();
  const user = el('input', { type: 'text', name: 'user', autocomplete: 'username', required: true });
  const password = el('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const slot = el('div');
  const form = el(
    'form',
    { class: 'card', id: 'sign-in' },
    el('h1', {}, 'Sign in'),
    message ? el('div', { class: 'notice' }, message) : null,
    field('User', user),
    field('Password', password),
    slot,
    el('div', { class: 'actions' }, el('button', { type: 'submit' }, 'Sign in')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(slot, async () => {
      state.me = await api('POST', '/session', { user: user.value, password: password.value });
      await start(kept);
    });
  });
  show(form);
  user.focus(); // typing can start at once, without a click
}

async function signOut() {
  try {
    await api('DELETE', '/session');
  } finally {
    state.me = null;
    renderSignIn('Signed out.');
  }
}

function renderHeader() {
  document.getElementById('nav').hidden = false;
  document.getElementById('nav-settings').hidden = state.me.role !== 'admin';
  document.getElementById('nav-users').hidden = state.me.role !== 'admin' || state.me.source !== 'local';
  document.getElementById('who').replaceChildren(
    el('a', { href: '#/me', id: 'account' }, state.me.name + ' (' + state.me.role + (state.me.secureMode ? ', secure mode' : '') + ')'),
    el('button', { class: 'secondary', id: 'sign-out', onclick: signOut }, 'Sign out'),
  );
  for (const link of document.querySelectorAll('#nav a')) {
    link.classList.toggle('active', (location.hash || '#/tokens').startsWith(link.getAttribute('href')));
  }
}

// ---- Tokens --------------------------------------------------------------------------------

async function renderTokens(params, notice) {
  const filters = {};
  for (const key of ['status', 'user', 'name', 'expiresWithin', 'unusedFor']) filters[key] = params.get(key) || '';
  // As on the command line, the days filters are about active tokens unless a status is chosen.
  if (!filters.status && (filters.expiresWithin || filters.unusedFor)) filters.status = 'active';
  const status = el('select', { name: 'status' }, ['', 'active', 'expired', 'revoked'].map((s) =>
    el('option', { value: s, selected: s === filters.status }, s || 'any')));
  const user = el('input', { type: 'text', name: 'user', value: filters.user });
  const name = el('input', { type: 'text', name: 'name', value: filters.name });
  // Days, turned into the instants the API takes: the tokens about to stop working, and those
  // nobody has used for a while.
  const expiresWithin = el('input', { type: 'number', min: 0, max: 36500, name: 'expiresWithin', value: filters.expiresWithin });
  const unusedFor = el('input', { type: 'number', min: 0, max: 36500, name: 'unusedFor', value: filters.unusedFor });
  const form = el('form', { class: 'card row' },
    field('Status', status),
    state.me.role === 'admin' ? field('Bound user', user) : null,
    field('Name contains', name),
    field('Expires within (days)', expiresWithin),
    field('Unused for (days)', unusedFor),
    el('div', {}, el('button', { type: 'submit' }, 'Filter')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = '#/tokens' + query({
      status: status.value,
      user: user.value,
      name: name.value,
      expiresWithin: expiresWithin.value,
      unusedFor: unusedFor.value,
    });
  });
  // A hand-edited address may hold anything: what is no number of days the field could hold is no filter.
  const daysFromNow = (days) => {
    const n = Number(days);
    return days === '' || !Number.isFinite(n) || Math.abs(n) > 36500 ? '' : new Date(Date.now() + n * 86400000).toISOString();
  };
  const apiFilters = {
    status: filters.status, user: filters.user, name: filters.name,
    expiresBefore: daysFromNow(filters.expiresWithin), unusedSince: filters.unusedFor === '' ? '' : daysFromNow(-filters.unusedFor),
  };
  const rows = el('tbody');
  const slot = el('div');
  const more = el('button', { class: 'secondary', hidden: true }, 'More');
  const count = el('p');
  show(el('h1', {}, 'Tokens'), notice ? el('div', { class: 'notice', id: 'tokens-notice', role: 'status' }, notice) : null,
    form, slot, count,
    el('table', { id: 'tokens' },
      el('thead', {}, el('tr', {}, ['Name', 'Id', 'User', 'Status', 'Expires', 'Last used', 'Uses'].map((h) => el('th', {}, h)))),
      rows),
    el('div', { class: 'actions' }, more));
  await pageThrough(slot, more, (cursor) => api('GET', '/tokens' + query({ ...apiFilters, limit: 50, cursor })), (page) => {
    const filtered = Object.values(apiFilters).some((value) => value);
    count.textContent = page.total === 0
      ? (filtered ? 'No tokens match these filters.' : 'No tokens yet: New token makes one.')
      : page.total + (page.total === 1 ? ' token' : ' tokens');
    for (const token of page.tokens) {
      rows.append(el('tr', {},
        el('td', {}, el('a', { href: '#/tokens/' + token.id }, token.name)),
        el('td', { class: 'mono' }, token.id),
        el('td', {}, token.unbound ? '(unbound)' : token.user, userGone(token)),
        el('td', { class: 'status-' + token.status }, token.status),
        el('td', {}, time(token.expiresAt, 'never')),
        el('td', {}, time(token.lastUsedAt, 'never')),
        el('td', {}, String(token.useCount))));
    }
  });
}

/**
 * What the gateway learnt of a token's user being gone from Jira (userGone), as a warning under the
 * user's name with the remedy; nothing when it learnt nothing.
 */
function userGone(token) {
  if (!token.userGone) return null;
  const gone = token.userGone;
  return el('div', { class: 'warning user-gone', title: 'as of ' + gone.learntAt },
    gone.why + ' (' + time(gone.learntAt) + '); ' + gone.remedy);
}

/** The restrictions editor: a limits text, and a sample request checked against it live. */
function limitsEditor(initial) {
  const limits = el('textarea', { name: 'limits', spellcheck: 'false', placeholder: 'Empty: every request is allowed.\nOne rule per line, e.g. [get].*/rest/api/2/issue/.*' }, initial || '');
  limits.value = initial || '';
  const method = el('select', { name: 'sample-method' }, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => el('option', { value: m }, m)));
  // The URL a client calls: restrictions match the gateway's public URL, not the admin plane's.
  const url = el('input', { type: 'text', name: 'sample-url', value: state.me.gatewayUrl + '/rest/api/2/myself' });
  const headers = el('textarea', { name: 'sample-headers', rows: '2', spellcheck: 'false', placeholder: 'Headers, if any, one per line: Content-Type: application/json' });
  const body = el('textarea', { name: 'sample-body', placeholder: 'Request body (JSON), if any' });
  const result = el('div', { id: 'check-result' });
  let checks = 0;
  const check = async () => {
    const mine = ++checks;
    let shown;
    try {
      // The gateway refuses some requests for their headers; the check makes those refusals too.
      const lines = headers.value.split('\n').map((line) => line.trim()).filter((line) => line !== '');
      const answer = await api('POST', '/check', {
        limits: limits.value, method: method.value, url: url.value, headers: lines,
        body: body.value === '' ? undefined : body.value,
      });
      // The explanation names the rule that allowed the request, or each rule and where it failed.
      shown = el('div', { class: 'card' },
        el('span', { class: answer.allowed ? 'allowed' : 'denied' }, answer.allowed ? 'Allowed' : 'Denied'),
        ' — ', explanation(answer));
    } catch (error) {
      shown = errorBox(error, { limits: 'Restrictions', headers: 'Headers' });
    }
    // Only the newest check's answer is shown: an older one may arrive after it.
    if (mine === checks && result.isConnected) result.replaceChildren(shown);
  };
  const button = el('button', { type: 'button', class: 'secondary', id: 'check', onclick: check }, 'Test this request');
  // Live: the check runs again a moment after the text or the sample stops changing.
  let pending = null;
  const later = () => {
    clearTimeout(pending);
    pending = setTimeout(() => {
      if (limits.isConnected) check();
    }, 600);
  };
  for (const input of [limits, method, url, headers, body]) input.addEventListener('input', later);
  // A select need not send input events (Selenium's clicks send only change).
  method.addEventListener('change', later);
  const node = el('div', {},
    field('Restrictions', limits),
    el('div', { class: 'card' },
      el('strong', {}, 'Sample request'),
      el('div', { class: 'row' }, field('Method', method), el('div', {}, field('URL', url))),
      field('Headers', headers),
      field('Body', body),
      el('div', { class: 'actions' }, button),
      result));
  return { node, input: limits, value: () => limits.value };
}

function renderNewToken() {
  const name = el('input', { type: 'text', name: 'name', required: true });
  const user = el('input', { type: 'text', name: 'user', value: state.me.role === 'admin' ? '' : state.me.name,
    readonly: state.me.role !== 'admin', 'aria-describedby': state.me.role === 'admin' ? null : 'user-hint' });
  // An unbound token runs as whichever user its caller names, administrators included: only on purpose.
  const unbound = el('input', { type: 'checkbox', name: 'unbound', id: 'unbound' });
  const unboundField = el('div', { class: 'warning' }, unbound,
    el('label', { for: 'unbound' }, ' Unbound: any Basic user name may present it. Whoever holds the secret can then act'
      + ' as any Jira user, administrators included. For a script, name its user instead.'));
  const bindingShown = () => { unboundField.hidden = user.value.trim() !== ''; };
  user.addEventListener('input', bindingShown);
  const days = el('input', { type: 'number', name: 'days', min: 1, placeholder: 'never' });
  const ips = el('input', { type: 'text', name: 'allowed-ips', placeholder: 'any address; e.g. 10.0.0.0/8, 192.168.1.7' });
  const rate = el('input', { type: 'text', name: 'rate-limit', placeholder: 'none; e.g. 100/min (s, min, h, day)' });
  const editor = limitsEditor('');
  const slot = el('div', { id: 'create-result' });
  // The form's labels, for the API's field names in its errors.
  const fields = formFields({
    name: [name, 'Name'], user: [user, 'Bound user'], daysUntilExpiry: [days, 'Expires after days'],
    allowedIps: [ips, 'Allowed client addresses'], rateLimit: [rate, 'Rate limit'], limits: [editor.input, 'Restrictions'],
  });
  const form = el('form', { class: 'card', id: 'new-token', novalidate: true },
    el('h1', {}, 'New token'),
    field('Name', name),
    field('Bound user', user),
    // A user's tokens are theirs: the field says so rather than look like one to type in.
    state.me.role === 'admin' ? unboundField : el('p', { class: 'hint', id: 'user-hint' }, 'Your tokens are bound to you; an admin makes tokens for other users.'),
    el('div', { class: 'row' }, field('Expires after days', days), field('Allowed client addresses', ips)),
    field('Rate limit', rate),
    editor.node,
    slot,
    el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'create' }, 'Create token')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    await attempt(slot, async () => {
      const problems = fields.problems();
      const request = { name: name.value, limits: editor.value() };
      // Neither a user nor "Unbound": the user goes blank, which the API always refuses (it is never
      // taken for unbound), so that the same answer judges every other field too.
      if (user.value.trim() || !unbound.checked) request.user = user.value.trim();
      const daysSent = fields.number('daysUntilExpiry');
      if (daysSent !== undefined) request.daysUntilExpiry = daysSent;
      if (ips.value.trim()) request.allowedIps = ips.value;
      if (rate.value.trim()) request.rateLimit = rate.value;
      let created;
      try {
        created = await api('POST', '/tokens', request);
      } catch (error) {
        if (request.user === '') inTheFormsWords(error);
        throw fields.withProblems(error, problems);
      }
      location.hash = '#/tokens/' + created.id;
      revealOnce(created.token, created.user, 'Token created', null);
    }, fields);
    // The user field is at the top of the form, the answer by the button.
    if (user.getAttribute('aria-invalid') === 'true') user.focus();
  });
  show(form);
}

/** The API's refusal of a blank user, said as the form offers the choice: a user, or "Unbound". */
function inTheFormsWords(error) {
  const words = 'Name the user the token is for, or tick "Unbound" if it is meant to run as any user.';
  for (const e of error.body.errors || []) if (e.field === 'user') e.message = words;
  if (error.body.field === 'user') error.message = words;
}

/**
 * The one time a secret is shown (in secure mode it can never be read again); user null when
 * unbound. Closed, it gives the keyboard back to the control with the id returnTo, or, where the
 * page has none (a new token's page), to the page's heading.
 */
function revealOnce(secret, user, title, returnTo) {
  const backdrop = document.getElementById('dialog-backdrop');
  const input = el('input', { type: 'text', class: 'secret mono', readonly: true, value: secret, id: 'secret', 'aria-label': 'Secret' });
  const copied = el('span');
  // The page behind stays out of reach (Tab, clicks, screen readers) until the secret is dismissed.
  const behind = [document.querySelector('header'), document.getElementById('main')];
  const close = () => {
    input.value = '';
    backdrop.hidden = true;
    backdrop.replaceChildren();
    for (const node of behind) node.inert = false;
    const back = (returnTo && document.getElementById(returnTo)) || document.querySelector('main h1');
    if (!back) return;
    if (back.tagName === 'H1') back.tabIndex = -1; // focusable by script, not a stop for Tab
    back.focus();
  };
  backdrop.replaceChildren(el('div', { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'dialog-title' },
    el('h1', { id: 'dialog-title' }, title),
    el('p', {}, state.me.secureMode
      ? 'Copy the secret now: in secure mode it is shown only this once.'
      : 'Copy the secret now. Use it as the password in HTTP Basic auth, with the user name below.'),
    input,
    user
      ? el('p', {}, 'User: ', el('span', { class: 'mono' }, user))
      : el('p', {}, 'User: the token is unbound; the user name chooses who the call runs as.'),
    el('div', { class: 'actions' },
      el('button', { type: 'button', onclick: async () => {
        input.select();
        try {
          await navigator.clipboard.writeText(secret);
          copied.textContent = ' Copied.';
        } catch (e) {
          copied.textContent = ' Press Ctrl+C to copy.';
        }
      } }, 'Copy'),
      copied,
      el('button', { type: 'button', class: 'secondary', id: 'close-dialog', onclick: close }, 'I have copied it'))));
  backdrop.hidden = false;
  for (const node of behind) node.inert = true;
  input.select();
}

/**
 * A token's page. notice, if given, says what the last action did (nodes or text); saved, if
 * given, says beneath the edit form that the last change was saved.
 */
async function renderToken(id, { notice, saved } = {}) {
  const asked = location.hash;
  const slot = el('div');
  show(el('h1', {}, 'Token'), slot);
  let token;
  try {
    token = await api('GET', '/tokens/' + encodeURIComponent(id));
  } catch (error) {
    slot.replaceChildren(errorBox(error));
    return;
  }
  if (location.hash !== asked) return; // the user went on while the token was read
  const rows = [
    ['Name', token.name], ['Id', token.id], ['User', token.unbound ? '(unbound)' : [token.user, userGone(token)]],
    ['Status', token.status], ['Created', [time(token.createdAt), ' by ' + token.createdBy]],
    // As the command line says it: a token without an expiry never expires.
    ['Expires', time(token.expiresAt, 'never')], token.revokedAt ? ['Revoked', time(token.revokedAt)] : null,
    ['Allowed client addresses', token.allowedIps.length ? token.allowedIps.join(', ') : 'any'],
    ['Rate limit', token.rateLimit || 'none'],
    ['Last used', [time(token.lastUsedAt, 'never'), token.lastUsedIp ? ' from ' + token.lastUsedIp : null]],
    ['Uses', String(token.useCount)], ['Secret ends with', token.hint],
  ].filter((row) => row !== null);
  const actions = el('div', { class: 'actions' });
  const action = (label, css, run, id) => el('button', { type: 'button', class: css, id, onclick: () => attempt(slot, run) }, label);
  if (token.status !== 'revoked') {
    actions.append(action('Revoke', 'danger', async () => {
      if (!confirm('Revoke ' + token.name + '? Every call with it will be refused.')) return;
      const revoked = await api('POST', '/tokens/' + token.id + '/revoke');
      // This page was drawn before someone else revoked it: the user did not, and is told so.
      await renderToken(token.id, {
        notice: revoked.alreadyRevoked
          ? ['Already revoked, at ', time(revoked.revokedAt), ', before you asked: nothing changed.']
          : 'Revoked ' + token.id + ' (' + token.name + '): every call with it is refused.',
      });
    }));
    actions.append(action('Rotate secret', 'secondary', async () => {
      if (!confirm('Replace the secret of ' + token.name + '? The old one stops working at once.')) return;
      const rotated = await api('POST', '/tokens/' + token.id + '/rotate');
      await renderToken(token.id);
      revealOnce(rotated.token, token.user, 'New secret', 'rotate');
    }, 'rotate'));
    if (!state.me.secureMode) {
      actions.append(action('Show secret', 'secondary', async () => {
        const shown = await api('GET', '/tokens/' + token.id + '/secret');
        revealOnce(shown.token, token.user, 'Secret', 'show-secret');
      }, 'show-secret'));
    }
  }
  actions.append(action('Delete', 'danger', async () => {
    if (!confirm('Delete ' + token.name + ' for good? Its audit records stay.')) return;
    await api('DELETE', '/tokens/' + token.id);
    state.notice = 'Deleted ' + token.id + ' (' + token.name + ').'; // said by the list, next
    location.hash = '#/tokens';
  }));
  actions.append(el('a', { href: '#/audit' + query({ token: token.id }) }, 'Audit records'));

  const editor = limitsEditor(token.limits);
  const name = el('input', { type: 'text', name: 'name', value: token.name });
  const ips = el('input', { type: 'text', name: 'allowed-ips', value: token.allowedIps.join(', '), placeholder: 'any address' });
  const rate = el('input', { type: 'text', name: 'rate-limit', value: token.rateLimit || '', placeholder: 'none; e.g. 100/min' });
  const days = el('input', { type: 'number', name: 'days', min: 1, placeholder: 'unchanged' });
  // The form looks as it did before Save either way: without a word, a save is not seen to happen.
  const edited = el('div', { id: 'edit-result' }, saved ? el('div', { class: 'notice', role: 'status' }, saved) : null);
  const editFields = formFields({
    name: [name, 'Name'], allowedIps: [ips, 'Allowed client addresses'], daysUntilExpiry: [days, 'Expire after days from now'],
    rateLimit: [rate, 'Rate limit'], limits: [editor.input, 'Restrictions'],
  });
  const edit = el('form', { class: 'card', id: 'edit-token', novalidate: true }, el('h2', {}, 'Edit'), field('Name', name),
    el('div', { class: 'row' }, field('Allowed client addresses', ips), field('Expire after days from now', days)),
    field('Rate limit', rate),
    editor.node, edited,
    el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'save' }, 'Save')));
  edit.addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(edited, async () => {
      const problems = editFields.problems();
      const change = { name: name.value, limits: editor.value(), allowedIps: ips.value, rateLimit: rate.value };
      // Empty keeps the expiry; text the browser cannot read as a number does not.
      const daysSent = editFields.number('daysUntilExpiry');
      if (daysSent !== undefined) change.daysUntilExpiry = daysSent;
      try {
        await api('PATCH', '/tokens/' + token.id, change);
      } catch (error) {
        throw editFields.withProblems(error, problems);
      }
      await renderToken(token.id, { saved: 'Saved.' });
    }, editFields);
  });

  show(el('h1', {}, token.name),
    notice ? el('div', { class: 'notice', id: 'token-notice', role: 'status' }, notice) : null,
    el('table', { id: 'token' }, el('tbody', {}, rows.map(([k, v]) => el('tr', {}, el('th', {}, k), el('td', { class: k === 'Id' ? 'mono' : null }, v))))),
    actions, slot,
    // Says why the page offers no edit, no snippets and no way to see the secret.
    token.status !== 'revoked' && state.me.secureMode
      ? el('p', { class: 'notice', id: 'secure-notice' }, 'Secure mode: the secret of this token cannot be shown again, nor code'
        + ' snippets made with it, and its settings cannot be changed. Rotate it for a new secret, or revoke it.')
      : null,
    token.status === 'active' && !state.me.secureMode ? snippets(token) : null,
    // Secure mode refuses every edit (DESIGN §2), and a revoked token stays as it was.
    token.status !== 'revoked' && !state.me.secureMode
      ? edit
      : el('div', {}, el('h2', {}, 'Restrictions'),
        el('pre', { id: 'limits' }, token.limits || '(none: the token may call every supported endpoint)')));
}

/** Code that calls the gateway with the token, for a sample call (standard mode: it shows the secret). */
function snippets(token) {
  const method = el('select', { name: 'snippet-method' }, ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => el('option', { value: m }, m)));
  const path = el('input', { type: 'text', name: 'snippet-path', value: '/rest/api/2/myself' });
  const body = el('textarea', { name: 'snippet-body', placeholder: 'JSON body, for a POST, PUT or PATCH; e.g. {"body":"Comment text"}' });
  // The API's own default (openapi.yaml): an unbound token's snippet without a user runs as the caller.
  const user = el('input', { type: 'text', name: 'snippet-user', value: state.me.name, placeholder: state.me.name,
    'aria-describedby': 'snippet-user-hint' });
  const code = el('pre', { class: 'mono', id: 'snippet', hidden: true });
  const verdict = el('div', { id: 'snippet-check' });
  const tabs = el('div', { class: 'tabs' });
  const slot = el('div');
  // The form's labels, for the API's names of its fields (the query parameters) in its errors.
  const fields = formFields({
    method: [method, 'Method'], path: [path, 'Path and query'], body: [body, 'Body'], contentType: [body, 'Body'],
    user: [user, 'Run as user'],
  });
  const load = () => attempt(slot, async () => {
    // What was shown is for the call asked before: gone, whether or not this one can be shown.
    verdict.replaceChildren();
    tabs.replaceChildren();
    code.hidden = true;
    code.textContent = '';
    const sample = { method: method.value, path: path.value };
    // Jira reads no body of a GET or DELETE, and neither do restrictions.
    if (body.value.trim() && ['POST', 'PUT', 'PATCH'].includes(method.value)) {
      sample.body = body.value;
      sample.contentType = 'application/json';
    }
    if (token.unbound) sample.user = user.value.trim();
    const answer = await api('GET', '/tokens/' + token.id + '/snippets' + query(sample));
    tabs.replaceChildren(...Object.keys(answer.snippets).map((language) =>
      el('button', { type: 'button', class: 'secondary', onclick: () => { code.textContent = answer.snippets[language]; } }, language)));
    code.textContent = answer.snippets.curl || Object.values(answer.snippets)[0] || '';
    code.hidden = false;
    // The token as it is now: it may have expired, or been edited elsewhere, since the page was drawn.
    const now = await api('GET', '/tokens/' + token.id);
    // Whether the token's restrictions allow this call: a snippet that answers 403 says so at once.
    const decision = await api('POST', '/check', {
      limits: now.limits, method: method.value, url: state.me.gatewayUrl + path.value,
      body: sample.body,
    });
    // The restrictions are not all a call must pass: say what else the token's terms ask.
    const terms = [];
    if (now.unbound) terms.push('It runs as ' + answer.request.user + ', the user name it sends.');
    if (now.status !== 'active') terms.push('The token is ' + now.status + ': every call with it gets 401.');
    if (now.allowedIps.length) terms.push('Only from ' + now.allowedIps.join(', ') + '.');
    if (now.rateLimit) terms.push('At most ' + now.rateLimit + '.');
    verdict.replaceChildren(el('p', {},
      el('span', { class: decision.allowed ? 'allowed' : 'denied' }, decision.allowed ? 'Allowed' : 'Denied'),
      decision.allowed ? ' by the token\'s restrictions.' : [' by the token\'s restrictions: ', explanation(decision)]),
    ...(terms.length ? [el('p', {}, terms.join(' '))] : []));
  }, fields);
  return el('div', { class: 'card' }, el('h2', {}, 'Code snippets'),
    el('div', { class: 'row' }, field('Method', method), el('div', {}, field('Path and query', path)),
      token.unbound
        ? el('div', {}, field('Run as user', user),
          el('p', { class: 'hint', id: 'snippet-user-hint' }, 'Empty: you, ' + state.me.name + '.'))
        : null),
    field('Body', body),
    el('div', { class: 'actions' }, el('button', { type: 'button', class: 'secondary', id: 'show-snippet', onclick: load }, 'Show')),
    slot, verdict, tabs, code);
}

// ---- Audit log -----------------------------------------------------------------------------

const AUDIT_KINDS = ['REQUEST', 'TOKEN_CREATE', 'TOKEN_EDIT', 'TOKEN_ROTATE', 'TOKEN_REVEAL', 'TOKEN_REVOKE',
  'TOKEN_DELETE', 'LOGIN', 'LOGIN_FAILED', 'SETTING_CHANGE', 'USER_ADD', 'USER_EDIT', 'USER_REMOVE', 'USER_PASSWORD', 'BACKUP',
  'THROTTLE_LIFTED', 'SESSION_ENDED'];

async function renderAudit(params) {
  const filters = {};
  for (const key of ['token', 'user', 'decision', 'kind', 'from', 'to']) filters[key] = params.get(key) || '';
  const inputs = {
    token: el('input', { type: 'text', name: 'token', value: filters.token }),
    user: el('input', { type: 'text', name: 'user', value: filters.user }),
    decision: el('select', { name: 'decision' }, ['', 'ALLOW', 'DENY'].map((d) => el('option', { value: d, selected: d === filters.decision }, d || 'any'))),
    kind: el('select', { name: 'kind' }, ['', ...AUDIT_KINDS].map((k) => el('option', { value: k, selected: k === filters.kind }, k || 'any'))),
    from: el('input', { type: 'text', name: 'from', value: filters.from, placeholder: 'e.g. 2026-01-31 08:00',
      'aria-describedby': 'audit-time-hint' }),
    to: el('input', { type: 'text', name: 'to', value: filters.to, placeholder: 'e.g. 2026-01-31',
      'aria-describedby': 'audit-time-hint' }),
  };
  // A filter the API refuses is marked where it was typed, by its label.
  const filterFields = formFields({
    token: [inputs.token, 'Token id'], user: [inputs.user, 'User'], decision: [inputs.decision, 'Decision'],
    kind: [inputs.kind, 'Kind'], from: [inputs.from, 'From'], to: [inputs.to, 'To'],
  });
  const form = el('form', { class: 'card row' },
    field('Token id', inputs.token), field('User', inputs.user), field('Decision', inputs.decision),
    field('Kind', inputs.kind), field('From', inputs.from), field('To', inputs.to),
    el('div', {}, el('button', { type: 'submit' }, 'Filter')),
    el('p', { class: 'hint', id: 'audit-time-hint' }, 'From and To: a date (2026-01-31) or a date and time (2026-01-31 08:00)'
      + ' in your time zone, ' + timeZone() + ', or a time with its offset (2026-01-31T08:00:00Z). To is not included;'
      + ' a date alone in To stands for the end of that day.'));
  // How the last Filter read a date or a local time, beneath its field: the address holds the exact time.
  const readAs = state.readAs || {};
  state.readAs = null;
  for (const key of ['from', 'to']) {
    if (readAs[key] && readAs[key].note && readAs[key].value === filters[key]) {
      inputs[key].after(el('div', { class: 'hint', id: key + '-read-as' }, readAs[key].note));
      inputs[key].setAttribute('aria-describedby', 'audit-time-hint ' + key + '-read-as');
    }
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = {};
    for (const [key, input] of Object.entries(inputs)) values[key] = input.value.trim();
    const read = {};
    const errors = [];
    for (const key of ['from', 'to']) {
      read[key] = auditTime(values[key], key === 'to');
      if (read[key].problem) errors.push({ field: key, message: read[key].problem });
      else values[key] = read[key].value;
    }
    if (errors.length) {
      const error = new ApiError(400, { errors, message: errors.map((e) => e.field + ': ' + e.message).join('; ') });
      slot.replaceChildren(errorBox(error, filterFields.labels));
      filterFields.mark(error);
      return;
    }
    state.readAs = read;
    const next = '#/audit' + query(values);
    if (location.hash === next) route(); // Filter again reads again
    else location.hash = next;
  });
  const slot = el('div');
  const chart = el('div');
  const rows = el('tbody');
  const more = el('button', { class: 'secondary', hidden: true }, 'Older');
  // An empty table says nothing: the page says whether the filters or the log are why.
  const none = el('p', { id: 'audit-none', hidden: true });
  const exports = el('p', {}, 'Export: ',
    el('a', { href: '/api/v1/audit/export' + query({ ...filters, format: 'csv' }) }, 'CSV'), ' · ',
    el('a', { href: '/api/v1/audit/export' + query({ ...filters, format: 'jsonl' }) }, 'JSON Lines'));
  show(el('h1', {}, 'Audit log'), form, slot, chart, exports, none,
    // On a narrow screen the table scrolls sideways by itself; the page and its filters stay.
    el('div', { class: 'wide' }, el('table', { id: 'audit' },
      el('thead', {}, el('tr', {}, ['Time', 'Kind', 'Decision', 'Status', 'User', 'Client', 'Token', 'Request', 'Reason'].map((h) => el('th', {}, h)))),
      rows)),
    el('div', { class: 'actions' }, more));
  const shown = [];
  await pageThrough(slot, more, (cursor) => api('GET', '/audit' + query({ ...filters, limit: 100, cursor })), (page) => {
    for (const e of page.events) {
      shown.push(e);
      const user = e.actor
        ? e.actor + (e.effectiveUser && e.effectiveUser !== e.actor ? ' for ' + e.effectiveUser : '')
        : e.basicUser === e.effectiveUser || !e.effectiveUser ? e.basicUser : e.basicUser + ' as ' + e.effectiveUser;
      rows.append(el('tr', {},
        el('td', {}, time(e.time)),
        el('td', {}, e.kind),
        el('td', { class: e.decision === 'DENY' ? 'denied' : e.decision === 'ALLOW' ? 'allowed' : null }, e.decision || ''),
        el('td', {}, e.status === null ? '' : String(e.status)),
        el('td', {}, user || ''),
        el('td', { class: 'mono' }, e.clientIp || ''),
        el('td', { class: 'mono' }, e.tokenName ? e.tokenName + ' (' + e.tokenId + ')' : e.tokenId || ''),
        el('td', { class: 'mono' }, e.method ? e.method + ' ' + e.path + (e.query ? '?' + e.query : '') : ''),
        el('td', {}, readable(e.reason || ''))));
    }
    chart.replaceChildren(usageChart(shown, chart.clientWidth));
    none.hidden = shown.length > 0;
    none.textContent = Object.values(filters).some((value) => value) ? 'No records match these filters.' : 'No records yet.';
  }, filterFields);
}

/** The browser's time zone, by name where it has one: "Europe/Berlin". */
function timeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' + offset(new Date());
}

/** A date's offset from UTC in its time zone, as ISO-8601 writes it: "+01:00". */
function offset(date) {
  const minutes = -date.getTimezoneOffset();
  const pad = (n) => String(n).padStart(2, '0');
  return (minutes < 0 ? '-' : '+') + pad(Math.floor(Math.abs(minutes) / 60)) + ':' + pad(Math.abs(minutes) % 60);
}

/** A date as a local time with its offset, exact to the second: "2026-01-31T08:00:00+01:00". */
function withOffset(date) {
  const pad = (n, width) => String(n).padStart(width || 2, '0');
  return pad(date.getFullYear(), 4) + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate())
    + 'T' + pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds()) + offset(date);
}

/**
 * A From or To filter as a person types it. A date alone (2026-01-31) or a date and time without an
 * offset (2026-01-31 08:00, 2026-01-31T08:00:15) is read in the browser's time zone: { value, note },
 * the time with its offset that the API takes and a note of how it was read; a date alone in To
 * (end) stands for the end of that day, as To is not included. A local time the zone has twice or
 * never (a daylight-saving change) is { problem }: no guess. Anything else goes on as typed
 * ({ value }), for the API to judge.
 */
function auditTime(text, end) {
  const typed = text.match(/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/);
  if (!typed) return { value: text };
  const [y, mo, d, h, mi, sec] = typed.slice(1).map((part) => Number(part || 0));
  const day = new Date(Date.UTC(y, mo - 1, d));
  if (day.getUTCMonth() !== mo - 1 || day.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) return { value: text };
  const dateOnly = typed[4] === undefined;
  const wanted = new Date(Date.UTC(y, mo - 1, dateOnly && end ? d + 1 : d, h, mi, sec)); // the wall clock's reading
  const wall = (date) => [date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()].join();
  const wantedWall = [wanted.getUTCFullYear(), wanted.getUTCMonth(), wanted.getUTCDate(), wanted.getUTCHours(),
    wanted.getUTCMinutes(), wanted.getUTCSeconds()].join();
  const date = new Date(wanted.getUTCFullYear(), wanted.getUTCMonth(), wanted.getUTCDate(), wanted.getUTCHours(),
    wanted.getUTCMinutes(), wanted.getUTCSeconds());
  // The same reading under the zone's offset a day before or after: a clock set back shows it twice.
  const twice = [-1, 1].some((days) => {
    const near = new Date(date.getTime() + days * 86400000);
    const other = new Date(date.getTime() + (near.getTimezoneOffset() - date.getTimezoneOffset()) * 60000);
    return other.getTime() !== date.getTime() && wall(other) === wantedWall;
  });
  if (wall(date) !== wantedWall || twice) {
    return { problem: "'" + text + "' is " + (twice ? 'twice' : 'never') + ' on the clock in your time zone, ' + timeZone()
      + ' (a daylight-saving change): give its offset, like \'' + withOffset(date) + '\'' };
  }
  const value = withOffset(date);
  const how = !dateOnly ? '' : end ? ', the end of that day' : ', the start of that day';
  return { value, note: 'Read ' + text + ' as ' + value + how + ' in your time zone, ' + timeZone() + '.' };
}

/**
 * Requests allowed and denied per hour over the records shown, as stacked bars, drawn for a place
 * the given number of pixels wide.
 */
function usageChart(events, pixels) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('class', 'chart');
  // As wide as its place, so that its text keeps its size on a narrow screen too.
  const chartWidth = Math.max(360, Math.round(pixels || 1150));
  svg.setAttribute('viewBox', '0 0 ' + chartWidth + ' 190');
  svg.setAttribute('role', 'img');
  const requests = events.filter((e) => e.kind === 'REQUEST');
  svg.setAttribute('aria-label', 'Requests per hour: ' + requests.length + ' shown');
  const shape = (name, attributes) => {
    const node = document.createElementNS(svgNs, name);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
    return node;
  };
  if (requests.length === 0) {
    // An empty box would look like a chart that failed to draw.
    const none = shape('text', { x: chartWidth / 2, y: 95, 'text-anchor': 'middle', class: 'empty' });
    none.textContent = 'No requests through the gateway among the ' + events.length + ' records shown: the chart counts those only.';
    svg.append(none);
    return svg;
  }
  const hour = 3600 * 1000;
  const buckets = new Map();
  for (const e of requests) {
    const start = Math.floor(Date.parse(e.time) / hour) * hour;
    const bucket = buckets.get(start) || { allow: 0, deny: 0 };
    if (e.decision === 'DENY') bucket.deny++;
    else bucket.allow++;
    buckets.set(start, bucket);
  }
  // One slot per hour, at least the 24 hours up to the newest record shown, at most 48.
  const newest = Math.max(...buckets.keys());
  const oldest = Math.max(Math.min(...buckets.keys()), newest - 47 * hour);
  const slots = Math.max(24, (newest - oldest) / hour + 1);
  const starts = [];
  for (let i = slots - 1; i >= 0; i--) starts.push(newest - i * hour);
  const count = (start) => (buckets.get(start) || { allow: 0, deny: 0 });
  const peak = Math.max(...starts.map((s) => count(s).allow + count(s).deny));
  const width = chartWidth / starts.length;
  const labelEvery = starts.length <= 24 ? 3 : 6;
  starts.forEach((start, i) => {
    const bucket = count(start);
    const allowHeight = (bucket.allow / peak) * 130;
    const denyHeight = (bucket.deny / peak) * 130;
    const bar = shape('g', {});
    bar.append(shape('rect', { class: 'allow', x: i * width + 1, y: 140 - allowHeight, width: width - 2, height: allowHeight }));
    bar.append(shape('rect', { class: 'deny', x: i * width + 1, y: 140 - allowHeight - denyHeight, width: width - 2, height: denyHeight }));
    const title = shape('title', {});
    title.textContent = local(new Date(start)) + ': ' + bucket.allow + ' allowed, ' + bucket.deny + ' denied';
    bar.append(title);
    svg.append(bar);
    // The time axis: an hour label every few bars, counted back from the newest so that it has
    // one; midnight names its day instead.
    if ((starts.length - 1 - i) % labelEvery === 0) {
      const at = new Date(start);
      // The newest hour's label ends at the chart's edge rather than run past it.
      const last = i === starts.length - 1;
      const tick = shape('text', {
        x: last ? chartWidth - 2 : i * width + width / 2, y: 153, 'text-anchor': last ? 'end' : 'middle', class: 'hour',
      });
      tick.textContent = at.getHours() === 0
        ? at.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })
        : at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
      svg.append(tick);
    }
  });
  // Two lines, which fit a narrow screen too.
  const label = shape('text', { x: 4, y: 170 });
  label.textContent = 'Requests per hour: the ' + requests.length + ' requests among the ' + events.length
    + ' records shown (green allowed, red denied); peak ' + peak + ';';
  const span = shape('text', { x: 4, y: 184 });
  span.textContent = local(new Date(starts[0])) + ' to ' + local(new Date(newest + hour));
  svg.append(label, span);
  return svg;
}

// ---- Users ---------------------------------------------------------------------------------

/**
 * The local users (identity.source = local), for admins: add one, change a user's groups (which
 * runas.groups names) or role, set a user's password, remove one (and, when asked, revoke the
 * tokens bound to them). Nobody changes their own role or removes themselves; a user's own
 * password is changed on their account page. notice, if given, says what the last change did.
 */
async function renderUsers(notice) {
  const name = el('input', { type: 'text', name: 'new-user', required: true, autocomplete: 'off' });
  const password = el('input', { type: 'password', name: 'new-password', required: true, minlength: 8, autocomplete: 'new-password' });
  const role = el('select', { name: 'new-role' }, ['user', 'admin'].map((r) => el('option', { value: r }, r)));
  const email = el('input', { type: 'text', name: 'new-email' });
  const groups = el('input', { type: 'text', name: 'new-groups', placeholder: 'jira-runas, ci' });
  const added = el('div');
  const form = el('form', { class: 'card', id: 'add-user' }, el('h2', {}, 'Add a user'),
    el('div', { class: 'row' }, field('Name', name), field('Password (8 characters or more)', password),
      field('Role', role), field('Email', email), field('Groups (comma-separated)', groups)),
    added,
    el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'add' }, 'Add user')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(added, async () => {
      await api('POST', '/users', {
        name: name.value.trim(), password: password.value, role: role.value, email: email.value.trim() || null, groups: groups.value,
      });
      await renderUsers();
    });
  });
  const slot = el('div');
  const rows = el('tbody');
  const passwordUser = el('select', { name: 'password-user' });
  const newPassword = el('input', { type: 'password', name: 'set-password', required: true, minlength: 8, autocomplete: 'new-password' });
  const passwordSet = el('div');
  const passwordForm = el('form', { class: 'card', id: 'set-password' }, el('h2', {}, 'Set a user\'s password'),
    el('p', {}, 'For a forgotten password: the user\'s sessions end, and scripts using the old password are refused.'),
    el('div', { class: 'row' }, field('User', passwordUser), field('New password (8 characters or more)', newPassword)),
    passwordSet,
    el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'set-password-button' }, 'Set password')));
  passwordForm.addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(passwordSet, async () => {
      await api('PUT', '/users/' + encodeURIComponent(passwordUser.value) + '/password', { password: newPassword.value });
      newPassword.value = '';
      passwordSet.replaceChildren(el('div', { class: 'notice' }, 'Password of ' + passwordUser.value + ' set; their sessions ended.'));
    });
  });
  show(el('h1', {}, 'Users'), notice ? el('div', { class: 'notice', id: 'users-notice' }, readable(notice)) : null, slot,
    el('table', { id: 'users' },
      el('thead', {}, el('tr', {}, ['Name', 'Role', 'Groups', 'Email', 'Added', ''].map((h) => el('th', {}, h)))),
      rows),
    form, passwordForm);
  await attempt(slot, async () => {
    const list = await api('GET', '/users');
    for (const user of list.users) {
      const path = '/users/' + encodeURIComponent(user.name);
      const editGroups = el('button', { type: 'button', onclick: () => attempt(slot, async () => {
        const answer = prompt('Groups of ' + user.name + ', comma-separated (runas.groups may name them):', user.groups.join(', '));
        if (answer === null) return;
        await api('PATCH', path, { groups: answer });
        await renderUsers();
      }) }, 'Groups…');
      const yourself = user.name === state.me.name;
      const otherRole = user.role === 'admin' ? 'user' : 'admin';
      const changeRole = yourself ? null : el('button', { type: 'button', onclick: () => attempt(slot, async () => {
        if (!confirm('Make ' + user.name + ' ' + (otherRole === 'admin' ? 'an admin' : 'a user') + '?')) return;
        await api('PATCH', path, { role: otherRole });
        await renderUsers();
      }) }, 'Make ' + otherRole);
      const remove = yourself ? null : el('button', { type: 'button', class: 'danger', onclick: () => attempt(slot, async () => {
        if (!confirm('Remove ' + user.name + '? Their sessions end now.')) return;
        const count = async (bound) => (bound ? (await api('GET', '/tokens' + query({ user: bound, status: 'active', limit: 1 }))).total : 0);
        const active = await count(user.name) + await count(user.email);
        const revokeTokens = active > 0 && confirm(user.name + ' has ' + active + ' active ' + (active === 1 ? 'token' : 'tokens')
          + '. Revoke ' + (active === 1 ? 'it' : 'them') + ' too? (Cancel leaves ' + (active === 1 ? 'it' : 'them')
          + ' working after ' + user.name + ' is removed.)');
        const removed = await api('DELETE', path + query({ revokeTokens: revokeTokens ? 'true' : '' }));
        await renderUsers(removed.message);
      }) }, 'Remove');
      if (!yourself) passwordUser.append(el('option', { value: user.name }, user.name));
      rows.append(el('tr', {}, el('td', {}, user.name), el('td', {}, user.role), el('td', {}, user.groups.join(', ')),
        el('td', {}, user.email || ''), el('td', {}, time(user.createdAt)), el('td', {}, editGroups, changeRole, remove)));
    }
  });
}

// ---- Your account --------------------------------------------------------------------------

/**
 * Who is signed in, their own password (local users: given the current one; their other sessions
 * end), and how their tokens' calls reach Jira: with their own upstream credential where the
 * gateway uses one (a form to store it), else a line that says how.
 */
function renderAccount() {
  let passwordForm = null;
  if (state.me.source === 'local') {
    const current = el('input', { type: 'password', name: 'current-password', required: true, autocomplete: 'current-password' });
    const next = el('input', { type: 'password', name: 'new-password', required: true, minlength: 8, autocomplete: 'new-password' });
    const changed = el('div');
    passwordForm = el('form', { class: 'card', id: 'change-password' }, el('h2', {}, 'Your password'),
      el('div', { class: 'row' }, field('Current password', current), field('New password (8 characters or more)', next)),
      changed,
      el('div', { class: 'actions' }, el('button', { type: 'submit', id: 'change-password-button' }, 'Change password')));
    passwordForm.addEventListener('submit', (event) => {
      event.preventDefault();
      attempt(changed, async () => {
        await api('PUT', '/me/password', { currentPassword: current.value, password: next.value });
        current.value = '';
        next.value = '';
        changed.replaceChildren(el('div', { class: 'notice' }, 'Changed. Your other sessions have ended.'));
      });
    });
  }
  // A session whose stored credential Jira refuses may use this page only, until a new one is stored.
  const confined = state.me.confinedBecause
    ? el('div', { class: 'error', role: 'alert', id: 'confined' }, state.me.confinedBecause)
    : null;
  show(el('h1', {}, state.me.name), confined,
    el('p', {}, 'Role: ' + state.me.role + ' · signed in with ' + state.me.source + ' credentials'
      + (state.me.secureMode ? ' · secure mode: secrets are shown once' : '')),
    passwordForm,
    state.me.upstreamIdentity === 'user-credential' ? upstreamCredentialForm() : el('section', { class: 'card', id: 'upstream-identity' },
      el('h2', {}, 'How your tokens call Jira'),
      el('p', {}, state.me.upstreamIdentity === 'header'
        ? 'The gateway forwards each call as you, naming you in a header that Jira trusts (upstream.identity = header). '
          + 'No credential of yours is needed.'
        : 'The gateway forwards each call with its own service account, on your behalf (upstream.identity = service-account). '
          + 'No credential of yours is needed.')));
}

/**
 * The caller's own upstream credential, for upstream.identity = user-credential only: the gateway
 * then sends it upstream (as a Bearer token) for their tokens' calls.
 */
function upstreamCredentialForm() {
  const credential = el('input', { type: 'password', name: 'upstream-credential', autocomplete: 'off' });
  const slot = el('div');
  const form = el('form', { class: 'card', id: 'upstream-credential' },
    el('h2', {}, 'Your upstream credential'),
    el('p', {}, 'The gateway calls Jira with each user\'s own credential (upstream.identity = user-credential): '
      + 'it uses this one for your tokens, for example a Jira personal access token. It is stored sealed and never shown again.'),
    field('Credential', credential),
    slot,
    el('div', { class: 'actions' },
      el('button', { type: 'submit', id: 'store-credential' }, 'Store'),
      el('button', { type: 'button', class: 'secondary', id: 'forget-credential', onclick: () => attempt(slot, async () => {
        await api('DELETE', '/me/upstream-credential');
        slot.replaceChildren(el('div', { class: 'notice' }, 'Forgotten.'));
      }) }, 'Forget')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    attempt(slot, async () => {
      await api('PUT', '/me/upstream-credential', { credential: credential.value });
      credential.value = '';
      if (state.me.confinedBecause) {
        // Jira takes the new credential: the session is no longer confined to this page.
        state.me = await api('GET', '/me');
        await route();
        return;
      }
      slot.replaceChildren(el('div', { class: 'notice' }, 'Stored.'));
    });
  });
  return form;
}

// ---- Settings ------------------------------------------------------------------------------

async function renderSettings() {
  const asked = location.hash;
  const slot = el('div');
  show(el('h1', {}, 'Settings'), slot);
  await attempt(slot, async () => {
    const settings = await api('GET', '/settings');
    if (location.hash !== asked) return; // the user went on while the settings were read
    show(el('h1', {}, 'Settings'),
      el('p', {}, 'Secure mode: ' + (settings.secureMode ? 'on' : 'off') + ' · identity source: ' + settings.identitySource
        + ' · longest token lifetime: ' + (settings.maxLifetimeDays ? settings.maxLifetimeDays + ' days' : 'unlimited')),
      el('p', {}, 'Settings are changed in tokengate.properties, the environment or the command line, and take effect at the'
        + ' next start; tokengate config check checks them first.'),
      el('table', { id: 'settings' },
        el('thead', {}, el('tr', {}, ['Key', 'Value', 'From', 'Meaning'].map((h) => el('th', {}, h)))),
        el('tbody', {}, settings.settings.map((s) => el('tr', {},
          el('td', { class: 'mono' }, s.key), el('td', { class: 'mono' }, s.value), el('td', {}, s.source), el('td', {}, s.description))))),
      backupSection(), throttleSection());
  });
}

/**
 * The client addresses with failed logins (login.max.failures), throttled first, and lifting one:
 * its failed logins are forgotten on every node, as `tokengate throttle lift` does. A CI runner's
 * address throttled by one job's revoked token otherwise refuses every job there until the window
 * passes.
 */
function throttleSection() {
  const slot = el('div', { id: 'throttle-outcome' });
  const list = el('div', { id: 'throttles' });
  const draw = async () => {
    const listed = await api('GET', '/throttles');
    if (listed.throttles.length === 0) {
      list.replaceChildren(el('p', {}, 'No failed logins from any address now.'));
      return;
    }
    const rows = listed.throttles.map((t) => el('tr', {},
      el('td', {}, t.plane === 'data' ? 'data (tokens)' : 'admin (sign-ins)'),
      el('td', { class: 'mono' }, t.address),
      el('td', {}, String(t.failures)),
      el('td', {}, t.throttled ? 'yes, ' + t.secondsLeft + ' s left' : 'no'),
      el('td', {}, time(t.until)),
      el('td', {}, el('button', { type: 'button', class: 'secondary', onclick: () => attempt(slot, async () => {
        if (!confirm('Lift the throttle of ' + t.address + '? Its failed logins are forgotten on every node.')) return;
        const lifted = await api('DELETE', '/throttles/' + encodeURIComponent(t.address) + query({ plane: t.plane }));
        await draw();
        slot.replaceChildren(el('div', { class: 'notice' }, readable(lifted.message)));
      }) }, 'Lift'))));
    // replaceChildren, unlike el, would show a null as the text "null".
    list.replaceChildren(el('table', {},
      el('thead', {}, el('tr', {}, ['Plane', 'Address', 'Failures', 'Throttled', 'Forgotten at', ''].map((h) => el('th', {}, h)))),
      el('tbody', {}, rows)));
    if (listed.omitted > 0) list.append(el('p', {}, '… and ' + listed.omitted + ' more addresses with fewer failures.'));
  };
  const refresh = el('button', { type: 'button', class: 'secondary', id: 'refresh-throttles',
    onclick: () => attempt(slot, draw) }, 'Refresh');
  const section = el('section', {}, el('h2', {}, 'Login throttles'),
    el('p', {}, 'Addresses whose logins failed recently, on this node and the ones it hears from. '
      + 'A throttled address gets 429 for its logins until its failures are forgotten, at the time shown, or lifted here.'),
    list, slot, el('div', { class: 'actions' }, refresh));
  attempt(slot, draw);
  return section;
}

/** Takes a backup of the embedded database on the server, and says where it went. */
function backupSection() {
  const outcome = el('div', { id: 'backup-outcome' });
  const button = el('button', { type: 'button', id: 'backup', onclick: () => attempt(outcome, async () => {
    const backup = await api('POST', '/backups');
    outcome.append(el('p', {}, 'Backup written on the server: ', el('span', { class: 'mono' }, backup.file),
      ' (' + backup.bytes + ' bytes).'), el('p', {}, backup.note));
  }) }, 'Back up the database now');
  return el('section', {}, el('h2', {}, 'Backup'),
    el('p', {}, 'A consistent copy of the embedded database, taken while the gateway serves, under HOME/backups on the server.'),
    button, outcome);
}

// ---- Routing -------------------------------------------------------------------------------

/** An admin page a user reached by its address: no forms that the API would refuse. */
function renderAdminsOnly(path) {
  show(el('h1', {}, path === '/users' ? 'Users' : 'Settings'),
    el('div', { class: 'error', role: 'alert' }, 'This page is for admins only; you are signed in as ' + state.me.name + ', a user.'),
    el('p', {}, el('a', { href: '#/tokens' }, 'Your tokens')));
}

async function route() {
  if (!state.me) return;
  renderHeader();
  const hash = location.hash || '#/tokens';
  const [path, search] = hash.substring(1).split('?');
  const params = new URLSearchParams(search || '');
  const notice = state.notice;
  state.notice = null;
  const token = path.match(/^\/tokens\/([^/]+)$/);
  if (state.me.confinedBecause) renderAccount(); // the one page such a session may use
  else if (token) await renderToken(decodeURIComponent(token[1]));
  else if (path === '/new') renderNewToken();
  else if (path === '/audit') await renderAudit(params);
  else if ((path === '/settings' || path === '/users') && state.me.role !== 'admin') renderAdminsOnly(path);
  else if (path === '/settings') await renderSettings();
  else if (path === '/users') await renderUsers();
  else if (path === '/me') renderAccount();
  else await renderTokens(params, notice);
}

/** Signs in with the session the browser has, if any; kept (see api) is drawn again if it is still the user's. */
async function start(kept) {
  try {
    state.me = await api('GET', '/me');
  } catch (error) {
    if (error.status !== 401) show(errorBox(error));
    else renderSignIn();
    return;
  }
  if (state.me.csrfToken === null) {
    // Signed in with Basic credentials the browser remembered: the UI needs a session of its own.
    state.me = null;
    renderSignIn();
    return;
  }
  if (kept && kept.user === state.me.name && kept.hash === location.hash && !state.me.confinedBecause) {
    renderHeader();
    show(...kept.nodes);
    if (kept.focused) kept.focused.focus();
    return;
  }
  await route();
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', start);
