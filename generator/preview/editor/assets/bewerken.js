'use strict';
// The editor page: saves what the clerk changed (per file, with the version the page read), keeps the form
// in step after list changes, and shows every validate finding next to its field. Values go into the page
// through value/textContent only; after a list change the form is replaced by the server's own rendering.
const el = (id) => document.getElementById(id);
const token = document.querySelector('meta[name="csrf-token"]').content;
let versions = JSON.parse(el('versies').textContent);
const dirty = new Map(); // "bestand|naam" -> control
let busy = Promise.resolve();
let later = null; // the timer that asks for the findings after a change

function status(text, bad) {
  el('status').textContent = text;
  el('status').className = bad ? 'status fout' : 'status';
}

function conflict(text) {
  const box = el('conflict');
  box.hidden = !text;
  box.textContent = text || '';
}

function controls(form) {
  return [...(form || el('formulier')).querySelectorAll('[data-bestand][name]')];
}

function numberOrText(name, value) {
  return /(^|\.)(beslispunt)$/.test(name) && /^\d+$/.test(value) ? Number(value) : value;
}

// The value to save for one control (checkbox groups save their whole list).
function change(control) {
  const name = control.name;
  if (control.type === 'checkbox' && control.hasAttribute('data-nvt')) {
    if (control.checked) return { soort: 'zet', naam: name, waarde: 'nvt' };
    if (name === 'argumenten' || name === 'bijlagen') return { soort: 'zet', naam: name, waarde: [] };
    if (name === 'burgerparticipatie') {
      return { soort: 'zet', naam: name, waarde: { tekst: 'INVULLEN: hoe zijn inwoners betrokken', stakeholders: [] } };
    }
    const text = el(`v-voorstel_yaml--${name}`);
    return { soort: 'zet', naam: name, waarde: text ? text.value : '' };
  }
  if (control.type === 'checkbox') {
    const all = [...el('formulier').querySelectorAll(`input[type=checkbox][name="${name}"]`)];
    const chosen = all.filter((c) => c.checked).map((c) => (name === 'global_goals' ? Number(c.value) : c.value));
    return { soort: 'zet', naam: name, waarde: chosen };
  }
  return { soort: 'zet', naam: name, waarde: numberOrText(name, control.value) };
}

async function post(url, body, headers) {
  const response = await fetch(url, {
    method: 'POST', body, cache: 'no-store',
    headers: { 'X-CSRF-Token': token, ...headers },
  });
  let data = {};
  try { data = await response.json(); } catch (e) { data = { fout: `${response.status}` }; }
  return { ok: response.ok, status: response.status, data };
}

async function send(bestand, wijzigingen) {
  const answer = await post('/bewerken/opslaan', JSON.stringify({ bestand, wijzigingen }),
    { 'Content-Type': 'application/json', 'If-Match': versions[bestand] || 'afwezig' });
  if (answer.ok) {
    versions[bestand] = answer.data.versie;
    for (const [name, shown] of Object.entries(answer.data.weergave || {})) {
      const out = document.querySelector(`[data-veld="${CSS.escape(bestand + '|' + name)}"] output`);
      if (out) out.textContent = shown;
    }
    return true;
  }
  if (answer.status === 409) {
    conflict(`${answer.data.fout}. Uw wijziging staat nog in het formulier.`);
    status('niet opgeslagen: het bestand is intussen gewijzigd', true);
  } else {
    conflict(answer.data.fout || 'opslaan mislukt');
    status('niet opgeslagen', true);
  }
  return false;
}

// Save every changed control, one request per file.
function save() {
  busy = busy.then(async () => {
    if (!dirty.size) return true;
    const files = new Map();
    for (const [key, control] of dirty) {
      const bestand = control.dataset.bestand;
      if (!files.has(bestand)) files.set(bestand, new Map());
      files.get(bestand).set(key, control);
    }
    status('opslaan…');
    let all = true;
    for (const [bestand, group] of files) {
      const byName = new Map(); // an nvt box last: checked, it wins over its text
      const ordered = [...group.values()].sort((a, b) => a.hasAttribute('data-nvt') - b.hasAttribute('data-nvt'));
      for (const control of ordered) { const c = change(control); byName.set(c.naam, c); }
      if (await send(bestand, [...byName.values()])) { for (const key of group.keys()) dirty.delete(key); } else { all = false; }
    }
    if (all) { conflict(''); status('opgeslagen'); }
    return all;
  });
  return busy;
}

// A list or structure change: save first, then the change, then the form as the server now renders it.
async function structural(bestand, wijzigingen, focus) {
  status('opslaan…');
  if (!(await save())) return false;
  const ok = await (busy = busy.then(() => send(bestand, wijzigingen)));
  if (ok) await refresh(focus);
  return ok;
}

async function refresh(focus) {
  const response = await fetch(location.pathname + location.search, { cache: 'no-store' });
  const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
  const fresh = doc.getElementById('formulier');
  el('formulier').replaceWith(fresh);
  versions = JSON.parse(el('versies').textContent);
  bind(fresh);
  status('opgeslagen');
  const target = typeof focus === 'function' ? focus() : (focus && document.querySelector(focus));
  if (target) target.focus();
  problems();
}

function insertText(area, before, after) {
  const start = area.selectionStart;
  const end = area.selectionEnd;
  if (start === 0 || area.value[start - 1] === '\n') before = before.replace(/^\n+/, start ? '\n' : '');
  area.setRangeText(before, start, end, 'end');
  if (after) area.value += after;
  area.dispatchEvent(new Event('input', { bubbles: true }));
  area.focus();
}

const SNIPPETS = {
  tabel: '\n\n| Kolom 1 | Kolom 2 |\n|---|---:|\n| tekst | € 0 |\n\n',
  lijst: '\n\n1. Eerste punt\n2. Tweede punt\n\n',
  kop: '\n\n### Tussenkop\n\n',
};

function insert(button) {
  const area = el(button.getAttribute('aria-controls'));
  const kind = button.dataset.invoeg;
  if (kind === 'voetnoot') {
    let n = 1;
    while (area.value.includes(`[^${n}]`)) n += 1;
    insertText(area, `[^${n}]`, `\n\n[^${n}]: Toelichting bij de voetnoot.\n`);
  } else {
    insertText(area, SNIPPETS[kind]);
  }
}

function listAction(button) {
  const list = button.dataset.lijst;
  const bestand = button.dataset.lijstBestand || 'voorstel.yaml';
  const index = Number(button.dataset.index);
  const action = button.dataset.actie;
  if (action === 'erbij') {
    let value = button.dataset.waarde ?? '';
    if (list === 'argumenten') {
      value = { beslispunt: Number(button.dataset.beslispunt), kop: 'INVULLEN: kop van het argument', tekst: 'INVULLEN: toelichting' };
    } else if (list === 'amendementen') {
      value = { nummer: 'A1', actie: 'wijzigen', beslispunt: 1, tekst: 'INVULLEN: nieuwe tekst' };
    }
    const count = controls().filter((c) => c.dataset.bestand === bestand &&
      new RegExp(`^${list.replace('.', '\\.')}\\.\\d+$`).test(c.name.replace(/\.(kop|tekst|beslispunt|nummer|actie|titel)$/, ''))).length;
    const prefix = `${list}.`;
    structural(bestand, [{ soort: 'voeg_in', naam: list, index: 1e4 - 1, waarde: value }], () => {
      const all = controls().filter((c) => c.dataset.bestand === bestand && c.name.startsWith(prefix));
      return all.length > count ? all[all.length - 1] : null;
    });
    return;
  }
  if (action === 'weg') {
    structural(bestand, [{ soort: 'wis', naam: `${list}.${index}` }], '#' + button.closest('section').id + ' h2');
    return;
  }
  const target = action === 'omhoog' ? index - 1 : index + 1;
  const sel = `button[data-lijst="${list}"][data-actie="${action}"][data-index="${target}"]`;
  structural(bestand, [{ soort: 'verplaats', naam: list, van: index, naar: target }],
    () => document.querySelector(sel) && !document.querySelector(sel).disabled ? document.querySelector(sel)
      : document.querySelector(`button[data-lijst="${list}"][data-actie="weg"][data-index="${target}"]`));
}

async function makeLocal(button) {
  const key = button.dataset.lokaal;
  const area = el(`v-voorstel_yaml--${key}`);
  if (!(await save())) return;
  const action = document.querySelector(`input[name="lokaal-${key}-actie"]:checked`).value;
  const gemeente = el(`lokaal-${key}-gemeente`).value;
  const overlay = `gemeenten/${gemeente}.yaml`;
  const body = {
    sectie: key, positie: area.selectionStart, gemeente, actie: action, tekst: el(`lokaal-${key}-tekst`).value,
    versies: { 'voorstel.yaml': versions['voorstel.yaml'], [overlay]: versions[overlay] || 'afwezig' },
  };
  const answer = await post('/bewerken/lokaal', JSON.stringify(body), { 'Content-Type': 'application/json' });
  if (!answer.ok) { conflict(answer.data.fout || 'mislukt'); status('niet opgeslagen', true); return; }
  conflict('');
  await refresh(`#v-voorstel_yaml--${key}`);
  status(`lokaal opgeslagen voor ${gemeente} (label ${answer.data.label})`);
}

async function upload(input) {
  const file = input.files[0];
  if (!file) return;
  if (!(await save())) return;
  const name = file.name.replace(/\s+/g, '-');
  const answer = await post(`/bewerken/bijlage?naam=${encodeURIComponent(name)}`, file,
    { 'Content-Type': 'application/octet-stream' });
  if (!answer.ok) { conflict(answer.data.fout || 'uploaden mislukt'); status('niet geüpload', true); return; }
  const title = name.replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ');
  await structural('voorstel.yaml', [{ soort: 'voeg_in', naam: 'bijlagen', index: 1e4 - 1,
    waarde: { titel: title.charAt(0).toUpperCase() + title.slice(1), bestand: answer.data.bestand } }], '#upload-bijlage');
}

// An amendment one council adopted, entered at the beslispunt it changes; it goes into that council's file.
function addAmendment(button) {
  const n = Number(button.dataset.amendement);
  const gemeente = el(`am-${n}-gemeente`).value;
  const actie = document.querySelector(`input[name="am-${n}-actie"]:checked`).value;
  const value = { nummer: el(`am-${n}-nummer`).value.trim() || 'A1', actie, beslispunt: n };
  const titel = el(`am-${n}-titel`).value.trim();
  if (titel) value.titel = titel;
  const tekst = el(`am-${n}-tekst`).value;
  if (actie !== 'schrappen') {
    if (!tekst.trim()) {
      conflict('Schrijf de nieuwe tekst van het beslispunt.');
      el(`am-${n}-tekst`).focus();
      return;
    }
    value.tekst = tekst;
  }
  structural(`gemeenten/${gemeente}.yaml`, [{ soort: 'voeg_in', naam: 'amendementen', index: 1e4 - 1, waarde: value }],
    `#v-voorstel_yaml--beslispunten_${n - 1}`).then((ok) => {
    if (ok) status(`amendement ${value.nummer} opgeslagen voor ${gemeente}`);
  });
}

// A variable taken away: its values in the municipalities' files go too (validate would call them unknown).
async function removeVariable(name) {
  if (!(await save())) return;
  for (const bestand of Object.keys(versions).filter((b) => b.startsWith('gemeenten/'))) {
    if (document.querySelector(`[data-bestand="${CSS.escape(bestand)}"][name="waarden.${CSS.escape(name)}"]`)) {
      const wis = [{ soort: 'wis', naam: `waarden.${name}` }];
      if (!(await (busy = busy.then(() => send(bestand, wis))))) return;
    }
  }
  await structural('voorstel.yaml', [{ soort: 'wis', naam: `variabelen.${name}` }], '#nieuw-naam');
}

function addVariable() {
  const name = el('nieuw-naam').value.trim();
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    conflict('Geef de variabele een naam van kleine letters, cijfers en _ (bijvoorbeeld bedrag_2025).');
    el('nieuw-naam').focus();
    return;
  }
  const value = { soort: el('nieuw-soort').value, omschrijving: el('nieuw-omschrijving').value.trim() || name };
  structural('voorstel.yaml', [{ soort: 'zet', naam: `variabelen.${name}`, waarde: value }], '#nieuw-naam');
}

function bind(form) {
  form.addEventListener('input', (e) => {
    const c = e.target;
    if (c.dataset && c.dataset.bestand && c.name) { dirty.set(`${c.dataset.bestand}|${c.name}|${c.id}`, c); status('niet opgeslagen'); }
  });
  form.addEventListener('change', (e) => {
    const c = e.target;
    if (c.id === 'upload-bijlage') { upload(c); return; }
    if (!(c.dataset && c.dataset.bestand && c.name)) return;
    dirty.set(`${c.dataset.bestand}|${c.name}|${c.id}`, c);
    const reshapes = c.name === 'gemeenten' || /^argumenten\.\d+\.beslispunt$/.test(c.name) ||
      (c.hasAttribute('data-nvt') && ['argumenten', 'burgerparticipatie', 'bijlagen'].includes(c.name));
    if (reshapes) {
      save().then((ok) => ok && refresh(`#${CSS.escape(c.id)}`));
    } else {
      save();
    }
  });
  form.addEventListener('click', (e) => {
    const b = e.target.closest('button');
    if (!b) return;
    if (b.dataset.invoeg) insert(b);
    else if (b.dataset.lijst) listAction(b);
    else if (b.dataset.lokaal) makeLocal(b);
    else if (b.dataset.wis && b.dataset.wis.startsWith('variabelen.')) removeVariable(b.dataset.wis.slice(11));
    else if (b.dataset.wis) structural(b.dataset.wisBestand, [{ soort: 'wis', naam: b.dataset.wis }], '#kop-gemeenten');
    else if (b.id === 'variabele-erbij') addVariable();
    else if (b.dataset.amendement) addAmendment(b);
  });
}

// The findings of validate: in the list at the top and next to their field, with the same words.
function controlFor(bestand, veld) {
  const parts = veld.split('.');
  for (let n = parts.length; n > 0; n -= 1) {
    const found = document.querySelector(`[data-veld="${CSS.escape(bestand + '|' + parts.slice(0, n).join('.'))}"]`);
    if (found) return found;
  }
  return null;
}

async function problems() {
  let data;
  document.body.dataset.meldingen = 'laden';
  try {
    const response = await fetch('/bewerken/meldingen', { cache: 'no-store' });
    data = await response.json();
  } catch (e) { return; }
  if (later !== null) return; // another change came in meanwhile: its findings follow
  for (const list of document.querySelectorAll('.veldmeldingen')) list.replaceChildren();
  for (const c of controls()) c.removeAttribute('aria-invalid');
  const list = el('meldingen-lijst');
  list.replaceChildren();
  let errors = 0;
  const ordered = [...data.meldingen].sort((a, b) => (a.soort === 'fout' ? 0 : 1) - (b.soort === 'fout' ? 0 : 1));
  for (const p of ordered) {
    if (p.soort === 'fout') errors += 1;
    const li = document.createElement('li');
    li.className = p.soort;
    const text = `${p.plaats}: ${p.soort === 'fout' ? '' : 'waarschuwing: '}${p.veld ? `veld '${p.veld}': ` : ''}${p.melding}`;
    const holder = p.bestand && p.veld ? controlFor(p.bestand, p.veld) : null;
    if (holder) {
      const target = holder.querySelector('[data-bestand]');
      const a = document.createElement('a');
      a.href = `#${target.id}`;
      a.textContent = text;
      a.addEventListener('click', (ev) => { ev.preventDefault(); target.focus(); });
      li.append(a);
      const near = document.createElement('li');
      near.className = p.soort;
      near.textContent = (p.soort === 'fout' ? '' : 'waarschuwing: ') + p.melding;
      holder.querySelector('.veldmeldingen').append(near);
      if (p.soort === 'fout') target.setAttribute('aria-invalid', 'true');
    } else {
      li.textContent = text;
    }
    list.append(li);
  }
  const warnings = data.meldingen.length - errors;
  el('meldingen-samenvatting').textContent = data.meldingen.length
    ? `${errors} fout(en), ${warnings} waarschuwing(en)` : 'Geen meldingen.';
  document.body.dataset.meldingenVersie = String(data.versie);
  document.body.dataset.meldingen = 'klaar';
}

bind(el('formulier'));
el('opslaan').addEventListener('click', () => save());
const events = new EventSource('/gebeurtenissen');
// The findings come a moment after the document: the live document renders first (one process, two cores).
const soon = () => {
  clearTimeout(later);
  document.body.dataset.meldingen = 'wacht';
  later = setTimeout(() => { later = null; problems(); }, 700);
};
events.addEventListener('versie', () => problems());
events.addEventListener('wijziging', soon);
window.addEventListener('beforeunload', (e) => { if (dirty.size) e.preventDefault(); });
