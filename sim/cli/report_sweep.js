/*
 * kmemsim report of a sweep: draws the comparison across points from the JSON in
 * <script id="kmemsim-data"> (data.sweep: the tables `kmemsim sweep --format json` prints,
 * written by sim/cli/cmd_report.c; docs/report.md).  A table of the points (their values
 * of the varied keys and the figures), a uPlot chart per figure across the points, and the
 * per-cache table.  Like report.js, it counts each chart into <body data-charts-drawn>.
 */
(function () {
	'use strict';
	var data = JSON.parse(document.getElementById('kmemsim-data').textContent);
	var root = document.getElementById('report');
	var expected = 0, drawn = 0;
	var WIDTH = Math.max(600, Math.min(960, (root.clientWidth || 960) - 10));
	var FIGURES = ['allocs', 'l1_pct', 'l2_pct', 'l3_pct', 'l4_pct', 'l5_pct', 'slab_pages', 'refills', 'drains',
		'latency_ns', 'lock_wait_ns'];

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
	function fmt(v) {
		if (v === null || v === undefined)
			return '-';
		if (typeof v !== 'number')
			return String(v);
		return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
	}
	function section(title, note) {
		var s = el(root, 'section');
		el(s, 'h2', null, title);
		if (note)
			el(s, 'p', 'note', note);
		return s;
	}
	function table(parent, cols, rows) {
		var t = el(el(parent, 'div', 'scroll'), 'table'), tr = el(el(t, 'thead'), 'tr'), body = el(t, 'tbody');
		cols.forEach(function (c) { el(tr, 'th', null, c); });
		rows.forEach(function (r) {
			var row = el(body, 'tr');
			cols.forEach(function (c) { el(row, 'td', typeof r[c] === 'string' ? 't' : null, fmt(r[c])); });
		});
	}

	var points = data.sweep.points, caches = data.sweep.caches;
	var keys = points.length ? Object.keys(points[0]).filter(function (k) {
		return k !== 'point' && k !== 'status' && FIGURES.indexOf(k) < 0;
	}) : [];
	function label(r) {
		return keys.map(function (k) { return k + '=' + r[k]; }).join(' ');
	}

	el(root, 'h1', null, 'kmemsim report: a sweep of ' + points.length + ' points');
	el(root, 'p', 'note', 'kmemsim ' + data.version + '; ' + data.db + '; varied: ' + (keys.join(', ') || 'nothing') +
		'; every time is simulated (docs/sweep.md).');
	var s = section('Points', 'A row per point: its values of the varied keys, the run\'s exit status, and the figures.');
	table(s, points.length ? Object.keys(points[0]) : [], points);
	points.forEach(function (r) {
		el(s, 'p', 'note', 'point ' + r.point + ': ' + label(r));
	});

	s = section('Figures across points', 'One chart per figure; the x axis is the point number (the table above says its values).');
	var xs = points.map(function (r) { return r.point; });
	FIGURES.forEach(function (f) {
		var div = el(s, 'div', 'chart'), once = false;
		expected++;
		new uPlot({
			title: f, width: WIDTH, height: 200,
			scales: { x: { time: false } },
			axes: [{ label: 'point', incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] }, { label: f, size: 70 }],
			series: [{ label: 'point', value: function (u, v) {
				var i = xs.indexOf(v);
				return i < 0 ? '-' : v + ' (' + label(points[i]) + ')';
			} }, { label: f, stroke: '#1f77b4', width: 1.5, points: { show: true, size: 5 },
				value: function (u, v) { return fmt(v); } }],
			hooks: { draw: [function () {
				if (!once) {
					once = true;
					drawn++;
					document.body.setAttribute('data-charts-drawn', String(drawn));
				}
			}] }
		}, [xs, points.map(function (r) { return typeof r[f] === 'number' ? r[f] : null; })], div);
	});

	s = section('Caches', 'A row per point and cache with object allocations.');
	table(s, caches.length ? Object.keys(caches[0]) : [], caches);
	document.body.setAttribute('data-charts-expected', String(expected));
	document.body.setAttribute('data-charts-drawn', String(drawn));
})();
