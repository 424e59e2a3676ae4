// The "API Keys" page of Nimbus Auth. No framework, no build step, no inline script (the page's Content
// Security Policy forbids it). The management key lives in one variable of this closure: never in
// localStorage, sessionStorage, a cookie, the URL or the DOM once submitted.
(function () {
  'use strict';

  const api = new URL(document.body.dataset.api.replace(/\/?$/, '/'), window.location.href);
  const $ = (id) => document.getElementById(id);
  let managementKey = null;
  let caller = null;
  let pendingKey = null;
  const CHARTS = 50;

  function say(text, isError) {
    const status = $('status');
    status.textContent = text;
    status.classList.toggle('error', Boolean(isError));
  }

  async function call(method, path, body) {
    const response = await fetch(new URL(path, api), {
      method: method,
      headers: Object.assign({ 'X-API-Key': managementKey },
        body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'error',
      referrerPolicy: 'no-referrer'
    });
    let json = null;
    try {
      json = await response.json();
    } catch (e) {
      json = null;
    }
    if (!response.ok) {
      const message = json && json.error ? json.error.message : 'HTTP ' + response.status;
      const failure = new Error(message + ' (' + response.status + ')');
      failure.status = response.status;
      throw failure;
    }
    return json;
  }

  function text(tag, content, className) {
    const element = document.createElement(tag);
    element.textContent = content;
    if (className) {
      element.className = className;
    }
    return element;
  }

  function count(n, noun) {
    return n + ' ' + noun + (n === 1 ? '' : 's');
  }

  function when(instant) {
    return instant ? new Date(instant).toISOString().replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC') : '—';
  }

  function button(label, accessibleName, handler, disabled) {
    const element = text('button', label);
    element.type = 'button';
    element.setAttribute('aria-label', accessibleName);
    element.disabled = Boolean(disabled);
    element.addEventListener('click', handler);
    return element;
  }

  async function refresh() {
    const list = await call('GET', '');
    caller = list.caller;
    $('caller').textContent = 'Signed in as ' + caller.owner + ' (' + caller.environment + ') with key '
      + caller.keyId + (caller.operator ? ', operator' : '') + '.';
    renderScopeChoices();
    const body = $('keys').tBodies[0];
    body.replaceChildren();
    for (const key of list.keys) {
      body.appendChild(row(key));
    }
    $('keys-section').hidden = false;
    $('create-section').hidden = false;
    $('forget-button').hidden = false;
    // One usage call per key: an operator's long list gets charts for its newest keys only.
    for (const key of list.keys.slice(0, CHARTS)) {
      drawUsage(key).catch(() => {});
    }
  }

  function row(key) {
    const tr = document.createElement('tr');
    tr.id = 'row-' + key.id;
    tr.dataset.keyId = key.id;
    const name = document.createElement('td');
    name.appendChild(text('span', '…' + key.last4, 'last4'));
    name.appendChild(text('span', key.id + (key.id === caller.keyId ? ' (this key)' : ''), 'key-id'));
    tr.appendChild(name);
    tr.appendChild(text('td', key.environment));
    tr.appendChild(text('td', key.scopes.join(' ')));
    tr.appendChild(text('td', when(key.createdAt)));
    tr.appendChild(text('td', when(key.lastUsedAt)));
    const state = text('td', key.state, 'state state-' + key.state);
    if (key.sunset) {
      state.appendChild(text('span', 'Sunset ' + when(key.sunset), 'sunset'));
    }
    tr.appendChild(state);
    const chart = document.createElement('td');
    chart.className = 'chart';
    tr.appendChild(chart);
    const actions = document.createElement('td');
    const over = key.state === 'revoked' || key.state === 'expired';
    actions.appendChild(button('Rotate', 'Rotate key …' + key.last4, () => rotate(key), over || key.state === 'rotating'));
    actions.appendChild(button('Revoke', 'Revoke key …' + key.last4, () => revoke(key), key.state === 'revoked'));
    tr.appendChild(actions);
    return tr;
  }

  async function drawUsage(key) {
    const usage = await call('GET', encodeURIComponent(key.id) + '/usage?days=7');
    const cell = document.querySelector('#row-' + CSS.escape(key.id) + ' td.chart');
    if (!cell) {
      return;
    }
    const svgNs = 'http://www.w3.org/2000/svg';
    const peak = Math.max(1, ...usage.requests);
    const svg = document.createElementNS(svgNs, 'svg');
    svg.setAttribute('viewBox', '0 0 ' + usage.hours + ' 20');
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('role', 'img');
    const summary = count(usage.totals.requests, 'request') + ', ' + usage.totals.refusals + ' refused, '
      + usage.totals.newNetworks + ' from new networks in the last 7 days; peak ' + peak + ' per hour';
    svg.setAttribute('aria-label', summary);
    usage.requests.forEach((count, hour) => {
      if (count > 0) {
        const bar = document.createElementNS(svgNs, 'rect');
        const height = Math.max(1, Math.round(20 * count / peak));
        bar.setAttribute('x', String(hour));
        bar.setAttribute('y', String(20 - height));
        bar.setAttribute('width', '1');
        bar.setAttribute('height', String(height));
        svg.appendChild(bar);
      }
    });
    usage.refusals.forEach((count, hour) => {
      if (count > 0) {
        const mark = document.createElementNS(svgNs, 'rect');
        mark.setAttribute('x', String(hour));
        mark.setAttribute('y', '0');
        mark.setAttribute('width', '1');
        mark.setAttribute('height', '2');
        mark.setAttribute('class', 'refused');
        svg.appendChild(mark);
      }
    });
    cell.replaceChildren(svg, text('span', count(usage.totals.requests, 'request'), 'chart-total'));
  }

  function renderScopeChoices() {
    const fieldset = $('scope-choices');
    const legend = fieldset.querySelector('legend');
    fieldset.replaceChildren(legend);
    const scopes = caller.operator ? [] : caller.grantableScopes;
    scopes.forEach((scope, i) => {
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.value = scope;
      input.id = 'scope-' + i;
      input.name = 'scope';
      const label = text('label', ' ' + scope);
      label.prepend(input);
      fieldset.appendChild(label);
    });
    if (!caller.operator && scopes.length === 0) {
      fieldset.appendChild(text('p', 'This key holds no scope it may grant.'));
    }
    $('extra-scopes-field').hidden = !caller.operator;
    $('env-' + caller.environment).checked = true;
  }

  function showNewKey(key, message) {
    pendingKey = key;
    $('new-key-value').value = key;
    $('new-key-panel').hidden = false;
    $('new-key-value').focus();
    $('new-key-value').select();
    say(message);
  }

  function hideNewKey() {
    pendingKey = null;
    $('new-key-value').value = '';
    $('new-key-panel').hidden = true;
  }

  async function create(event) {
    event.preventDefault();
    const scopes = Array.from(document.querySelectorAll('#scope-choices input:checked'), (input) => input.value);
    scopes.push(...$('extra-scopes').value.split(/\s+/).filter(Boolean));
    const request = {
      environment: document.querySelector('input[name=environment]:checked').value,
      scopes: scopes
    };
    if ($('expires').value) {
      request.expiresAt = $('expires').value + 'T00:00:00Z';
    }
    try {
      const created = await call('POST', '', request);
      showNewKey(created.key, 'Key …' + created.record.last4 + ' created.');
      await refresh();
    } catch (e) {
      say('Could not create the key: ' + e.message, true);
    }
  }

  function confirmWith(dialog, confirmButton, cancelButton) {
    return new Promise((resolve) => {
      const finish = (answer) => {
        confirmButton.removeEventListener('click', yes);
        cancelButton.removeEventListener('click', no);
        dialog.removeEventListener('cancel', no);
        dialog.close();
        resolve(answer);
      };
      const yes = () => finish(true);
      const no = () => finish(false);
      confirmButton.addEventListener('click', yes);
      cancelButton.addEventListener('click', no);
      dialog.addEventListener('cancel', no);
      dialog.showModal();
      cancelButton.focus();
    });
  }

  async function revoke(key) {
    $('revoke-text').textContent = 'Key …' + key.last4 + ' (' + key.id + ') will stop working immediately. '
      + 'This cannot be undone.';
    if (!(await confirmWith($('revoke-dialog'), $('revoke-confirm'), $('revoke-cancel')))) {
      return;
    }
    try {
      await call('POST', encodeURIComponent(key.id) + '/revoke');
      say('Key …' + key.last4 + ' revoked.');
      if (key.id === caller.keyId) {
        forget('You revoked the key you signed in with.');
        return;
      }
      await refresh();
    } catch (e) {
      say('Could not revoke the key: ' + e.message, true);
    }
  }

  async function rotate(key) {
    $('rotate-text').textContent = 'A new key replaces …' + key.last4 + ' (' + key.id + ') with the same scopes.';
    if (!(await confirmWith($('rotate-dialog'), $('rotate-confirm'), $('rotate-cancel')))) {
      return;
    }
    try {
      const created = await call('POST', encodeURIComponent(key.id) + '/rotate', { graceHours: Number($('grace').value) });
      showNewKey(created.key, 'Key …' + key.last4 + ' rotated: its replacement is …' + created.record.last4 + '.');
      await refresh();
    } catch (e) {
      say('Could not rotate the key: ' + e.message, true);
    }
  }

  function forget(message) {
    managementKey = null;
    caller = null;
    hideNewKey();
    $('keys').tBodies[0].replaceChildren();
    $('keys-section').hidden = true;
    $('create-section').hidden = true;
    $('forget-button').hidden = true;
    say(message || 'Key forgotten.');
  }

  async function signIn(event) {
    event.preventDefault();
    const input = $('management-key');
    const value = input.value.trim();
    input.value = '';
    if (!value) {
      say('Paste a key with the keys:manage scope first.', true);
      return;
    }
    managementKey = value;
    try {
      await refresh();
      say('Keys loaded.');
    } catch (e) {
      forget();
      say(e.status === 401 ? 'That key was not accepted.' : 'Could not load keys: ' + e.message, true);
    }
  }

  async function copyNewKey() {
    if (!pendingKey) {
      return;
    }
    try {
      await navigator.clipboard.writeText(pendingKey);
      say('Copied to the clipboard.');
    } catch (e) {
      $('new-key-value').select();
      say('Select the key and copy it yourself (Ctrl+C).');
    }
  }

  $('signin').addEventListener('submit', signIn);
  $('forget-button').addEventListener('click', () => forget());
  $('create').addEventListener('submit', create);
  $('copy-button').addEventListener('click', copyNewKey);
  $('done-button').addEventListener('click', () => {
    hideNewKey();
    say('The new key is no longer shown.');
  });
})();
