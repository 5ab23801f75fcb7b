// otpmap report: draws the embedded otpmap.report/1 document. Every text
// from the project goes into the page as a text node or an attribute value,
// never as markup.
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('otpmap-data').textContent);
  var SVG_NS = document.getElementById('svg-template').namespaceURI;
  var scan = D.scan || {}, tree = D.tree || {}, lint = D.lint || {}, graph = D.graph || { nodes: [], edges: [] };
  var apps = scan.apps || [];
  var appByName = {};
  apps.forEach(function (a) { if (!appByName[a.name]) appByName[a.name] = a; });
  var treesByApp = {};
  (tree.trees || []).forEach(function (t) { (treesByApp[t.app] = treesByApp[t.app] || []).push(t); });
  var graphNode = {};
  graph.nodes.forEach(function (n) { graphNode[n.name] = n; });

  // ---------- small DOM helpers ----------
  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v;
      else if (k.slice(0, 2) === 'on') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    });
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function add(e, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(e, x); }); return; }
    e.appendChild(typeof c === 'object' ? c : document.createTextNode(shown(String(c))));
  }
  // Control characters and invisible ones (bidirectional overrides,
  // zero-width) are shown as \u{...}, as the terminal output shows them.
  function shown(s) {
    return s.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, function (ch) {
      return '\\u{' + ch.charCodeAt(0).toString(16).toUpperCase() + '}';
    });
  }
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  // A <details> whose content is built the first time it opens: long
  // lists cost nothing until someone looks at them.
  function lazyDetails(attrs, summary, fill, open) {
    var d = el('details', attrs, el('summary', null, summary));
    var filled = false;
    function fillOnce() { if (!filled && d.open) { filled = true; fill(d); } }
    d.addEventListener('toggle', fillOnce);
    if (open) { d.open = true; fillOnce(); }
    return d;
  }
  function plural(n, one, many) { return n + ' ' + (n === 1 ? one : (many || one + 's')); }
  function appLink(name) {
    if (appByName[name]) return el('a', { href: '#app/' + encodeURIComponent(name), 'class': 'mono' }, name);
    return el('span', { 'class': 'mono muted' }, name);
  }
  function sevBadge(s) { return el('span', { 'class': 'badge sev-' + s }, s); }

  // A location: a link when --source-url was given, else file:line text.
  function loc(file, line) {
    if (!file) return null;
    var text = line ? file + ':' + line : file;
    if (!D.source_url) return el('span', { 'class': 'loc' }, text);
    var path = (D.source_prefix || '') + file;
    var href = D.source_url.split('{rev}').join(encodeURIComponent(D.revision || 'HEAD'))
      .split('{path}').join(path.split('/').map(encodeURIComponent).join('/'))
      .split('{line}').join(String(line || 1));
    return el('a', { 'class': 'loc', href: href, target: '_blank', rel: 'noopener noreferrer' }, text);
  }

  // The application a file belongs to: the longest app folder holding it.
  var appDirs = apps.map(function (a) { return a; }).sort(function (x, y) { return y.dir.length - x.dir.length; });
  function appOfFile(file) {
    if (!file) return null;
    for (var i = 0; i < appDirs.length; i++) {
      var d = appDirs[i].dir;
      if (d === '.' || d === '' || file.indexOf(d + '/') === 0) return appDirs[i].name;
    }
    return null;
  }

  // ---------- walking the trees ----------
  function eachNode(n, f, parents) {
    parents = parents || [];
    f(n, parents);
    (n.children || []).forEach(function (c) { eachNode(c, f, parents.concat([n])); });
  }
  var supervisorsOf = {};
  (tree.trees || []).forEach(function (t) {
    eachNode(t.root, function (n) { if (n.children) supervisorsOf[t.app] = (supervisorsOf[t.app] || 0) + 1; });
  });
  var findingsOf = {};
  (lint.findings || []).forEach(function (f) {
    f._app = appOfFile(f.file);
    var k = f._app || '';
    findingsOf[k] = (findingsOf[k] || 0) + 1;
  });

  // Vendored (the project's own, under deps/), fetched, or the project's.
  function origin(a) {
    if (a.origin === 'dep') return 'fetched';
    var vendored = (scan.dep_folders || []).some(function (f) {
      return f.status === 'vendored' && (a.dir === f.dir || a.dir.indexOf(f.dir + '/') === 0);
    });
    return vendored ? 'vendored' : 'project';
  }

  // ---------- layout of the page ----------
  var root = document.getElementById('app');
  var navLinks = {};
  function navLink(hash, label) { return navLinks[hash] = el('a', { href: '#' + hash }, label); }
  var searchInput = el('input', { id: 'search', type: 'search', placeholder: 'Search applications, modules, supervisors, names', autocomplete: 'off', 'aria-label': 'Search' });
  var searchList = el('ul', { id: 'search-results', hidden: true });
  root.appendChild(el('header', null,
    el('h1', null, (D.project || 'project') + ' \u2014 otpmap report'),
    el('nav', null, navLink('overview', 'Overview'), navLink('graph', 'Application graph'),
      navLink('lint', 'Lint findings (' + (lint.findings || []).length + ')'),
      navLink('diagnostics', 'Diagnostics (' + (D.diagnostics || []).length + ')')),
    el('div', { id: 'search-box' }, searchInput, searchList)));
  var main = el('main');
  root.appendChild(main);
  var sections = {};
  function section(key, title) {
    var s = el('section', { id: 'section-' + key, hidden: true });
    if (title) s.appendChild(el('h2', null, title));
    sections[key] = s;
    main.appendChild(s);
    return s;
  }

  // ---------- overview ----------
  function count(n, label) { return el('div', { 'class': 'count' }, el('b', null, String(n)), el('span', null, label)); }
  function overview() {
    var s = section('overview', 'Overview');
    var own = apps.filter(function (a) { return a.origin !== 'dep'; });
    var modules = apps.reduce(function (m, a) { return m + (a.modules || []).length; }, 0);
    var sups = Object.keys(supervisorsOf).reduce(function (m, k) { return m + supervisorsOf[k]; }, 0);
    var sev = { error: 0, warning: 0, info: 0 };
    (D.diagnostics || []).forEach(function (d) { sev[d.severity] = (sev[d.severity] || 0) + 1; });
    var ls = lint.summary || {};
    s.appendChild(el('div', { 'class': 'counts' },
      count(own.length, 'applications'),
      count(own.filter(function (a) { return a.kind === 'regular'; }).length, 'regular (with a tree)'),
      count(own.filter(function (a) { return a.kind === 'library'; }).length, 'libraries'),
      count(modules, 'modules'), count(sups, 'supervisors'),
      count((scan.releases || []).length, 'releases'),
      count((scan.deps || []).length, 'declared dependencies'),
      count(ls.findings || 0, 'lint findings'),
      count((D.diagnostics || []).length, 'diagnostics (' + sev.error + ' errors, ' + sev.warning + ' warnings)')));
    s.appendChild(el('p', null, 'Layout: ', el('b', null, scan.layout || 'unknown'),
      (scan.projects || []).length > 1 ? ' \u2014 ' + plural(scan.projects.length, 'project') : '',
      D.revision ? el('span', { 'class': 'muted' }, ' \u2014 revision ' + D.revision) : ''));
    if ((scan.projects || []).length > 1 && scan.projects.length <= 30) {
      s.appendChild(el('ul', { 'class': 'chips' }, scan.projects.map(function (p) {
        return el('li', { 'class': 'chip' }, p.dir + ' (' + p.layout + ', ' + p.build_tool + ')');
      })));
    }
    s.appendChild(el('h3', null, 'Applications'));
    var t = el('table', null, el('tr', null, ['application', 'version', 'kind', 'origin', 'folder', 'supervisors', 'findings', 'description'].map(function (h) { return el('th', null, h); })));
    apps.forEach(function (a) {
      t.appendChild(el('tr', { 'data-app-row': a.name },
        el('td', null, appLink(a.name)), el('td', { 'class': 'mono' }, a.vsn || ''),
        el('td', null, a.kind), el('td', null, origin(a)), el('td', { 'class': 'loc' }, a.dir),
        el('td', { 'class': 'num' }, String(supervisorsOf[a.name] || 0)),
        el('td', { 'class': 'num' }, String(findingsOf[a.name] || 0)),
        el('td', null, a.description || '')));
    });
    s.appendChild(t);
    s.appendChild(el('h3', null, 'Releases'));
    if (!(scan.releases || []).length) s.appendChild(el('p', { 'class': 'note' }, 'No release is defined (relx, reltool or .rel).'));
    (scan.releases || []).forEach(function (r) {
      s.appendChild(el('h4', null, r.name + ' ', el('span', { 'class': 'vsn' }, r.vsn || ''), ' ', loc(r.file, r.line)));
      s.appendChild(el('div', null, 'Applications: ', el('ul', { 'class': 'chips' }, (r.apps || []).map(function (a) {
        return el('li', { 'class': 'chip' }, appLink(a.name), ' ', el('span', { 'class': 'muted' }, a.type));
      }))));
      s.appendChild(el('div', null, 'Boot order: ', el('ol', { 'class': 'chips' }, (r.boot_order || []).map(function (n) {
        return el('li', { 'class': 'chip' + (appByName[n] ? '' : ' otp') }, appLink(n));
      }))));
    });
    s.appendChild(el('h3', null, 'Diagnostics'));
    s.appendChild(el('p', null, sev.error + ' errors, ' + sev.warning + ' warnings, ' + sev.info + ' notes: things otpmap could not read or resolve. ',
      el('a', { href: '#diagnostics' }, 'See them all')));
  }

  // ---------- application graph ----------
  var PALETTE = ['#ddf4ff', '#dafbe1', '#fff8c5', '#ffebe9', '#fbefff', '#ffefd7', '#e0f7f5', '#f0e6ff', '#e8f0d8', '#fde2ef'];
  var graphState = { otp: false, dep: false, all: false, colour: 'folder' };
  var FOLD = { otp: 'OTP', dep: 'third-party' };
  function foldKey(n) {
    if (n.source === 'project') return n.name;
    var g = n.source === 'otp' ? 'otp' : 'dep';
    return graphState[g] ? n.name : '\u0000' + g;
  }
  function graphModel() {
    var nodes = {}, order = [];
    graph.nodes.forEach(function (n) {
      var k = foldKey(n);
      if (!nodes[k]) {
        var g = k.charAt(0) === '\u0000' ? k.slice(1) : null;
        nodes[k] = { key: k, name: g ? FOLD[g] : n.name, folded: g, members: [], src: n };
        order.push(k);
      }
      nodes[k].members.push(n.name);
    });
    var seen = {}, edges = [];
    graph.edges.forEach(function (e) {
      var a = foldKey(graphNode[e.from] || { name: e.from, source: 'missing' });
      var b = foldKey(graphNode[e.to] || { name: e.to, source: 'missing' });
      if (a === b || !nodes[a] || !nodes[b] || seen[a + '\u0001' + b]) return;
      seen[a + '\u0001' + b] = true;
      edges.push({ from: a, to: b, kind: e.kind });
    });
    return { nodes: nodes, order: order, edges: edges };
  }
  // An edge is implied when its target is reachable from its source
  // along a longer path: hidden by default (transitive reduction).
  function reduce(m) {
    var out = {};
    m.edges.forEach(function (e) { (out[e.from] = out[e.from] || []).push(e.to); });
    return m.edges.filter(function (e) {
      var stack = (out[e.from] || []).filter(function (x) { return x !== e.to; }), seen = {};
      seen[e.from] = true;
      while (stack.length) {
        var x = stack.pop();
        if (x === e.to) return false;
        if (seen[x]) continue;
        seen[x] = true;
        (out[x] || []).forEach(function (y) { if (!seen[y]) stack.push(y); });
      }
      return true;
    });
  }
  function layout(m, edges) {
    // Columns by dependency depth (the longest chain of what an app
    // needs), so an app sits just left of the deepest thing it needs.
    var depth = {}, keys = m.order, n = keys.length;
    keys.forEach(function (k) { depth[k] = 0; });
    for (var pass = 0, changed = true; changed && pass < n; pass++) {
      changed = false;
      edges.forEach(function (e) {
        if (depth[e.from] < depth[e.to] + 1 && depth[e.to] + 1 < n) { depth[e.from] = depth[e.to] + 1; changed = true; }
      });
    }
    var maxDepth = 0;
    keys.forEach(function (k) { maxDepth = Math.max(maxDepth, depth[k]); });
    var layer = {};
    // Folded groups go last: everything leans on them.
    keys.forEach(function (k) { layer[k] = m.nodes[k].folded ? maxDepth + 1 : maxDepth - depth[k]; });
    var layers = [];
    keys.forEach(function (k) { (layers[layer[k]] = layers[layer[k]] || []).push(k); });
    layers = layers.filter(Boolean);
    var groupOf = function (k) { return (m.nodes[k].src.group || '') + '\u0001' + k; };
    layers.forEach(function (l) { l.sort(function (a, b) { return groupOf(a) < groupOf(b) ? -1 : 1; }); });
    var preds = {}, succs = {};
    edges.forEach(function (e) { (preds[e.to] = preds[e.to] || []).push(e.from); (succs[e.from] = succs[e.from] || []).push(e.to); });
    var pos = {};
    function index() { layers.forEach(function (l) { l.forEach(function (k, i) { pos[k] = i; }); }); }
    index();
    for (var sweep = 0; sweep < 6; sweep++) {
      var down = sweep % 2 === 0;
      var ls = down ? layers.slice(1) : layers.slice(0, -1).reverse();
      ls.forEach(function (l) {
        var bary = {};
        l.forEach(function (k) {
          var ns = (down ? preds[k] : succs[k]) || [];
          bary[k] = ns.length ? ns.reduce(function (s, x) { return s + pos[x]; }, 0) / ns.length : pos[k];
        });
        l.sort(function (a, b) { return bary[a] - bary[b] || (a < b ? -1 : 1); });
        l.forEach(function (k, i) { pos[k] = i; });
      });
    }
    var ROW = 28, GAP = 90, x = 20, coords = {}, height = 0;
    layers.forEach(function (l) {
      var w = 0;
      l.forEach(function (k) { w = Math.max(w, width(m.nodes[k])); });
      l.forEach(function (k, i) { coords[k] = { x: x, y: 20 + i * ROW, w: width(m.nodes[k]) }; });
      height = Math.max(height, 20 + l.length * ROW);
      x += w + GAP;
    });
    return { coords: coords, width: x, height: height + 10 };
  }
  function label(n) { return n.folded ? n.name + ' (' + n.members.length + ' apps) +' : n.name; }
  function width(n) { return 16 + label(n).length * 7; }
  function colourKey(n) {
    if (n.folded) return null;
    if (graphState.colour === 'release') return (n.src.releases || [])[0] || '(no release)';
    if (n.src.source !== 'project') return '(' + n.src.source + ')';
    return n.src.group || '(top)';
  }
  function drawGraph(holder, info, legend) {
    var m = graphModel();
    var reduced = reduce(m);
    var edges = graphState.all ? m.edges : reduced;
    var L = layout(m, edges);
    var colours = {}, used = [];
    m.order.forEach(function (k) {
      var c = colourKey(m.nodes[k]);
      if (c !== null && !(c in colours)) { colours[c] = PALETTE[used.length % PALETTE.length]; used.push(c); }
    });
    var s = svg('svg', { 'class': 'graph', width: L.width, height: L.height, viewBox: '0 0 ' + L.width + ' ' + L.height, role: 'img' });
    var edgeEls = {};
    edges.forEach(function (e) {
      var a = L.coords[e.from], b = L.coords[e.to];
      var x1 = a.x + a.w, y1 = a.y + 10, x2 = b.x, y2 = b.y + 10, mx = (x1 + x2) / 2;
      var p = svg('path', { d: 'M' + x1 + ',' + y1 + ' C' + mx + ',' + y1 + ' ' + mx + ',' + y2 + ' ' + x2 + ',' + y2,
        'class': 'edge' + (e.kind === 'included_applications' ? ' included' : e.kind === 'optional_applications' ? ' optional' : '') });
      p.appendChild(svg('title')).textContent = shown(m.nodes[e.from].name + ' needs ' + m.nodes[e.to].name);
      s.appendChild(p);
      (edgeEls[e.from] = edgeEls[e.from] || []).push(p);
      (edgeEls[e.to] = edgeEls[e.to] || []).push(p);
    });
    m.order.forEach(function (k) {
      var n = m.nodes[k], c = L.coords[k];
      var g = svg('g', { 'class': 'node' + (n.folded ? ' folded' : ''), transform: 'translate(' + c.x + ',' + c.y + ')', 'data-node': n.folded ? '' : n.name, tabindex: 0 });
      var ck = colourKey(n);
      g.appendChild(svg('rect', { width: c.w, height: 20, fill: ck === null ? '#eaeef2' : colours[ck] }));
      g.appendChild(svg('text', { x: 8, y: 10 })).textContent = shown(label(n));
      g.appendChild(svg('title')).textContent = shown(n.folded ? n.members.join(', ') + ' \u2014 click to show them' : n.name + (n.src.vsn ? ' ' + n.src.vsn : '') + ' (' + n.src.source + ')');
      g.addEventListener('click', function () {
        if (n.folded) { graphState[n.folded] = true; drawGraph(holder, info, legend); }
        else if (appByName[n.name]) location.hash = '#app/' + encodeURIComponent(n.name);
      });
      g.addEventListener('mouseenter', function () { (edgeEls[k] || []).forEach(function (p) { p.classList.add('hot'); }); });
      g.addEventListener('mouseleave', function () { (edgeEls[k] || []).forEach(function (p) { p.classList.remove('hot'); }); });
      s.appendChild(g);
    });
    holder.textContent = '';
    holder.appendChild(s);
    info.textContent = plural(m.order.length, 'node') + ', ' + plural(edges.length, 'edge') +
      (graphState.all ? '' : ' (' + (m.edges.length - reduced.length) + ' implied by a longer path hidden)') +
      '. Dependencies are to the right; click an application for its page, a grey box to unfold it.';
    legend.textContent = '';
    used.forEach(function (c) { legend.appendChild(el('span', null, el('i', { style: 'background:' + colours[c] }), c)); });
  }
  function graphSection() {
    var s = section('graph', 'Application graph');
    var holder = el('div', { 'class': 'graph-wrap' }), info = el('p', { 'class': 'note' }), legend = el('div', { 'class': 'legend' });
    function box(key, text) {
      var c = el('input', { type: 'checkbox', onchange: function () { graphState[key] = c.checked; drawGraph(holder, info, legend); } });
      c.checked = graphState[key];
      return el('label', null, c, ' ' + text);
    }
    var colour = el('select', { onchange: function () { graphState.colour = colour.value; drawGraph(holder, info, legend); } },
      el('option', { value: 'folder' }, 'folder'), el('option', { value: 'release' }, 'release'));
    s.appendChild(el('div', { 'class': 'graph-tools' }, box('otp', 'show OTP applications'), box('dep', 'show third-party applications'),
      box('all', 'show implied edges'), el('label', null, 'colour by ', colour)));
    s.appendChild(info);
    s.appendChild(legend);
    s.appendChild(holder);
    drawGraph(holder, info, legend);
  }

  // ---------- supervision trees ----------
  var nodeEls = [];
  function attr(name, value) { return value === null || value === undefined ? null : el('span', { 'class': 'attr' }, name + ' ', el('b', null, String(value))); }
  function nodeLabel(n, t) {
    var sup = !!n.children;
    var kind = sup ? 'S' : n.type === 'worker' ? 'W' : '?';
    var parts = [el('span', { 'class': 'kind' + (sup ? '' : n.type === 'worker' ? ' worker' : ' unknown'), title: sup ? 'supervisor' : (n.type || 'unknown type') }, kind),
      el('span', { 'class': 'id' }, n.id)];
    if (n.module && n.module !== n.id) parts.push(attr('module', n.module));
    if (n.behaviour && !(sup && n.behaviour === 'supervisor')) parts.push(attr('behaviour', n.behaviour));
    if (sup) parts.push(attr('strategy', n.strategy || '?'), attr('intensity/period', (n.intensity === null || n.intensity === undefined ? '?' : n.intensity) + '/' + (n.period === null || n.period === undefined ? '?' : n.period) + 's'));
    parts.push(attr('restart', n.restart), attr('shutdown', n.shutdown));
    // The badge says supervisor or worker; only a type it cannot show is written.
    if (n.type && n.type !== (sup ? 'supervisor' : 'worker')) parts.push(attr('type', n.type));
    if (n.name) parts.push(attr('name', n.name));
    if (n.dynamic) parts.push(el('span', { 'class': 'attr dyn' }, 'dynamic: started by start_child'));
    if (n.conditional) parts.push(el('span', { 'class': 'attr cond' }, 'only when ' + (n.condition || '?') + (n.in_default_build === false ? ' (not in the default build)' : '')));
    if (n.computed) parts.push(el('span', { 'class': 'attr comp' }, 'computed: ' + n.computed));
    if (n.unresolved) parts.push(el('span', { 'class': 'attr unres' }, 'unresolved: ' + n.unresolved));
    if (n.partial) parts.push(el('span', { 'class': 'attr unres' }, 'partial: ' + n.partial));
    parts.push(' ', loc(n.file, n.line));
    if (n.init) parts.push(el('span', { 'class': 'attr' }, 'init/1 ', loc(n.init.file, n.init.line)));
    return parts;
  }
  function crashPanel(n, t) {
    var c = n.crash, p = el('div', { 'class': 'crash-panel' });
    if (!c) { p.appendChild(el('p', null, 'Not known: this node could not be placed in the tree.')); return p; }
    p.appendChild(el('b', null, 'If ' + n.id + ' crashes:'));
    var ol = el('ol');
    if (!c.levels.length) ol.appendChild(el('li', null, n.id + ' is the top supervisor of ' + t.app + ': its exit is the application\'s.'));
    c.levels.forEach(function (l, i) {
      var li = el('li');
      var flags = (l.strategy || 'unknown strategy') + ', at most ' + (l.intensity === null ? '?' : l.intensity) + ' restarts in ' + (l.period === null ? '?' : l.period) + ' s';
      var who = i === 0 ? l.child + ' crashes' : l.child + ' gives up (exits with shutdown)';
      li.appendChild(el('span', null, who + '; its supervisor ', el('b', { 'class': 'mono' }, l.supervisor), ' (' + flags + ') '));
      if (l.outcome === 'restarted') {
        var more = l.restarted_count > l.restarted.length ? ' and ' + (l.restarted_count - l.restarted.length) + ' more' : '';
        li.appendChild(document.createTextNode('restarts ' + l.restarted.join(', ') + more + ' (' + plural(l.restarted_processes, 'process', 'processes') + ', subtrees included)'));
        if (l.terminated_count) li.appendChild(document.createTextNode('; terminates ' + l.terminated.join(', ') + ' (temporary: not started again)'));
        li.appendChild(document.createTextNode(l.untouched_count ? '; leaves ' + plural(l.untouched_count, 'sibling') + ' running.' : '.'));
        if (i + 1 < c.levels.length) li.appendChild(el('div', { 'class': 'note' }, 'After ' + ((l.intensity || 0) + 1) + ' such exits within ' + l.period + ' s it gives up:'));
      } else if (l.outcome === 'not_restarted') {
        li.appendChild(document.createTextNode('does not restart it (' + (l.restart || '?') + '): the crash stops here, the rest keeps running.'));
      } else if (l.outcome === 'auto_shutdown') {
        li.appendChild(document.createTextNode('does not restart it, and as it is significant with auto_shutdown ' + l.auto_shutdown + ', the supervisor shuts down.'));
      } else {
        li.appendChild(document.createTextNode('\u2014 its restart type or strategy is not known statically, so what follows is not known.'));
      }
      ol.appendChild(li);
    });
    p.appendChild(ol);
    if (c.application_stops) {
      p.appendChild(el('p', null, el('span', { 'class': 'stop' }, 'The application ' + t.app + ' stops'),
        c.crashes_to_stop_app ? ' after ' + plural(c.crashes_to_stop_app, 'crash', 'crashes') + ' in quick succession.' : '.'));
      var ul = el('ul');
      (t.releases || []).forEach(function (r) {
        ul.appendChild(el('li', null, (r.release ? 'release ' + r.release : 'started by application:start/1') + ': ' + r.start_type + ' \u2014 ',
          r.node_stops ? el('span', { 'class': 'stop' }, 'the node stops') : el('span', { 'class': 'stay' }, 'the node stays up')));
      });
      p.appendChild(ul);
    } else {
      p.appendChild(el('p', null, el('span', { 'class': 'stay' }, 'The application keeps running.')));
    }
    if ((c.notes || []).length) p.appendChild(el('ul', { 'class': 'note' }, c.notes.map(function (x) { return el('li', null, x); })));
    return p;
  }
  function treeNode(n, t, depth) {
    var cls = 'tree-node ' + (n.children ? 'sup' : 'worker') + (n.conditional ? ' conditional' : '') + (n.dynamic ? ' dynamic' : '') +
      (n.computed ? ' computed' : '') + (n.unresolved || n.partial ? ' unresolved' : '');
    var li = el('li', { 'class': cls, 'data-node-id': n.id, 'data-app': t.app });
    var panel = null;
    var button = el('button', { 'class': 'crash', type: 'button', title: 'What a crash of this process takes down', onclick: function (ev) {
      ev.preventDefault(); ev.stopPropagation();
      if (panel) { panel.remove(); panel = null; return; }
      panel = crashPanel(n, t);
      head.after(panel);
    } }, 'if this crashes');
    var head;
    if (n.children) {
      var d = el('details', { 'class': 'node-details', open: depth < 2 });
      head = el('summary', null, nodeLabel(n, t), button);
      d.appendChild(head);
      d.appendChild(children(n.children, t, depth + 1));
      li.appendChild(d);
    } else {
      head = el('div', { 'class': 'leaf' }, nodeLabel(n, t), button);
      li.appendChild(head);
    }
    nodeEls.push({ el: li, node: n, app: t.app, crash: function () { if (!panel) button.click(); } });
    return li;
  }
  function children(list, t, depth) {
    var ul = el('ul');
    for (var i = 0; i < list.length; i++) {
      var c = list[i], run = c.run || 1;
      var li = treeNode(c, t, depth);
      ul.appendChild(li);
      if (run > 1) {
        var last = list[i + run - 1];
        var rest = el('ul');
        for (var j = i + 1; j < i + run; j++) rest.appendChild(treeNode(list[j], t, depth));
        ul.appendChild(el('li', { 'class': 'run-group' }, el('details', { 'class': 'run' },
          el('summary', null, (run - 1) + ' more alike: ' + list[i + 1].id + (run > 2 ? ' \u2026 ' + last.id : '')), rest)));
        i += run - 1;
      }
    }
    return ul;
  }

  // ---------- application pages ----------
  function list(items, f) { return items && items.length ? el('ul', { 'class': 'chips' }, items.map(function (x) { return el('li', { 'class': 'chip' }, f ? f(x) : x); })) : el('span', { 'class': 'muted' }, 'none'); }
  function fact(t, name, value) { t.appendChild(el('tr', null, el('th', null, name), el('td', null, value))); }
  function appPage(a) {
    var s = section('app/' + a.name);
    s.setAttribute('data-app-section', a.name);
    s.appendChild(el('h2', null, a.name + ' ', el('span', { 'class': 'vsn' }, a.vsn || ''), el('span', { 'class': 'badge' }, a.kind), el('span', { 'class': 'badge' }, origin(a))));
    if (a.description) s.appendChild(el('p', null, a.description));
    var t = el('table', { 'class': 'facts' });
    fact(t, 'resource file', loc(a.file, a.line));
    fact(t, 'folder', el('span', { 'class': 'loc' }, a.dir));
    fact(t, 'callback module', a.mod ? el('code', null, '{mod, {' + a.mod + ', ' + (a.mod_args || '[]') + '}}') : el('span', { 'class': 'muted' }, 'none: a library application, no supervision tree'));
    fact(t, 'applications', list(a.applications, appLink));
    fact(t, 'included_applications', list(a.included_applications, appLink));
    fact(t, 'optional_applications', list(a.optional_applications, appLink));
    fact(t, 'registered', list(a.registered));
    fact(t, 'env keys', list(a.env_keys));
    var mods = a.modules || [];
    fact(t, 'modules', mods.length ? lazyDetails({ 'class': 'modules' }, plural(mods.length, 'module'), function (d) {
      d.appendChild(list(mods, function (m) { return el('span', { 'class': 'mono', 'data-module': m }, m); }));
    }, false) : el('span', { 'class': 'muted' }, 'none'));
    var rels = (graphNode[a.name] || {}).releases || [];
    fact(t, 'releases', list(rels));
    s.appendChild(t);
    var needs = graph.edges.filter(function (e) { return e.from === a.name; });
    var needed = graph.edges.filter(function (e) { return e.to === a.name; });
    function edgeItem(other) { return function (e) { return el('span', null, appLink(other(e)), e.kind !== 'applications' ? el('span', { 'class': 'muted' }, ' (' + e.kind.replace('_applications', '') + ')') : ''); }; }
    s.appendChild(el('h3', null, 'Needs (' + needs.length + ')'));
    s.appendChild(list(needs, edgeItem(function (e) { return e.to; })));
    s.appendChild(el('h3', null, 'Needed by (' + needed.length + ')'));
    s.appendChild(list(needed, edgeItem(function (e) { return e.from; })));
    var ts = treesByApp[a.name] || [];
    s.appendChild(el('h3', null, 'Supervision tree'));
    if (!ts.length) s.appendChild(el('p', { 'class': 'note' }, a.mod ? 'No tree could be drawn from ' + a.mod + ':start/2 (see the diagnostics).' : 'None: a library application starts no processes of its own.'));
    ts.forEach(function (tr) {
      s.appendChild(el('p', { 'class': 'note' }, 'Started by ', el('code', null, tr.start), ' ', loc(tr.file, tr.line),
        (tr.included_in || []).length ? ' \u2014 included in ' + tr.included_in.join(', ') + ', whose tree starts it' : '',
        tr.partial ? ' \u2014 partial: some children may be missing' : ''));
      var ul = el('ul', { 'class': 'tree' });
      ul.appendChild(treeNode(tr.root, tr, 0));
      s.appendChild(ul);
    });
    var fs = (lint.findings || []).filter(function (f) { return f._app === a.name; });
    s.appendChild(el('h3', null, 'Lint findings (' + fs.length + ')'));
    if (fs.length) s.appendChild(lazyDetails(null, plural(fs.length, 'finding'), function (d) {
      fs.forEach(function (f) { d.appendChild(finding(f, false)); });
    }, fs.length <= 5));
  }

  // ---------- lint and diagnostics ----------
  function finding(f, showApp) {
    return el('div', { 'class': 'finding sev-' + f.severity }, sevBadge(f.severity), ' ', el('code', null, f.code + ' ' + f.rule), ' ',
      showApp && f._app ? appLink(f._app) : null, ' ', loc(f.file, f.line),
      el('div', { 'class': 'msg' }, f.message),
      (f.chain || []).length ? el('ol', null, f.chain.map(function (c) { return el('li', null, typeof c === 'string' ? c : [(c.call || c.function || c.text || JSON.stringify(c)), ' ', loc(c.file, c.line)]); })) : null,
      f.fix ? el('div', { 'class': 'fix' }, 'fix: ' + f.fix) : null,
      (f.notes || []).length ? el('ul', { 'class': 'note' }, f.notes.map(function (x) { return el('li', null, x); })) : null);
  }
  function lintSection() {
    var s = section('lint', 'Lint findings');
    var fs = lint.findings || [];
    if (!fs.length) { s.appendChild(el('p', null, 'No findings.')); }
    var byRule = {}, rules = [];
    fs.forEach(function (f) { if (!byRule[f.rule]) { byRule[f.rule] = []; rules.push(f.rule); } byRule[f.rule].push(f); });
    if (fs.length) s.appendChild(el('h3', null, 'By rule'));
    rules.forEach(function (r) {
      var meta = (lint.rules || []).filter(function (x) { return x.name === r; })[0];
      s.appendChild(lazyDetails(null, [el('b', null, r), ' ', plural(byRule[r].length, 'finding'), meta && meta.summary ? el('span', { 'class': 'muted' }, ' \u2014 ' + meta.summary.split(/\.\s/)[0] + '.') : ''], function (d) {
        byRule[r].forEach(function (f) { d.appendChild(finding(f, true)); });
      }, rules.length < 4 && byRule[r].length <= 50));
    });
    var appsWith = Object.keys(findingsOf).sort();
    if (fs.length) {
      s.appendChild(el('h3', null, 'By application'));
      var t = el('table', null, el('tr', null, el('th', null, 'application'), rules.map(function (r) { return el('th', null, r); })));
      appsWith.forEach(function (a) {
        t.appendChild(el('tr', null, el('td', null, a ? appLink(a) : '(outside any application)'), rules.map(function (r) {
          return el('td', { 'class': 'num' }, String(byRule[r].filter(function (f) { return (f._app || '') === a; }).length || ''));
        })));
      });
      s.appendChild(t);
    }
  }

  function diagnosticsSection() {
    var s = section('diagnostics', 'Diagnostics');
    var ds = D.diagnostics || [];
    s.appendChild(el('p', { 'class': 'note' }, 'What otpmap could not read, parse or resolve; the rest of the report holds.'));
    if (!ds.length) { s.appendChild(el('p', null, 'None.')); return; }
    var t = el('table', null, el('tr', null, ['severity', 'code', 'where', 'application', 'message'].map(function (h) { return el('th', null, h); })));
    ds.forEach(function (d) {
      var a = appOfFile(d.file);
      t.appendChild(el('tr', null, el('td', null, sevBadge(d.severity)), el('td', { 'class': 'mono' }, d.code), el('td', null, loc(d.file, d.line)),
        el('td', null, a ? appLink(a) : ''), el('td', null, d.message)));
    });
    s.appendChild(t);
  }

  // ---------- search ----------
  var index = [];
  apps.forEach(function (a) {
    index.push({ kind: 'application', name: a.name, app: a.name });
    (a.modules || []).forEach(function (m) { index.push({ kind: 'module', name: m, app: a.name }); });
    (a.registered || []).forEach(function (r) { index.push({ kind: 'registered', name: r, app: a.name }); });
  });
  function indexTrees() {
    nodeEls.forEach(function (ne) {
      if (ne.node.children) index.push({ kind: 'supervisor', name: ne.node.id, app: ne.app, target: ne });
      if (ne.node.name) index.push({ kind: 'registered', name: ne.node.name, app: ne.app, target: ne });
    });
  }
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var hits = [];
    index.forEach(function (e) {
      var n = e.name.toLowerCase(), i = n.indexOf(q);
      if (i >= 0) hits.push({ e: e, rank: n === q ? 0 : i === 0 ? 1 : 2 });
    });
    hits.sort(function (a, b) { return a.rank - b.rank || a.e.name.length - b.e.name.length || (a.e.name < b.e.name ? -1 : 1); });
    return hits.slice(0, 40).map(function (h) { return h.e; });
  }
  function go(e) {
    searchList.hidden = true;
    if (decodeURIComponent(location.hash.replace(/^#/, '').split('?')[0]) !== 'app/' + e.app) {
      location.hash = '#app/' + encodeURIComponent(e.app);
      route();
    }
    var target = e.target;
    if (!target && e.kind === 'module') {
      var d = document.querySelector('#section-app\\/' + cssEscape(e.app) + ' details.modules');
      if (d) d.open = true;
      var m = d && d.querySelector('[data-module="' + cssEscape(e.name) + '"]');
      if (m) { m.classList.add('found'); reveal(m); }
      return;
    }
    if (target) {
      for (var p = target.el.parentElement; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
      target.el.classList.add('highlight');
      setTimeout(function () { target.el.classList.remove('highlight'); }, 2500);
      reveal(target.el);
    }
  }
  function cssEscape(s) { return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&'); }
  function reveal(node) {
    var r = node.getBoundingClientRect();
    if (r.top < 60 || r.bottom > window.innerHeight) node.scrollIntoView({ block: 'center' });
  }
  var listed = [], active = -1;
  function showResults() {
    var hits = search(searchInput.value);
    listed = hits; active = hits.length ? 0 : -1;
    searchList.textContent = '';
    hits.forEach(function (h, i) {
      var li = el('li', { 'class': i === 0 ? 'active' : '', 'data-kind': h.kind }, el('span', { 'class': 'kind' }, h.kind), el('span', { 'class': 'mono' }, h.name), el('span', { 'class': 'where' }, h.app));
      li.addEventListener('mousedown', function (ev) { ev.preventDefault(); go(h); });
      searchList.appendChild(li);
    });
    if (!hits.length && searchInput.value.trim()) searchList.appendChild(el('li', { 'class': 'muted' }, 'nothing matches'));
    searchList.hidden = !searchInput.value.trim();
    return hits;
  }
  searchInput.addEventListener('input', showResults);
  searchInput.addEventListener('blur', function () { searchList.hidden = true; });
  searchInput.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter' && listed[active]) go(listed[active]);
    else if (ev.key === 'Escape') searchList.hidden = true;
    else if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      active = Math.max(0, Math.min(listed.length - 1, active + (ev.key === 'ArrowDown' ? 1 : -1)));
      Array.prototype.forEach.call(searchList.children, function (li, i) { li.classList.toggle('active', i === active); });
    }
  });

  // ---------- routing ----------
  function route() {
    var parts = location.hash.replace(/^#/, '').split('?');
    var h = decodeURIComponent(parts[0]);
    // #app/NAME?crash=ID: that node unfolded, with its crash panel open.
    var crash = /^crash=/.test(parts[1] || '') ? decodeURIComponent(parts[1].slice(6)) : null;
    if (crash !== null) {
      var ne = nodeEls.filter(function (x) { return 'app/' + x.app === h && x.node.id === crash; })[0];
      if (ne) { setTimeout(function () { go({ app: ne.app, target: ne }); ne.crash(); }, 0); }
    }
    if (!sections[h]) h = 'overview';
    Object.keys(sections).forEach(function (k) { sections[k].hidden = k !== h; });
    Object.keys(navLinks).forEach(function (k) { navLinks[k].classList.toggle('current', k === h); });
    return h;
  }
  window.addEventListener('hashchange', function () { route(); window.scrollTo(0, 0); });

  var phases = {}, t0 = window.performance ? performance.now() : 0;
  function timed(name, f) {
    var t = window.performance ? performance.now() : 0;
    f();
    phases[name] = Math.round((window.performance ? performance.now() : 0) - t);
  }
  timed('overview', overview);
  timed('graph', graphSection);
  timed('apps', function () { apps.forEach(appPage); });
  timed('lint', lintSection);
  timed('diagnostics', diagnosticsSection);
  timed('index', indexTrees);
  route();
  // Since navigation start: reading, parsing and drawing the whole page.
  var drawnAt = window.performance ? performance.now() : 0;

  // ---------- self-test hook (#selftest?q=NAME) ----------
  // Used by the browser tests: runs a search and an expansion and writes
  // what the page holds into #selftest-result.
  if (/^#selftest/.test(location.hash)) {
    var q = decodeURIComponent((location.hash.split('?q=')[1] || ''));
    var result = { errors: window.__otpmapErrors || [], drawn_ms: Math.round(drawnAt), script_start_ms: Math.round(t0), phases: phases };
    result.apps = Array.prototype.map.call(document.querySelectorAll('[data-app-section]'), function (e) { return e.getAttribute('data-app-section'); });
    result.supervisors = Array.prototype.map.call(document.querySelectorAll('.tree-node.sup'), function (e) { return e.getAttribute('data-app') + '/' + e.getAttribute('data-node-id'); });
    result.graph_nodes = document.querySelectorAll('svg.graph .node').length;
    result.graph_edges = document.querySelectorAll('svg.graph path.edge').length;
    searchInput.value = q;
    result.search = showResults().map(function (h) { return h.kind + ':' + h.name; });
    var sup = Array.prototype.filter.call(document.querySelectorAll('details.node-details'), function (d) {
      return d.querySelector(':scope > ul > li.tree-node');
    })[0];
    if (sup) {
      var owner = sup.closest('section');
      Object.keys(sections).forEach(function (k) { sections[k].hidden = sections[k] !== owner; });
      var kids = sup.querySelectorAll(':scope > ul > li.tree-node');
      var visible = function () { return Array.prototype.filter.call(kids, function (k) { return k.checkVisibility ? k.checkVisibility() : k.getClientRects().length > 0; }).length; };
      if (sup.open) sup.querySelector('summary').click();
      result.expand = { node: sup.parentElement.getAttribute('data-node-id'), children: kids.length, visible_before: visible(), open_before: sup.open };
      sup.querySelector('summary').click();
      result.expand.visible_after = visible();
      sup.querySelector('button.crash').click();
      result.crash_panel = (sup.querySelector('.crash-panel') || {}).textContent || null;
    }
    result.errors = window.__otpmapErrors || [];
    document.body.appendChild(el('pre', { id: 'selftest-result' }, JSON.stringify(result)));
  }
})();
