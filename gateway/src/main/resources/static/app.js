// Zooscope's page: plain ES module, no build step. One page for two uses: the workflow at "/" (upload, pick models,
// run, watch, view, download; or browse a hosted dataset and preview a region of it) and the read-only shared viewer
// at "/view/{jobId}?token=...".
import { initDatasets } from './datasets.js';

const $ = (id) => document.getElementById(id);
// source: what a run takes, 'upload' or 'dataset' (the last one chosen); jobKind: 'full' for a run over a whole dataset
const state = { upload: null, models: new Map(), job: null, settings: null, token: null, zoom: 1, panX: 0, panY: 0, hidden: new Set(), source: null, jobKind: null };
let datasets = null;
const shared = location.pathname.match(/^\/view\/([^/]+)$/);

// ---------- errors: every API error is problem+json whose detail names the bad input; show it as it is ----------
function showError(message) {
  $('alert-text').textContent = message;
  $('alert').hidden = false;
}
$('alert-close').addEventListener('click', () => { $('alert').hidden = true; });

async function api(path, options = {}) {
  const res = await fetch(path, { credentials: 'same-origin', ...options });
  if (!res.ok) {
    let detail = `${res.status} ${res.statusText}`;
    try { const p = await res.json(); detail = p.detail || p.title || detail; } catch (e) { /* not JSON */ }
    throw new Error(detail);
  }
  return res.status === 204 ? null : res.json();
}

const withToken = (path) => (state.token ? `${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(state.token)}` : path);
const fmtBytes = (b) => (b > 1e9 ? `${(b / 1e9).toFixed(1)} GB` : b > 1e6 ? `${(b / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(b / 1e3))} kB`);
const fmtTime = (s) => (s == null ? '–' : s < 60 ? `${Math.max(1, Math.round(s))} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`);
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

// ---------- 1. upload: XHR, because fetch cannot report upload progress ----------
function uploadFiles(files) {
  if (!files.length) return;
  const form = new FormData();
  [...files].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true })).forEach((f) => form.append('file', f, f.name));
  const xhr = new XMLHttpRequest();
  xhr.open('POST', '/api/v1/uploads');
  $('upload-progress').hidden = false;
  $('upload-bar').style.width = '0%';
  $('upload-label').textContent = 'Uploading…';
  xhr.upload.onprogress = (e) => {
    if (!e.lengthComputable) return;
    const pct = Math.round((100 * e.loaded) / e.total);
    $('upload-bar').style.width = `${pct}%`;
    $('upload-label').textContent = pct < 100 ? `Uploading… ${pct}% of ${fmtBytes(e.total)}` : 'Reading the image…';
  };
  xhr.onload = () => {
    let body = null;
    try { body = JSON.parse(xhr.responseText); } catch (e) { /* not JSON */ }
    if (xhr.status === 201) { uploaded(body, [...files].map((f) => f.name).join(', ')); } else {
      $('upload-progress').hidden = true;
      showError(`Upload refused: ${(body && body.detail) || `${xhr.status} ${xhr.statusText}`}`);
    }
  };
  xhr.onerror = () => { $('upload-progress').hidden = true; showError('The upload failed: the server could not be reached.'); };
  xhr.send(form);
}

// the voxel size in nanometres, or null when unknown (models state theirs in nm; uploads in their file's unit)
const NM_PER = { pm: 1e-3, 'Å': 0.1, nm: 1, 'µm': 1e3, um: 1e3, mm: 1e6 };
const toNm = (v) => (v && v.unit && NM_PER[v.unit] != null && v.x ? v.x * NM_PER[v.unit] : null);
const voxelShort = (v) => (v && v.x ? `${+Number(v.x).toPrecision(3)} × ${+Number(v.y || v.x).toPrecision(3)} × ${+Number(v.z || v.x).toPrecision(3)} ${v.unit || ''}` : 'not stated in the file');

function uploaded(u, label) {
  state.upload = u;
  state.source = 'upload';
  $('upload-progress').hidden = true;
  const s = $('upload-summary');
  s.hidden = false;
  const edit = el('button', { type: 'button', class: 'link', id: 'px-edit' }, u.voxelSize ? 'correct it' : 'state it');
  edit.addEventListener('click', () => { $('px-form').hidden = false; });
  s.replaceChildren(el('span', { class: 'ok' }, '✓ '), el('strong', {}, label),
    ` — ${u.width} × ${u.height} pixels, ${u.depth} slice${u.depth > 1 ? 's' : ''}, ${u.dtype}; pixel size ${voxelShort(u.voxelSize)} `, edit);
  const v = u.voxelSize || {};
  $('px-xy').value = v.x || ''; $('px-z').value = v.z || ''; $('px-unit').value = v.unit && ['nm', 'µm', 'Å'].includes(v.unit) ? v.unit : 'nm';
  uploadLabel = label;
  // look before computing: the uploaded slices, browsable
  $('input-preview').hidden = false;
  $('in-z').max = u.depth - 1;
  $('in-z').value = Math.floor((u.depth - 1) / 2);
  $('in-z-wrap').hidden = u.depth < 2;
  showInputSlice();
  updateRun();
  document.dispatchEvent(new CustomEvent('zooscope:uploaded', { detail: u }));
}
let uploadLabel = '';
// "Which model fits?" (recommend.js): a preview of the upload with the one model chosen there
document.addEventListener('zooscope:preview-with', async (e) => {
  try {
    const m = await api(`/api/v1/models/${encodeURIComponent(e.detail.model)}`);
    state.models = new Map([[m.id, m]]);
    for (const box of document.querySelectorAll('#model-list input[data-model]')) {
      box.checked = box.dataset.model === m.id;
      box.closest('.model').classList.toggle('chosen', box.checked);
    }
    updateRun();
    $('run').click();
  } catch (err) { showError(`The preview was not started: ${err.message}`); }
});
// many files state no pixel size, or a wrong one: the user can give it; measurements and the OME-Zarr use it
$('px-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const xy = Number($('px-xy').value);
  const z = Number($('px-z').value) || xy;
  try {
    const u = await api(`/api/v1/uploads/${state.upload.id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ voxelSize: { x: xy, y: xy, z, unit: $('px-unit').value } }) });
    $('px-form').hidden = true;
    uploaded(u, uploadLabel);
  } catch (err) { showError(`Pixel size not changed: ${err.message}`); }
});

function showInputSlice() {
  const u = state.upload;
  const z = Number($('in-z').value);
  $('in-z-out').textContent = `${z + 1} / ${u.depth}`;
  $('in-img').src = `/api/v1/uploads/${u.id}/slices/${z}.png`;
  $('in-img').alt = `Slice ${z + 1} of your upload`;
  drawScaleBar($('in-scale'), u.voxelSize, u.width, $('in-img'));
}
$('in-z').addEventListener('input', showInputSlice);

// a scale bar of a round physical length, about a fifth of the image's width
function drawScaleBar(bar, voxel, widthPx, img) {
  const nm = toNm(voxel);
  if (!nm) { bar.hidden = true; return; }
  const shown = img.clientWidth || Math.min(760, widthPx);
  const target = (widthPx * nm) / 5;
  const pow = 10 ** Math.floor(Math.log10(target));
  const nice = [1, 2, 5, 10].map((m) => m * pow).filter((v) => v <= target).pop() || pow;
  const px = (nice / nm) * (shown / widthPx);
  bar.hidden = false;
  bar.style.width = `${Math.max(8, px)}px`;
  bar.dataset.label = nice >= 1000 ? `${nice / 1000} µm` : `${nice} nm`;
  bar.title = `Scale bar: ${bar.dataset.label}`;
}

const dz = $('dropzone');
['dragenter', 'dragover'].forEach((t) => dz.addEventListener(t, (e) => { e.preventDefault(); dz.classList.add('over'); }));
['dragleave', 'drop'].forEach((t) => dz.addEventListener(t, (e) => { e.preventDefault(); dz.classList.remove('over'); }));
dz.addEventListener('drop', (e) => uploadFiles(e.dataTransfer.files));
dz.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); $('file-input').click(); } });
$('file-input').addEventListener('change', (e) => uploadFiles(e.target.files));

async function loadSamples() {
  const list = $('sample-list');
  try {
    const { items } = await api('/api/v1/samples');
    list.replaceChildren(...(items.length ? items.map((s) => el('li', {},
      el('button', { type: 'button', class: 'sample', 'data-sample': s.name, onclick: () => useSample(s) },
        el('strong', {}, s.name), el('span', { class: 'muted' }, ` ${s.width} × ${s.height} × ${s.depth}`)),
      el('p', { class: 'small' }, s.description || ''), s.source ? el('p', { class: 'small muted' }, s.source) : null))
      : [el('li', { class: 'muted' }, 'No samples are installed on this server.')]));
  } catch (e) { list.replaceChildren(el('li', { class: 'muted' }, `Samples unavailable: ${e.message}`)); }
}

async function useSample(s) {
  $('upload-progress').hidden = false;
  $('upload-bar').style.width = '100%';
  $('upload-label').textContent = `Preparing ${s.name}…`;
  try {
    const u = await api('/api/v1/uploads', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ sample: s.name }) });
    uploaded(u, `${s.name} (sample)`);
  } catch (e) { $('upload-progress').hidden = true; showError(`Sample refused: ${e.message}`); }
}

// ---------- 2. models: search with facets, one card each ----------
let searchTimer = null;
// searches overlap (typing, then a facet) and their answers may arrive out of order: only the latest is shown
let searchSeq = 0;
const FACETS = ['component', 'modality', 'dims', 'tier'];
async function searchModels() {
  const seq = ++searchSeq;
  const p = new URLSearchParams();
  const q = $('model-q').value.trim();
  if (q) p.set('q', q);
  for (const f of FACETS) { const v = $(`f-${f}`).value; if (v) p.set(f, v); }
  try {
    const r = await api(`/api/v1/models?${p}`);
    if (seq !== searchSeq) return;
    fillFacets(r.facets || {});
    renderModels(r.items);
    if (r.stale) $('model-list').prepend(el('p', { class: 'warning' }, `${r.note}. You can still pick these and run.`));
  } catch (e) { if (seq === searchSeq) showError(`Model search failed: ${e.message}`); }
}

function fillFacets(facets) {
  for (const f of FACETS) {
    const sel = $(`f-${f}`);
    const current = sel.value;
    const counts = facets[f] || {};
    sel.replaceChildren(el('option', { value: '' }, 'any'),
      ...Object.entries(counts).map(([v, n]) => el('option', { value: v }, `${v} (${n})`)));
    sel.value = current;
  }
}

// what a model costs: its tier (with the tier's limit, from the card) and the time the worker measured, when the
// package states them
function speedLine(m) {
  const tile = 'per 512 × 512 tile on 2 CPU threads';
  const ms = m.msPerTile ? `${Math.round(m.msPerTile)} ms ${tile}` : '';
  const limit = m.tierMaxMsPerTile ? `up to ${m.tierMaxMsPerTile} ms ${tile}` : 'not measured';
  if (m.tier === 'accurate') return `accurate tier: ${ms || limit}; slower on a CPU, best on a GPU worker`;
  if (m.tier) return `${m.tier} tier: ${ms || limit}`;
  return ms || 'not measured';
}

function voxelText(v) {
  if (!v) return 'not stated';
  if (typeof v === 'object') return `${v.x}${v.y && v.y !== v.x ? ` × ${v.y}` : ''} ${v.unit || ''} per pixel${v.z ? `, slices ${v.z} ${v.unit || ''}` : ''}`.trim();
  return String(v);
}
// the measured quality as a small table: one row per held-out set (never pooled across sets), with and without TTA;
// membrane cards also carry F1 with a 2-px tolerance and the ISBI challenge's V_rand
function scoreTable(s) {
  if (!s || typeof s !== 'object' || (!s.sets && !s.all)) return el('span', { class: 'muted' }, 'not measured yet');
  const fmt = (x) => (typeof x === 'number' ? x.toFixed(2) : '–');
  const rows = Object.entries(s.sets || {}).map(([name, v]) => [name, v]);
  if (s.all) rows.push(['all held-out', s.all]);
  const cols = [['iou', 'IoU'], ['f1', 'F1'], ['iou_tta', 'IoU TTA'], ['f1_tta', 'F1 TTA']];
  if (rows.some(([, v]) => typeof v.f1_2px === 'number')) cols.push(['f1_2px', 'F1 (2 px)'], ['v_rand', 'V_rand']);
  // a measure per row, a held-out set per column: a card is narrow, and there are more measures than sets
  const table = el('table', { class: 'scores' },
    el('thead', {}, el('tr', {}, el('th', {}, 'held out'),
      ...rows.map(([name, v]) => el('th', {}, name + (v.trained_on === false ? ' (not trained on)' : ''))))),
    el('tbody', {}, ...cols.map(([key, label]) => el('tr', {}, el('th', { scope: 'row' }, label),
      ...rows.map(([, v]) => el('td', {}, fmt(v[key])))))));
  return el('div', {}, table, s.threshold != null ? el('p', { class: 'small muted' }, `threshold ${s.threshold}${s.note ? `; ${s.note}` : ''}`) : null);
}
// one line for the card: the first held-out set the model was trained beside (else the first set)
function qualityLine(s) {
  if (!s || typeof s !== 'object') return 'not measured yet';
  const sets = Object.entries(s.sets || {});
  const [name, v] = sets.find(([, x]) => x.trained_on !== false) || sets[0] || ['all held-out', s.all];
  if (!v || typeof v.iou !== 'number') return 'not measured yet';
  return `IoU ${v.iou.toFixed(2)}, F1 ${v.f1.toFixed(2)}${typeof v.f1_2px === 'number' ? ` (2 px: ${v.f1_2px.toFixed(2)})` : ''} on held-out ${name}`
    + (sets.length > 1 ? '; other sets under Scores' : '');
}
function citeList(c) {
  if (!c || !c.length) return el('span', {}, 'none given');
  return el('ul', { class: 'cites' }, ...c.map((x) => {
    if (typeof x !== 'object') return el('li', {}, String(x));
    const doi = x.doi ? el('a', { href: `https://doi.org/${x.doi}`, target: '_blank', rel: 'noopener' }, `doi:${x.doi}`) : null;
    return el('li', {}, x.text || '', doi ? ' ' : null, doi);
  }));
}

function renderModels(items) {
  const list = $('model-list');
  if (!items.length) { list.replaceChildren(el('p', { class: 'muted' }, 'No model matches. Clear the search or a filter.')); return; }
  list.replaceChildren(...items.map((m) => {
    const checked = state.models.has(m.id);
    const box = el('input', { type: 'checkbox', 'data-model': m.id, 'aria-label': `Use ${m.name || m.id}` });
    box.checked = checked;
    box.addEventListener('change', () => { if (box.checked) state.models.set(m.id, m); else state.models.delete(m.id); card.classList.toggle('chosen', box.checked); updateRun(); });
    const img = (which) => el('img', { src: `/api/v1/models/${encodeURIComponent(m.id)}/examples/${which}.png`, alt: `${which} example of ${m.name || m.id}`, loading: 'lazy', class: 'example' });
    // the scores table takes the card's whole width: in the facts' value column its digits wrapped one per line
    const details = el('details', { class: 'more' }, el('summary', {}, 'Scores, citation, identifier'),
      el('div', { class: 'score-block' }, el('div', { class: 'small muted' }, 'Measured quality'), scoreTable(m.scores)),
      el('dl', { class: 'card-facts' },
        el('dt', {}, 'Cite'), el('dd', {}, citeList(m.cite)),
        el('dt', {}, 'Identifier'), el('dd', {}, m.doi ? el('a', { href: `https://doi.org/${m.doi}`, target: '_blank', rel: 'noopener' }, `doi:${m.doi}`) : el('code', {}, m.identifier || `${m.id} v${m.version}`)),
        el('dt', {}, 'More'), el('dd', {}, el('a', { href: `/models/${encodeURIComponent(m.id)}`, target: '_blank' }, 'model page'), ' · ',
          el('a', { href: `/api/v1/models/${encodeURIComponent(m.id)}/package.zip` }, 'package'))));
    const card = el('label', { class: `model${checked ? ' chosen' : ''}` }, box,
      el('div', { class: 'model-body' },
        el('div', { class: 'model-head' }, el('strong', {}, m.name || m.id),
          el('span', { class: 'tag' }, m.component || m.structure || '?'), el('span', { class: 'tag alt' }, m.modality || '?'),
          el('span', { class: 'tag alt' }, m.dims || '2D'), m.tier === 'accurate' ? el('span', { class: 'tag accurate' }, 'accurate') : null,
          m.published === false ? el('span', { class: 'tag mine' }, 'yours, private') : null),
        el('div', { class: 'examples' }, img('input'), el('span', { 'aria-hidden': 'true' }, '→'), img('output')),
        el('dl', { class: 'card-facts' },
          el('dt', {}, 'Organism'), el('dd', {}, m.organism || 'not stated'),
          el('dt', {}, 'Pixel size'), el('dd', {}, voxelText(m.voxelSize)),
          el('dt', {}, 'Quality'), el('dd', {}, qualityLine(m.scores)),
          el('dt', {}, 'Speed'), el('dd', {}, speedLine(m)),
          el('dt', {}, 'Authors'), el('dd', {}, (m.authors || []).map((a) => a.name || a).join(', ') || 'not stated'),
          el('dt', {}, 'Licence'), el('dd', {}, m.license || 'not stated')),
        details));
    return card;
  }));
}
$('model-q').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(searchModels, 250); });
FACETS.forEach((f) => $(`f-${f}`).addEventListener('change', searchModels));

// ---------- 3. settings and a runtime estimate ----------
const AUG_VIEWS = { none: 1, fast: 2, standard: 4, full: 8 };
function updateRun() {
  const onDataset = state.source === 'dataset' && datasets && datasets.active();
  $('run').hidden = onDataset;
  $('run-region').hidden = !onDataset;
  $('run-full').hidden = !onDataset;
  $('run-source').hidden = !onDataset;
  if (onDataset) { $('pixel-warning').hidden = true; datasets.updateRun(); return; }
  const ready = state.upload && state.models.size > 0;
  $('run').disabled = !ready;
  $('run-hint').textContent = ready ? '' : !state.upload ? 'Choose an image first.' : 'Choose at least one model.';
  if (!ready) return;
  const u = state.upload;
  const mpx = (u.width * u.height * u.depth) / 1e6;
  // about 1 Mpx/s per model and view on the CPU workers, plus start-up: a deliberately rough guide; a model that runs
  // on the image resized to its pixel size (the same 10 % rule as the service's) runs on that many more pixels
  const mineNm = toNm(u.voxelSize);
  const area = (m) => {
    const f = $('s-rescale').checked && mineNm && toNm(m.voxelSize) ? mineNm / toNm(m.voxelSize) : 1;
    return Math.abs(f - 1) > 0.1 && f >= 0.125 && f <= 8 ? f * f : 1;
  };
  const seconds = 8 + [...state.models.values()].reduce((sum, m) => sum + mpx * area(m), 0) * AUG_VIEWS[$('s-aug').value];
  $('estimate').textContent = `Estimated time: about ${fmtTime(seconds)} for ${mpx.toFixed(1)} megapixels with ${state.models.size} model${state.models.size > 1 ? 's (averaged)' : ''}.`;
  // a model sees structures at the pixel size it was trained at: say so when the image's differs much
  const mine = toNm(u.voxelSize);
  const off = [...state.models.values()].filter((m) => mine && toNm(m.voxelSize) && Math.abs(mine / toNm(m.voxelSize) - 1) > 0.1);
  $('pixel-warning').hidden = !off.length;
  const trained = off.map((m) => `${m.name || m.id} was trained at ${+toNm(m.voxelSize).toPrecision(3)} nm`).join(', ');
  $('pixel-warning').textContent = !off.length ? ''
    : $('s-rescale').checked ? `Your image has ${+mine.toPrecision(3)} nm pixels; ${trained}. It will be resized for ${off.length > 1 ? 'those models' : 'that model'} and the result resized back (the job's notes will say so).`
    : `Your image has ${+mine.toPrecision(3)} nm pixels; ${trained}. Structures will look ${mine > toNm(off[0].voxelSize) ? 'smaller' : 'larger'} to the model than in its training data, which can lower its quality.`;
}
$('s-aug').addEventListener('change', updateRun);
['s-enhance', 's-thr', 's-rescale'].forEach((id) => $(id).addEventListener('change', updateRun));
$('s-thr').addEventListener('input', () => { $('s-thr-out').textContent = Number($('s-thr').value).toFixed(2); });

// the chosen models and settings: the same for an upload, a dataset's region and a whole dataset
function runSettings() {
  return { models: [...state.models.keys()], enhance: $('s-enhance').checked, augmentation: $('s-aug').value, threshold: Number($('s-thr').value), rescale: $('s-rescale').checked };
}
function jobBody() {
  return { input: { uploadId: state.upload ? state.upload.id : 'u-…' }, ...runSettings() };
}

$('run').addEventListener('click', async () => {
  $('run').disabled = true;
  try {
    const job = await api('/api/v1/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(jobBody()) });
    state.job = job;
    state.jobKind = 'upload';
    history.replaceState(null, '', `/?job=${job.id}&share=${encodeURIComponent(job.shareUrl)}`);
    watch(job.id, job.shareUrl);
  } catch (e) { showError(`The job was not started: ${e.message}`); updateRun(); }
});

// ---------- 4. live progress over SSE ----------
let source = null;
function watch(id, shareUrl) {
  $('step-progress').hidden = false;
  $('step-progress').dataset.done = '';
  $('step-progress').scrollIntoView({ behavior: 'smooth', block: 'start' });
  if (shareUrl) $('share-url').value = shareUrl;
  if (source) source.close();
  source = new EventSource(withToken(`/api/v1/jobs/${id}/events`));
  source.addEventListener('status', (e) => showStatus(JSON.parse(e.data)));
  source.onerror = () => {
    // the stream ends after the final state; otherwise fall back to one read so the page is never stuck
    source.close();
    api(withToken(`/api/v1/jobs/${id}`)).then(showStatus).catch((err) => showError(`Lost the job's progress: ${err.message}`));
  };
}

function showStatus(s) {
  const pct = Math.round(100 * (s.progress || 0));
  $('job-bar').style.width = `${pct}%`;
  $('job-percent').textContent = `${pct}%`;
  $('job-state').textContent = s.state;
  $('job-stage').textContent = s.stage || '–';
  $('job-queue').textContent = s.queuePosition ? `${s.queuePosition}` : s.state === 'QUEUED' ? 'taking its place…' : '–';
  $('job-eta').textContent = s.state === 'SUCCEEDED' ? 'done' : s.state === 'QUEUED' ? 'known once it starts'
    : s.etaSeconds != null ? fmtTime(s.etaSeconds) : 'estimating…';
  // what the service did on the user's behalf (an input rescaled to a model's pixel size, or why not)
  const notes = s.notes || [];
  $('job-notes').hidden = !notes.length;
  $('job-notes').replaceChildren(...notes.map((n) => el('li', {}, n)));
  $('cancel').hidden = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(s.state) || !!state.token;
  $('step-progress').dataset.state = s.state;
  if (s.state === 'FAILED') showError(`The job failed: ${s.error || 'no reason given'}`);
  if (s.state === 'SUCCEEDED' && $('step-progress').dataset.done !== s.id) {
    $('step-progress').dataset.done = s.id;
    if (source) source.close();
    // a run over a whole dataset has no result viewer: its result is a layer of the dataset
    Promise.resolve(datasets ? datasets.jobDone(s) : false).then((handled) => { if (!handled) showResult(s); });
  }
}

$('cancel').addEventListener('click', async () => {
  try { await api(`/api/v1/jobs/${state.job.id}`, { method: 'DELETE' }); } catch (e) { showError(`Cannot cancel: ${e.message}`); }
});

// ---------- 5. viewer: PNG slices the gateway renders from the float results, one colour per structure ----------
async function showResult(status) {
  const id = status.id;
  // expired: nothing left to view, only when and why
  if (status.expiresAt && new Date(status.expiresAt) <= new Date()) { renderDownloads(status); return; }
  try { state.settings = await api(withToken(`/api/v1/jobs/${id}/settings`)); } catch (e) { showError(`Cannot open the result: ${e.message}`); return; }
  const st = state.settings;
  state.status = status;
  state.hidden = new Set();
  $('v-z').max = st.depth - 1;
  $('v-z').value = Math.floor((st.depth - 1) / 2);
  $('v-thr').value = st.threshold;
  $('v-thr-out').textContent = Number(st.threshold).toFixed(2);
  $('v-compare-wrap').hidden = st.models.length < 2;
  $('step-viewer').hidden = false;
  renderLegend();
  renderViewports();
  renderDownloads(status);
  renderMeasurements(status);
  renderProvenance(status);
  if (!state.token) renderCurl(st);
}

// one entry per structure: its colour, name, models, and a toggle that hides or shows it everywhere
function renderLegend() {
  const st = state.settings;
  $('legend').replaceChildren(...(st.structures || []).map((s) => {
    const box = el('input', { type: 'checkbox', 'data-structure': s.name, 'aria-label': `Show ${s.name}` });
    box.checked = !state.hidden.has(s.name);
    box.addEventListener('change', () => { if (box.checked) state.hidden.delete(s.name); else state.hidden.add(s.name); refreshSlices(); });
    return el('label', { class: 'legend-item' }, box, el('span', { class: 'swatch', style: `background:${s.colour}` }),
      el('strong', {}, s.name), el('span', { class: 'muted' }, ` ${s.models.join(' + ')}`));
  }));
}

function structureOf(model) {
  return (state.settings.structures || []).find((s) => s.models.includes(model));
}

function renderViewports() {
  const st = state.settings;
  const compare = $('v-compare').checked && st.models.length > 1;
  const all = (st.structures || []).map((s) => s.name).join(' + ') || st.models[0];
  const ensemble = { model: null, title: st.models.length > 1 ? `Ensemble: ${all}` : `${st.models[0]}: ${all}` };
  const panes = compare ? [ensemble, ...st.models.map((m) => ({ model: m, title: `${m} (${(structureOf(m) || {}).name || '?'})` }))] : [ensemble];
  $('viewports').replaceChildren(...panes.map((p) => {
    const img = el('img', { class: 'slice', alt: `Slice of the result, ${p.title}`, draggable: 'false', 'data-model': p.model || '' });
    img.width = st.width; img.height = st.height;
    const s = p.model ? structureOf(p.model) : null;
    const caption = el('figcaption', {}, s ? el('span', { class: 'swatch', style: `background:${s.colour}` }) : null, p.title);
    const bar = el('div', { class: 'scalebar', hidden: '' });
    img.addEventListener('load', () => drawScaleBar(bar, st.voxelSize, st.width, img));
    return el('figure', { class: 'viewport' }, el('div', { class: 'stage' }, img, bar), caption);
  }));
  $('viewports').classList.toggle('multi', compare);
  refreshSlices();
}

function refreshSlices() {
  const st = state.settings;
  const z = Number($('v-z').value);
  $('v-z-out').textContent = `${z + 1} / ${st.depth}`;
  const layer = document.querySelector('input[name=layer]:checked').value;
  const shown = (st.structures || []).map((s) => s.name).filter((n) => !state.hidden.has(n));
  for (const img of document.querySelectorAll('#viewports img.slice')) {
    const p = new URLSearchParams({ layer, opacity: $('v-opacity').value, threshold: $('v-thr').value });
    if (img.dataset.model) p.set('model', img.dataset.model);
    else if (st.structures && shown.length < st.structures.length) p.set('structures', shown.join(','));
    img.src = withToken(`/api/v1/jobs/${st.id}/slices/${z}.png?${p}`);
    img.dataset.layer = layer;
    img.style.transform = `translate(${state.panX}px, ${state.panY}px) scale(${state.zoom})`;
  }
}
['v-z', 'v-opacity', 'v-thr'].forEach((id) => $(id).addEventListener('input', () => {
  $('v-thr-out').textContent = Number($('v-thr').value).toFixed(2);
  refreshSlices();
}));
document.querySelectorAll('input[name=layer]').forEach((r) => r.addEventListener('change', refreshSlices));
$('v-compare').addEventListener('change', renderViewports);
$('v-reset').addEventListener('click', () => { state.zoom = 1; state.panX = 0; state.panY = 0; refreshSlices(); });

// zoom with the wheel, pan by dragging; all viewports move together so side-by-side stays aligned
$('viewports').addEventListener('wheel', (e) => {
  e.preventDefault();
  zoomBy(e.deltaY < 0 ? 1.15 : 1 / 1.15);
}, { passive: false });
function zoomBy(f) { state.zoom = Math.min(16, Math.max(0.5, state.zoom * f)); refreshTransforms(); }
let drag = null;
$('viewports').addEventListener('pointerdown', (e) => { drag = { x: e.clientX - state.panX, y: e.clientY - state.panY }; });
window.addEventListener('pointermove', (e) => { if (drag) { state.panX = e.clientX - drag.x; state.panY = e.clientY - drag.y; refreshTransforms(); } });
window.addEventListener('pointerup', () => { drag = null; });
function refreshTransforms() {
  for (const img of document.querySelectorAll('#viewports img.slice')) img.style.transform = `translate(${state.panX}px, ${state.panY}px) scale(${state.zoom})`;
}

// keyboard: the viewer without the mouse (ignored while typing in a field)
function step(id, by) { const r = $(id); r.value = Math.min(Number(r.max), Math.max(Number(r.min), Number(r.value) + by)); r.dispatchEvent(new Event('input')); }
document.addEventListener('keydown', (e) => {
  if (e.target.closest('input[type=text], input[type=search], input[type=number], textarea, select') || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target.closest('#step-datasets')) return; // the dataset viewer has keys of its own
  if (e.key === '?') { $('help-panel').hidden = !$('help-panel').hidden; return; }
  if ($('step-viewer').hidden) return;
  const layers = { i: 'input', p: 'probability', o: 'overlay' };
  if (layers[e.key]) { document.querySelector(`input[name=layer][value=${layers[e.key]}]`).click(); return; }
  if (e.key === 'ArrowRight' || e.key === '.') step('v-z', 1);
  else if (e.key === 'ArrowLeft' || e.key === ',') step('v-z', -1);
  else if (e.key === '+' || e.key === '=') zoomBy(1.25);
  else if (e.key === '-') zoomBy(1 / 1.25);
  else if (e.key === '0') $('v-reset').click();
  else if (/^[1-9]$/.test(e.key)) { const box = document.querySelectorAll('#legend input')[Number(e.key) - 1]; if (box) box.click(); }
  else return;
  e.preventDefault();
});
$('help-toggle').addEventListener('click', () => { $('help-panel').hidden = !$('help-panel').hidden; });

// ---------- measurements: per structure, the objects of the thresholded map ----------
async function renderMeasurements(status) {
  const st = state.settings;
  const structures = (st.structures || []).filter((s) => s.measurements && (status.results || {})[s.measurements]);
  $('step-measure').hidden = !structures.length;
  let run = {};
  try { run = await api(withToken(`/api/v1/jobs/${status.id}/results/run.json`)); } catch (e) { /* summaries are optional */ }
  const blocks = await Promise.all(structures.map(async (s) => {
    let rows = [];
    try {
      const res = await fetch(withToken(`/api/v1/jobs/${status.id}/results/${s.measurements}`), { credentials: 'same-origin' });
      rows = (await res.text()).trim().split('\n').slice(1).filter(Boolean).map((r) => r.split(','));
    } catch (e) { /* shown as empty */ }
    const summary = (run.measurements || {})[s.name] || {};
    // nm³ numbers run to 10^9 for an ordinary mitochondrion: show µm³, as biologists report them
    const nm3 = rows.length && rows[0][3] === 'nm^3';
    const volumes = rows.map((r) => Number(r[2]) / (nm3 ? 1e9 : 1));
    const unit = rows.length ? (nm3 ? 'µm³' : rows[0][3].replace('^3', '³')) : '';
    return el('div', { class: 'measure', 'data-structure': s.name },
      el('h3', {}, el('span', { class: 'swatch', style: `background:${s.colour}` }), s.name),
      el('p', { class: 'measure-summary' }, `${rows.length} object${rows.length === 1 ? '' : 's'}`,
        summary.volumeFraction != null ? `, ${(100 * summary.volumeFraction).toFixed(1)} % of the volume` : '',
        ` at threshold ${Number(st.threshold).toFixed(2)}`),
      histogram(volumes, unit, s.colour),
      el('a', { href: withToken(`/api/v1/jobs/${status.id}/results/${s.measurements}`), download: '' }, `${s.measurements}`),
      el('span', { class: 'muted' }, ' one row per object: voxels, volume, bounding box, centroid, mean probability'));
  }));
  $('measurements').replaceChildren(...blocks);
}

// object sizes on a log scale, as bars in an SVG (no charting library needed for ten bars)
function histogram(values, unit, colour) {
  const svgNs = 'http://www.w3.org/2000/svg';
  if (!values.length) return el('p', { class: 'muted' }, 'No object reaches the threshold.');
  const logs = values.map((v) => Math.log10(Math.max(v, 1e-12)));
  const lo = Math.floor(Math.min(...logs));
  const hi = Math.max(lo + 1, Math.ceil(Math.max(...logs)));
  const bins = 12;
  const counts = new Array(bins).fill(0);
  logs.forEach((l) => { counts[Math.min(bins - 1, Math.floor(((l - lo) / (hi - lo)) * bins))] += 1; });
  const max = Math.max(...counts);
  const W = 360; const H = 110; const bw = W / bins;
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H + 18}`);
  svg.setAttribute('class', 'histogram');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Object sizes from 10^${lo} to 10^${hi} ${unit}`);
  counts.forEach((c, i) => {
    const r = document.createElementNS(svgNs, 'rect');
    const h = max ? (c / max) * H : 0;
    r.setAttribute('x', String(i * bw + 1)); r.setAttribute('y', String(H - h)); r.setAttribute('width', String(bw - 2)); r.setAttribute('height', String(h));
    r.setAttribute('fill', colour);
    const t = document.createElementNS(svgNs, 'title'); t.textContent = `${c} object(s)`; r.append(t);
    svg.append(r);
  });
  [[0, `10^${lo}`], [W, `10^${hi} ${unit}`]].forEach(([x, label]) => {
    const t = document.createElementNS(svgNs, 'text');
    t.setAttribute('x', String(x)); t.setAttribute('y', String(H + 14)); t.setAttribute('text-anchor', x ? 'end' : 'start'); t.setAttribute('class', 'axis');
    t.textContent = label; svg.append(t);
  });
  return el('figure', { class: 'hist' }, svg, el('figcaption', { class: 'small muted' }, 'Object size (log scale)'));
}

// what made this result: models and versions, settings (the share page shows it too)
async function renderProvenance(status) {
  let run = null;
  try { run = await api(withToken(`/api/v1/jobs/${status.id}/results/run.json`)); } catch (e) { return; }
  const st = state.settings;
  $('provenance').hidden = false;
  $('provenance').replaceChildren(el('strong', {}, 'Made with '), (run.models || st.models).join(', '),
    `; enhancement ${st.enhance ? 'on' : 'off'}, augmentation ${st.augmentation}, threshold ${Number(st.threshold).toFixed(2)}${st.rescale === false ? ', not rescaled to the models\' pixel sizes' : ''}`,
    run.timings && run.timings.secondsTotal != null ? `; took ${fmtTime(run.timings.secondsTotal)}` : '',
    st.voxelSize ? `; pixel size ${voxelShort(st.voxelSize)}` : '');
}

// ---------- 6. downloads and share ----------
const LABELS = {
  'probabilities.tif': 'Probability map of the first structure (32-bit TIFF, 0–1, one page per slice)',
  'segmentation.tif': 'Segmentation (8-bit TIFF, 255 = structure)',
  'run.json': 'Run record (models, versions, settings, timings, measurements)',
  'enhanced-input.tif': 'Your image as the models saw it (after enhancement)',
  'thumbnail.png': 'Thumbnail of the middle slice',
  'probabilities.ome.zarr': 'OME-Zarr folder (napari, zarr-python); this link lists its files',
};
function downloadLabel(name) {
  if (LABELS[name]) return LABELS[name];
  if (name.startsWith('models/')) return name.endsWith('uncertainty.tif') ? 'one model\'s uncertainty (variance over augmentations)' : 'one model\'s own probability map';
  if (name.startsWith('overlay/')) return 'overlay of one slice';
  if (name.endsWith('/measurements.csv')) return 'one row per object';
  if (name.endsWith('/probabilities.tif')) return 'probability map of this structure';
  return '';
}
// results are deleted a while after the job ends (the server's retention): say when, in the reader's own time
function renderExpiry(status) {
  const at = status.expiresAt ? new Date(status.expiresAt) : null;
  $('expiry').hidden = !at;
  if (!at) return false;
  const expired = at <= new Date();
  $('expiry').textContent = expired
    ? `These results expired on ${at.toLocaleString()} and were deleted: run the job again for new ones.`
    : `Kept until ${at.toLocaleString()}, then deleted: download what you want to keep.`;
  return expired;
}
async function renderDownloads(status) {
  if (renderExpiry(status)) {
    $('downloads').replaceChildren();
    $('step-downloads').hidden = false;
    $('share').hidden = true;
    return;
  }
  let listing = null;
  try { listing = await api(withToken(`/api/v1/jobs/${status.id}/results`)); } catch (e) { showError(`Cannot list the results: ${e.message}`); }
  const files = listing ? listing.items : Object.entries(status.results || {}).map(([name, url]) => ({ name, url }));
  const overlays = files.filter((f) => f.name.startsWith('overlay/'));
  const items = files.filter((f) => !f.name.startsWith('overlay/')).map((f) => el('li', {},
    el('a', { href: withToken(f.url), ...(f.objects ? { target: '_blank' } : { download: '' }) }, f.name),
    f.bytes != null ? el('span', { class: 'size' }, ` ${fmtBytes(f.bytes)}${f.objects ? ` in ${f.objects} files` : ''}`) : null,
    el('span', { class: 'muted' }, ` ${downloadLabel(f.name)}`)));
  if (overlays.length) {
    // overlays are rendered when opened (their size is not known before), older jobs' were stored
    const rendered = overlays.some((f) => f.bytes == null);
    const total = overlays.reduce((a, f) => a + (f.bytes || 0), 0);
    items.push(el('li', {}, el('details', {}, el('summary', {}, `overlay/ — ${overlays.length} PNG${overlays.length > 1 ? 's' : ''}, ${rendered ? 'each slice rendered when you open it' : fmtBytes(total)}`),
      el('ul', {}, ...overlays.map((f) => el('li', {}, el('a', { href: withToken(f.url), download: '' }, f.name),
        f.bytes != null ? el('span', { class: 'size' }, ` ${fmtBytes(f.bytes)}`) : null))))));
  }
  const all = files.reduce((a, f) => a + (f.bytes || 0), 0);
  items.push(el('li', {}, el('a', { href: withToken(`/api/v1/jobs/${status.id}/results/bundle.zip`), download: '' }, 'bundle.zip'),
    el('span', { class: 'size' }, listing ? ` about ${fmtBytes(all)} before compression${overlays.some((f) => f.bytes == null) ? ', plus the overlays' : ''}` : ''), el('span', { class: 'muted' }, ' everything above in one file')));
  $('downloads').replaceChildren(...items);
  $('step-downloads').hidden = false;
  $('share').hidden = !!state.token;
}
async function copy(text, button) {
  try { await navigator.clipboard.writeText(text); button.textContent = 'Copied ✓'; } catch (e) { button.textContent = 'Select and copy'; }
  setTimeout(() => { button.textContent = button.dataset.label; }, 2000);
}
// a share link can be taken back: revoked, or replaced by a new one
$('share-revoke').addEventListener('click', async () => {
  try {
    await api(`/api/v1/jobs/${state.job.id}/share`, { method: 'DELETE' });
    $('share-url').value = '';
    $('share-url').placeholder = 'No share link: nobody but you can open this result';
    history.replaceState(null, '', `/?job=${state.job.id}`);
  } catch (e) { showError(`The link was not revoked: ${e.message}`); }
});
$('share-new').addEventListener('click', async () => {
  try {
    const r = await api(`/api/v1/jobs/${state.job.id}/share`, { method: 'POST' });
    $('share-url').value = r.shareUrl;
    history.replaceState(null, '', `/?job=${state.job.id}&share=${encodeURIComponent(r.shareUrl)}`);
  } catch (e) { showError(`No new link: ${e.message}`); }
});
$('copy-share').dataset.label = 'Copy';
$('copy-share').addEventListener('click', () => copy($('share-url').value, $('copy-share')));
$('copy-curl').dataset.label = 'Copy commands';
$('copy-curl').addEventListener('click', () => copy($('curl').textContent, $('copy-curl')));

// ---------- 7. the same run from a terminal ----------
function renderCurl(st) {
  const base = location.origin;
  if (state.jobKind === 'region' && state.dataset) {
    // a dataset's region: the next step is the whole dataset (the button in step 3 does the same)
    const whole = JSON.stringify({ input: { datasetId: state.dataset.id }, models: st.models, enhance: st.enhance, augmentation: st.augmentation, threshold: st.threshold });
    $('curl').textContent = [
      `TOKEN=...   # ./zooscope up prints it; also in var/api-token`,
      `curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -d '${whole}' ${base}/api/v1/jobs/estimate   # how long`,
      `JOB=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
      `  -d '${whole}' ${base}/api/v1/jobs | jq -r .id)`,
      `curl -sN -H "Authorization: Bearer $TOKEN" ${base}/api/v1/jobs/$JOB/events       # live progress; when done, a layer of the dataset`,
    ].join('\n');
    $('step-further').hidden = false;
    return;
  }
  const body = JSON.stringify({ input: { uploadId: '$UPLOAD' }, models: st.models, enhance: st.enhance, augmentation: st.augmentation, threshold: st.threshold, ...(st.rescale === false ? { rescale: false } : {}) });
  $('curl').textContent = [
    `TOKEN=...   # ./zooscope up prints it; also in var/api-token`,
    `UPLOAD=$(curl -s -H "Authorization: Bearer $TOKEN" -F file=@my-volume.tif ${base}/api/v1/uploads | jq -r .id)`,
    `JOB=$(curl -s -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \\`,
    `  -d '${body.replace('"$UPLOAD"', '"\'"$UPLOAD"\'"')}' ${base}/api/v1/jobs | jq -r .id)`,
    `curl -sN -H "Authorization: Bearer $TOKEN" ${base}/api/v1/jobs/$JOB/events       # live progress`,
    `curl -s -H "Authorization: Bearer $TOKEN" -o probabilities.tif ${base}/api/v1/jobs/$JOB/results/probabilities.tif`,
  ].join('\n');
  $('step-further').hidden = false;
}

// ---------- identity: the page can act as an API token, so what the token made shows here too ----------
async function refreshIdentity() {
  try {
    const s = await api('/api/v1/session');
    const bound = s.identity === 'api-token';
    $('identity').textContent = bound ? 'Using your API token' : 'Anonymous browser session';
    $('signin').hidden = bound;
    $('signout').hidden = !bound;
  } catch (e) { $('identity').textContent = ''; }
}
$('signin').addEventListener('click', async () => {
  const token = window.prompt('Your API token (./zooscope up prints it; also in var/api-token). Models, uploads and jobs made with it will show on this page.');
  if (!token) return;
  try {
    await api('/api/v1/session', { method: 'POST', headers: { Authorization: `Bearer ${token.trim()}` } });
    await refreshIdentity();
    searchModels();
  } catch (e) { showError(`That token was not accepted: ${e.message}`); }
});
$('signout').addEventListener('click', async () => { await api('/api/v1/session', { method: 'DELETE' }); await refreshIdentity(); searchModels(); });

// ---------- contribute a model: drop a bioimage.io zip, see every problem or the new card ----------
function uploadModel(file) {
  if (!file) return;
  const form = new FormData();
  form.append('package', file, file.name);
  $('mu-report').hidden = false;
  $('mu-report').replaceChildren(el('p', {}, `Validating ${file.name}: checking the package and running its test…`));
  fetch('/api/v1/models', { method: 'POST', body: form, credentials: 'same-origin' }).then(async (res) => {
    const body = await res.json().catch(() => ({}));
    if (res.status === 201) {
      const publish = el('button', { type: 'button', class: 'secondary small', id: 'mu-publish' }, 'Publish to everyone');
      publish.addEventListener('click', async () => {
        try { await api(`/api/v1/models/${encodeURIComponent(body.id)}/publish`, { method: 'POST' }); publish.replaceWith(el('span', { class: 'ok' }, ' Published.')); searchModels(); } catch (e) { publish.replaceWith(el('span', { class: 'muted' }, ` Not published: ${e.message}`)); }
      });
      $('mu-report').replaceChildren(el('p', { class: 'ok' }, `✓ ${body.name || body.id} v${body.version} passed every check and its test run.`),
        el('p', { class: 'small' }, 'It is in the zoo now, visible to you only (search for it above). A curator can publish it to everyone.'), publish);
      searchModels();
    } else {
      const problems = body.problems || [body.detail || `${res.status} ${res.statusText}`];
      $('mu-report').replaceChildren(el('p', { class: 'bad' }, `✗ ${file.name} was not accepted: ${problems.length} problem${problems.length > 1 ? 's' : ''}`),
        el('ol', { class: 'problems' }, ...problems.map((p) => el('li', {}, p))));
    }
  }).catch((e) => showError(`The model upload failed: ${e.message}`));
}
$('mu-input').addEventListener('change', (e) => uploadModel(e.target.files[0]));
const mz = $('mu-drop');
['dragenter', 'dragover'].forEach((t) => mz.addEventListener(t, (e) => { e.preventDefault(); mz.classList.add('over'); }));
['dragleave', 'drop'].forEach((t) => mz.addEventListener(t, (e) => { e.preventDefault(); mz.classList.remove('over'); }));
mz.addEventListener('drop', (e) => uploadModel(e.dataTransfer.files[0]));

// ---------- start ----------
if (shared) {
  state.token = new URLSearchParams(location.search).get('token');
  document.body.classList.add('shared');
  $('shared-banner').hidden = false;
  ['step-upload', 'step-datasets', 'step-models', 'step-settings', 'step-contribute'].forEach((s) => { $(s).hidden = true; });
  $('identity-bar').hidden = true;
  watch(shared[1], null);
} else {
  refreshIdentity();
  datasets = initDatasets({ $, el, api, showError, fmtTime, toNm, state, watch, updateRun, settings: runSettings });
  loadSamples();
  searchModels();
  updateRun();
  const q = new URLSearchParams(location.search);
  if (q.get('job')) { state.job = { id: q.get('job') }; watch(q.get('job'), q.get('share')); }
}
