// The try-it page: sign in, list the servers, watch one over /api/v1/ws (protocol: docs/asyncapi/live-socket.yaml).
// Browsers cannot put an Authorization header on a WebSocket, so the access token goes in the first message.
'use strict';

const page = {
  token: null,
  server: null,
  socket: null,
  nextId: 1,
};

const $ = (id) => document.getElementById(id);

function say(text) {
  const item = document.createElement('li');
  item.textContent = new Date().toLocaleTimeString() + ' ' + text;
  $('messages').prepend(item);
  while ($('messages').children.length > 5) {
    $('messages').lastChild.remove();
  }
}

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (page.token) {
    headers.Authorization = 'Bearer ' + page.token;
  }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = (json && json.error) || { code: 'HTTP_' + response.status, message: response.statusText };
    throw new Error(error.code + ': ' + error.message);
  }
  return json;
}

async function login(event) {
  event.preventDefault();
  const email = $('email').value.trim();
  try {
    const answer = await api('POST', '/api/v1/auth/login', { email, password: $('password').value });
    if (!answer.accessToken) {
      say('This account needs its second factor; the try-it page signs in customers only.');
      return;
    }
    page.token = answer.accessToken;
    $('password').value = '';
    $('who').textContent = 'Signed in as ' + email;
    $('login-panel').hidden = true;
    $('servers-panel').hidden = false;
    await loadServers();
  } catch (e) {
    say('Sign-in failed: ' + e.message);
  }
}

async function loadServers() {
  try {
    const result = await api('GET', '/api/v1/servers?size=100');
    const list = $('servers');
    list.replaceChildren();
    for (const server of result.items) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.server = server.id;
      button.textContent = server.name + ' · ' + server.status;
      button.title = server.id;
      button.addEventListener('click', () => watch(server));
      item.append(button);
      list.append(item);
    }
    if (result.items.length === 0) {
      list.textContent = 'No servers yet: check one out in the store (POST /api/v1/orders).';
    }
  } catch (e) {
    say('Could not list servers: ' + e.message);
  }
}

function watch(server) {
  if (page.socket) {
    page.socket.onclose = null;
    page.socket.close(1000);
  }
  page.server = server.id;
  for (const button of $('servers').querySelectorAll('button')) {
    button.classList.toggle('picked', button.dataset.server === server.id);
  }
  $('server-title').textContent = server.name + ' (' + server.id + ')';
  $('server-panel').hidden = false;
  $('console').textContent = '';
  showState(null);
  showStats(null);
  connect();
}

function connect() {
  const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
  const socket = new WebSocket(scheme + location.host + '/api/v1/ws');
  page.socket = socket;
  $('socket').textContent = 'connecting';
  socket.onopen = () => send({ type: 'auth', token: page.token });
  socket.onmessage = (event) => receive(JSON.parse(event.data));
  socket.onclose = (event) => {
    $('socket').textContent = 'closed (' + event.code + (event.reason ? ' ' + event.reason : '') + ')';
    if (page.socket === socket && event.code !== 4401 && event.code !== 4403 && event.code !== 4410) {
      // A lost connection or a restarted instance: reconnect, the snapshot brings the page up to date.
      setTimeout(() => page.socket === socket && connect(), 2000);
    }
  };
}

function send(message) {
  if (!page.socket || page.socket.readyState !== WebSocket.OPEN) {
    say('The socket is not open.');
    return;
  }
  page.socket.send(JSON.stringify(message));
}

function receive(message) {
  switch (message.type) {
    case 'authenticated':
      $('socket').textContent = 'open';
      send({ type: 'subscribe', id: 's' + page.nextId++, server: page.server });
      break;
    case 'snapshot':
      showState(message.state);
      showStats(message.stats);
      $('console').textContent = '';
      (message.console || []).forEach(appendLine);
      break;
    case 'status':
      showState(message.state);
      break;
    case 'stats':
      showState(message.state);
      showStats(message);
      break;
    case 'console':
      appendLine(message.line);
      break;
    case 'error':
      say((message.code || 'ERROR') + ': ' + (message.message || ''));
      break;
    case 'ended':
      say('This server can no longer be watched: ' + message.reason);
      break;
    default:
      break;
  }
}

function showState(state) {
  $('state').textContent = state || 'unknown';
}

function mib(bytes) {
  return (bytes / 1048576).toFixed(1) + ' MiB';
}

function showStats(stats) {
  $('cpu').textContent = stats ? stats.cpu.toFixed(1) + ' %' : '–';
  $('memory').textContent = stats ? mib(stats.memoryBytes) : '–';
  $('disk').textContent = stats ? mib(stats.diskBytes) : '–';
}

function appendLine(line) {
  const area = $('console');
  area.append(document.createTextNode(line + '\n'));
  area.scrollTop = area.scrollHeight;
}

function sendCommand(event) {
  event.preventDefault();
  const command = $('command').value.trim();
  if (command) {
    send({ type: 'command', id: 'c' + page.nextId++, server: page.server, command });
    $('command').value = '';
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', login);
  $('reload').addEventListener('click', loadServers);
  $('command-form').addEventListener('submit', sendCommand);
  for (const button of document.querySelectorAll('[data-signal]')) {
    button.addEventListener('click', () =>
      send({ type: 'power', id: 'p' + page.nextId++, server: page.server, signal: button.dataset.signal }));
  }
});
