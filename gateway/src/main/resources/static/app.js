// Zooscope's page: plain ES module, no build step. One page for two uses: the workflow at "/" (upload, pick models,
// run, watch, view, download) and the read-only shared viewer at "/view/{jobId}?token=...".
const $ = (id) => document.getElementById(id);
const state = { upload: null, models: new Map(), job: null, settings: null, token: null, zoom: 1, panX: 0, panY: 0 };
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

function uploaded(u, label) {
  state.upload = u;
  $('upload-progress').hidden = true;
  const s = $('upload-summary');
  s.hidden = false;
  s.replaceChildren(el('span', { class: 'ok' }, '✓ '), el('strong', {}, label),
    ` — ${u.width} × ${u.height} pixels, ${u.depth} slice${u.depth > 1 ? 's' : ''}, ${u.dtype}`);
  updateRun();
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
async function searchModels() {
  const p = new URLSearchParams();
  const q = $('model-q').value.trim();
  if (q) p.set('q', q);
  for (const f of ['component', 'modality', 'dims']) { const v = $(`f-${f}`).value; if (v) p.set(f, v); }
  try {
    const r = await api(`/api/v1/models?${p}`);
    fillFacets(r.facets || {});
    renderModels(r.items);
  } catch (e) { showError(`Model search failed: ${e.message}`); }
}

function fillFacets(facets) {
  for (const f of ['component', 'modality', 'dims']) {
    const sel = $(`f-${f}`);
    const current = sel.value;
    const counts = facets[f] || {};
    sel.replaceChildren(el('option', { value: '' }, 'any'),
      ...Object.entries(counts).map(([v, n]) => el('option', { value: v }, `${v} (${n})`)));
    sel.value = current;
  }
}

function voxelText(v) {
  if (!v) return 'not stated';
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k} ${x}`).join(', ');
  return String(v);
}
function scoreText(s) {
  if (!s || (typeof s === 'object' && !Object.keys(s).length)) return 'not measured yet';
  if (typeof s === 'object') return Object.entries(s).map(([k, x]) => `${k} ${typeof x === 'number' ? x.toFixed(2) : x}`).join(', ');
  return String(s);
}
function citeText(c) {
  if (!c || !c.length) return 'none given';
  return c.map((x) => (typeof x === 'object' ? (x.text || x.doi || JSON.stringify(x)) : x)).join('; ');
}

function renderModels(items) {
  const list = $('model-list');
  if (!items.length) { list.replaceChildren(el('p', { class: 'muted' }, 'No model matches. Clear the search or a filter.')); return; }
  list.replaceChildren(...items.map((m) => {
    const checked = state.models.has(m.id);
    const box = el('input', { type: 'checkbox', 'data-model': m.id, 'aria-label': `Use ${m.name || m.id}` });
    box.checked = checked;
    box.addEventListener('change', () => { if (box.checked) state.models.set(m.id, m); else state.models.delete(m.id); card.classList.toggle('chosen', box.checked); updateRun(); });
    const card = el('label', { class: `model${checked ? ' chosen' : ''}` }, box,
      el('div', { class: 'model-body' },
        el('div', { class: 'model-head' }, el('strong', {}, m.name || m.id),
          el('span', { class: 'tag' }, m.component || m.structure || '?'), el('span', { class: 'tag alt' }, m.modality || '?'),
          el('span', { class: 'tag alt' }, m.dims || '2D')),
        el('p', {}, m.description || ''),
        el('dl', { class: 'card-facts' },
          el('dt', {}, 'Segments'), el('dd', {}, m.structure || m.component || 'unspecified'),
          el('dt', {}, 'Voxel size'), el('dd', {}, voxelText(m.voxelSize)),
          el('dt', {}, 'Measured quality'), el('dd', {}, scoreText(m.scores)),
          el('dt', {}, 'Licence'), el('dd', {}, m.license || 'not stated'),
          el('dt', {}, 'Cite'), el('dd', {}, citeText(m.cite)),
          el('dt', {}, 'Id'), el('dd', {}, el('code', {}, `${m.id}${m.version ? ` v${m.version}` : ''}`)))));
    return card;
  }));
}
$('model-q').addEventListener('input', () => { clearTimeout(searchTimer); searchTimer = setTimeout(searchModels, 250); });
['component', 'modality', 'dims'].forEach((f) => $(`f-${f}`).addEventListener('change', searchModels));

// ---------- 3. settings and a runtime estimate ----------
const AUG_VIEWS = { none: 1, fast: 2, standard: 4, full: 8 };
function updateRun() {
  const ready = state.upload && state.models.size > 0;
  $('run').disabled = !ready;
  $('run-hint').textContent = ready ? '' : !state.upload ? 'Choose an image first.' : 'Choose at least one model.';
  if (!ready) return;
  const u = state.upload;
  const mpx = (u.width * u.height * u.depth) / 1e6;
  // about 1 Mpx/s per model and view on the CPU workers, plus start-up: a deliberately rough guide
  const seconds = 8 + (mpx * state.models.size * AUG_VIEWS[$('s-aug').value]) / 1.0;
  $('estimate').textContent = `Estimated time: about ${fmtTime(seconds)} for ${mpx.toFixed(1)} megapixels with ${state.models.size} model${state.models.size > 1 ? 's (averaged)' : ''}.`;
}
$('s-aug').addEventListener('change', updateRun);
$('s-thr').addEventListener('input', () => { $('s-thr-out').textContent = Number($('s-thr').value).toFixed(2); });

function jobBody() {
  return {
    input: { uploadId: state.upload ? state.upload.id : 'u-…' }, models: [...state.models.keys()],
    enhance: $('s-enhance').checked, augmentation: $('s-aug').value, threshold: Number($('s-thr').value),
  };
}

$('run').addEventListener('click', async () => {
  $('run').disabled = true;
  try {
    const job = await api('/api/v1/jobs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(jobBody()) });
    state.job = job;
    history.replaceState(null, '', `/?job=${job.id}&share=${encodeURIComponent(job.shareUrl)}`);
    watch(job.id, job.shareUrl);
  } catch (e) { showError(`The job was not started: ${e.message}`); updateRun(); }
});

// ---------- 4. live progress over SSE ----------
let source = null;
function watch(id, shareUrl) {
  $('step-progress').hidden = false;
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
  $('job-queue').textContent = s.queuePosition ? `${s.queuePosition}` : s.state === 'QUEUED' ? 'next' : '–';
  $('job-eta').textContent = s.state === 'SUCCEEDED' ? 'done' : s.etaSeconds != null ? fmtTime(s.etaSeconds) : 'estimating…';
  $('cancel').hidden = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(s.state) || !!state.token;
  $('step-progress').dataset.state = s.state;
  if (s.state === 'FAILED') showError(`The job failed: ${s.error || 'no reason given'}`);
  if (s.state === 'SUCCEEDED') { if (source) source.close(); showResult(s); }
}

$('cancel').addEventListener('click', async () => {
  try { await api(`/api/v1/jobs/${state.job.id}`, { method: 'DELETE' }); } catch (e) { showError(`Cannot cancel: ${e.message}`); }
});

// ---------- 5. viewer: PNG slices the gateway renders from the float results ----------
async function showResult(status) {
  const id = status.id;
  try { state.settings = await api(withToken(`/api/v1/jobs/${id}/settings`)); } catch (e) { showError(`Cannot open the result: ${e.message}`); return; }
  const st = state.settings;
  state.status = status;
  $('v-z').max = st.depth - 1;
  $('v-z').value = Math.floor((st.depth - 1) / 2);
  $('v-thr').value = st.threshold;
  $('v-thr-out').textContent = Number(st.threshold).toFixed(2);
  $('v-compare-wrap').hidden = st.models.length < 2;
  $('step-viewer').hidden = false;
  renderViewports();
  renderDownloads(status);
  if (!state.token) renderCurl(st);
}

function renderViewports() {
  const st = state.settings;
  const compare = $('v-compare').checked && st.models.length > 1;
  const panes = compare ? st.models.map((m) => ({ model: m, title: m })) : [{ model: null, title: st.models.length > 1 ? 'Ensemble of all models' : st.models[0] }];
  $('viewports').replaceChildren(...panes.map((p) => {
    const img = el('img', { class: 'slice', alt: `Slice of the result, ${p.title}`, draggable: 'false', 'data-model': p.model || '' });
    img.width = st.width; img.height = st.height;
    return el('figure', { class: 'viewport' }, el('div', { class: 'stage' }, img), el('figcaption', {}, p.title));
  }));
  $('viewports').classList.toggle('multi', compare);
  refreshSlices();
}

function refreshSlices() {
  const st = state.settings;
  const z = Number($('v-z').value);
  $('v-z-out').textContent = `${z + 1} / ${st.depth}`;
  const layer = document.querySelector('input[name=layer]:checked').value;
  for (const img of document.querySelectorAll('#viewports img.slice')) {
    const p = new URLSearchParams({ layer, opacity: $('v-opacity').value, threshold: $('v-thr').value });
    if (img.dataset.model) p.set('model', img.dataset.model);
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
  state.zoom = Math.min(16, Math.max(0.5, state.zoom * (e.deltaY < 0 ? 1.15 : 1 / 1.15)));
  refreshTransforms();
}, { passive: false });
let drag = null;
$('viewports').addEventListener('pointerdown', (e) => { drag = { x: e.clientX - state.panX, y: e.clientY - state.panY }; });
window.addEventListener('pointermove', (e) => { if (drag) { state.panX = e.clientX - drag.x; state.panY = e.clientY - drag.y; refreshTransforms(); } });
window.addEventListener('pointerup', () => { drag = null; });
function refreshTransforms() {
  for (const img of document.querySelectorAll('#viewports img.slice')) img.style.transform = `translate(${state.panX}px, ${state.panY}px) scale(${state.zoom})`;
}

// ---------- 6. downloads and share ----------
const LABELS = {
  'probabilities.tif': 'Probability map (32-bit TIFF, 0–1, one page per slice)',
  'segmentation.tif': 'Segmentation (8-bit TIFF, 255 = structure)',
  'run.json': 'Run record (models, versions, settings, timings)',
};
function renderDownloads(status) {
  const items = Object.entries(status.results || {}).map(([name, path]) => el('li', {},
    el('a', { href: withToken(path), download: '' }, name), el('span', { class: 'muted' }, ` ${LABELS[name] || (name.startsWith('models/') ? 'one model\'s own probability map' : '')}`)));
  items.push(el('li', {}, el('a', { href: withToken(`/api/v1/jobs/${status.id}/results/bundle.zip`), download: '' }, 'bundle.zip'),
    el('span', { class: 'muted' }, ' everything above in one file')));
  $('downloads').replaceChildren(...items);
  $('step-downloads').hidden = false;
  $('share').hidden = !!state.token || !$('share-url').value;
}
async function copy(text, button) {
  try { await navigator.clipboard.writeText(text); button.textContent = 'Copied ✓'; } catch (e) { button.textContent = 'Select and copy'; }
  setTimeout(() => { button.textContent = button.dataset.label; }, 2000);
}
$('copy-share').dataset.label = 'Copy';
$('copy-share').addEventListener('click', () => copy($('share-url').value, $('copy-share')));
$('copy-curl').dataset.label = 'Copy commands';
$('copy-curl').addEventListener('click', () => copy($('curl').textContent, $('copy-curl')));

// ---------- 7. the same run from a terminal ----------
function renderCurl(st) {
  const base = location.origin;
  const body = JSON.stringify({ input: { uploadId: '$UPLOAD' }, models: st.models, enhance: st.enhance, augmentation: st.augmentation, threshold: st.threshold });
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

// ---------- start ----------
if (shared) {
  state.token = new URLSearchParams(location.search).get('token');
  document.body.classList.add('shared');
  $('shared-banner').hidden = false;
  ['step-upload', 'step-models', 'step-settings'].forEach((s) => { $(s).hidden = true; });
  watch(shared[1], null);
} else {
  loadSamples();
  searchModels();
  updateRun();
  const q = new URLSearchParams(location.search);
  if (q.get('job')) { state.job = { id: q.get('job') }; watch(q.get('job'), q.get('share')); }
}
