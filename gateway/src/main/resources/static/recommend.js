// "Which model fits?": after an upload, rank the zoo's models on it without labels (POST /api/v1/recommendations),
// show each one's score and a thumbnail of its output, and start a preview with the chosen one in one click
// (app.js listens for 'zooscope:preview-with').
const $ = (id) => document.getElementById(id);
let upload = null;
let timer = null;

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) if (c != null) e.append(c);
  return e;
}

async function api(path, options = {}) {
  const res = await fetch(path, { credentials: 'same-origin', ...options });
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    try { const p = await res.json(); detail = p.detail || p.title || detail; } catch (e) { /* not JSON */ }
    throw new Error(detail);
  }
  return res.json();
}

function reset() {
  clearTimeout(timer);
  $('rec-list').replaceChildren();
  $('rec-progress').hidden = true;
  $('rec-note').hidden = true;
  $('rec-start').disabled = false;
}

document.addEventListener('zooscope:uploaded', (e) => {
  upload = e.detail;
  reset();
  $('recommend').hidden = false;
  structures();
});

// the structures the zoo segments, from the model search's facets
async function structures() {
  const sel = $('rec-structure');
  if (sel.options.length > 1) return;
  try {
    const r = await api('/api/v1/models?size=1');
    for (const name of Object.keys((r.facets || {}).component || {}).sort()) sel.append(el('option', { value: name }, name));
  } catch (err) { /* "any structure" still works */ }
}

$('rec-start').addEventListener('click', async () => {
  if (!upload) return;
  reset();
  $('rec-start').disabled = true;
  $('rec-progress').hidden = false;
  $('rec-bar').style.width = '0%';
  $('rec-label').textContent = 'Starting…';
  try {
    const r = await api('/api/v1/recommendations', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ input: { uploadId: upload.id }, structure: $('rec-structure').value || null }) });
    poll(r.id);
  } catch (err) {
    $('rec-progress').hidden = true;
    $('rec-start').disabled = false;
    note(`Could not compare models: ${err.message}`);
  }
});

function note(text) {
  $('rec-note').textContent = text;
  $('rec-note').hidden = false;
}

async function poll(id) {
  let r;
  try { r = await api(`/api/v1/recommendations/${id}`); } catch (err) { note(`Lost the comparison: ${err.message}`); $('rec-start').disabled = false; return; }
  $('rec-list').dataset.state = r.state;
  const pct = Math.round(100 * (r.progress || 0));
  $('rec-bar').style.width = `${pct}%`;
  if (r.state === 'QUEUED' || r.state === 'RUNNING') {
    $('rec-label').textContent = `${r.state === 'QUEUED' ? 'Waiting for the workers' : `Running ${r.items.length} models`}… ${pct}%`;
    timer = setTimeout(() => poll(id), 1000);
    return;
  }
  $('rec-progress').hidden = true;
  $('rec-start').disabled = false;
  if (r.state === 'FAILED') { note(`The comparison failed: ${r.error || 'no reason given'}`); return; }
  show(r);
}

function show(r) {
  $('rec-list').replaceChildren(...r.items.map((item, i) => {
    const button = el('button', { type: 'button', class: i === 0 ? 'primary small' : 'secondary small', 'data-preview': item.model },
      'Preview with this model');
    button.addEventListener('click', () => document.dispatchEvent(new CustomEvent('zooscope:preview-with', { detail: { model: item.model } })));
    const bar = el('div', { class: 'rec-bar' }, el('div', { style: `width:${Math.round(100 * item.score)}%` }));
    return el('li', { class: `rec-item${i === 0 ? ' best' : ''}`, 'data-model': item.model },
      el('img', { src: item.thumbnail, alt: `Output of ${item.model} on your image`, loading: 'lazy' }),
      el('div', { class: 'rec-body' },
        el('strong', {}, `${i + 1}. ${item.model}`), ' ', el('span', { class: 'tag' }, item.structure),
        bar, el('div', { class: 'help small' }, item.basis), button),
      el('span', { class: 'rec-score', title: 'label-free score, 0..1: higher = more consistent on your image' },
        item.score.toFixed(2)));
  }));
  const left = (r.excluded || []).map((x) => `${x.model} (${x.reason})`);
  const sample = r.sample && r.sample.count < r.sample.of ? ` Scored on ${r.sample.description}: a sample that keeps the comparison quick.` : '';
  note(`Scores compare models on your image; they are not accuracies.${sample}${left.length ? ` Not compared: ${left.join('; ')}.` : ''}`);
}
