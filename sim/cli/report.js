/*
 * kmemsim report: draws the page from the JSON in <script id="kmemsim-data">
 * (written by sim/cli/report_data.c and cmd_report.c; docs/report.md).
 * Charts over simulated time use uPlot (inlined before this script); the heat
 * map is a canvas drawn here.  When every chart has drawn, <body> carries
 * data-charts-drawn equal to data-charts-expected (tests/cli/test_report.c
 * reads both in headless Chromium).
 */
(function () {
	'use strict';
	var data = JSON.parse(document.getElementById('kmemsim-data').textContent);
	var root = document.getElementById('report');
	var expected = 0, drawn = 0;
	var COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
		'#bcbd22', '#17becf', '#393b79'];
	var LEVEL_COLORS = ['#2ca02c', '#9ecae1', '#fdae6b', '#e6550d', '#a50f15'];
	var WIDTH = Math.max(600, Math.min(960, (root.clientWidth || 960) - 10));

	function el(parent, tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = text;
		if (parent)
			parent.appendChild(e);
		return e;
	}
	var AGGREGATE_NOTE = 'Not available: this run was made with --log aggregate, which counts operations per ' +
		'interval between the trace\'s marks (table op_counts), not per time bucket; p99 is not kept either ' +
		'(docs/cli.md, "What the database keeps").';
	function fmt(v, digits) {
		if (v === null || v === undefined)
			return '-';
		if (typeof v !== 'number')
			return String(v);
		return v.toLocaleString('en-US', { maximumFractionDigits: digits === undefined ? 1 : digits });
	}
	function pct(part, whole) {
		return whole ? 100 * part / whole : 0;
	}
	function section(parent, title, note) {
		var s = el(parent, 'section');
		el(s, 'h2', null, title);
		if (note)
			el(s, 'p', 'note', note);
		return s;
	}
	/* rows: array of objects; cols: [key, heading, render(row) optional] */
	function table(parent, cols, rows, rowClass) {
		var wrap = el(parent, 'div', 'scroll'), t = el(wrap, 'table'), tr = el(el(t, 'thead'), 'tr');
		var body = el(t, 'tbody');
		cols.forEach(function (c) {
			el(tr, 'th', typeof rows[0] === 'object' && rows.length && typeof rows[0][c[0]] === 'string' ? 't' : null,
				c[1]);
		});
		rows.forEach(function (r) {
			var row = el(body, 'tr', rowClass ? rowClass(r) : null);
			cols.forEach(function (c) {
				var v = c[2] ? c[2](r) : r[c[0]];
				if (v instanceof Node) {
					el(row, 'td', 't').appendChild(v);
				} else {
					el(row, 'td', typeof v === 'string' ? 't' : null, fmt(v));
				}
			});
		});
		return t;
	}
	function drawnOne() {
		drawn++;
		document.body.setAttribute('data-charts-drawn', String(drawn));
	}
	/* A uPlot line chart over simulated time; series values null where there is no value. */
	function lineChart(parent, title, xs, names, series, opt) {
		var div = el(parent, 'div', 'chart'), once = false;
		var s = [{ label: 'time (ms)', value: function (u, v) { return v === null ? '-' : v.toFixed(1); } }];
		opt = opt || {};
		expected++;
		names.forEach(function (n, i) {
			s.push({ label: n, stroke: (opt.colors || COLORS)[i % (opt.colors || COLORS).length], width: 1.5,
				spanGaps: !opt.counts, points: opt.counts ? { show: true, size: 3 } : {},
				value: function (u, v) { return v === null ? '-' : fmt(v, 3); } });
		});
		var ys = series.map(function (a) {
			return a.map(function (v) { return opt.log && v !== null && v <= 0 ? null : v; });
		});
		var o = {
			title: title, width: WIDTH, height: opt.height || 240,
			scales: { x: { time: false }, y: opt.log ? { distr: 3 } : (opt.range ? { range: opt.range } : {}) },
			axes: [{ label: 'simulated time (ms)' }, { label: opt.ylabel || '', size: 70 }],
			series: s,
			hooks: { draw: [function () { if (!once) { once = true; drawnOne(); } }] }
		};
		new uPlot(o, [xs].concat(ys), div);
	}
	/* Rows (one per CPU) x time buckets, colour by count on a log scale. */
	function heatMap(parent, title, xs, rows, rowNames, unit) {
		var left = 60, cell = Math.max(2, Math.floor((WIDTH - left - 10) / Math.max(1, xs.length)));
		var rowH = 18, top = 6, h = top + rows.length * rowH + 30, max = 0;
		var c = el(parent, 'canvas', 'heat'), ctx;
		expected++;
		el(parent, 'h3', null, title).parentNode.insertBefore(c, null);
		c.width = left + cell * xs.length + 10;
		c.height = h;
		ctx = c.getContext('2d');
		rows.forEach(function (r) { r.forEach(function (v) { if (v > max) max = v; }); });
		ctx.fillStyle = '#fff';
		ctx.fillRect(0, 0, c.width, c.height);
		ctx.font = '11px sans-serif';
		rows.forEach(function (r, y) {
			ctx.fillStyle = '#222';
			ctx.fillText(rowNames[y], 4, top + y * rowH + 13);
			r.forEach(function (v, x) {
				var f = v > 0 && max > 0 ? Math.log(1 + v) / Math.log(1 + max) : 0;
				ctx.fillStyle = v > 0 ? 'hsl(' + (50 - 50 * f) + ',90%,' + (88 - 55 * f) + '%)' : '#f3f3f3';
				ctx.fillRect(left + x * cell, top + y * rowH, cell, rowH - 2);
			});
		});
		ctx.fillStyle = '#222';
		for (var i = 0; i <= 4; i++) {
			var b = Math.min(xs.length - 1, Math.round(i * (xs.length - 1) / 4));
			ctx.fillText(fmt(xs[b], 0) + ' ms', left + b * cell - (i === 4 ? 40 : 0), top + rows.length * rowH + 16);
		}
		el(parent, 'p', 'note', 'colour: ' + unit + ' per time bucket, log scale from pale (1) to dark red (' +
			fmt(max, 0) + '); grey: none.');
		drawnOne();
	}
	function levelBar(levels) {
		var total = levels.reduce(function (a, b) { return a + b; }, 0), bar = el(null, 'span', 'bar');
		levels.forEach(function (n, i) {
			var s = el(bar, 'span');
			s.style.width = pct(n, total) + '%';
			s.style.background = LEVEL_COLORS[i];
			s.title = 'L' + (i + 1) + ': ' + fmt(pct(n, total), 2) + '%';
		});
		return bar;
	}
	function levelLegend(parent) {
		var p = el(parent, 'p', 'legend');
		['L1', 'L2', 'L3', 'L4', 'L5'].forEach(function (l, i) {
			var s = el(p, 'span', null, l);
			s.style.background = LEVEL_COLORS[i];
			s.style.color = i >= 3 ? '#fff' : '#000';
		});
	}

	function runSections(parent, d, label) {
		var r = d.run, s, bucketMs = r.sim_ns / 1e6 / d.t_ms.length;
		var prefix = label ? label + ': ' : '';

		s = section(parent, prefix + 'The run');
		table(s, [['k', ''], ['v', '']], [
			{ k: 'database', v: r.db },
			{ k: 'workload', v: r.description || r.name },
			{ k: 'scenario', v: r.scenario_path || '-' },
			{ k: 'allocator', v: r.allocator },
			{ k: 'kernel', v: 'Linux ' + r.kernel },
			{ k: 'machine', v: r.nodes + ' nodes, ' + r.cpus + ' CPUs' },
			{ k: 'seed', v: r.seed },
			{ k: 'simulated time', v: fmt(r.sim_ns / 1e6, 3) + ' ms' },
			{ k: 'operations', v: fmt(r.ops) },
			{ k: 'kmemsim', v: r.version }
		]);
		el(s, 'h3', null, 'Zones (pages)');
		table(s, [['node', 'node'], ['zone', 'zone'], ['present', 'present'], ['managed', 'managed'],
			['free', 'free at the end']], d.zones);

		s = section(parent, prefix + 'L1-L5 shares per cache',
			'Allocations by the level of the path that satisfied them (L1 fastest: DESIGN.md, "Paths"); the ' +
			d.caches.length + ' caches with the most operations; latency and lock wait over allocations and frees.');
		levelLegend(s);
		table(s, [['name', 'cache'], ['allocs', 'allocs'], ['frees', 'frees'],
			['bar', 'L1..L5', function (c) { return levelBar(c.levels); }],
			['l1', 'L1 %', function (c) { return pct(c.levels[0], c.allocs); }],
			['l2', 'L2 %', function (c) { return pct(c.levels[1], c.allocs); }],
			['l3', 'L3 %', function (c) { return pct(c.levels[2], c.allocs); }],
			['l4', 'L4 %', function (c) { return pct(c.levels[3], c.allocs); }],
			['l5', 'L5 %', function (c) { return pct(c.levels[4], c.allocs); }],
			['mean_ns', 'mean ns'], ['p99_ns', 'p99 ns'], ['lock_wait_ns', 'lock wait ns'],
			['pages_peak', 'slab pages peak'], ['pages_final', 'final']], d.caches);

		s = section(parent, prefix + 'Levels over simulated time, busiest caches',
			'Allocations per time bucket (' + fmt(bucketMs, 3) + ' ms) at each level, log scale; a bucket without any is left out.');
		if (d.run.aggregate)	/* op_counts: counts per mark interval, not per time bucket */
			el(s, 'p', 'note', AGGREGATE_NOTE);
		else
			d.busiest.forEach(function (c) {
				lineChart(s, c.name, d.t_ms, ['L1', 'L2', 'L3', 'L4', 'L5'], c.levels,
					{ log: true, counts: true, ylabel: 'allocations', colors: LEVEL_COLORS, height: 200 });
			});

		s = section(parent, prefix + 'Slow paths per CPU over time',
			'Operations (allocations and frees, objects and pages) at L2 or slower, per CPU and time bucket.');
		if (d.run.aggregate)
			el(s, 'p', 'note', AGGREGATE_NOTE);
		else
			heatMap(s, 'slow paths per CPU', d.t_ms, d.cpu_slow, d.cpu_slow.map(function (_, i) { return 'cpu ' + i; }),
				'operations at L2+');

		s = section(parent, prefix + 'Slab pages and free pages over time',
			'At the last snapshot in each time bucket (slabinfo and buddy_snapshots).');
		if (d.slab_pages)
			lineChart(s, 'slab pages (num_slabs x pagesperslab)', d.t_ms, d.slab_pages.names, d.slab_pages.series,
				{ ylabel: 'pages' });
		else
			el(s, 'p', 'note', 'No slabinfo snapshots: a run of the buddy allocator alone.');
		lineChart(s, 'free pages per zone', d.t_ms, d.free_pages.names, d.free_pages.series, { ylabel: 'pages' });

		s = section(parent, prefix + 'Buddy fragmentation over time',
			'The kernel\'s unusable free space index per order (debugfs extfrag/unusable_index), all zones: ' +
			'the share of free pages in blocks too small for an allocation of that order. 0 = none, 1 = all.');
		lineChart(s, 'unusable free space index', d.t_ms, d.frag.names, d.frag.series,
			{ ylabel: 'index', range: [0, 1] });

		s = section(parent, prefix + 'Lock contention', 'Locks with the most spinning time (simulated ns).');
		if (d.locks.length)
			table(s, [['name', 'lock'], ['acquisitions', 'acquisitions'], ['contended', 'contended'],
				['wait_ns', 'wait ns'], ['max_wait_ns', 'max wait ns'], ['hold_ns', 'hold ns']], d.locks);
		if (d.run.aggregate)
			el(s, 'p', 'note', AGGREGATE_NOTE);
		else
			lineChart(s, 'lock wait of the operations begun in each bucket', d.t_ms, ['lock wait (ns)'], [d.lock_wait],
				{ ylabel: 'ns' });

		s = section(parent, prefix + 'Top slow call sites',
			'Object allocations per call site, most at L2 or slower first.');
		if (d.callsites)
			table(s, [['call_site', 'call site'], ['allocs', 'allocs'], ['slow', 'L2+'], ['slow_pct', 'L2+ %'],
				['mean_ns', 'mean ns']], d.callsites);
		else
			el(s, 'p', 'note', 'Not shown: ' + d.callsites_note + '.');

		s = section(parent, prefix + 'Invariant violations', d.nr_violations ?
			d.nr_violations + ' violations' + (d.nr_violations > d.violations.length ? ', the first ' +
			d.violations.length + ' shown' : '') + '.' : 'None: every invariant check passed.');
		if (d.violations.length)
			table(s, [['time_ns', 'time ns'], ['invariant', 'invariant'], ['detail', 'detail']], d.violations);
	}

	function diffSection(parent, diff) {
		var s = section(parent, 'Diff: A against B',
			'Caches matched by name, ranked by the change in busy time (the simulated time inside the cache\'s ' +
			'operations, the sum of their latencies); B-A rows are B minus A (docs/diff.md).');
		var heads = { runs: 'Runs', caches: 'Caches, largest difference first', one_side: 'Caches of one run only',
			zones: 'Zones, largest difference first' };
		Object.keys(heads).forEach(function (k) {
			var rows = diff[k] || [];
			el(s, 'h3', null, heads[k]);
			if (!rows.length) {
				el(s, 'p', 'note', 'none');
				return;
			}
			table(s, Object.keys(rows[0]).map(function (c) { return [c, c]; }), rows,
				function (r) { return r.run === 'B-A' ? 'delta' : null; });
		});
	}

	var title = data.runs.length > 1 ? 'kmemsim report: ' + data.runs[0].run.allocator + ' (A) and ' +
		data.runs[1].run.allocator + ' (B)' : 'kmemsim report: ' + (data.runs[0].run.description || data.runs[0].run.name);
	el(root, 'h1', null, title);
	el(root, 'p', 'note', 'kmemsim ' + data.version + '; every time is simulated; ' +
		'charts cut the run into ' + data.runs[0].t_ms.length + ' time buckets.');
	if (data.diff)
		diffSection(root, data.diff);
	data.runs.forEach(function (d, i) {
		runSections(root, d, data.runs.length > 1 ? (i ? 'B' : 'A') : '');
	});
	document.body.setAttribute('data-charts-expected', String(expected));
	document.body.setAttribute('data-charts-drawn', String(drawn));
})();
