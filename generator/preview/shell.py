'''The page around the document: toolbar, problems and the document frame (HTML, script and style as text).

Kept as strings in this module so the server serves only what it has in memory. Every value the script puts
on the page goes in through ``textContent`` or an attribute, never ``innerHTML``; the document itself is the
HTML writer's output, shown in a frame (``srcdoc``) so its print stylesheet cannot touch the page around it.
'''

from __future__ import annotations

from html import escape

__all__ = ["SCRIPT", "STYLE", "page"]

_PAGE = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<title>Voorbeeldweergave {dossier}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/voorbeeld.css">
<script src="/voorbeeld.js" defer></script>
</head>
<body data-gemeente="{gemeente}">
<header class="balk">
  <div class="titel"><strong>Voorbeeldweergave</strong> <span class="dossier">{dossier}</span></div>
  <nav class="soorten" id="soorten" aria-label="Soort document"></nav>
  <label class="kies">Gemeente <select id="gemeente" aria-label="Gemeente"></select></label>
  <div class="knoppen">
    <a id="pdf" class="knop" href="#" target="_blank" rel="noopener">PDF</a>
    <a id="docx" class="knop" href="#" download>DOCX</a>
  </div>
  <div id="status" class="status" role="status" aria-live="polite">verbinden…</div>
</header>
<section id="problemen" class="problemen" aria-label="Meldingen">
  <p id="verouderd" class="verouderd" hidden>De laatste wijziging bevat fouten: hieronder staat de laatste
  geldige versie van het document. Los de fouten op; de weergave werkt zich dan vanzelf bij.</p>
  <p id="samenvatting" class="samenvatting"></p>
  <ul id="lijst" class="lijst"></ul>
</section>
<main class="papier">
  <p id="leeg" class="leeg" hidden>Er is nog geen geldig document om te tonen.</p>
  <iframe id="document" title="Document" sandbox="allow-same-origin"></iframe>
</main>
</body>
</html>
"""


def page(dossier: str, gemeente: str) -> str:
    """The page for ``dossier``, opening on ``gemeente`` (both are slugs; escaped all the same)."""
    return _PAGE.format(dossier=escape(dossier), gemeente=escape(gemeente))


STYLE = """
:root { --rand: #d0d4d9; --fout: #b00020; --waarschuwing: #8a5a00; --invullen: #5b4a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.4 "Liberation Sans", Arial, sans-serif; background: #e9ecef; color: #1a1a1a; }
.balk { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: .75rem 1.25rem;
  align-items: center; padding: .6rem 1rem; background: #1f2933; color: #fff; }
.balk .dossier { color: #c5cdd6; }
.soorten button { font: inherit; border: 1px solid #52606d; background: transparent; color: #fff;
  padding: .25rem .7rem; border-radius: 3px; cursor: pointer; }
.soorten button[aria-pressed="true"] { background: #fff; color: #1f2933; }
.soorten button:disabled { opacity: .55; cursor: not-allowed; }
.kies select { font: inherit; margin-left: .3rem; }
.knop { color: #1f2933; background: #fff; text-decoration: none; padding: .25rem .8rem; border-radius: 3px;
  font-weight: bold; margin-right: .3rem; }
.knop[aria-disabled="true"] { opacity: .5; pointer-events: none; }
.status { margin-left: auto; color: #c5cdd6; font-size: 12px; }
.status.fout { color: #ffb4b4; }
.problemen { max-width: 230mm; margin: 1rem auto 0; padding: 0 1rem; }
.samenvatting { margin: .25rem 0; font-weight: bold; }
.verouderd { background: #fde8e8; border-left: 4px solid var(--fout); padding: .5rem .75rem; margin: 0 0 .5rem; }
.lijst { list-style: none; margin: 0; padding: 0; max-height: 30vh; overflow: auto; }
.lijst li { background: #fff; border-left: 4px solid var(--rand); padding: .35rem .6rem; margin-bottom: 2px; }
.lijst li.fout { border-color: var(--fout); }
.lijst li.waarschuwing { border-color: var(--waarschuwing); }
.lijst li.invullen { border-color: #e0b400; }
.lijst .soort { font-weight: bold; margin-right: .4rem; }
.lijst li.fout .soort { color: var(--fout); }
.lijst .plaats { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; margin-right: .4rem; }
.lijst .veld { color: #52606d; margin-right: .3rem; }
.papier { max-width: 230mm; margin: .75rem auto 2rem; padding: 0 1rem; }
.papier iframe { display: block; width: 100%; height: 80vh; border: 0; background: #fff;
  box-shadow: 0 1px 4px rgba(0,0,0,.25); }
.leeg { background: #fff; padding: 2rem; text-align: center; }
"""

#: Added inside the document frame: a screen page (paper width, margins) and the highlight of a jump target.
_FRAME_STYLE = (
    "html{background:#fff}body{max-width:170mm;margin:0 auto;padding:20mm 0}"
    ".voorbeeld-doel{outline:3px solid #e0b400;outline-offset:4px;transition:outline-color 1.5s}"
)

SCRIPT = (
    """'use strict';
const FRAME_STYLE = """
    + repr(_FRAME_STYLE)
    + """;
const el = (id) => document.getElementById(id);
const state = { soort: 'voorstel', gemeente: document.body.dataset.gemeente, html: null, vraag: 0 };
const params = new URLSearchParams(location.search);
if (params.get('gemeente')) state.gemeente = params.get('gemeente');
if (params.get('soort')) state.soort = params.get('soort');

function label(kind) {
  return { fout: 'fout', waarschuwing: 'waarschuwing', invullen: 'in te vullen' }[kind] || kind;
}

function jump(selector) {
  const doc = el('document').contentDocument;
  if (!doc || !selector) return;
  const found = doc.querySelector(selector);
  if (!found) return;
  const scope = found.closest('section.sectie') || found;  // #sectie-<key> is the heading: look in its section
  const target = scope.querySelector('mark') || scope;
  const win = el('document').contentWindow;  // scroll the document only, not the page around it
  win.scrollTo(0, Math.max(0, target.getBoundingClientRect().top + win.scrollY - win.innerHeight / 3));
  target.classList.add('voorbeeld-doel');
  setTimeout(() => target.classList.remove('voorbeeld-doel'), 2000);
}

function showProblems(s) {
  const list = el('lijst');
  list.replaceChildren();
  const count = { fout: 0, waarschuwing: 0, invullen: 0 };
  for (const p of s.problemen) {
    count[p.soort] += 1;
    const li = document.createElement('li');
    li.className = p.soort;
    const kind = document.createElement('span');
    kind.className = 'soort';
    kind.textContent = label(p.soort);
    const place = document.createElement(p.doel ? 'a' : 'span');
    place.className = 'plaats';
    place.textContent = p.plaats;
    if (p.doel) {
      place.href = '#';
      place.dataset.doel = p.doel;
      place.title = 'Toon de plek in het document';
      place.addEventListener('click', (e) => { e.preventDefault(); jump(p.doel); });
    }
    li.append(kind, place);
    if (p.veld) {
      const field = document.createElement('span');
      field.className = 'veld';
      field.textContent = `veld '${p.veld}':`;
      li.append(field);
    }
    li.append(document.createTextNode(p.melding));
    list.append(li);
  }
  const parts = [`${count.fout} fout(en)`, `${count.waarschuwing} waarschuwing(en)`, `${count.invullen} in te vullen`];
  let text = s.problemen.length ? parts.join(', ') : 'Geen meldingen.';
  if (s.verborgen) text += ` (${s.verborgen} melding(en) over andere gemeenten niet getoond)`;
  el('samenvatting').textContent = text;
  el('verouderd').hidden = !s.verouderd;
}

function showDocument(html) {
  const frame = el('document');
  el('leeg').hidden = html !== null;
  frame.hidden = html === null;
  if (html === null || html === state.html) return;
  state.html = html;
  const win = frame.contentWindow;
  const scroll = win ? win.scrollY : 0;
  frame.onload = () => {
    const doc = frame.contentDocument;
    const style = doc.createElement('style');
    style.textContent = FRAME_STYLE;
    doc.head.append(style);
    frame.contentWindow.scrollTo(0, scroll);
    document.body.dataset.versie = state.versie;
  };
  frame.srcdoc = html;
}

function showSwitches(s) {
  const select = el('gemeente');
  if (select.options.length !== s.gemeenten.length ||
      [...select.options].some((o, i) => o.value !== s.gemeenten[i].code)) {
    select.replaceChildren(...s.gemeenten.map((g) => new Option(g.naam, g.code)));
  }
  select.value = state.gemeente;
  const kinds = el('soorten');
  kinds.replaceChildren(...s.soorten.map((k) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = k.beschikbaar ? k.naam : `${k.naam} (volgt)`;
    b.disabled = !k.beschikbaar;
    b.setAttribute('aria-pressed', String(k.code === state.soort));
    b.addEventListener('click', () => { state.soort = k.code; state.html = null; load(); });
    return b;
  }));
  for (const fmt of ['pdf', 'docx']) {
    const a = el(fmt);
    a.href = `/download/${state.soort}/${state.gemeente}.${fmt}`;
    a.setAttribute('aria-disabled', String(s.html === null));
  }
}

async function load() {
  const ask = ++state.vraag;
  const url = `/staat?soort=${encodeURIComponent(state.soort)}&gemeente=${encodeURIComponent(state.gemeente)}`;
  try {
    const response = await fetch(url, { cache: 'no-store' });
    if (response.status === 503) {  // "bezig": the server is rendering; ask again in a moment
      el('status').textContent = await response.text();
      el('status').className = 'status';
      setTimeout(() => { if (ask === state.vraag) load(); }, 1000);
      return;
    }
    if (!response.ok) throw new Error((await response.text()) || `${response.status}`);
    const s = await response.json();
    if (ask !== state.vraag) return;
    state.versie = s.versie;
    showSwitches(s);
    showProblems(s);
    showDocument(s.html);
    document.body.dataset.versie = s.versie;
    el('status').textContent = s.versie ? `bijgewerkt na ${s.versie} wijziging(en)` : 'actueel';
    el('status').className = 'status';
  } catch (err) {
    el('status').textContent = `kon de weergave niet ophalen: ${err.message}`;
    el('status').className = 'status fout';
  }
}

el('gemeente').addEventListener('change', (e) => {
  state.gemeente = e.target.value;
  state.html = null;
  history.replaceState(null, '', `?soort=${state.soort}&gemeente=${state.gemeente}`);
  load();
});

const events = new EventSource('/gebeurtenissen');
events.addEventListener('versie', () => load());
events.addEventListener('wijziging', () => load());
events.onerror = () => {
  el('status').textContent = 'verbinding met de voorbeeldweergave verbroken';
  el('status').className = 'status fout';
};
load();
"""
)
