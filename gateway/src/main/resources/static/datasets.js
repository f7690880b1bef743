// Hosted datasets in the page: the list, a deep-zoom viewer (OpenSeadragon over the gateway's tiles), the layers of
// whole-volume runs over it, a region box for previews, whole-volume runs (estimate and confirmation first), and the
// caller's previous results near the view. Plain ES module; OpenSeadragon comes from its WebJar, loaded on first use.
const OSD_BASE = '/webjars/openseadragon/2.4.2/build/openseadragon/';
/** The most voxels a region preview may have: the gateway refuses more (413). */
export const PREVIEW_LIMIT = 2048 * 2048 * 16;
/** A new region, as in the CDeep3M demo: 1000 × 1000 px, 5 slices, around the view's centre. */
const DEFAULT_BOX = { width: 1000, height: 1000, depth: 5 };
/** The structures' colours (the gateway's StructureColours): a layer's structure n is drawn in PALETTE[n]. */
const PALETTE = ['#00ff00', '#ff00ff', '#00bfff', '#ffa500', '#ffff00', '#ff3030', '#8a2be2', '#ffffff'];
const DTYPE_RANGE = { uint8: [0, 255], uint16: [0, 65535], int8: [-128, 127], int16: [-32768, 32767] };

let osdLoading = null;
function loadOpenSeadragon() {
  if (window.OpenSeadragon) return Promise.resolve(window.OpenSeadragon);
  if (!osdLoading) {
    osdLoading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = `${OSD_BASE}openseadragon.min.js`;
      s.onload = () => resolve(window.OpenSeadragon);
      s.onerror = () => { osdLoading = null; reject(new Error('the viewer could not be loaded from the server')); };
      document.head.append(s);
    });
  }
  return osdLoading;
}

function debounce(fn, ms) {
  let t = null;
  return (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
}

/**
 * Wires the datasets section into the page. {@code ctx} is what the page shares: its helpers ($, el, api, showError,
 * fmtTime, toNm), its state, watch(id, shareUrl) to follow a job, settings() for the chosen models and settings, and
 * updateRun() to refresh the run buttons. Returns the hooks the page calls back: updateRun() while the input is a
 * dataset region, and jobDone(status) when a job succeeds (true when the page should not open its result viewer).
 */
export function initDatasets(ctx) {
  const { $, el, api, showError, fmtTime, toNm, state } = ctx;
  const ds = {
    card: null, viewer: null, z: 0, range: null, defaultRange: null, roi: null, box: null, drag: null,
    items: new Map(), generation: 0, layerOn: new Set(), layerOpacity: new Map(), result: null,
    nearAvailable: true, estimateAvailable: true, job: null,
  };

  // fetch answering {status, body}: the estimate and "near here" endpoints may be missing (404), which is not an error
  async function call(path, options = {}) {
    const res = await fetch(path, { credentials: 'same-origin', ...options });
    let body = null;
    try { body = await res.json(); } catch (e) { /* no JSON body */ }
    return { status: res.status, ok: res.ok, body };
  }
  const postJson = (path, body) => call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const problem = (r) => (r.body && (r.body.detail || r.body.title)) || `${r.status}`;

  // ---------- units ----------
  const nmPerVoxel = (axis) => { const v = ds.card && ds.card.voxelSize; return v && v[axis] ? toNm({ x: v[axis], unit: v.unit }) : null; };
  function physical(nm) {
    if (nm == null) return '';
    if (nm >= 1e6) return `${+(nm / 1e6).toPrecision(3)} mm`;
    if (nm >= 1e3) return `${+(nm / 1e3).toPrecision(3)} µm`;
    return `${+nm.toPrecision(3)} nm`;
  }
  const inMicrons = (nm) => +(nm / 1000).toPrecision(3);
  const millions = (n) => `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} million`;

  // ---------- the list ----------
  async function loadList() {
    const list = $('dataset-list');
    const r = await call('/api/v1/datasets').catch((e) => ({ ok: false, status: 0, body: { detail: e.message } }));
    if (!r.ok) {
      list.replaceChildren(el('li', { class: 'muted' }, r.status === 404 ? 'This server hosts no datasets.' : `Datasets unavailable: ${problem(r)}`));
      return;
    }
    const items = r.body.items || [];
    if (!items.length) { list.replaceChildren(el('li', { class: 'muted' }, 'This server hosts no datasets yet.')); return; }
    list.replaceChildren(...items.map((d) => el('li', { class: 'dataset-card', 'data-dataset': d.id },
      // the middle slice's coarsest pyramid level: one tile showing the whole slice
      d.levels ? el('img', { class: 'dataset-thumb', alt: `Middle slice of ${d.name || d.id}`, loading: 'lazy',
        src: `/api/v1/datasets/${encodeURIComponent(d.id)}/tiles/${Math.floor((d.depth - 1) / 2)}/${d.levels - 1}/0_0.png` }) : null,
      el('div', { class: 'dataset-body' },
      el('div', { class: 'model-head' }, el('strong', {}, d.name || d.id),
        d.modality ? el('span', { class: 'tag' }, d.modality) : null, d.organism ? el('span', { class: 'tag alt' }, d.organism) : null),
      d.description ? el('p', { class: 'small' }, d.description) : null,
      el('dl', { class: 'card-facts' },
        el('dt', {}, 'Size'), el('dd', {}, sizeText(d)),
        el('dt', {}, 'Voxel size'), el('dd', {}, voxelText(d.voxelSize)),
        el('dt', {}, 'Licence'), el('dd', {}, d.licence || 'not stated'),
        el('dt', {}, 'Cite'), el('dd', {}, d.citation || 'not stated')),
      el('button', { type: 'button', class: 'primary small', 'data-open': d.id, 'aria-label': `Open ${d.name || d.id} in the viewer`,
        onclick: () => openDataset(d.id) }, 'Open in the viewer')))));
  }
  function sizeText(d) {
    const nm = d.voxelSize ? toNm(d.voxelSize) : null;
    const zNm = d.voxelSize && d.voxelSize.z ? toNm({ x: d.voxelSize.z, unit: d.voxelSize.unit }) : null;
    const phys = nm ? ` (${physical(d.width * nm)} × ${physical(d.height * nm)}${zNm ? ` × ${physical(d.depth * zNm)}` : ''})` : '';
    return `${d.width} × ${d.height} × ${d.depth} voxels${d.dtype ? `, ${d.dtype}` : ''}${phys}`;
  }
  function voxelText(v) {
    if (!v || !v.x) return 'not stated';
    return `${+Number(v.x).toPrecision(3)} × ${+Number(v.y || v.x).toPrecision(3)} × ${+Number(v.z || v.x).toPrecision(3)} ${v.unit || ''}`.trim();
  }

  // ---------- opening one: the viewer ----------
  async function openDataset(id, options = {}) {
    let OSD;
    try {
      const [card, lib] = await Promise.all([api(`/api/v1/datasets/${encodeURIComponent(id)}`), loadOpenSeadragon()]);
      OSD = lib;
      ds.card = card;
    } catch (e) { showError(`Cannot open the dataset: ${e.message}`); return; }
    const c = ds.card;
    state.source = 'dataset';
    state.dataset = c;
    $('dataset-list').hidden = true;
    $('dataset-view').hidden = false;
    $('d-name').textContent = c.name || c.id;
    $('d-facts').textContent = `${sizeText(c)}; voxel size ${voxelText(c.voxelSize)}${c.modality ? `; ${c.modality}` : ''}${c.organism ? `, ${c.organism}` : ''}`;
    $('d-meta').replaceChildren(el('dt', {}, 'Licence'), el('dd', {}, c.licence || 'not stated'),
      el('dt', {}, 'Cite'), el('dd', {}, c.citation || 'not stated'),
      el('dt', {}, 'Source'), el('dd', {}, c.source || 'not stated'));
    ds.z = Math.min(c.depth - 1, Math.max(0, options.z != null ? options.z : Math.floor((c.depth - 1) / 2)));
    $('d-z').max = c.depth - 1;
    $('d-z').value = ds.z;
    setupContrast(c);
    ds.layerOn = new Set();
    ds.result = null;
    ds.roi = options.roi || null;
    ds.boxOn = false;
    if (ds.viewer) { ds.viewer.destroy(); ds.viewer = null; }
    ds.items = new Map();
    const viewer = OSD({
      element: $('d-osd'), prefixUrl: `${OSD_BASE}images/`, showNavigator: true, navigatorPosition: 'TOP_RIGHT',
      navigatorSizeRatio: 0.18, maxZoomPixelRatio: 6, minZoomImageRatio: 0.8, visibilityRatio: 0.5,
      gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true }, showRotationControl: false,
      showFullPageControl: false, preserveImageSizeOnResize: true, placeholderFillStyle: '#222', timeout: 60000,
      imageSmoothingEnabled: false, // voxels stay sharp squares when zoomed in past full resolution
    });
    ds.viewer = viewer;
    viewer.addHandler('animation', drawScaleBar);
    viewer.addHandler('resize', drawScaleBar);
    viewer.addHandler('animation-finish', nearSoon);
    viewer.addHandler('canvas-key', onCanvasKey);
    ds.box = makeBox();
    let first = true;
    viewer.world.addHandler('add-item', () => {
      if (!first) return;
      first = false;
      // the box goes on once the image has a size in the viewport
      if (!ds.roi) centreRegion(); else setRegion(ds.roi);
      drawScaleBar();
      nearSoon();
    });
    redraw();
    renderLayers();
    showZ(ds.z);
    ctx.updateRun();
    if (!new URLSearchParams(location.search).get('job')) history.replaceState(null, '', `/?dataset=${encodeURIComponent(c.id)}`);
  }

  $('d-close').addEventListener('click', () => {
    if (ds.viewer) { ds.viewer.destroy(); ds.viewer = null; }
    ds.card = null; ds.roi = null; ds.result = null;
    state.source = state.upload ? 'upload' : null;
    state.dataset = null;
    $('dataset-view').hidden = true;
    $('dataset-list').hidden = false;
    history.replaceState(null, '', '/');
    ctx.updateRun();
  });

  // ---------- tiles: OSD's highest level is our level 0 (full resolution); each level halves x and y ----------
  function tileSource(urlOf) {
    const c = ds.card;
    const levels = Math.max(1, c.levels || 1);
    return {
      width: c.width, height: c.height, tileSize: c.tileSize || 256, tileOverlap: 0, minLevel: 0, maxLevel: levels - 1,
      getTileUrl: (level, col, row) => urlOf(levels - 1 - level, col, row),
    };
  }
  const datasetPath = () => `/api/v1/datasets/${encodeURIComponent(ds.card.id)}`;
  function baseUrl(z) {
    const q = ds.range ? `?min=${ds.range[0]}&max=${ds.range[1]}` : '';
    return (level, col, row) => `${datasetPath()}/tiles/${z}/${level}/${col}_${row}.png${q}`;
  }
  const layerUrl = (z, jobId, structure) => (level, col, row) =>
    `${datasetPath()}/layers/${encodeURIComponent(jobId)}/${encodeURIComponent(structure)}/tiles/${z}/${level}/${col}_${row}.png`;

  /**
   * (Re)builds what the viewer draws for the current slice and contrast: the dataset, then each shown layer. The new
   * images are added over the old ones, which are removed once the new slice is fully loaded: no black flash.
   */
  function redraw() {
    const v = ds.viewer;
    if (!v) return;
    const generation = ++ds.generation;
    const old = [...ds.items.values()];
    ds.items = new Map();
    const z = ds.z;
    let retired = false;
    const retire = () => {
      if (retired) return;
      retired = true;
      old.forEach((item) => v.world.removeItem(item));
    };
    v.addTiledImage({
      tileSource: tileSource(baseUrl(z)),
      success: (e) => {
        if (generation !== ds.generation) { v.world.removeItem(e.item); return; }
        ds.items.set('base', e.item);
        if (e.item.getFullyLoaded()) retire();
        else e.item.addHandler('fully-loaded-change', (f) => { if (f.fullyLoaded) retire(); });
        setTimeout(retire, 4000);
      },
      error: (e) => showError(`The dataset's tiles cannot be shown: ${e.message || 'unknown error'}`),
    });
    for (const key of ds.layerOn) addLayerItem(key, generation);
  }
  function addLayerItem(key, generation = ds.generation) {
    const [jobId, structure] = key.split('\n');
    ds.viewer.addTiledImage({
      tileSource: tileSource(layerUrl(ds.z, jobId, structure)),
      opacity: ds.layerOpacity.has(jobId) ? ds.layerOpacity.get(jobId) : 0.6,
      success: (e) => {
        if (generation !== ds.generation || !ds.layerOn.has(key)) { ds.viewer.world.removeItem(e.item); return; }
        ds.items.set(key, e.item);
      },
    });
  }

  // ---------- slices ----------
  function showZ(z) {
    const c = ds.card;
    ds.z = Math.min(c.depth - 1, Math.max(0, z));
    $('d-z').value = ds.z;
    $('d-z-out').textContent = `${ds.z + 1} / ${c.depth}`;
    placeBox();
    renderResultSlice();
  }
  const redrawSoon = debounce(redraw, 120);
  $('d-z').addEventListener('input', () => { showZ(Number($('d-z').value)); redrawSoon(); nearSoon(); });
  function stepZ(by) { if (!ds.card) return; showZ(ds.z + by); redrawSoon(); nearSoon(); }
  $('dataset-view').addEventListener('keydown', (e) => {
    if (e.target.closest('input[type=number], input[type=text]') || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '.' || e.key === 'PageDown') stepZ(1);
    else if (e.key === ',' || e.key === 'PageUp') stepZ(-1);
    else return;
    e.preventDefault();
  });
  function onCanvasKey(e) {
    // '0' shows the whole slice (OSD's own '0' goes home too, this keeps the box in view)
    const k = e.originalEvent && e.originalEvent.key;
    if (k === ',' || k === '.') e.preventDefaultAction = true;
  }

  // ---------- contrast: the tiles' min/max (grey values shown black and white) ----------
  function setupContrast(c) {
    const [lo, hi] = DTYPE_RANGE[c.dtype] || [null, null];
    const d = c.display || {};
    const dmin = d.min != null ? d.min : Array.isArray(d.range) ? d.range[0] : lo;
    const dmax = d.max != null ? d.max : Array.isArray(d.range) ? d.range[1] : hi;
    ds.defaultRange = dmin != null && dmax != null ? [dmin, dmax] : null;
    ds.range = null; // the server's default until the user moves a slider
    const min = lo != null ? lo : Math.min(0, dmin || 0);
    const max = hi != null ? hi : dmax != null ? dmax * 2 : 255;
    for (const id of ['d-min', 'd-max']) {
      $(id).min = min; $(id).max = max;
      $(id).step = max - min > 1000 ? Math.round((max - min) / 1000) : 1;
    }
    $('d-min').value = ds.defaultRange ? ds.defaultRange[0] : min;
    $('d-max').value = ds.defaultRange ? ds.defaultRange[1] : max;
    rangeText();
  }
  function rangeText() {
    $('d-range-out').textContent = `grey ${$('d-min').value} → black, ${$('d-max').value} → white`;
  }
  const contrastSoon = debounce(redraw, 300);
  ['d-min', 'd-max'].forEach((id) => $(id).addEventListener('input', () => {
    let lo = Number($('d-min').value);
    let hi = Number($('d-max').value);
    if (lo >= hi) { if (id === 'd-min') { lo = hi - Number($('d-min').step); $('d-min').value = lo; } else { hi = lo + Number($('d-max').step); $('d-max').value = hi; } }
    ds.range = [lo, hi];
    rangeText();
    contrastSoon();
  }));
  $('d-contrast-reset').addEventListener('click', () => { if (!ds.card) return; setupContrast(ds.card); redraw(); });

  // ---------- scale bar: a round physical length, about a fifth of the viewer's width ----------
  function drawScaleBar() {
    const bar = $('d-scale');
    const nm = nmPerVoxel('x');
    const v = ds.viewer;
    if (!nm || !v || !v.world.getItemCount()) { bar.hidden = true; return; }
    const containerWidth = v.container.clientWidth;
    const screenPerVoxel = (v.viewport.getZoom(true) * containerWidth) / ds.card.width;
    const target = (containerWidth / 5 / screenPerVoxel) * nm;
    const pow = 10 ** Math.floor(Math.log10(target));
    const nice = [1, 2, 5, 10].map((m) => m * pow).filter((x) => x <= target).pop() || pow;
    bar.hidden = false;
    bar.style.width = `${Math.max(8, (nice / nm) * screenPerVoxel)}px`;
    bar.dataset.label = physical(nice);
    bar.title = `Scale bar: ${bar.dataset.label}`;
  }

  // ---------- the region box ----------
  function makeBox() {
    const box = el('div', { class: 'd-box', 'aria-hidden': 'true' }, el('span', { class: 'd-box-label' }));
    for (const edge of ['n', 's', 'e', 'w', 'ne', 'nw', 'se', 'sw']) box.append(el('i', { class: `d-handle d-${edge}`, 'data-edge': edge }));
    return box;
  }
  const viewportRect = (r) => new window.OpenSeadragon.Rect(r.x / ds.card.width, r.y / ds.card.width, r.width / ds.card.width, r.height / ds.card.width);
  function placeBox() {
    const v = ds.viewer;
    if (!v || !ds.roi || !v.world.getItemCount()) return;
    const r = ds.roi;
    if (!ds.boxOn) { v.addOverlay({ element: ds.box, location: viewportRect(r) }); ds.boxOn = true; } else v.updateOverlay(ds.box, viewportRect(r));
    const inside = ds.z >= r.z && ds.z < r.z + r.depth;
    ds.box.classList.toggle('elsewhere', !inside);
    ds.box.querySelector('.d-box-label').textContent = `${r.width} × ${r.height} × ${r.depth}, slices ${r.z + 1}–${r.z + r.depth}${inside ? '' : ' (not this slice)'}`;
  }
  function clampRegion(r) {
    const c = ds.card;
    const out = { ...r };
    for (const [pos, size, max] of [['x', 'width', c.width], ['y', 'height', c.height], ['z', 'depth', c.depth]]) {
      out[size] = Math.max(1, Math.min(max, Math.round(out[size])));
      out[pos] = Math.max(0, Math.min(max - out[size], Math.round(out[pos])));
    }
    return out;
  }
  function setRegion(r, final = true) {
    ds.roi = clampRegion(r);
    state.source = 'dataset'; // working on the region makes it what the run buttons take
    placeBox();
    regionChanged(final);
  }
  function centreRegion() {
    const c = ds.card;
    const centre = ds.viewer.viewport.getCenter(true);
    const cx = centre.x * c.width;
    const cy = centre.y * c.width;
    const depth = Math.min(DEFAULT_BOX.depth, c.depth);
    setRegion({ x: cx - DEFAULT_BOX.width / 2, y: cy - DEFAULT_BOX.height / 2, z: ds.z - Math.floor(depth / 2), width: DEFAULT_BOX.width, height: DEFAULT_BOX.height, depth });
  }
  $('d-centre').addEventListener('click', () => { if (ds.viewer) centreRegion(); });
  $('d-show-region').addEventListener('click', () => {
    if (!ds.viewer || !ds.roi) return;
    ds.viewer.viewport.fitBoundsWithConstraints(viewportRect({ ...ds.roi, x: ds.roi.x - ds.roi.width * 0.1, y: ds.roi.y - ds.roi.height * 0.1, width: ds.roi.width * 1.2, height: ds.roi.height * 1.2 }));
    if (ds.z < ds.roi.z || ds.z >= ds.roi.z + ds.roi.depth) { showZ(ds.roi.z + Math.floor(ds.roi.depth / 2)); redraw(); }
  });
  const fields = { x: 'd-rx', y: 'd-ry', z: 'd-rz', width: 'd-rw', height: 'd-rh', depth: 'd-rd' };
  Object.entries(fields).forEach(([k, id]) => $(id).addEventListener('change', () => {
    if (!ds.roi) return;
    const v = Number($(id).value);
    if (!Number.isFinite(v)) return;
    setRegion({ ...ds.roi, [k]: k === 'z' ? v - 1 : v });
  }));

  function regionChanged(final) {
    const r = ds.roi;
    const c = ds.card;
    Object.entries(fields).forEach(([k, id]) => { if (document.activeElement !== $(id)) $(id).value = k === 'z' ? r[k] + 1 : r[k]; });
    $('d-rx').max = c.width - 1; $('d-ry').max = c.height - 1; $('d-rz').max = c.depth;
    $('d-rw').max = c.width; $('d-rh').max = c.height; $('d-rd').max = c.depth;
    const voxels = r.width * r.height * r.depth;
    const nx = nmPerVoxel('x'); const ny = nmPerVoxel('y') || nx; const nz = nmPerVoxel('z') || nx;
    $('d-region-size').replaceChildren(el('strong', {}, `${r.width} × ${r.height} × ${r.depth} voxels`),
      ` (${millions(voxels)})`, nx ? el('br') : null, nx ? `${inMicrons(r.width * nx)} × ${inMicrons(r.height * ny)} × ${inMicrons(r.depth * nz)} µm` : null,
      el('br'), el('span', { class: 'muted' }, `from x ${r.x}, y ${r.y}, slices ${r.z + 1} to ${r.z + r.depth}`));
    const over = voxels > PREVIEW_LIMIT;
    $('d-region-msg').hidden = !over;
    $('d-region-msg').textContent = over ? `Too large for a preview: ${millions(voxels)} voxels, a preview takes at most ${millions(PREVIEW_LIMIT)}`
      + ' (for example 2048 × 2048 × 16). Make the box smaller or use fewer slices — or run the whole dataset.' : '';
    if (final) { ctx.updateRun(); }
  }

  // pointer: on a handle resizes, inside the box moves it, shift-drag (anywhere) draws a new one; else OSD pans
  function imagePoint(e) {
    const rect = ds.viewer.container.getBoundingClientRect();
    const p = ds.viewer.viewport.viewerElementToViewportCoordinates(new window.OpenSeadragon.Point(e.clientX - rect.left, e.clientY - rect.top));
    return { x: p.x * ds.card.width, y: p.y * ds.card.width };
  }
  $('d-osd').addEventListener('pointerdown', (e) => {
    if (!ds.viewer || e.button !== 0 || !ds.card) return;
    const handle = e.target.closest('.d-handle');
    const inBox = e.target.closest('.d-box');
    const start = imagePoint(e);
    let mode = null;
    if (e.shiftKey) mode = 'draw';
    else if (handle) mode = handle.dataset.edge;
    else if (inBox) mode = 'move';
    if (!mode) return;
    e.stopPropagation(); // OSD's own tracker (on its canvas, inside) would pan
    e.preventDefault();
    if (mode === 'draw' && ds.roi == null) centreRegion();
    ds.drag = { mode, start, roi: { ...ds.roi } };
  }, true);
  window.addEventListener('pointermove', (e) => {
    const d = ds.drag;
    if (!d) return;
    const p = imagePoint(e);
    const dx = p.x - d.start.x;
    const dy = p.y - d.start.y;
    const r = { ...d.roi };
    if (d.mode === 'draw') {
      Object.assign(r, { x: Math.min(d.start.x, p.x), y: Math.min(d.start.y, p.y), width: Math.max(1, Math.abs(dx)), height: Math.max(1, Math.abs(dy)) });
      if (!(ds.z >= r.z && ds.z < r.z + r.depth)) r.z = ds.z - Math.floor(r.depth / 2);
    } else if (d.mode === 'move') {
      r.x += dx; r.y += dy;
    } else {
      if (d.mode.includes('e')) r.width = Math.max(1, d.roi.width + dx);
      if (d.mode.includes('s')) r.height = Math.max(1, d.roi.height + dy);
      if (d.mode.includes('w')) { const nx = Math.min(d.roi.x + d.roi.width - 1, d.roi.x + dx); r.width = d.roi.x + d.roi.width - nx; r.x = nx; }
      if (d.mode.includes('n')) { const ny = Math.min(d.roi.y + d.roi.height - 1, d.roi.y + dy); r.height = d.roi.y + d.roi.height - ny; r.y = ny; }
    }
    setRegion(r, false);
  });
  window.addEventListener('pointerup', () => { if (ds.drag) { ds.drag = null; regionChanged(true); } });

  // ---------- layers: whole-volume runs, each structure a tiled image over the dataset ----------
  function renderLayers() {
    const c = ds.card;
    const layers = [...(c.layers || [])].sort((a, b) => String(b.createdAt || '').localeCompare(String(a.createdAt || '')));
    const blocks = layers.map((l) => {
      const opacity = el('input', { type: 'range', min: '0', max: '1', step: '0.05', 'aria-label': `Opacity of ${(l.models || []).join(', ')}` });
      opacity.value = ds.layerOpacity.has(l.jobId) ? ds.layerOpacity.get(l.jobId) : 0.6;
      opacity.addEventListener('input', () => {
        ds.layerOpacity.set(l.jobId, Number(opacity.value));
        for (const [key, item] of ds.items) if (key.startsWith(`${l.jobId}\n`)) item.setOpacity(Number(opacity.value));
      });
      // a structure: {name, colour} (or, from older servers, just its name)
      const toggles = (l.structures || []).map((st, i) => {
        const s = st.name || st;
        const colour = st.colour || PALETTE[i % PALETTE.length];
        const key = `${l.jobId}\n${s}`;
        const box = el('input', { type: 'checkbox', 'data-layer': l.jobId, 'data-structure': s });
        box.checked = ds.layerOn.has(key);
        box.addEventListener('change', () => {
          if (box.checked) { ds.layerOn.add(key); addLayerItem(key); } else {
            ds.layerOn.delete(key);
            const item = ds.items.get(key);
            if (item) { ds.viewer.world.removeItem(item); ds.items.delete(key); }
          }
        });
        return el('label', { class: 'legend-item' }, box, el('span', { class: 'swatch', style: `background:${colour}` }), s);
      });
      const when = l.createdAt ? new Date(l.createdAt).toLocaleString() : '';
      return el('div', { class: 'd-layer', 'data-layer': l.jobId },
        el('div', {}, el('strong', {}, (l.models || []).join(' + ') || l.jobId), el('span', { class: 'muted small' }, ` whole dataset${when ? `, ${when}` : ''}`)),
        el('div', { class: 'd-layer-row' }, ...toggles, el('label', { class: 'small' }, 'opacity ', opacity)));
    });
    if (ds.result) blocks.unshift(resultBlock());
    $('d-layers').replaceChildren(...(blocks.length ? blocks : [el('p', { class: 'muted small' },
      'No results over this dataset yet. A preview shows in its box here; a run on the whole dataset becomes a layer.')]));
  }

  // ---------- a region preview's result, in place: its overlay slices drawn in the box, following the slice ----------
  function resultBlock() {
    const r = ds.result;
    const box = el('input', { type: 'checkbox', id: 'd-result-on' });
    box.checked = r.visible;
    box.addEventListener('change', () => { r.visible = box.checked; renderResultSlice(); });
    const opacity = el('input', { type: 'range', min: '0', max: '1', step: '0.05', id: 'd-result-opacity', 'aria-label': 'Opacity of the preview' });
    opacity.value = r.opacity;
    opacity.addEventListener('input', () => { r.opacity = Number(opacity.value); r.canvas.style.opacity = r.opacity; });
    const roi = r.roi;
    return el('div', { class: 'd-layer d-result-entry', 'data-job': r.id },
      el('div', {}, el('strong', {}, (r.settings.models || []).join(' + ')),
        el('span', { class: 'muted small' }, ` preview of ${roi.width} × ${roi.height} × ${roi.depth} at x ${roi.x}, y ${roi.y}, slices ${roi.z + 1}–${roi.z + roi.depth}`)),
      el('div', { class: 'd-layer-row' }, el('label', { class: 'legend-item' }, box, 'show'),
        ...(r.settings.structures || []).map((s) => el('span', { class: 'legend-item' }, el('span', { class: 'swatch', style: `background:${s.colour}` }), s.name)),
        el('label', { class: 'small' }, 'opacity ', opacity)));
  }
  async function showInPlace(job) {
    await ds.ready;
    if (!ds.viewer || !ds.card || ds.card.id !== job.datasetId || !job.roi) return;
    let settings;
    try { settings = await api(`/api/v1/jobs/${encodeURIComponent(job.id)}/settings`); } catch (e) { showError(`Cannot show the preview over the dataset: ${e.message}`); return; }
    if (ds.result) ds.viewer.removeOverlay(ds.result.canvas);
    const canvas = el('canvas', { class: 'd-result', 'aria-hidden': 'true', 'data-job': job.id, hidden: '' });
    ds.result = { id: job.id, roi: job.roi, settings, canvas, cache: new Map(), visible: true, opacity: 0.7 };
    canvas.style.opacity = ds.result.opacity;
    ds.viewer.addOverlay({ element: canvas, location: viewportRect(job.roi) });
    // the box stays on top of the result so it can still be moved
    if (ds.boxOn) { ds.viewer.removeOverlay(ds.box); ds.boxOn = false; placeBox(); }
    renderLayers();
    if (ds.z < job.roi.z || ds.z >= job.roi.z + job.roi.depth) { showZ(job.roi.z + Math.floor(job.roi.depth / 2)); redraw(); }
    await renderResultSlice();
    $('d-status').textContent = `The preview is drawn in its box (slices ${job.roi.z + 1}–${job.roi.z + job.roi.depth}); below, the result viewer shows it alone.`;
  }
  async function renderResultSlice() {
    const r = ds.result;
    if (!r) return;
    const k = ds.z - r.roi.z;
    if (!r.visible || k < 0 || k >= r.roi.depth) { r.canvas.hidden = true; return; }
    let pixels = r.cache.get(k);
    if (!pixels) {
      try { pixels = await maskedSlice(r, k); } catch (e) { r.canvas.hidden = true; return; }
      r.cache.set(k, pixels);
    }
    if (ds.result !== r || ds.z - r.roi.z !== k) return; // the user moved on meanwhile
    r.canvas.width = pixels.width;
    r.canvas.height = pixels.height;
    r.canvas.getContext('2d').putImageData(pixels, 0, 0);
    r.canvas.hidden = false;
    r.canvas.dataset.slice = String(k);
  }
  // the gateway's overlay at full opacity is each structure's exact colour where it reaches the threshold: keep only
  // those pixels, so the dataset shows through everywhere else
  async function maskedSlice(r, k) {
    const q = new URLSearchParams({ layer: 'overlay', opacity: '1', threshold: String(r.settings.threshold) });
    const img = new Image();
    img.src = `/api/v1/jobs/${encodeURIComponent(r.id)}/slices/${k}.png?${q}`;
    await img.decode();
    const c = document.createElement('canvas');
    c.width = img.naturalWidth; c.height = img.naturalHeight;
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0);
    const data = g.getImageData(0, 0, c.width, c.height);
    const cols = (r.settings.structures || []).map((s) => [1, 3, 5].map((i) => parseInt(s.colour.slice(i, i + 2), 16)));
    const d = data.data;
    for (let i = 0; i < d.length; i += 4) {
      const hit = cols.some((col) => Math.abs(d[i] - col[0]) <= 2 && Math.abs(d[i + 1] - col[1]) <= 2 && Math.abs(d[i + 2] - col[2]) <= 2);
      d[i + 3] = hit ? 255 : 0;
    }
    return data;
  }

  // ---------- previous results near the view's centre (if the server offers the search) ----------
  async function loadNear() {
    if (!ds.nearAvailable || !ds.viewer || !ds.card || !ds.viewer.world.getItemCount()) return;
    const centre = ds.viewer.viewport.getCenter(true);
    const x = Math.round(Math.max(0, Math.min(ds.card.width - 1, centre.x * ds.card.width)));
    const y = Math.round(Math.max(0, Math.min(ds.card.height - 1, centre.y * ds.card.width)));
    const q = new URLSearchParams({ datasetId: ds.card.id, x, y, z: ds.z });
    const r = await call(`/api/v1/jobs?${q}`).catch(() => null);
    if (!r) return;
    if (r.status === 404 || r.status === 405) { ds.nearAvailable = false; $('d-near-wrap').hidden = true; return; }
    $('d-near-wrap').hidden = false;
    if (!r.ok) { $('d-near').replaceChildren(el('li', { class: 'muted small' }, `Cannot list them now: ${problem(r)}`)); return; }
    const items = (r.body && r.body.items) || [];
    $('d-near').replaceChildren(...(items.length ? items.slice(0, 8).map(nearItem)
      : [el('li', { class: 'muted small' }, 'None near here yet.')]));
  }
  const nearSoon = debounce(loadNear, 600);
  function nearItem(j) {
    const roi = j.roi;
    const where = roi ? `${roi.width} × ${roi.height} × ${roi.depth} at x ${roi.x}, y ${roi.y}, slices ${roi.z + 1}–${roi.z + roi.depth}` : 'the whole dataset';
    const when = j.finishedAt || j.submittedAt || j.createdAt;
    const nm = nmPerVoxel('x');
    const away = j.distance == null ? '' : j.distance === 0 ? 'here; ' : `${nm ? physical(j.distance * nm) : `${j.distance} voxels`} away; `;
    return el('li', { 'data-job': j.id },
      el('button', { type: 'button', class: 'link', onclick: () => openJob(j), title: 'Open this result' }, (j.models || []).join(' + ') || j.id),
      el('span', { class: 'small muted' }, ` ${where}; ${away}${String(j.state || '').toLowerCase()}${when ? `, ${new Date(when).toLocaleString()}` : ''}`));
  }
  function openJob(j) {
    ds.job = { id: j.id, roi: j.roi || null, datasetId: ds.card.id };
    state.job = { id: j.id };
    state.jobKind = j.roi ? 'region' : 'full';
    if (j.roi) {
      ds.viewer.viewport.fitBoundsWithConstraints(viewportRect({ ...j.roi, x: j.roi.x - j.roi.width * 0.1, y: j.roi.y - j.roi.height * 0.1, width: j.roi.width * 1.2, height: j.roi.height * 1.2 }));
    }
    const roi = j.roi ? `&roi=${[j.roi.x, j.roi.y, j.roi.z, j.roi.width, j.roi.height, j.roi.depth].join(',')}` : '';
    history.replaceState(null, '', `/?dataset=${encodeURIComponent(ds.card.id)}${roi}&job=${encodeURIComponent(j.id)}`);
    ctx.watch(j.id, null);
  }

  // ---------- running: a preview of the region, or the whole dataset ----------
  const regionBody = () => ({ ...ctx.settings(), input: { datasetId: ds.card.id, roi: { ...ds.roi } } });
  const fullBody = () => ({ ...ctx.settings(), input: { datasetId: ds.card.id } });
  function regionProblem() {
    if (!ds.roi) return 'Choose a region in the viewer first.';
    const voxels = ds.roi.width * ds.roi.height * ds.roi.depth;
    if (voxels > PREVIEW_LIMIT) return `The region is too large for a preview (${millions(voxels)} voxels; at most ${millions(PREVIEW_LIMIT)}).`;
    return null;
  }
  /** The run buttons and estimate while the input is a dataset (called by the page's updateRun). */
  function updateRun() {
    const models = state.models.size;
    const bad = regionProblem();
    $('run-source').hidden = false;
    $('run-source').textContent = ds.roi ? `Input: the region ${ds.roi.width} × ${ds.roi.height} × ${ds.roi.depth} of ${ds.card.name || ds.card.id}` : `Input: ${ds.card.name || ds.card.id}`;
    $('run-region').disabled = !models || !!bad;
    $('run-full').disabled = !models;
    $('run-hint').textContent = !models ? 'Choose at least one model.' : bad || '';
    if (!models || bad) { $('estimate').textContent = bad ? '' : 'Pick a model to see how long it takes.'; return; }
    estimateSoon();
  }
  const estimateSoon = debounce(async () => {
    if (!ds.card || !ds.roi || !state.models.size) return;
    const voxels = ds.roi.width * ds.roi.height * ds.roi.depth;
    const est = ds.estimateAvailable ? await postJson('/api/v1/jobs/estimate', regionBody()).catch(() => null) : null;
    if (est && est.status === 404) ds.estimateAvailable = false;
    if (est && est.ok && est.body) {
      $('estimate').textContent = `Estimated time: about ${fmtTime(est.body.seconds)} for ${millions(voxels)} voxels (${est.body.tiles} tiles; ${est.body.basis}).`;
    } else {
      const views = { none: 1, fast: 2, standard: 4, full: 8 }[ctx.settings().augmentation] || 1;
      const seconds = 8 + ((voxels / 1e6) * state.models.size * views) / 1.0;
      $('estimate').textContent = `Estimated time: about ${fmtTime(seconds)} for ${millions(voxels)} voxels (a rough guide).`;
    }
  }, 400);

  $('run-region').addEventListener('click', async () => {
    const bad = regionProblem();
    if (bad) { $('run-hint').textContent = bad; return; }
    $('run-region').disabled = true;
    const body = regionBody();
    const r = await postJson('/api/v1/jobs', body).catch((e) => ({ ok: false, status: 0, body: { detail: e.message } }));
    if (!r.ok) {
      showError(`The preview was not started: ${problem(r)}`);
      $('d-region-msg').hidden = false;
      $('d-region-msg').textContent = `Not started: ${problem(r)}`;
      updateRun();
      return;
    }
    $('d-region-msg').hidden = true;
    ds.job = { id: r.body.id, roi: body.input.roi, datasetId: ds.card.id };
    state.job = r.body;
    state.jobKind = 'region';
    $('d-status').textContent = 'Preview running: see its progress below; the result will be drawn in the box.';
    const roi = body.input.roi;
    history.replaceState(null, '', `/?dataset=${encodeURIComponent(ds.card.id)}&roi=${[roi.x, roi.y, roi.z, roi.width, roi.height, roi.depth].join(',')}`
      + `&job=${r.body.id}&share=${encodeURIComponent(r.body.shareUrl || '')}`);
    ctx.watch(r.body.id, r.body.shareUrl);
    updateRun();
  });

  $('run-full').addEventListener('click', async () => {
    const c = ds.card;
    const body = fullBody();
    const voxels = c.width * c.height * c.depth;
    $('full-text').textContent = 'Estimating how long it takes…';
    $('full-dialog').showModal();
    let when = 'This server gives no time estimate.';
    if (ds.estimateAvailable) {
      const est = await postJson('/api/v1/jobs/estimate', body).catch(() => null);
      if (est && est.status === 404) ds.estimateAvailable = false;
      else if (est && est.ok) when = `Expected time: about ${fmtTime(est.body.seconds)} (${est.body.tiles} tiles; ${est.body.basis}).`;
      else if (est) when = `No estimate: ${problem(est)}.`;
    }
    $('full-text').replaceChildren(el('strong', {}, body.models.join(' + ')), ` on all of ${c.name || c.id}: ${c.width} × ${c.height} × ${c.depth} voxels (${millions(voxels)}). `, el('br'), when);
  });
  $('full-cancel').addEventListener('click', () => $('full-dialog').close());
  $('full-confirm').addEventListener('click', async () => {
    $('full-dialog').close();
    const r = await postJson('/api/v1/jobs', fullBody()).catch((e) => ({ ok: false, status: 0, body: { detail: e.message } }));
    if (!r.ok) { showError(`The run was not started: ${problem(r)}`); return; }
    ds.job = { id: r.body.id, roi: null, datasetId: ds.card.id };
    state.job = r.body;
    state.jobKind = 'full';
    $('d-status').textContent = 'Running on the whole dataset: see its progress below; its layer appears here when it is done.';
    history.replaceState(null, '', `/?dataset=${encodeURIComponent(ds.card.id)}&job=${r.body.id}`);
    ctx.watch(r.body.id, r.body.shareUrl);
  });

  /** A job succeeded: a full run's layer is added to the list (and shown); a region preview is drawn in place. */
  async function jobDone(status) {
    let job = ds.job && ds.job.id === status.id ? ds.job : null;
    if (!job && ds.card) {
      // a job opened some other way (its address, say): its settings say where its pixels came from
      const input = await api(`/api/v1/jobs/${encodeURIComponent(status.id)}/settings`).then((st) => st.input).catch(() => null);
      if (input && input.datasetId === ds.card.id) job = ds.job = { id: status.id, roi: input.roi || null, datasetId: input.datasetId };
    }
    if (!job) return false;
    // it is one of the previous results now, once the catalogue has indexed its end (within seconds)
    [1000, 4000, 10000].forEach((ms) => setTimeout(loadNear, ms));
    if (!job.roi) {
      try {
        const card = await api(`/api/v1/datasets/${encodeURIComponent(job.datasetId)}`);
        if (ds.card && ds.card.id === card.id) {
          ds.card.layers = card.layers;
          const layer = (card.layers || []).find((l) => l.jobId === status.id);
          if (layer) (layer.structures || []).forEach((st) => { const key = `${layer.jobId}\n${st.name || st}`; if (!ds.layerOn.has(key)) { ds.layerOn.add(key); addLayerItem(key); } });
          renderLayers();
          $('d-status').textContent = layer ? 'The run on the whole dataset is done: its layer is shown (see Layers).'
            : 'The run is done, but the dataset does not list its layer yet; reopen the dataset in a moment.';
          $('step-datasets').scrollIntoView({ behavior: 'smooth', block: 'start' });
        }
      } catch (e) { showError(`The run is done but the dataset cannot be read: ${e.message}`); }
      return true;
    }
    showInPlace(job);
    return false;
  }

  // ---------- start ----------
  loadList();
  // an address names a dataset, and after a preview its region and job: reopening it shows the result in place again
  const q = new URLSearchParams(location.search);
  if (q.get('dataset')) {
    const roi = (q.get('roi') || '').split(',').map(Number);
    const region = roi.length === 6 && roi.every(Number.isInteger) ? { x: roi[0], y: roi[1], z: roi[2], width: roi[3], height: roi[4], depth: roi[5] } : null;
    if (q.get('job')) {
      ds.job = { id: q.get('job'), roi: region, datasetId: q.get('dataset') };
      state.jobKind = region ? 'region' : null;
    }
    ds.ready = openDataset(q.get('dataset'), { z: region ? region.z + Math.floor(region.depth / 2) : q.get('z') != null ? Number(q.get('z')) : null, roi: region });
  }
  return { updateRun, jobDone, active: () => !!ds.card };
}
